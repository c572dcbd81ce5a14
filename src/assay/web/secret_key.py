"""The key that signs session and CSRF cookies: from ASSAY_SECRET_KEY, else a file (ASSAY_SECRET_FILE,
else ~/.config/assay/session-key) created on first run with mode 0600. Never in the repository."""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

MIN_KEY_CHARS = 32


def default_key_file() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME", "").strip() or str(Path.home() / ".config")
    return Path(base) / "assay" / "session-key"


def load_secret_key(key_file: Path | None = None) -> str:
    """The signing key; raises ValueError when the environment's is too short or the file is readable by others."""
    from_env = os.environ.get("ASSAY_SECRET_KEY", "").strip()
    if from_env:
        if len(from_env) < MIN_KEY_CHARS:
            raise ValueError(f"ASSAY_SECRET_KEY: at least {MIN_KEY_CHARS} characters")
        return from_env
    named = os.environ.get("ASSAY_SECRET_FILE", "").strip()
    path = key_file or (Path(named) if named else default_key_file())
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        if path.stat().st_mode & 0o077:
            raise ValueError(f"{path}: readable by others; chmod 600 it") from None
        return _read_key(path)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, mode=0o700, exist_ok=True)
        return load_secret_key(path)
    key = secrets.token_urlsafe(48)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    return key


def _read_key(path: Path) -> str:
    """The key in `path`; waits a moment for one that another worker process is writing right now."""
    for _ in range(50):
        key = path.read_text(encoding="ascii").strip()
        if len(key) >= MIN_KEY_CHARS:
            return key
        time.sleep(0.02)
    raise ValueError(f"{path}: the key is shorter than {MIN_KEY_CHARS} characters")
