"""Security headers and the check that keeps a `next` link inside the app."""

from urllib.parse import urlsplit

from flask import Flask, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


# Endpoints that serve the same files to everyone (Caselog's and Bootstrap's): cacheable.
STATIC_ENDPOINTS = ("static", "bootstrap.static")


def init_app(app: Flask) -> None:
    app.after_request(set_security_headers)


def set_security_headers(response):
    """Lock the page down: own scripts only, no framing, no sniffing, no caching of records."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "same-origin"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if request.is_secure:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if request.endpoint not in STATIC_ENDPOINTS:  # every page and file, signed in or not
        headers["Cache-Control"] = "no-store"
    return response


def safe_next(target: str | None, default: str) -> str:
    """Return target if it is a path inside this app, else default.

    Refuses absolute URLs, scheme-relative ones (//host), backslash tricks (/\\host),
    and anything with control characters, which browsers strip before resolving.
    """
    if not target:
        return default
    if any(ord(ch) < 32 or ch == "\\" for ch in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target
