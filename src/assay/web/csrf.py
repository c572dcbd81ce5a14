"""CSRF tokens: each visitor gets a random cookie (HttpOnly, SameSite=Strict); each form carries an
HMAC of it under the server's key, which a page on another site can neither read nor compute."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Request

CSRF_COOKIE = "assay_csrf"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"


def csrf_seed(request: Request) -> str:
    """The visitor's CSRF cookie value, or the one the middleware is about to set."""
    seed = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf_seed", None)
    if not seed:
        seed = secrets.token_urlsafe(24)
        request.state.new_csrf_seed = seed
    return str(seed)


def csrf_token(request: Request) -> str:
    """What each form carries: an HMAC of the visitor's CSRF cookie under the server's key."""
    key: bytes = request.app.state.csrf_key
    return hmac.new(key, csrf_seed(request).encode(), hashlib.sha256).hexdigest()
