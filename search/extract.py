"""HTML -> Event: title, organisation, venue, event date, body paragraphs and listed speakers.

Generic rules only (no per-site code), about the shapes of pages and of language:

* text: bytes decoded by `decode.decode` (w3lib), invisible characters removed by
  `decode.visible` from every extracted string (the archived bytes keep them);
* body: `body.find_body` (blocks of any layout, payload evidence, trafilatura second opinion);
* title: the report's own heading, else the part of og:title / <title> the page shows, without
  site and section names ("Site :: Events :: Title", "Title | Site");
* event day: a labelled field ("Date: … · Venue: …", an "Event date" field, JSON-LD or
  microdata startDate), a dateline between the title and the report, else the day the opening
  names (`dates`); the publication date is kept as `published` and only lends its year;
* organisation and venue: structured data and labelled fields, the <title>'s site part, a
  copyright line without its years or "All rights reserved"; a venue line a location icon
  marks (a map-marker icon, a 📍 chip), never one in the site's footer or navigation;
* listed speakers: JSON-LD performers, speaker cards, app payloads' speaker lists and records of
  one shape (cards, table rows, "<b>Name</b>, role") under a "Speakers" label or named in the
  report; handed to `speakers.find_speakers`, which adds those the text reports, and
  `quotes.attribute` does the rest.
"""

from __future__ import annotations

import json
import re
from datetime import date

import lxml.html
from lxml import etree

from . import dates, quotes, speakers
from .body import Block, cut_blocks, find_body, is_boilerplate
from .decode import decode, visible
from .models import Event, ExtractError, Speaker

_BYLINE = re.compile(r"^(?:by|author|posted by|written by|text|photo)\s*:?\s+\S", re.I)
# a dateline under the title: "21 February 2020 | Venue: …", "Posted on 3 May 2021"
_DAY_WRITTEN = r"(?:\d{1,2}[ .]\w+[ .]\d{4}|\w+ \d{1,2}, \d{4}|\d{1,2}\.\d{2}\.\d{4})"
# A line that only dates the page: "12 May 2022 | News", "Published 20 March 2024",
# "Posted on May 3, 2021", "Gdynia, 12 May 2022". Not the event day, and not body text.
_DATELINE = re.compile(
    r"^\s*(?:(?:published|posted|updated|date)(?:\s+on)?\s*:?\s*)?"
    + _DAY_WRITTEN
    + r"\s*(?:[|·,]|$)|^\s*[A-Z][\w .'-]{1,40},\s*"
    + _DAY_WRITTEN
    + r"\s*$",
    re.I,
)


def _text(el) -> str:
    return el.text_content().strip() if el is not None else ""


_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[\w'’-]+")


def _norm(text: str) -> str:
    return _SPACES.sub(" ", visible(text)).strip()


# --- structured data ----------------------------------------------------------------------


def _json_ld(doc) -> list[dict]:
    """Every JSON-LD object on the page (graphs flattened)."""
    out: list[dict] = []
    for script in doc.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except (json.JSONDecodeError, TypeError):
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                out.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)
            elif isinstance(item, list):
                stack.extend(item)
    return out


def _types(item: dict) -> set[str]:
    t = item.get("@type") or []
    return set(t if isinstance(t, list) else [t])


def _meta(doc, *names: str) -> str | None:
    for name in names:
        for attr in ("property", "name", "itemprop"):
            found = doc.xpath(f'//meta[@{attr}="{name}"]/@content')
            if found and _norm(found[0]):
                return _norm(found[0])
    return None


def _labelled_fields(doc) -> dict[str, str]:
    """Label -> value for "Date: …", "Venue: …", "Location …" fields in details boxes."""
    fields: dict[str, str] = {}
    for label_el in doc.xpath("//strong|//b|//dt|//th|//*[contains(@class,'label')]"):
        label = _norm(_text(label_el)).rstrip(":").lower()
        if not label or len(label) > 20 or _in_comments(label_el):
            continue
        value = ""
        if label_el.tag in ("dt", "th"):
            nxt = label_el.getnext()
            value = _text(nxt) if nxt is not None else ""
        elif label_el.tag in ("strong", "b"):
            parent = label_el.getparent()
            full = _norm(_text(parent))
            head = _norm(_text(label_el))
            if full.startswith(head):
                value = full[len(head) :].strip(" :")
        else:
            nxt = label_el.getnext()
            value = _text(nxt) if nxt is not None else ""
        if value and label not in fields:
            fields[label] = _norm(value)
    return fields


def _in_comments(el) -> bool:
    for anc in el.iterancestors():
        cls = f"{anc.get('class', '')} {anc.get('id', '')}".lower()
        if "comment" in cls:
            return True
    return False


# --- speakers listed in blocks ------------------------------------------------------------


def _listed_speakers(doc, items: list[dict], paragraphs: list[str]) -> list[Speaker]:
    listed: list[Speaker] = []
    seen: set[str] = set()

    def add(name: str, role: str | None):
        name = _norm(name)
        if name and name.lower() not in seen and 1 <= len(name.split()) <= 6:
            seen.add(name.lower())
            listed.append(Speaker(name, _norm(role) if role else None))

    for item in items:
        if _types(item) & {"Event", "EducationEvent", "BusinessEvent", "SocialEvent"}:
            people = item.get("performer") or item.get("performers") or []
            people = people if isinstance(people, list) else [people]
            for p in people:
                if isinstance(p, dict) and p.get("name"):
                    add(p["name"], p.get("jobTitle") or p.get("description"))
    # speaker cards / lists: an element with "speaker" in its class holding a name and a role
    for card in doc.xpath("//*[contains(translate(@class,'SPEAKR','speakr'),'speaker')]"):
        cls = card.get("class", "").lower()
        if card.tag == "dl":
            for dt in card.iter("dt"):
                dd = dt.getnext()
                add(_text(dt), _text(dd) if dd is not None and dd.tag == "dd" else None)
            continue
        if not re.search(r"speaker[-_]?(card|item|info)\b|\bspeaker\b", cls):
            continue
        name_el = card.xpath(".//*[contains(@class,'name')]")
        role_el = card.xpath(
            ".//*[contains(@class,'position') or contains(@class,'role') or "
            "contains(@class,'title') or contains(@class,'job')]"
        )
        if name_el:
            add(_text(name_el[0]), _text(role_el[0]) if role_el else None)
        elif "info" in cls:
            lines = [_norm(t) for t in card.itertext() if _norm(t)]
            if lines:
                add(
                    lines[0],
                    _text(role_el[0]) if role_el else (lines[1] if len(lines) > 1 else None),
                )
    for name, role in _payload_people(doc):
        add(name, role)
    for name, role in _speaker_records(doc, paragraphs):
        add(name, role)
    return listed


# an app's data payload (JSON or a JS literal): "speakers": [{"name": …, "position": …}, …]
_PEOPLE_KEY = re.compile(
    r"""["']?\b(?:speakers|panelists|participants|performers?|moderators?)["']?\s*:\s*\[""", re.I
)
_STR = r'"((?:[^"\\]|\\.)*)"'
_NAME_KEY = re.compile(r"""["']?\b(?:name|fullName)["']?\s*:\s*""" + _STR)
_ROLE_KEY = re.compile(
    r"""["']?\b(?:position|role|jobTitle|job_title|title|affiliation|description)["']?\s*:\s*"""
    + _STR
)


def _payload_people(doc) -> list[tuple[str, str | None]]:
    """(name, role) of the people an inline script's data lists as speakers."""
    found = []
    for script in doc.iter("script"):
        text = script.text or ""
        if script.get("src") or "ld+json" in (script.get("type") or ""):
            continue  # JSON-LD performers are read with the rest of the JSON-LD
        for m in _PEOPLE_KEY.finditer(text):
            depth, i = 1, m.end()
            while depth and i < len(text):  # to the array's closing bracket
                c = text[i]
                if c == '"':
                    i = text.find('"', i + 1)
                    while i > 0 and text[i - 1] == "\\":
                        i = text.find('"', i + 1)
                    if i < 0:
                        break
                depth += {"[": 1, "]": -1}.get(c, 0)
                i += 1
            for obj in re.split(r"\}\s*,\s*\{", text[m.end() : i]):
                name, role = _NAME_KEY.search(obj), _ROLE_KEY.search(obj)
                try:
                    name = json.loads(f'"{name[1]}"') if name else None
                    role = json.loads(f'"{role[1]}"') if role else None
                except ValueError:
                    continue
                if name and _looks_like_person(name, alone=True):
                    found.append((name, role))
    return found


def _looks_like_person(line: str, alone: bool = False) -> bool:
    """Two to six words (one is enough under a "Speakers" label: a senator by surname), each
    capitalised, an initial, or a short particle ("de", "van")."""
    words = line.split()
    if (
        not (1 if alone else 2) <= len(words) <= 6
        or len(line) > 60
        or any(c.isdigit() for c in line)
    ):
        return False
    if line.endswith(":") or not words[0][:1].isupper():
        return False
    if any(w.lower().strip(",.") in speakers.TITLE_WORDS for w in words):
        return False  # "Center President", "Foreign Ministry": a title or a body, not a name
    return all(w[:1].isupper() or w[:1] in '“"(' or (w.islower() and len(w) <= 4) for w in words)


def _record(el, alone: bool = False) -> tuple[str, str | None] | None:
    """(name, role) when `el` reads as one person: a name line, then at most two role lines."""
    lines: list[str] = []
    for t in el.itertext():
        line = _norm(t).strip(" ,;–—-")
        if line:
            lines.append(line)
            if len(lines) > 3:
                return None
    if not lines or not _looks_like_person(lines[0], alone) or _SPEAKERS_LABEL.fullmatch(lines[0]):
        return None
    role = ", ".join(lines[1:]) or None
    if role and len(role) > 200:
        return None
    return lines[0], role


def _speaker_records(doc, paragraphs: list[str]) -> list[tuple[str, str | None]]:
    """People listed as records of the same shape, in any layout: sibling cards, table rows or
    bold names each followed by a role (", Director of …"): under a "Speakers" label, or else at
    least two of them, most of whom the report names. Link lists (menus, teasers) and comments
    are not such records."""
    said = set(_WORD.findall(" ".join(paragraphs)))

    def named_in_report(name: str) -> bool:
        words = [w.strip('“”"().,') for w in name.split()[1:]]
        # as written, or in a transcript's capitals ("PETRIĆ:")
        return any(len(w) >= 3 and (w in said or w.upper() in said) for w in words)

    found: list[tuple[str, str | None]] = []
    taken = set()  # the elements read as one person each: their parts are not people again
    for parent in doc.iter(etree.Element):
        kids = [k for k in parent if isinstance(k.tag, str)]
        if not kids or is_boilerplate(parent) and "speaker" not in parent.get("class", ""):
            continue
        if parent in taken or any(a in taken for a in parent.iterancestors()):
            continue  # a card's or a row's name and role ("Co-founder, Canyon Partners")
        if parent.tag == "tr":
            continue  # a row is one record, read with its table, or a field's label and value
        labelled = _under_speakers_label(parent)
        if len(kids) < 2 and not labelled:
            continue
        bold = [
            k for k in kids if k.tag in ("b", "strong") and (k.tail or "").strip()[:1] in ("", ",")
        ]
        records = [(_norm(_text(b)), _norm(b.tail or "").strip(" ,;") or None) for b in bold]
        if len(bold) >= (1 if labelled else 2) and sum(
            len(n) + len(r or "") + 2 for n, r in records
        ) >= 0.9 * len(_norm(_text(parent))):
            # an element made of "<b>Name</b>, role" records only, not a paragraph
            groups = [(bold, [r for r in records if _looks_like_person(r[0], labelled)])]
        else:
            shapes: dict[tuple, list] = {}
            for k in kids:
                shapes.setdefault(_shape(k), []).append(k)
            groups = [
                (g, _records(g, labelled))
                for g in shapes.values()
                if len(g) >= (1 if labelled else 2)
            ]
        for elements, records in groups:
            if labelled and records:  # the page says these are the speakers
                found.extend(r for r in records if r[0])
                taken.update(elements)
                continue
            named = [r for r in records if r[0] and named_in_report(r[0])]
            if len(named) >= 2 and len(named) >= 0.6 * len(records):
                found.extend(named)
                taken.update(elements)
    return found


def _records(group: list, labelled: bool) -> list[tuple[str, str | None]]:
    """(name, role) of each element of a group of look-alike siblings, or [] when they are not
    people: most of them must read as a person and not be links (menus, teasers) or comments."""
    records = []
    for k in group:
        record = _record(k, alone=labelled)
        if record and sum(len(_text(a)) for a in k.iter("a")) >= len(_text(k)) / 2:
            record = None
        records.append(None if record is None or _in_comments(k) else record)
    found = sum(r is not None for r in records)
    if found < (max(1, 0.5 * len(group)) if labelled else max(2, 0.6 * len(group))):
        return []
    return [r for r in records if r]


_SPEAKERS_LABEL = re.compile(
    r"(?:(?:the\s+)?(?:speakers?|panel(?:ists?)?|participants?|moderators?|presenters?|"
    r"discussants?|featuring|keynote\s+speakers?)(?:\s+and\s+\w+)?)\s*:?",
    re.I,
)


def _shape(el) -> tuple[str, str]:
    """An element's tag and classes, without the numbered ones ("elementor-element-6a24834")."""
    return el.tag, " ".join(w for w in el.get("class", "").split() if not re.search(r"\d", w))


def _under_speakers_label(parent) -> bool:
    """Whether a "Speakers" / "Panelists" label heads these records: their first sibling, or an
    element just before them or before their container, or before the look-alike blocks that
    precede it (a third row of speaker cards)."""
    near = [k for k in parent[:1] if isinstance(k.tag, str)]
    for el in (parent, parent.getparent()):
        prev = el.getprevious() if el is not None else None
        while prev is not None and (not isinstance(prev.tag, str) or _shape(prev) == _shape(el)):
            prev = prev.getprevious()  # one label heads a run of look-alike blocks
        for _ in range(2):
            while prev is not None and not isinstance(prev.tag, str):
                prev = prev.getprevious()
            if prev is None:
                break
            near.append(prev)
            prev = prev.getprevious()
    for el in near:
        if len(el) <= 3:  # a label, not a section that happens to come first
            text = el.text_content()
            if len(text) < 60 and _SPEAKERS_LABEL.fullmatch(_norm(text)):
                return True
    return False


# --- the event ----------------------------------------------------------------------------


# what sets a site or section name apart in a <title>: "Site :: Events :: Title", "Title | Site",
# "Title · Site", "Title - Org", "Org » Events » Title"
_TITLE_SEPARATOR = re.compile(r"\s+(?:\||::|·|•|»|«|/|–|—|-)\s+")
_ARTICLE_TYPES = {"Article", "NewsArticle", "BlogPosting", "Report", "Event", "WebPage"}


def _title_parts(title: str) -> list[str]:
    """Every run of consecutive parts of a <title>, longest first."""
    seps = list(_TITLE_SEPARATOR.finditer(title))
    cuts = [0] + [m.end() for m in seps]
    ends = [m.start() for m in seps] + [len(title)]
    runs = {title[cuts[i] : ends[j]].strip() for i in range(len(cuts)) for j in range(i, len(ends))}
    return sorted((r for r in runs if r), key=len, reverse=True)


def _title(doc, items: list[dict], blocks: list[Block]) -> str:
    """The report's own heading: the <h1> (the one the <title> names when there are several),
    JSON-LD headline, else the part of og:title / <title> that the page shows as a heading."""
    page_title = _norm(_text(doc.find(".//title")))
    og = _norm(_meta(doc, "og:title", "twitter:title") or "")
    h1s = [_norm(_text(h)) for h in doc.xpath("//body//h1") if not _in_comments(h)]
    h1s = [h for h in h1s if h]
    for h in h1s:
        if h in page_title or h in og:
            return h
    if h1s:
        return h1s[0]
    for item in items:
        if _types(item) & _ARTICLE_TYPES and (item.get("headline") or item.get("name")):
            return _norm(str(item.get("headline") or item.get("name")))
    shown = {b.text for b in blocks}
    for source in (og, page_title):
        parts = _title_parts(source)
        for part in parts:
            if part in shown:
                return part
    # no part shown as a heading: the longest part that is not the site's name (its home link,
    # its copyright line)
    site = " ".join(
        _norm(_text(a)) for a in doc.xpath("//a[@href='/' or @href='./' or @rel='home']")
    ) + " ".join(doc.xpath("//body//text()[contains(., '©')]"))
    pieces = [p.strip() for p in _TITLE_SEPARATOR.split(og or page_title) if p.strip()]
    if not pieces:
        return ""
    return max(pieces, key=lambda p: (p not in site, len(p)))


def _organisation(doc, items: list[dict], title: str) -> str | None:
    site = _meta(doc, "og:site_name", "application-name")
    if site:
        return site
    for item in items:
        for key in ("organizer", "publisher", "sourceOrganization"):
            org = item.get(key)
            if isinstance(org, list) and org:
                org = org[0]
            if isinstance(org, dict) and org.get("name"):
                return _norm(org["name"])
    for el in doc.xpath("//*[contains(@class,'site-name') or contains(@class,'site-title')]"):
        if _text(el):
            return _norm(_text(el))
    page_title = _norm(_text(doc.find(".//title")))
    if title and page_title != title and title in page_title:
        # "Org | Events | Title" or "Title | Org": the end away from the report's title
        head, _, tail = page_title.partition(title)
        rest = _TITLE_SEPARATOR.split(tail.strip() if tail.strip() else head.strip())
        org = rest[-1] if tail.strip() else rest[0]
        org = org.strip(" |·•»«/–—:-")
        if 2 <= len(org) <= 80:
            return org
    for text in doc.xpath("//body//text()[contains(., '©')]"):
        m = _COPYRIGHT.search(_norm(text))
        if m:
            return m.group(1)
    return None


# "© 2003–2031 Lindenholm Institute. All rights reserved." -> "Lindenholm Institute"
_COPYRIGHT = re.compile(
    r"©\s*(?:\d{4}(?:\s*[–-]\s*\d{4})?\s*,?\s*)?([^|·.]{3,80}?)\s*(?:[.|·]|all rights|$)", re.I
)


def _venue(fields: dict[str, str], doc, items: list[dict]) -> str | None:
    for label in ("venue", "location", "place", "where", "address"):
        if fields.get(label):
            return fields[label]
    for el in doc.xpath("//*[contains(@class,'event-place') or contains(@class,'venue')]"):
        text = _norm(_text(el))
        if text and len(text) < 200:
            return text
    for item in items:
        loc = item.get("location")
        if isinstance(loc, dict) and loc.get("@type") != "VirtualLocation" and loc.get("name"):
            parts = [loc["name"]]
            addr = loc.get("address")
            if isinstance(addr, dict):
                parts += [
                    addr.get(k) for k in ("streetAddress", "addressLocality", "addressCountry")
                ]
            return ", ".join(p for p in parts if p)
    return _pinned_line(doc)


# A location icon: an icon font's or sprite's map marker or pin ("fa-map-marker-alt",
# "icon-location", "bi-geo-alt"), or a pin character standing alone before the text.
_PIN_CLASS = re.compile(
    r"(?:^|[\s_-])(?:map-marker(?:-alt)?|map-pin|location(?:-dot|-pin)?|geo-alt|pin)(?:$|\s)", re.I
)
_PIN_MARKS = "📍📌🗺\ufe0f"  # a pin character (🗺 may carry its emoji variation selector)
# site chrome: an office address there is the publisher's, not the event's
_CHROME = re.compile(r"footer|site-info|contact|newsletter|menu|navbar", re.I)
_CHROME_TAGS = ("footer", "nav", "aside", "header")


def _is_pin(el) -> bool:
    """A location icon: a class naming a map marker or pin, or an element holding only a pin."""
    if _PIN_CLASS.search(el.get("class") or ""):
        return True
    text = (el.text or "").strip()
    return len(el) == 0 and bool(text) and not text.strip(_PIN_MARKS)


def _in_chrome(el) -> bool:
    return any(
        a.tag in _CHROME_TAGS or _CHROME.search(f"{a.get('class') or ''} {a.get('id') or ''}")
        for a in el.iterancestors()
        if isinstance(a.tag, str)
    )


def _pinned_line(doc) -> str | None:
    """The venue a location icon marks (an icon list, a chip under the title): the text of the
    nearest element around the icon that has any, outside the page's navigation and footer."""
    for icon in doc.iter():
        if not isinstance(icon.tag, str) or not _is_pin(icon):
            continue
        line = icon.getparent()
        for _ in range(3):
            if line is None or _norm(_text(line)).strip(_PIN_MARKS + " "):
                break
            line = line.getparent()
        if line is None or _in_chrome(line):
            continue
        text = _norm(_text(line)).strip(_PIN_MARKS + " ")
        if 3 <= len(text) < 200:
            return text
    return None


def _place(venue: str | None, items: list[dict]) -> str | None:
    """City and country for a citation: the tail of the venue line, never the street."""
    for item in items:
        loc = item.get("location")
        if isinstance(loc, dict) and isinstance(loc.get("address"), dict):
            addr = loc["address"]
            parts = [addr.get("addressLocality"), addr.get("addressCountry")]
            parts = [p.strip(" ()") for p in parts if isinstance(p, str) and p.strip(" ()")]
            if parts:
                return ", ".join(parts)
    if not venue:
        return None
    parts = [p.strip(" ()") for p in re.split(r"[,(]", venue) if p.strip(" ()")]
    tail = [
        p for p in parts[-2:]
        if not re.search(r"\d|floor|hall|street|st\.|boulevard|universit|institut|cent(?:re|er)|hotel|library|house|room|online", p, re.I)
    ]  # fmt: skip
    return ", ".join(tail) or None


_GENRES = (
    "expert discussion", "round table", "roundtable", "panel discussion", "conference",
    "seminar", "lecture", "briefing", "webinar", "podcast", "presentation", "workshop",
    "forum", "discussion", "meeting", "interview",
)  # fmt: skip


def _genre(opening: str, rubric: str | None) -> str | None:
    """The format as the page says it: the rubric, else the first lower-case mention in the text
    ("hosted an expert discussion"; "Meridian Forum" is a name, not a forum)."""
    for text, flags in ((rubric or "", re.I), (opening, 0)):
        hits = [(m.start(), g) for g in _GENRES for m in [re.search(rf"\b{g}\b", text, flags)] if m]
        if hits:
            return min(hits)[1].capitalize()
    return None


def _published(doc, items: list[dict], fields: dict[str, str], header: list[Block]) -> date | None:
    """The day the page was published (never the event day): structured data, a "Posted:"
    field or a "Published 3 May 2021" line under the title, else a dated element outside navigation, rails,
    teasers and comments that does not mark the event's own day."""
    for item in items:
        for key in ("datePublished", "dateCreated"):
            found = dates.parse_date(str(item.get(key) or ""))
            if found:
                return found
    found = dates.parse_date(_meta(doc, "article:published_time", "datePublished", "date"))
    for label in ("posted", "published", "posted on", "published on", "submitted"):
        found = found or dates.parse_date(fields.get(label))
    for b in header:
        if found:
            return found
        if b.link_density > 0.5 or len(b.text) > 160:
            continue
        for m in _PUBLISHED_LINE.finditer(b.text):
            found = found or dates.parse_date(m[1])
    if found:
        return found
    for el in doc.xpath("//body//time[@datetime]|//body//*[contains(@class,'date')]"):
        if any(a.tag == "a" or is_boilerplate(a) for a in el.iterancestors()):
            continue
        if any("event" in (a.get("class") or "") for a in [el, *el.iterancestors()][:3]):
            continue  # the event's own day, read by _marked_event_date
        found = dates.parse_date(el.get("datetime") or _text(el))
        if found:
            return found
    return None


_PUBLISHED_LINE = re.compile(
    r"\b(?:published|posted|updated|submitted)(?:\s+on)?\s*:?\s+([^|·•]{6,40})", re.I
)


_FIELD_START = r"(?:^|[·|•]\s*|\s(?=[A-Z][a-z]+(?: [a-z]+)?:\s))"
_FIELD = re.compile(
    _FIELD_START
    + r"([A-Za-z][A-Za-z ]{1,24}?)\s*:\s+((?:(?!"
    + _FIELD_START
    + r"[A-Za-z][A-Za-z ]{1,24}?:\s)[^·|•])+)"
)
_EVENT_DATE_LABELS = ("event date", "date", "when", "date and time", "dates")
_PUBLICATION_WORDS = re.compile(
    r"\b(?:posted|published|updated|submitted|modified|by|author|written|views?)\b", re.I
)


def _inline_fields(blocks: list[Block]) -> dict[str, str]:
    """Label -> value from short lines outside the body: "Date: 17 September 2026 · Venue: …"."""
    fields: dict[str, str] = {}
    for b in blocks:
        if len(b.text) > 200 or b.link_density > 0.5:
            continue
        for m in _FIELD.finditer(b.text):
            label = m[1].strip().lower()
            if len(label.split()) <= 3:
                fields.setdefault(label, m[2].strip())
    return fields


def _marked_event_date(doc) -> str | None:
    """An event day the markup names as such: schema.org microdata or RDFa `startDate`, or an
    element whose class says "event" and "date" ("event-date", "event__date"), outside rails."""
    for el in doc.xpath(
        "//body//*[@itemprop='startDate' or @property='startDate' or @property='schema:startDate'"
        " or (contains(@class,'event') and contains(@class,'date'))]"
    ):
        if any(is_boilerplate(a) for a in el.iterancestors()):
            continue
        inner = el.xpath(".//time/@datetime")
        value = el.get("content") or el.get("datetime") or (inner[0] if inner else _text(el))
        if dates.parse_date(value):
            return value
    return None


def _header(blocks: list[Block], body: list[Block], title: str) -> list[Block]:
    """The blocks between the report's title and its first paragraph: bylines, datelines."""
    start = next((b.order for b in blocks if b.text == title), None)
    if start is None:
        return []
    end = body[0].order if body else len(blocks)
    return [b for b in blocks if start < b.order < end]


def _header_dateline(header: list[Block]) -> str | None:
    """A date standing on its own between the title and the report ("Thursday, May 9, 2024",
    "17 SEP 2019 · Hall B"), not a publication line ("Posted: …", "Published …", "By …")."""
    for b in header:
        if len(b.text) > 160 or b.link_density > 0.5 or _PUBLICATION_WORDS.search(b.text):
            continue
        for part in re.split(r"\s*[·|•]\s*|\s(?=[A-Z][a-z]+(?: [a-z]+)?:\s)", b.text):
            if len(part) <= 60 and dates.parse_date(part):
                return part
    return None


def extract_event(
    raw: bytes, *, source: str, url: str | None = None, content_type: str | None = None
) -> Event:
    """Turn one page into an Event, or raise ExtractError with a plain reason."""
    text = decode(raw, content_type)
    if "<" not in text[:2048]:
        raise ExtractError("not an HTML page")
    try:
        doc = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractError(f"the HTML cannot be parsed ({exc})") from exc
    items = _json_ld(doc)
    fields = _labelled_fields(doc)
    canonical = doc.xpath('//link[@rel="canonical"]/@href') or [_meta(doc, "og:url") or url]
    rubric_el = doc.xpath("//*[contains(@class,'rubric') or contains(@class,'event-type')]")
    rubric = _text(rubric_el[0]) if rubric_el else None
    venue = _venue(fields, doc, items)
    if doc.find("body") is None:
        raise ExtractError("the page looks truncated: it has no body")

    blocks = cut_blocks(doc.find("body"))
    title = _title(doc, items, blocks)
    organisation = _organisation(doc, items, title)
    body = find_body(doc, text, blocks, drop={title, venue or ""})
    fields = {**_inline_fields(body.blocks), **fields}
    header = _header(body.blocks, body.chosen, title)
    published = _published(doc, items, fields, header)
    labelled_date = next((fields[k] for k in _EVENT_DATE_LABELS if fields.get(k)), None)
    for item in items:
        if _types(item) & {"Event"} and item.get("startDate"):
            labelled_date = labelled_date or str(item["startDate"])
    labelled_date = labelled_date or _marked_event_date(doc)
    # an unlabelled date under the title: the event's day when the opening names none,
    # else the page's date, which lends the opening's day its year
    dateline = _header_dateline(header)
    paragraphs = [p for p in body.paragraphs if not _DATELINE.match(p) and not _BYLINE.match(p)]
    venue = venue or next(
        (fields[k] for k in ("venue", "location", "place") if fields.get(k)), None
    )
    if venue is None:
        for line in doc.xpath("//body//*[self::p or self::div or self::span]/text()"):
            m = re.search(r"\b(?:Venue|Location|Place)\s*:\s*([^|·\n]{3,160})", line)
            if m:
                venue = _norm(m.group(1))
                break
    if not paragraphs or sum(len(p) for p in paragraphs) < 80:
        if not re.search(r"</html\s*>", text[-2048:], re.I):
            raise ExtractError("the page looks truncated: no body text before it ends")
        raise ExtractError("the page has no body text")

    listed = _listed_speakers(doc, items, paragraphs)
    opening = "\n".join(paragraphs[:3])
    # the date the page shows above the text: "today" / "yesterday" are counted from it
    shown = dates.parse_date(dateline) or next(
        (dates.parse_date(p) for p in body.paragraphs[:3] if _DATELINE.match(p)), None
    )
    event_date, _ = dates.infer_event_date(labelled_date, opening, published or shown, shown)
    if event_date is None and not dates.names_a_day(opening):
        event_date, _ = dates.infer_event_date(dateline, "", None)
    people = speakers.find_speakers(paragraphs, listed)
    found_quotes, sentences = quotes.attribute(paragraphs, people)
    return Event(
        source=source,
        url=(canonical[0] if canonical and canonical[0] else url),
        title=title,
        organisation=organisation,
        venue=venue,
        event_date=event_date,
        published=published.isoformat() if published else None,
        genre=_genre(paragraphs[0], rubric),
        place=_place(venue, items),
        site_name=organisation,
        language=(doc.get("lang") or "").split("-")[0] or None,
        body_from=body.source,
        speakers=people,
        paragraphs=paragraphs,
        quotes=found_quotes,
        sentences=sentences,
    )
