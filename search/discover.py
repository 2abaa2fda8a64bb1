"""Finding event pages: links out of sitemaps, feeds and listing pages (pure functions).

The crawler fetches; these functions only read bytes and return URLs. An event page of a
source is a URL on one of the source's own hosts (those of its `start`, `sitemaps` and
`feeds`, with or without `www.`) whose path and query match one of its `include` patterns
(any, when `include` is empty) and none of its `exclude` ones.
"""

from __future__ import annotations

import re
import urllib.parse
import zlib

import feedparser
import lxml.etree
import lxml.html

from .capped import gunzip_capped
from .config import Source
from .models import host_key

_NEXT_TEXT = re.compile(r"^\s*(next|older|more|next page|›|»|→|>|>>)\s*(›|»|→)?\s*$", re.I)
_PAGE_HREF = re.compile(r"([?&](page|p|paged|start|offset)=\d+)|(/page/\d+/?$)", re.I)


def normalise(url: str) -> str:
    """The URL without its fragment, with a lower-case scheme and host."""
    parts = urllib.parse.urlsplit(url.strip())
    return urllib.parse.urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, "")
    )


def is_web_url(url: str | None) -> bool:
    """An http(s) URL with a host and nothing that could break a line or a field."""
    if not url or any(ch < " " or ch == "\x7f" for ch in url):  # no line breaks, no controls
        return False
    parts = urllib.parse.urlsplit(url)
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def source_hosts(source: Source) -> set[str]:
    """The hosts a source's crawl stays on: those of its listings, sitemaps and feeds."""
    return {host_key(u) for u in [*source.start, *source.sitemaps, *source.feeds]}


def on_hosts(url: str, hosts: set[str]) -> bool:
    return is_web_url(url) and host_key(url) in hosts


def matches(url: str, include: list[str], exclude: list[str]) -> bool:
    """Do the URL's path and query match the patterns? (regexes searched in `/path?query`,
    never in the host, so `http://elsewhere/x?/events/` does not pass for `/events/`)"""
    parts = urllib.parse.urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    if include and not any(re.search(p, target) for p in include):
        return False
    return not any(re.search(p, target) for p in exclude)


def is_event_page(url: str, source: Source) -> bool:
    """An event page of this source: on its own hosts, and matching its patterns."""
    return on_hosts(url, source_hosts(source)) and matches(url, source.include, source.exclude)


def sitemap_urls(body: bytes, max_bytes: int = 50 * 1024 * 1024) -> tuple[list[str], list[str]]:
    """(page URLs, child sitemap URLs) of a sitemap or sitemap index, gzipped or not.

    Raises ValueError for a .gz that is broken or expands past `max_bytes`."""
    if body[:2] == b"\x1f\x8b":
        try:
            body = gunzip_capped(body, max_bytes)
        except (ValueError, zlib.error, EOFError) as exc:
            raise ValueError(f"the gzipped sitemap cannot be read: {exc}") from exc
    parser = lxml.etree.XMLParser(
        resolve_entities=False, no_network=True, recover=True, huge_tree=False
    )
    try:
        root = lxml.etree.fromstring(body, parser)
    except lxml.etree.XMLSyntaxError:
        return [], []
    if root is None:
        return [], []
    pages, children = [], []
    for loc in root.iter("{*}loc"):
        text = (loc.text or "").strip()
        if not is_web_url(text):
            continue
        parent = loc.getparent()
        tag = lxml.etree.QName(parent).localname if parent is not None else ""
        (children if tag == "sitemap" else pages).append(normalise(text))
    return pages, children


def feed_urls(body: bytes, base: str) -> list[str]:
    """Entry links of an RSS or Atom feed."""
    parsed = feedparser.parse(body)
    urls = []
    for entry in parsed.entries:
        link = entry.get("link")
        if link:
            url = urllib.parse.urljoin(base, link)
            if is_web_url(url):
                urls.append(normalise(url))
    return urls


def listing_links(body: bytes, base: str) -> tuple[list[str], list[str]]:
    """(every link on a listing page, the links to its next pages)."""
    try:
        doc = lxml.html.document_fromstring(body)
    except (lxml.etree.ParserError, ValueError):
        return [], []
    links, next_pages = [], []
    for element in doc.iter("a", "link"):
        href = element.get("href")
        if not href:
            continue
        url = urllib.parse.urljoin(base, href.strip())
        if not is_web_url(url):
            continue
        url = normalise(url)
        rel = (element.get("rel") or "").lower().split()
        text = element.text_content() if element.tag == "a" else ""
        label = element.get("aria-label") or ""
        if (
            "next" in rel
            or _NEXT_TEXT.match(text or "")
            or re.search(r"\bnext\b", label, re.I)
            or (element.tag == "a" and _PAGE_HREF.search(url))
        ):
            next_pages.append(url)
        elif element.tag == "a":
            links.append(url)
    return links, next_pages
