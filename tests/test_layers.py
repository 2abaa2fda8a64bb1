"""The import contracts of pyproject.toml ([tool.importlinter]) hold: `lint-imports` passes.

grimp, which import-linter reads the code with, cannot follow package-dir's mapping of
`podium.web` onto web/, so `lint-imports` runs over a copy of search/ and web/ laid out as
the installed package (podium/ and podium/web/), first on the PYTHONPATH.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(tmp_path: Path, extra_line: tuple[str, str] | None = None):
    """Run lint-imports over the package copied into tmp_path; `extra_line`: (module file
    under podium/, a line to append to it)."""
    package = tmp_path / "podium"
    shutil.copytree(ROOT / "search", package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(
        ROOT / "web",
        package / "web",
        ignore=shutil.ignore_patterns("__pycache__", "templates", "static"),
    )
    if extra_line:
        name, line = extra_line
        with open(package / name, "a", encoding="utf-8") as fh:
            fh.write(f"\n{line}\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", "--no-cache", str(ROOT / "pyproject.toml")],
        cwd=tmp_path, env=env, capture_output=True, text=True,
    )  # fmt: skip


def test_the_import_contracts_hold(tmp_path):
    result = lint_imports(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_wrong_way_import_breaks_a_contract(tmp_path):
    result = lint_imports(tmp_path, ("store.py", "from . import index  # noqa"))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "neither imports the other BROKEN" in result.stdout
    assert "podium.store -> podium.index" in result.stdout
