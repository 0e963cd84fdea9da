"""The identifier screen's figures on the project's corpus: recall of at least 95% and false
refusals of at most 2%, in each language and in each part (the held-out part included).
tests/benchmarks/identifier_screen.py prints the same figures by kind and language."""

from collections import defaultdict

import pytest

from caselog.screening import find_identifiers
from tests.benchmarks.identifier_screen import (
    CLINICAL,
    FALSE_REFUSALS_AT_MOST,
    LANGUAGES,
    PARTS,
    RECALL_AT_LEAST,
    TODAY,
    Tally,
    load,
    score,
    totals,
)

KINDS_IN_EVERY_LANGUAGE = {
    "name",
    "address",
    "birth_date",
    "birth_year",
    "age90",
    "phone",
    "email",
    "record_number",
    "hospital_number",
}


def screen(text):
    hits, position = [], 0
    for finding in find_identifiers(text, today=TODAY):
        start = text.find(finding.text, position)
        hits.append((start, start + len(finding.text), finding.code))
        position = start + 1
    return hits


@pytest.fixture(scope="module")
def tallies(app):
    with app.test_request_context():
        return {part: score(load(part), screen) for part in PARTS}


def test_the_corpus_is_large_enough_and_covers_every_kind_in_every_language():
    entries = load("tuning") + load("holdout")
    identifiers = [e for e in entries if e.kind != CLINICAL]
    assert len(identifiers) >= 500
    assert len([e for e in entries if e.kind == CLINICAL]) >= 300
    for language in LANGUAGES:
        kinds = {e.kind for e in identifiers if e.language == language}
        assert kinds >= KINDS_IN_EVERY_LANGUAGE, language
    national = {e.kind for e in identifiers} - KINDS_IN_EVERY_LANGUAGE
    assert {"rrn", "register", "snils", "passport", "insurance"} <= national
    holdout = len(load("holdout"))
    assert holdout >= 0.2 * len(entries)


@pytest.mark.parametrize("part", PARTS)
def test_the_screen_catches_identifiers_and_lets_clinical_text_pass(tallies, part):
    identifiers, clinical = totals(tallies[part])
    assert identifiers.caught / identifiers.total >= RECALL_AT_LEAST
    assert identifiers.named_right / identifiers.total >= RECALL_AT_LEAST
    assert clinical.caught / clinical.total <= FALSE_REFUSALS_AT_MOST


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_meets_the_thresholds(tallies, language):
    found, refused = Tally(), Tally()
    for part in PARTS:
        for (kind, in_language), tally in tallies[part].items():
            if in_language != language:
                continue
            into = refused if kind == CLINICAL else found
            into.total += tally.total
            into.caught += tally.caught
    assert found.caught / found.total >= RECALL_AT_LEAST, language
    assert refused.caught / refused.total <= FALSE_REFUSALS_AT_MOST, language


def test_the_spine_and_hpb_wording_of_the_issue_passes(tallies):
    refused = defaultdict(list)
    for part in PARTS:
        for (kind, language), tally in tallies[part].items():
            if kind == CLINICAL:
                refused[language] += tally.wrong
    wording = [w for wrongs in refused.values() for w in wrongs if "/" in w.split("<-")[0]]
    assert wording == []  # L4/5, L4/L5, C5/6/7, 6.5/45 mm: never read as dates
