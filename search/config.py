"""Where Podium keeps its data (the home directory) and what `podium.toml` says.

A home holds `podium.toml`, `corpus/` (the WARC archive and `podium.db`) and `index/`.
It is named by `--home`, else `PODIUM_HOME`, else the current directory.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .models import PodiumError


@dataclass(frozen=True)
class Home:
    root: Path

    @classmethod
    def resolve(cls, home: str | os.PathLike | None = None) -> Home:
        root = Path(home or os.environ.get("PODIUM_HOME") or ".").expanduser().resolve()
        return cls(root)

    @property
    def config_path(self) -> Path:
        return self.root / "podium.toml"

    @property
    def corpus_dir(self) -> Path:
        return self.root / "corpus"

    @property
    def db_path(self) -> Path:
        return self.corpus_dir / "podium.db"

    @property
    def archive_dir(self) -> Path:
        return self.corpus_dir / "archive"

    @property
    def index_dir(self) -> Path:
        return self.root / "index"

    def ensure(self) -> Home:
        self.corpus_dir.mkdir(parents=True, exist_ok=True)
        return self


@dataclass
class Source:
    """One `[[source]]` table of podium.toml."""

    name: str
    organisation: str | None = None
    start: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    schedule: str | None = None
    delay: float = 2.0
    # An intranet site: let the crawler reach loopback, private and link-local addresses.
    allow_private: bool = False


@dataclass
class WebSettings:
    """The `[web]` table of podium.toml: what `podium serve` says about itself."""

    # The public address of this Podium ("https://podium.example.org"): Atom feed ids and
    # links are built on it. Unset, feed links are relative and ids are urn:podium:… names
    # (never the Host header a client sent).
    base_url: str | None = None
    # /status shows the data directory's path and every saved search only when this is set.
    show_private_status: bool = False
    # Server processes of `podium serve` (--workers overrides it): one serves on one core.
    workers: int = 1


ENGINES = ("whoosh", "tantivy")


def default_engine() -> str:
    """The engine of a home whose podium.toml names none: PODIUM_ENGINE, else Whoosh."""
    engine = os.environ.get("PODIUM_ENGINE") or "whoosh"
    if engine not in ENGINES:
        raise PodiumError(f"PODIUM_ENGINE must be {' or '.join(ENGINES)}, not {engine!r}")
    return engine


@dataclass
class IndexSettings:
    """The `[index]` table of podium.toml."""

    # "whoosh" (pure Python, the default) or "tantivy" (Rust: for large archives; see the
    # README's measured crossover); None: not set here. Used when an index is created or
    # rebuilt (`podium index --rebuild --engine` overrides it); updates go to the live index.
    engine: str | None = None


@dataclass
class Config:
    """podium.toml: the sources, the `[crawl]` table's limits, the `[web]` and `[index]`
    tables (all optional)."""

    sources: list[Source] = field(default_factory=list)
    web: WebSettings = field(default_factory=WebSettings)
    index: IndexSettings = field(default_factory=IndexSettings)
    user_agent: str = "Podium/0.1 (+https://github.com/podium-search/podium; event-report search)"
    max_bytes: int = 10 * 1024 * 1024  # per response, on the wire and decompressed
    timeout: float = 20.0  # seconds to connect, and between two chunks of a body
    max_time: float = 60.0  # seconds for one page, retries and redirects included
    max_redirects: int = 5
    retries: int = 3  # attempts for 429, 502-504, time-outs and failed (not refused) connections
    backoff: float = 1.0  # seconds before the second attempt; doubles after that
    delay: float = 2.0  # seconds between requests to one host, unless a source says
    max_listing_pages: int = 50  # pagination followed per listing
    archive_file_mb: int = 256  # a WARC file rotates past this size
    max_crawl_delay: float = 60.0  # a robots.txt Crawl-delay above this is capped to it
    allow_private: bool = False  # `podium ingest URL` may reach private addresses

    def source(self, name: str) -> Source:
        for source in self.sources:
            if source.name == name:
                return source
        known = ", ".join(s.name for s in self.sources) or "none"
        raise PodiumError(f"no source named {name!r} in podium.toml (sources: {known})")


def load_config(home: Home) -> Config:
    """Read podium.toml; a missing file is an empty configuration, a broken one an error."""
    path = home.config_path
    if not path.exists():
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PodiumError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PodiumError(f"{path}: not valid TOML ({exc})") from exc
    for key, kind in (("source", list), ("crawl", dict), ("web", dict), ("index", dict)):
        if not isinstance(data.get(key, kind()), kind):
            shape = "[[source]] tables" if kind is list else f"a [{key}] table"
            raise PodiumError(f"{path}: {key} must be {shape}")
    known = set(Source.__dataclass_fields__)
    sources = []
    for i, table in enumerate(data["source"] if "source" in data else []):
        if not isinstance(table, dict) or "name" not in table:
            raise PodiumError(f"{path}: [[source]] number {i + 1} has no name")
        unknown = set(table) - known
        if unknown:
            raise PodiumError(
                f"{path}: source {table['name']!r} has unknown keys {sorted(unknown)}"
            )
        sources.append(Source(**table))
    settings = {k: v for k, v in data.get("crawl", {}).items() if k in Config.__dataclass_fields__}
    settings["web"] = _web_settings(path, data.get("web", {}))
    settings["index"] = _index_settings(path, data.get("index", {}))
    return Config(sources=sources, **settings)


def _index_settings(path: Path, table: dict) -> IndexSettings:
    unknown = set(table) - set(IndexSettings.__dataclass_fields__)
    if unknown:
        raise PodiumError(f"{path}: [index] has unknown keys {sorted(unknown)}")
    engine = table.get("engine")
    if engine is not None and engine not in ENGINES:
        raise PodiumError(f"{path}: [index] engine must be {' or '.join(ENGINES)}, not {engine!r}")
    return IndexSettings(engine=engine)


def _web_settings(path: Path, table: dict) -> WebSettings:
    unknown = set(table) - set(WebSettings.__dataclass_fields__)
    if unknown:
        raise PodiumError(f"{path}: [web] has unknown keys {sorted(unknown)}")
    base_url = table.get("base_url") or None
    if base_url is not None:
        parts = urlsplit(str(base_url))
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
            raise PodiumError(f"{path}: [web] base_url must be an http(s) URL, not {base_url!r}")
        base_url = str(base_url).split("#")[0].rstrip("/")
    private = table.get("show_private_status", False)
    if not isinstance(private, bool):
        raise PodiumError(f"{path}: [web] show_private_status must be true or false")
    workers = table.get("workers", 1)
    if isinstance(workers, bool) or not isinstance(workers, int) or not 1 <= workers <= 64:
        raise PodiumError(f"{path}: [web] workers must be a whole number from 1 to 64")
    return WebSettings(base_url=base_url, show_private_status=private, workers=workers)
