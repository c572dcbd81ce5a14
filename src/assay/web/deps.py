"""What route handlers depend on: the store's session, the reader's language, and the current user
(identified once per request by `assay.web.auth.authorize`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from assay.store.db import Store
from assay.web.i18n import Locale, pick_language

LANGUAGE_COOKIE = "assay_lang"


@dataclass(frozen=True)
class User:
    """Who is asking: an account (by session cookie or API key), or the anonymous reader."""

    name: str | None = None
    role: str | None = None
    via: str | None = None  # session, key

    @property
    def anonymous(self) -> bool:
        return self.name is None


ANONYMOUS = User()


def current_user(request: Request) -> User:
    user = getattr(request.state, "user", None)
    return user if isinstance(user, User) else ANONYMOUS


UserDep = Annotated[User, Depends(current_user)]


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def db_session(store: Store = Depends(get_store)) -> Iterator[Session]:  # noqa: B008  FastAPI's dependency style
    with store.session() as session:
        yield session


SessionDep = Annotated[Session, Depends(db_session)]


def get_locale(request: Request) -> Locale:
    """`?hl=zh` wins, then the language cookie the switch sets, then the browser's Accept-Language."""
    lang = pick_language(
        request.query_params.get("hl"), request.cookies.get(LANGUAGE_COOKIE), request.headers.get("accept-language")
    )
    return Locale(lang)
