"""Guesses sent together from one address are counted one after another: a burst cannot
slip more wrong passwords past the throttle than one guess after another would.

The burst's requests are released together, and held inside the password hash until all
of them are there: so every one has passed the first, cheap check before any has written
its outcome. Each checks again when it writes, one address at a time (SQLite's write lock;
a PostgreSQL advisory lock), so only the free failures are answered as wrong passwords and
the rest are refused with 429.
"""

import threading

import httpx
from argon2 import PasswordHasher

from tests.conftest import csrf_token_from
from tests.factories import PASSWORD
from tests.live.conftest import race

BURST = 8


def test_a_burst_of_guesses_gets_only_the_free_failures_checked(
    live_app, live_server, team, monkeypatch
):
    free = live_app.config["LOGIN_FREE_FAILURES_PER_PAIR"]
    guessers = [httpx.Client(base_url=live_server, timeout=60) for _n in range(BURST)]
    try:
        tokens = [csrf_token_from(guesser.get("/login").text) for guesser in guessers]
        all_hashing = threading.Barrier(BURST)
        verify = PasswordHasher.verify

        def verify_together(hasher, stored, password):
            all_hashing.wait(timeout=30)
            return verify(hasher, stored, password)

        monkeypatch.setattr(PasswordHasher, "verify", verify_together)

        def guess(guesser, token, n):
            data = {"csrf_token": token, "email": team.mentor.email, "password": f"guess {n}"}
            return lambda: guesser.post("/login", data=data).status_code

        answers = race(
            *(guess(g, t, n) for n, (g, t) in enumerate(zip(guessers, tokens, strict=True)))
        )
        assert sorted(answers) == [200] * free + [429] * (BURST - free), answers
        monkeypatch.undo()

        # the mentor elsewhere is untouched; here (the same address) even they wait
        right = {"csrf_token": tokens[0], "email": team.mentor.email, "password": PASSWORD}
        assert guessers[0].post("/login", data=right).status_code == 429
    finally:
        for guesser in guessers:
            guesser.close()
