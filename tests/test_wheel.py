"""The wheel as a user installs it: it carries the package, the web pages' templates and static
files and the demo's sample pages (nothing of tests/ or corpus/ beside them), and installed into
a fresh venv, away from the checkout, `podium demo` ingests the samples that `podium search`
then finds."""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import site
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from podium.archive import iter_archive
from podium.config import Home

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "samples"

# what builds, runs and editors leave in a checkout: a stale build/lib would go into the wheel
LEFT_IN_A_CHECKOUT = shutil.ignore_patterns(
    ".*", "__pycache__", "node_modules", "*.egg-info", "build", "dist", "demo-home", "index",
    "index-*", "*.db", "*.warc*",
)  # fmt: skip


def _can_build_here(source: Path) -> bool:
    """Whether this environment has all the build backend needs: pyproject's build requirements
    and those the backend asks for when it runs (setuptools before 70.1 asks for wheel). Else
    pip builds the wheel in isolation, with what it needs from the package index."""
    system = tomllib.loads((source / "pyproject.toml").read_text(encoding="utf-8"))["build-system"]
    if not all(map(_installed, system["requires"])):
        return False
    asked = source.parent / "backend-asks.json"  # a file: the backend prints to stdout
    ask = (f"import json, sys, {system['build-backend']} as backend\n"
           "open(sys.argv[1], 'w').write(json.dumps(backend.get_requires_for_build_wheel()))")  # fmt: skip
    subprocess.run([sys.executable, "-c", ask, asked], cwd=source, check=True, capture_output=True)
    return all(map(_installed, json.loads(asked.read_text())))


def _installed(requirement: str) -> bool:
    wanted = Requirement(requirement)
    try:
        return importlib.metadata.version(wanted.name) in wanted.specifier
    except importlib.metadata.PackageNotFoundError:
        return False


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """(the wheel, the source it was built from): a copy of the checkout, tests/ and corpus/
    included, so that the wheel is seen to leave them out."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    shutil.copytree(ROOT, source, ignore=LEFT_IN_A_CHECKOUT)
    isolation = ["--no-build-isolation"] if _can_build_here(source) else []
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", *isolation,
         "-w", str(tmp / "dist"), str(source)],
        check=True,
    )  # fmt: skip
    (wheel,) = (tmp / "dist").glob("podium-*.whl")
    return wheel, source


def test_the_wheel_holds_the_package_its_web_files_and_the_samples_only(built):
    wheel, source = built

    def files(folder: str, *patterns: str) -> set[str]:
        return {
            p.relative_to(source / folder).as_posix()
            for pattern in patterns
            for p in (source / folder).glob(pattern)
        }

    expected = (
        {f"podium/{name}" for name in files("search", "**/*.py", "*.lua")}
        | {f"podium/web/{name}" for name in files("web", "**/*.py", "templates/*", "static/*")}
        | {f"podium/samples/{name}" for name in files("corpus/samples", "*.html", "__init__.py")}
    )
    with zipfile.ZipFile(wheel) as zipped:
        shipped = {n for n in zipped.namelist() if ".dist-info/" not in n}
    assert {f"podium/samples/{p.name}" for p in SAMPLES.glob("*.html")} <= shipped
    assert shipped - expected == set(), "the wheel ships more than the package"
    assert expected - shipped == set(), "the wheel leaves out part of the package"


def _venv_with_the_wheel(path: Path, wheel: Path) -> Path:
    """A fresh venv with the wheel installed, which sees this environment's packages (the
    dependencies) after its own: a .pth naming them (`--system-site-packages` would show the
    base interpreter's, not those of a venv the tests run in), added once the wheel is in, so
    that pip does not take this environment's podium for the one to install. Only the paths
    are added, not their .pth files: an editable podium's import hook stays out."""
    subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
    python = path / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True)
    purelib = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                             check=True, capture_output=True, text=True).stdout.strip()  # fmt: skip
    ours = site.getsitepackages() + ([site.getusersitepackages()] if site.ENABLE_USER_SITE else [])
    Path(purelib, "test-environment.pth").write_text("\n".join(ours) + "\n", encoding="utf-8")
    return path / "bin"


def test_podium_demo_from_the_installed_wheel_ingests_pages_that_search_finds(built, tmp_path):
    wheel, _ = built
    bin_dir = _venv_with_the_wheel(tmp_path / "venv", wheel)
    away = tmp_path / "elsewhere"  # no checkout here or above: nothing to find by relative path
    away.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PODIUM_HOME", "PYTHONPATH")}

    def run(*args: str, **extra_env: str) -> str:
        done = subprocess.run(args, cwd=away, env={**env, **extra_env},
                              capture_output=True, text=True, timeout=600)  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout

    imported = run(str(bin_dir / "python"), "-c", "import podium; print(podium.__file__)")
    assert Path(imported.strip()).is_relative_to(tmp_path / "venv"), "not the wheel's podium"

    printed = run(str(bin_dir / "podium"), "demo", "--no-serve")
    home = away / "demo-home"
    assert f"12 of 12 sample pages ingested into {home}" in printed
    assert f"export PODIUM_HOME={home}" in printed
    query = printed.split("podium search", 1)[1].strip().strip('"')
    found = json.loads(run(str(bin_dir / "podium"), "search", query, "--json",
                           PODIUM_HOME=str(home)))  # fmt: skip
    assert found["results"][0]["speaker"]["name"] == "Viktor Lemansky"
    assert query in found["results"][0]["text"]

    # archived under their file names: neither the venv's nor any other local path
    archived = [record.url for record in iter_archive(Home.resolve(home).archive_dir)]
    names = sorted(uri.rsplit("/", 1)[1] for uri in archived)
    assert names == sorted(p.name for p in SAMPLES.glob("*.html"))
    assert not [uri for uri in archived if str(tmp_path) in uri]
