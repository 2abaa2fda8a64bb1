"""The report's body: which part of a page is the report, as the paragraphs a reader sees.

A page is first cut into *blocks*: a block element holding only inline content (a <p>, or a
<div> used as a paragraph), a run of text between two line breaks (`<br><br>`), or a
blank-line-separated part of pre-formatted text (<pre>, `white-space: pre-wrap`). Each block
has a *container*: the element whose children (or whose `<br>` runs) are the blocks.

The body is the container with the most running text (link text counts against it), together
with the containers of the same kind around it (a text split in two by an image or a pull
quote). Layout-independent evidence decides between containers:

* text that the page repeats in a JSON payload (`__NEXT_DATA__`, `window.__NUXT__`, Gatsby
  data, JSON-LD `articleBody`) counts double: the payload says which text is the report;
* navigation, comments, "related"/"recommended" rails, share bars, footers and cookie banners
  (by tag or class word) count for little, so they are the body only when nothing else is
  (the restore guard: a wrapper class such as `page has-sidebar` does not hide the report);
* link-dense blocks (teasers, menus, "read more" inserts) are never body text.

When the page's own structure yields too little text, trafilatura gives a second opinion, and
the payload's prose is the last resort. `Body.source` says which evidence gave the body.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from lxml import etree

from .decode import visible

BLOCK_TAGS = frozenset(
    """address article aside blockquote body center dd details dialog div dl dt fieldset
    figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main menu nav ol
    p pre section summary table tbody td tfoot th thead tr ul""".split()
)
_SKIP_TAGS = frozenset(
    """script style noscript template iframe svg button select textarea option head title
    input object embed canvas video audio map""".split()
)
# elements that never are the report, wherever they stand
_BOILERPLATE_TAGS = frozenset({"nav", "aside", "footer", "header", "form", "figcaption", "menu"})
_BOILERPLATE = re.compile(
    r"(?:^|[\s_-])(comments?|comment-\w+|respond|related\w*|recommend\w*|share\w*|sharing|"
    r"sharedaddy|social\w*|cookie\w*|consent|newsletter|subscribe|sidebar|breadcrumbs?|crumbs|"
    r"nav\w*|menu\w*|tags?|tags-links|post-tags|author-bio|byline|read-?also\w*|read-?more|"
    r"advert\w*|promo|banner|footer\w*|site-header|masthead|skip-link|screen-reader-text|"
    r"speakers?|carousel|teasers?|more|more-\w+|latest\w*|popular|jp-relatedposts\w*|"
    r"views-element-container|post-navigation|pagination|visually-hidden|widget|"
    r"meta|entry-meta|post-meta|event-meta|caption)(?:$|[\s_-])",
    re.I,
)
_NEVER_BOILERPLATE = frozenset({"html", "body", "main", "article"})
_BOILERPLATE_WEIGHT = 0.2
_PAYLOAD_WEIGHT = 2.0
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_LIST_BLOCKS = frozenset({"li", "dt", "dd", "th", "td", "tr"})
_BR = "\x00"  # stands for a <br> while a run of inline text is collected
_PARAGRAPH_BREAK = re.compile(r"\x00[ \t\r\n\xa0]*\x00[\s\x00]*")
_BLANK_LINE = re.compile(r"\n[ \t\xa0]*\n\s*")
_PRE_STYLE = re.compile(r"white-space\s*:\s*pre", re.I)
_MIN_BODY = 80  # characters: less than this is not a report


@dataclass
class Block:
    """One paragraph as the page shows it, and where it stands."""

    text: str
    container: etree._Element
    element: etree._Element  # the block element the text was read from
    links: int  # characters of link text
    boilerplate: bool  # inside an element that is navigation, comments, rails...
    order: int
    in_payload: bool = False

    @property
    def link_density(self) -> float:
        return self.links / max(1, len(self.text))

    @property
    def weight(self) -> float:
        """What this block says about its container being the report."""
        if self.link_density > 0.5:
            return 0.0
        w = max(0.0, len(self.text) - 2 * self.links)
        if self.in_payload:
            w *= _PAYLOAD_WEIGHT
        if self.boilerplate:
            w *= _BOILERPLATE_WEIGHT
        return w


@dataclass
class Body:
    """The report's paragraphs and the evidence that gave them."""

    paragraphs: list[str]
    source: str  # "dom", "dom+payload", "trafilatura", "payload" or "none"
    blocks: list[Block] = field(default_factory=list)  # every block of the page
    chosen: list[Block] = field(default_factory=list)  # the report's blocks (from the DOM)


_SPACES = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACES.sub(" ", visible(text)).strip()


def is_boilerplate(el) -> bool:
    """Navigation, comments, rails, share bars, banners: by tag, class, id, role or hiding."""
    if el.tag in _BOILERPLATE_TAGS:
        return True
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    style = (el.get("style") or "").replace(" ", "").lower()
    if "display:none" in style:
        return True
    words = f"{el.get('class', '')} {el.get('id', '')} {el.get('role', '')}"
    return bool(words.strip()) and bool(_BOILERPLATE.search(words))


# --- cutting a page into blocks ------------------------------------------------------------


class _Cutter:
    def __init__(self, root):
        self.blocks: list[Block] = []
        self.holds_block: set = set()
        for el in root.iter(etree.Element):
            if isinstance(el.tag, str) and el.tag in BLOCK_TAGS:
                for anc in el.iterancestors():
                    if anc in self.holds_block:
                        break
                    self.holds_block.add(anc)

    def is_block(self, el) -> bool:
        return el.tag in BLOCK_TAGS or el in self.holds_block

    def cut(self, el, boiler: bool) -> None:
        """Blocks of `el`, a block element: its inline runs, and its block children in turn."""
        boiler = boiler or (el.tag not in _NEVER_BOILERPLATE and is_boilerplate(el))
        pre = el.tag == "pre" or bool(_PRE_STYLE.search(el.get("style") or ""))
        runs: list[tuple[list[str], int]] = []  # (pieces, link chars) of the current inline run
        pieces: list[str] = []
        links = [0]
        children = [c for c in el if isinstance(c.tag, str) and c.tag not in _SKIP_TAGS]
        only_inline = not any(self.is_block(c) for c in children)

        def flush():
            if pieces:
                runs.append((list(pieces), links[0]))
            pieces.clear()
            links[0] = 0

        def emit():
            flush()
            n_runs = len(runs)
            for run, link_chars in runs:
                self._emit(
                    "".join(run), el, pre, link_chars, boiler, whole=only_inline and n_runs == 1
                )
            runs.clear()

        if el.text:
            pieces.append(el.text)
        for child in el:
            if not isinstance(child.tag, str):  # comments, processing instructions
                pass
            elif child.tag in _SKIP_TAGS:
                pass
            elif self.is_block(child):
                emit()
                self.cut(child, boiler)
            elif child.tag == "br":
                pieces.append(_BR)
            else:
                links[0] += self._inline(child, pieces, child.tag == "a")
            if child.tail:
                pieces.append(child.tail)
        emit()

    def _inline(self, el, pieces: list[str], in_link: bool) -> int:
        """Append the text of an inline element; return how many characters are link text."""
        links = 0
        if el.text:
            pieces.append(el.text)
            links += len(el.text) if in_link else 0
        for child in el:
            if isinstance(child.tag, str) and child.tag not in _SKIP_TAGS:
                if child.tag == "br":
                    pieces.append(_BR)
                else:
                    links += self._inline(child, pieces, in_link or child.tag == "a")
            if child.tail:
                pieces.append(child.tail)
                links += len(child.tail) if in_link else 0
        return links

    def _emit(self, raw: str, el, pre: bool, link_chars: int, boiler: bool, whole: bool):
        if not raw or raw.isspace():
            return
        if pre:
            raw = raw.replace(_BR, "\n")
            parts = _BLANK_LINE.split(raw)
        else:
            parts = _PARAGRAPH_BREAK.split(raw)
        parts = [_norm(p.replace(_BR, " ")) for p in parts]
        parts = [p for p in parts if p]
        # a block that is one paragraph belongs to its parent; a block cut by <br><br> or
        # blank lines holds its paragraphs itself
        container = (
            el.getparent() if whole and len(parts) == 1 and el.getparent() is not None else el
        )
        total = sum(len(p) for p in parts) or 1
        for text in parts:
            self.blocks.append(
                Block(
                    text=text,
                    container=container,
                    element=el,
                    links=round(link_chars * len(text) / total),
                    boilerplate=boiler,
                    order=len(self.blocks),
                )
            )


def cut_blocks(body) -> list[Block]:
    """Every paragraph-like block of the page, in reading order."""
    cutter = _Cutter(body)
    cutter.cut(body, False)
    return cutter.blocks


# --- payload evidence ---------------------------------------------------------------------

_STRING = re.compile(r'"((?:[^"\\\n]|\\.){40,})"')


def payload_text(doc) -> list[str]:
    """The prose strings a page carries in its scripts (JSON payloads, JSON-LD articleBody)."""
    found: list[str] = []
    for script in doc.iter("script"):
        if script.get("src"):
            continue
        stack = [script.text or ""]
        depth = 0
        while stack and depth < 2000:
            depth += 1
            text = stack.pop()
            for m in _STRING.finditer(text):
                try:
                    value = json.loads(f'"{m.group(1)}"')
                except ValueError:
                    continue
                if value.lstrip().startswith(("{", "[")):
                    stack.append(value)  # a JSON document inside a string (rich text)
                elif " " in value:
                    found.append(value)
    return found


def _mark_payload(blocks: list[Block], payload: list[str]) -> None:
    if not payload:
        return
    haystack = _norm(" \x01 ".join(payload))
    for b in blocks:
        if len(b.text) >= 20 and b.text in haystack:
            b.in_payload = True


# --- choosing the report ------------------------------------------------------------------


def _signature(el) -> tuple:
    return (el.tag, el.get("class", ""))


def _ancestors(el, n: int) -> list:
    out = []
    for anc in el.iterancestors():
        out.append(anc)
        if len(out) >= n:
            break
    return out


def choose(blocks: list[Block]) -> list[Block]:
    """The blocks of the report: the best container, its subtree, and its look-alikes nearby."""
    scores: dict = {}
    for b in blocks:
        if b.element.tag not in _HEADINGS:
            scores[b.container] = scores.get(b.container, 0.0) + b.weight
    if not scores:
        return []
    best = max(scores, key=scores.get)
    if scores[best] <= 0:
        return []
    # the report itself sits in an element with a boilerplate word (an Elementor "widget")
    best_boiler = all(b.boilerplate for b in blocks if b.container is best and b.weight > 0)
    near = set(_ancestors(best, 4))
    sig = _signature(best)
    # containers of the same kind near the best one, holding only running text (a teaser card
    # of the same tag holds a linked heading and a date too)
    alike = {
        b.container
        for b in blocks
        if _signature(b.container) == sig
        and scores.get(b.container, 0) > 0
        and near & set(_ancestors(b.container, 4))
    }
    for b in blocks:
        if b.container in alike and (b.link_density > 0.5 or b.element.tag in _HEADINGS):
            alike.discard(b.container)
    lengths: dict = {}
    counts: dict = {}
    for b in blocks:
        lengths[b.container] = lengths.get(b.container, 0) + len(b.text)
        counts[b.container] = counts.get(b.container, 0) + 1
    chosen = []
    for b in blocks:
        c = b.container
        if c is best:
            if b.boilerplate and not best_boiler:  # a byline or share bar among the paragraphs
                continue
        elif best in set(c.iterancestors()):  # a block nested inside the report (a quote box)
            if b.element.tag in _LIST_BLOCKS or (b.boilerplate and not best_boiler):
                continue
            if lengths[c] < 40 * counts[c]:  # short lines: cards, captions, a table of names
                continue
        elif c in alike:
            if b.boilerplate and not best_boiler:
                continue
        else:
            continue
        if b.link_density > 0.5 or b.element.tag in _HEADINGS:
            continue  # headings are the report's structure, not its paragraphs
        chosen.append(b)
    # a pull quote or a teaser repeating body text is not a paragraph of its own
    texts = [b.text for b in chosen]
    return [
        b
        for i, b in enumerate(chosen)
        if not any(i != j and len(t) > len(b.text) and b.text in t for j, t in enumerate(texts))
    ]


def _trafilatura(html: str) -> list[str]:
    import trafilatura

    text = trafilatura.extract(
        html, include_comments=False, include_tables=False, favor_recall=True, deduplicate=False
    )
    return [_norm(line) for line in (text or "").split("\n") if _norm(line)]


def find_body(doc, html: str, blocks: list[Block], drop: set[str] = frozenset()) -> Body:
    """The report's paragraphs among the page's `blocks`, from trafilatura, or its payload."""
    payload = payload_text(doc)
    _mark_payload(blocks, payload)
    chosen = choose([b for b in blocks if b.text not in drop])
    paragraphs = [b.text for b in chosen]
    chars = sum(len(p) for p in paragraphs)
    source = "dom"
    if chosen and sum(len(b.text) for b in chosen if b.in_payload) > chars / 2:
        source = "dom+payload"
    if chars < _MIN_BODY or (len(chosen) == 1 and source == "dom"):
        # too little, or one lone block: the report may be spread over containers of many
        # kinds; trafilatura's reading of the page is the second opinion
        second = [p for p in _trafilatura(html) if p not in drop]
        if sum(len(p) for p in second) > max(_MIN_BODY, 3 * chars):
            # in the page's reading order (trafilatura puts an <article> first)
            where = {b.text: b.order for b in blocks}
            second.sort(key=lambda p: where.get(p, len(blocks)))
            return Body(second, "trafilatura", blocks)
    if chars < _MIN_BODY:
        prose = [_norm(p) for p in payload if len(p) >= _MIN_BODY and p.count(" ") >= 8]
        if sum(len(p) for p in prose) >= _MIN_BODY:
            return Body(prose, "payload", blocks)
        return Body([], "none", blocks)
    return Body(paragraphs, source, blocks, chosen)
