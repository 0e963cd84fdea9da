"""The `next` check keeps every redirect after sign-in inside the app."""

import pytest

from caselog.security import safe_next


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "//evil.example/cases",
        "https://evil.example",
        "http:evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        " //evil.example",
        "javascript:alert(1)",
        "evil.example",
        "https:/evil.example",
        "///evil.example",
    ],
)
def test_outside_targets_fall_back(target):
    assert safe_next(target, "/home") == "/home"


@pytest.mark.parametrize("target", ["/cases", "/cases/3?saved=1", "/cases?q=a%2F%2Fb"])
def test_inside_targets_are_kept(target):
    assert safe_next(target, "/home") == target
