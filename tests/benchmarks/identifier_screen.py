"""Benchmark: how well the identifier screen does on the project's corpus (prints figures).

    .venv/bin/python -m tests.benchmarks.identifier_screen            # both parts of the corpus
    .venv/bin/python -m tests.benchmarks.identifier_screen --misses   # and what it got wrong

The corpus (tests/data/identifier_corpus/) holds, per language, sentences as case notes,
mentor feedback and return comments are written, each with one identifier marked [[like
this]] and its kind, and ordinary clinical sentences that must pass. `tuning/` is what the
screen was developed against; `holdout/` was written afterwards and the screen was not
changed for it. An identifier is caught when a finding overlaps it, and named right when
that finding's kind is the kind it is labelled with. A clinical sentence is refused when the
screen finds anything in it. tests/unit/test_identifier_corpus.py asserts the thresholds.
"""

import argparse
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from caselog.screening.kinds import Kind

CORPUS = Path(__file__).resolve().parent.parent / "data" / "identifier_corpus"
PARTS = ("tuning", "holdout")
LANGUAGES = ("en", "ru", "mn", "ko")
TODAY = date(2026, 11, 20)  # the date the corpus is read at (tests.clock.TODAY)
RECALL_AT_LEAST = 0.95
FALSE_REFUSALS_AT_MOST = 0.02
CLINICAL = "clinical"

# The kind each label may be reported as: a record number without a label is reported as a
# record number or as an identifying number; a year of birth inside a date, as a date.
NAMED_AS = {
    "name": {Kind.NAME},
    "address": {Kind.ADDRESS},
    "birth_date": {Kind.BIRTH_DATE},
    "birth_year": {Kind.BIRTH_YEAR, Kind.BIRTH_DATE},
    "age90": {Kind.AGE},
    "phone": {Kind.PHONE},
    "email": {Kind.EMAIL},
    "rrn": {Kind.RRN},
    "register": {Kind.REGISTER},
    "snils": {Kind.SNILS},
    "passport": {Kind.PASSPORT},
    "insurance": {Kind.INSURANCE},
    "national_id": {Kind.NATIONAL_ID},
    "record_number": {Kind.RECORD_NUMBER},
    "hospital_number": {Kind.RECORD_NUMBER, Kind.SERIAL, Kind.NUMBER},
}
_MARK = re.compile(r"\[\[(.+?)\]\]")


@dataclass(frozen=True)
class Entry:
    part: str
    language: str
    kind: str
    text: str  # without the marks
    span: tuple[int, int] | None  # where the identifier is; None for a clinical sentence


@dataclass
class Tally:
    total: int = 0
    caught: int = 0
    named_right: int = 0
    wrong: list[str] = field(default_factory=list)


def load(part: str) -> list[Entry]:
    """Every sentence of one part of the corpus."""
    entries = []
    for language in LANGUAGES:
        path = CORPUS / part / f"{language}.tsv"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            kind, marked = line.split("\t", 1)
            if kind != CLINICAL and kind not in NAMED_AS:
                raise ValueError(f"{path}:{number}: unknown kind {kind!r}")
            match = _MARK.search(marked)
            if (kind == CLINICAL) != (match is None):
                raise ValueError(f"{path}:{number}: marks do not fit the kind")
            text = _MARK.sub(r"\1", marked)
            span = None
            if match:
                span = (match.start(), match.start() + len(match.group(1)))
            entries.append(Entry(part, language, kind, text, span))
    return entries


def score(
    entries: Iterable[Entry], screen: Callable[[str], list[tuple[int, int, Kind]]]
) -> dict[tuple[str, str], Tally]:
    """Tallies by (kind, language): identifiers caught and named right, clinical refused."""
    tallies: dict[tuple[str, str], Tally] = defaultdict(Tally)
    for entry in entries:
        found = screen(entry.text)
        tally = tallies[(entry.kind, entry.language)]
        tally.total += 1
        if entry.span is None:
            if found:
                tally.caught += 1  # a clinical sentence refused
                tally.wrong.append(f"{entry.text}  <- {_describe(entry.text, found)}")
            continue
        start, end = entry.span
        over = [hit for hit in found if hit[0] < end and start < hit[1]]
        if over:
            tally.caught += 1
        if any(hit[2] in NAMED_AS[entry.kind] for hit in over):
            tally.named_right += 1
        elif over:
            tally.wrong.append(f"{entry.text}  <- named {_describe(entry.text, over)}")
        else:
            tally.wrong.append(f"{entry.text}  <- missed {entry.text[start:end]!r}")
    return tallies


def totals(tallies: dict[tuple[str, str], Tally]) -> tuple[Tally, Tally]:
    """All identifiers together, and all clinical sentences together."""
    identifiers, clinical = Tally(), Tally()
    for (kind, _language), tally in tallies.items():
        into = clinical if kind == CLINICAL else identifiers
        into.total += tally.total
        into.caught += tally.caught
        into.named_right += tally.named_right
    return identifiers, clinical


def screen_with_app() -> Callable[[str], list[tuple[int, int, Kind]]]:
    """The app's screen, as (start, end, kind) of each finding, at the corpus's date."""
    from caselog import create_app
    from caselog.screening import find_identifiers

    app = create_app({"TESTING": True, "SECRET_KEY": "benchmark"})
    context = app.test_request_context()
    context.push()

    def screen(text: str) -> list[tuple[int, int, Kind]]:
        hits = []
        position = 0
        for finding in find_identifiers(text, today=TODAY):
            start = text.find(finding.text, position)
            hits.append((start, start + len(finding.text), finding.code))
            position = start + 1
        return hits

    return screen


def _describe(text: str, hits: list[tuple[int, int, Kind]]) -> str:
    return ", ".join(f"{kind.value} {text[start:end]!r}" for start, end, kind in hits)


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def report(part: str, tallies: dict[tuple[str, str], Tally], misses: bool) -> None:
    """Print one part's figures: by kind and language, then overall."""
    print(f"\n== {part} ==")
    print(f"{'kind':<16}{'lang':<6}{'n':>5}{'caught':>9}{'named':>9}")
    for (kind, language), tally in sorted(tallies.items()):
        if kind == CLINICAL:
            continue
        print(
            f"{kind:<16}{language:<6}{tally.total:>5}{_percent(tally.caught, tally.total):>9}"
            f"{_percent(tally.named_right, tally.total):>9}"
        )
    print(f"\n{'clinical':<16}{'lang':<6}{'n':>5}{'refused':>9}")
    for language in LANGUAGES:
        tally = tallies.get((CLINICAL, language), Tally())
        print(f"{'':<16}{language:<6}{tally.total:>5}{_percent(tally.caught, tally.total):>9}")
    by_kind: dict[str, Tally] = defaultdict(Tally)
    for (kind, _language), tally in tallies.items():
        by_kind[kind].total += tally.total
        by_kind[kind].caught += tally.caught
        by_kind[kind].named_right += tally.named_right
    print(f"\n{'by kind':<22}{'n':>5}{'caught':>9}{'named':>9}")
    for kind, tally in sorted(by_kind.items()):
        if kind != CLINICAL:
            print(
                f"{kind:<22}{tally.total:>5}{_percent(tally.caught, tally.total):>9}"
                f"{_percent(tally.named_right, tally.total):>9}"
            )
    identifiers, clinical = totals(tallies)
    print(
        f"\n{part}: recall {_percent(identifiers.caught, identifiers.total)} of "
        f"{identifiers.total} identifiers (named right "
        f"{_percent(identifiers.named_right, identifiers.total)}); false refusals "
        f"{_percent(clinical.caught, clinical.total)} of {clinical.total} clinical sentences"
    )
    if misses:
        for (kind, language), tally in sorted(tallies.items()):
            for wrong in tally.wrong:
                print(f"  [{kind} {language}] {wrong}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list what the screen got wrong")
    parser.add_argument("--part", choices=PARTS, action="append", help="one part only")
    arguments = parser.parse_args(argv)
    screen = screen_with_app()
    everything: dict[tuple[str, str], Tally] = defaultdict(Tally)
    for part in arguments.part or PARTS:
        tallies = score(load(part), screen)
        report(part, tallies, arguments.misses)
        for key, tally in tallies.items():
            everything[key].total += tally.total
            everything[key].caught += tally.caught
            everything[key].named_right += tally.named_right
    identifiers, clinical = totals(everything)
    print(
        f"\nall: recall {_percent(identifiers.caught, identifiers.total)} of "
        f"{identifiers.total}; false refusals {_percent(clinical.caught, clinical.total)} of "
        f"{clinical.total}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
