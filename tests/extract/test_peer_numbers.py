"""The peer suite for reading numbers (Microsoft Recognizers-Text cases in ../shared/peer) stays at or
above the floor pinned in quality/floors.toml, run through `assay quantities` as a user would."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHECKER = REPO / ".." / "shared" / "eval" / "check_numbers.py"
FLOOR = tomllib.loads((REPO / "quality" / "floors.toml").read_text(encoding="utf-8"))["numbers"]["peer_agreement"]
ASSAY = f"{shlex.quote(sys.executable)} -c 'from assay.cli import main; main()'"


@pytest.mark.shared
def test_peer_number_cases_agree_at_or_above_the_floor() -> None:
    if not CHECKER.is_file():
        pytest.skip(f"../shared is absent (looked for {CHECKER.resolve()}): no peer cases to check")
    run = subprocess.run(
        [sys.executable, str(CHECKER), ASSAY], capture_output=True, text=True, timeout=600, cwd=REPO, check=False
    )
    assert run.returncode == 0, run.stderr
    last = run.stdout.strip().splitlines()[-1]
    m = re.fullmatch(r"numbers agree (\d+)/(\d+) = ([\d.]+)", last)
    assert m, run.stdout
    agreed, total = int(m[1]), int(m[2])
    assert total > 0, run.stdout
    assert agreed / total >= FLOOR, f"peer agreement {agreed}/{total} is below the floor {FLOOR}:\n{run.stdout}"
