"""Shared steps of the tests that a hidden record answers like a missing one: a browser
that asks two questions from the same session, and the comparison of the two answers."""

import io
import re
import zipfile
from urllib.parse import quote

from tests.session_cookie import read_session

MISSING = 2_000_000_000  # an id no table ever issues in a test (still a 32-bit integer)
TOKEN = re.compile(r'(name="csrf_token"[^>]*value=")[^"]+(")')
SAVED_AT = re.compile(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*")  # a workbook's wall clock


class Browser:
    """One signed-in (or anonymous) client, with a CSRF token fetched once; each pair of
    questions starts from the same session, so one cannot leave a trace on the other."""

    def __init__(self, app, person):
        self.client = app.test_client()
        if person is not None:
            self.client.login(person)
        self.csrf = self.client.token()
        self.cookie = None

    def forget(self) -> None:
        """The next question starts a new pair."""
        self.cookie = None

    def ask(self, method: str, url: str, data=None):
        """Ask from the session as it was before the pair's first question."""
        if self.cookie is None:
            self.cookie = self.client.get_cookie("session")
        else:
            self.client.set_cookie("session", self.cookie.value)
        if method == "GET":
            response = self.client.get(url)
        else:
            response = self.client.post(url, data={"csrf_token": self.csrf, **(data or {})})
        response.get_data()  # a streamed download ends here, with its request
        response.close()
        return response


def _forms(text: str) -> list[str]:
    """A text as it may appear in a page, a header or a query string."""
    path, _sep, query = text.partition("?")
    forms = {text, quote(text, safe=""), quote(text, safe="/"), path, quote(path, safe="")}
    forms |= {pair for pair in query.split("&") if pair}  # echoed in links and forms
    return sorted(forms, key=len, reverse=True)


def _blank(value: str, blanks: list[str]) -> str:
    for blank in blanks:
        for form in _forms(blank):
            value = value.replace(form, "BLANK")
    return value


def normalised_body(response, blanks: list[str]) -> str:
    """The body with what differs by design (the address asked, the time-stamped CSRF
    tokens, a workbook's saving time) blanked; a workbook by what its files hold."""
    data = response.get_data()
    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as workbook:
            data = b"".join(name.encode() + workbook.read(name) for name in workbook.namelist())
    body = SAVED_AT.sub(r"\1TIME", data.decode(errors="surrogateescape"))
    return _blank(TOKEN.sub(r"\1TOKEN\2", body), blanks)


def normalised_headers(response, blanks: list[str]) -> dict[str, str]:
    """The headers, a session cookie as what it says (not its time-stamped signature)."""
    headers: dict[str, str] = {}
    for name, value in response.headers.items():
        if name == "Content-Length":  # the addresses' lengths differ; the bodies are compared
            continue
        if name == "Set-Cookie":
            key, rest = value.split("=", 1)
            value = f"{key}={read_session(rest.split(';')[0])}"
        headers[name] = headers.get(name, "") + _blank(value, blanks)
    return headers


def assert_same_answer(browser: Browser, method: str, asked: tuple, missing: tuple) -> None:
    """Ask (url, data) for a hidden record, then for a missing one, from the same session:
    same status, headers and body, but for the addresses themselves."""
    (url, data), (url_missing, data_missing) = asked, missing
    browser.forget()
    seen = browser.ask(method, url, data)
    unseen = browser.ask(method, url_missing, data_missing)
    where = f"{method} {url} vs {url_missing}"
    assert seen.status_code == unseen.status_code, where
    assert normalised_headers(seen, [url]) == normalised_headers(unseen, [url_missing]), where
    assert normalised_body(seen, [url]) == normalised_body(unseen, [url_missing]), where
