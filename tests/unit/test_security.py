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


def test_sqlite_takes_the_write_lock_up_front_for_posts_and_writing_downloads(app):
    """A GET that records an audit event (a download) must not fail with "database is
    locked" when it writes after reading: it begins like a POST."""
    from caselog.extensions import _only_reads

    assert app.view_functions["exports.csv"].writes_on_get
    for path, method, reads in [
        ("/cases", "GET", True),
        ("/cases/new", "POST", False),
        ("/exports/cases.csv", "GET", False),
        ("/reports/logbook/1/2.pdf", "GET", False),
        ("/programs/1/cohort.pdf", "GET", False),
    ]:
        with app.test_request_context(path, method=method):  # matches the endpoint
            assert _only_reads() is reads, path
