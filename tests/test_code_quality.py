"""The house rules a machine can check: ruff (lint and format), mypy --strict, import-linter contracts."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
CODE_DIRS = [d for d in ("src", "tests", "bench", "scripts") if (REPO_ROOT / d).is_dir()]


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=900, check=False)


def _tool(name: str) -> str:
    """The tool installed beside this Python (the test extra installs them all)."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f'{name} is not installed; pip install -e ".[test]"', pytrace=False)
    return found


def _assert_clean(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 0, f"{' '.join(done.args)} failed:\n{done.stdout}\n{done.stderr}"


def test_ruff_check() -> None:
    _assert_clean(_run(_tool("ruff"), "check", *CODE_DIRS))


def test_ruff_format() -> None:
    _assert_clean(_run(_tool("ruff"), "format", "--check", *CODE_DIRS))


def test_mypy_strict() -> None:
    _assert_clean(_run(sys.executable, "-m", "mypy"))


def test_import_contracts() -> None:
    _assert_clean(_run(_tool("lint-imports")))
