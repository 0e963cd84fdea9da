"""Every shipped language is complete: each interface string translated, none fuzzy, the
placeholders the same as the English, and the catalogues current with the code."""

import re
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from caselog.config import Defaults

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "caselog" / "translations"
SHIPPED = [code for code in Defaults.LANGUAGES if code != "en"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|<[^>]+>")


def catalogue(code: str):
    with open(TRANSLATIONS / code / "LC_MESSAGES" / "messages.po", "rb") as file:
        return read_po(file)


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def test_russian_mongolian_and_korean_ship():
    assert set(SHIPPED) == {"ru", "mn", "ko"}


@pytest.mark.parametrize("code", SHIPPED)
def test_every_string_is_translated_with_the_same_placeholders(code):
    problems = []
    for message in catalogue(code):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(("fuzzy", ids[0]))
        for string in strings:
            if not string.strip():
                problems.append(("empty", ids[0]))
            # A plural form may carry the singular's placeholders or the plural's.
            elif placeholders(string) not in [placeholders(i) for i in ids]:
                problems.append(("placeholders differ", ids[0], string))
    assert problems == []


def test_the_catalogues_hold_every_string_of_the_code(tmp_path):
    """A string added to the code without `make messages` and a translation fails here."""
    template = tmp_path / "messages.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", str(TRANSLATIONS / "babel.cfg"), "-k", "_l",
         "--ignore-dirs=.*", "-o", str(template), str(ROOT)]
    )  # fmt: skip
    with open(template, "rb") as file:
        wanted = {message.id for message in read_po(file) if message.id}
    assert len(wanted) > 800  # the extraction found the interface's strings
    for code in SHIPPED:
        have = {message.id for message in catalogue(code) if message.id}
        assert sorted(map(str, wanted - have)) == [], f"not in the {code} catalogue"
