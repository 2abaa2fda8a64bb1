"""`podium …` as a user runs it: a real process with its own data directory (PODIUM_HOME)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def podium(home: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, PODIUM_HOME=str(home))
    proc = subprocess.run(
        [sys.executable, "-m", "podium.cli", *args], env=env, capture_output=True, text=True
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"podium {args} exited {proc.returncode}: {proc.stderr}")
    return proc
