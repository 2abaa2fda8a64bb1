"""Speakers: who spoke at an event, their role as written there, and one identity per person.

`find_speakers` merges the speakers a page lists (cards, lists, JSON-LD) with those its text
reports as speaking: "NAME, ROLE, noted…", "ROLE NAME said…", "According to NAME, ROLE,…",
"…,” said NAME, ROLE", "moderated by NAME, ROLE", transcript labels "NAME:". A person only
mentioned is not a speaker.

`name_key` / `same_person` give one identity per person across events and spellings
("Andrey Bystritskiy" / "Andrei Bystritsky", "Ünal" / "Unal"), never merging two people who
merely share a surname.
"""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii
from nameparser import HumanName
from rapidfuzz import fuzz

from .models import Speaker

UPPER = "A-Z" + "".join(
    c for c in map(chr, range(0xC0, 0x250)) if c.isupper()
) + "А-ЯЁ"  # fmt: skip
LOWER = "a-z" + "".join(c for c in map(chr, range(0xC0, 0x250)) if c.islower()) + "а-яё"
_WORD = rf"[{UPPER}](?:[{LOWER}'’‐-]+|[{UPPER}'’‐-]+)"
_INITIAL = rf"[{UPPER}]\."
_PARTICLE = r"(?:de|da|di|del|della|van|von|der|den|ter|le|la|du|dos|das|al|bin|ibn|el)"
NAME = rf"(?:{_WORD}|{_INITIAL})(?:\s+(?:{_WORD}|{_INITIAL}|{_PARTICLE}(?=\s+(?:{_PARTICLE}\s+)?[{UPPER}]))){{1,5}}"
NAME_RX = re.compile(rf"(?<![{UPPER}.])" + NAME)
# words that make a capitalised run an organisation or a title, not a person's name
TITLE_WORDS = set(
    """university club center centre council institute forum federation republic department
    initiative dialogue affairs ministry foundation agency union organization organisation group
    committee commission fund school academy studies society association bank party parliament
    assembly office minister president secretary director chairman chairperson chair head
    ambassador professor deputy foreign russian american side east west north south middle
    times news press program programme security international relations national state
    government policy conference summit session readings he she it they we his her their
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december nato city hall hotel western eastern
    northern southern europe european asia asian africa african america latin arctic baltic
    pacific atlantic caspian black sea ocean river gulf""".split()
)

HONORIFICS = re.compile(
    r"^(?:(?:his|her)\s+excellency|h\.\s?e\.|hon\.|the\s+hon(?:ourable)?|dr\.?|prof\.?|"
    r"professor|mr\.?|mrs\.?|ms\.?|sir|dame|amb\.?|ambassador|lt\.?|gen\.?|general|col\.?|"
    r"maj\.?|rtd\.?|\(rtd\)|president|minister|senator|rep\.?|gov\.?|rev\.?)\s+",
    re.I,
)

SPEECH_VERBS = (
    r"said|says|noted|notes|stressed|stresses|emphasi[sz]ed|emphasi[sz]es|emphasi[sz]ing|"
    r"pointed(?:\s+out|\s+to)?|points\s+out|added|argued|argues|believes|believed|considers|"
    r"considered|explained|explains|compared|spoke|speaks|presented|devoted|described|called|"
    r"outlined|analy[sz]ed|has\s+analy[sz]ed|agreed|concluded|characteri[sz]ed|welcomed|opened|"
    r"moderated|asked|answered|told|remarked|warned|suggested|recalled|insisted|observed|"
    r"underlined|highlighted|mentioned|urged|expressed|shared|touched|briefly\s+outlined|"
    r"summed\s+up|stated|declared|acknowledged|admitted|cautioned|commented|continued|"
    r"elaborated|focused|focussed|reminded|replied|responded|addressed|delivered|gave|opined|"
    r"thinks|thought|predicted|claimed|assured|announced|proposed|acted|was\s+the\s+first|"
    r"went\s+on|drew|discussed|talked|reflected|questioned|estimated|expects|expected|"
    r"disagreed|objected|countered|echoed|conceded|contended|maintained|recommended|"
    r"warns|recalls|adds|argued|told|wrote|presenting|opening|closing"
)
_VERB_AHEAD = re.compile(
    rf"^\s*,?\s*(?:(?:in\s+(?:his|her|their)\s+(?:turn|speech|opening\s+remarks|remarks|"
    rf"address|view))|in\s+turn|also|then|briefly|further|however)?\s*,?\s*(?:{SPEECH_VERBS})\b",
    re.I,
)
_ROLE_STOP = re.compile(
    rf",?\s+(?:in\s+(?:his|her|their)\s+\w+\s*,?\s*)?(?:in\s+turn\s+)?(?:also\s+)?(?:{SPEECH_VERBS})\b"
    r"|,\s+(?:who|which|whose|where|the|this|it|he|she|they|there|his|her|its)\b"
    r"|,\s+(?:with|to|for)\b|\s+at\s+an?\s+|(?<!\b[A-Z])[.!?](?:\s|$)|:(?:\s|$)|\s+[–—]\s+|[“”\"«»]",
    re.I,
)
_INTRO_BEFORE = re.compile(
    r"(?:moderated\s+by|delivered\s+by|concluded\s+by|chaired\s+by|opened\s+by|"
    r"presentation\s+of|remarks\s+(?:of|by)|speech\s+(?:of|by)|(?:said|says|noted|added|stressed|"
    r"concluded|emphasi[sz]ed|explained|believes|summed\s+up)|(?:the\s+)?(?:discussion\s+)?"
    r"moderator(?:\s+from\s+the\s+\w+\s+side)?,?|keynote\s+by|address\s+by)\s*$",
    re.I,
)
# "According to NAME, ROLE, …" reports a speaker only at the head of a sentence; mid-sentence
# ("…which, according to NAME, turned into…") it usually cites someone quoted from elsewhere.
_ACCORDING = re.compile(r"(?:^|[.!?]\s+)according\s+to\s+$", re.I)
_LABEL = re.compile(
    rf"^\s*(?:(?:Mr|Mrs|Ms|Dr|Prof)\.?\s+)?({NAME}|[{UPPER}][{UPPER}'’-]+)\s*:(?=\s|$)"
)
_NOT_NAMES = {
    "the", "this", "that", "these", "in", "on", "at", "as", "but", "and", "it", "he", "she",
    "they", "we", "according", "however", "moreover", "meanwhile", "during", "after", "before",
}  # fmt: skip


# --- names ------------------------------------------------------------------------------------


def clean_name(name: str) -> str:
    """A display name without honorifics, ranks, titles or extra spaces."""
    name = re.sub(r"\s+", " ", name).strip(" ,;:")
    previous = None
    while previous != name:
        previous = name
        name = HONORIFICS.sub("", name).strip()
    words = name.split()
    last = words[-1] if words else ""
    if len(words) > 1 and last.isupper() and len(last) > 1 and not _SUFFIX.fullmatch(last):
        words[-1] = last.capitalize()  # "Paul KAGAME" -> "Paul Kagame", but "Stewart III" stays
    return " ".join(words)


_SUFFIX = re.compile(r"(?:[IVX]{2,4}|Jr\.?|Sr\.?)", re.I)


def _fold(text: str) -> str:
    text = anyascii(unicodedata.normalize("NFC", text)).lower()
    return re.sub(r"[^a-z ]", "", text.replace("-", " "))


def name_key(name: str) -> str:
    """A key equal for spelling variants of one name (Andrey/Andrei, -skiy/-sky, Ünal/Unal)."""
    key = _fold(clean_name(name))
    key = key.replace("y", "i").replace("j", "i").replace("ks", "x")
    key = re.sub(r"(.)\1+", r"\1", key)
    key = re.sub(r"ii\b", "i", key)
    return " ".join(key.split())


def _parts(name: str) -> tuple[str, str]:
    parsed = HumanName(clean_name(name))
    return name_key(parsed.first or ""), name_key(parsed.last or name)


def same_person(a: str, b: str) -> bool:
    """True when two names are spellings of one person (a shared surname alone is not enough)."""
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    (fa, la), (fb, lb) = _parts(a), _parts(b)
    if not la or not lb or fuzz.ratio(la, lb) < 85:
        return False
    if not fa or not fb:
        return False
    if fa == fb or fuzz.ratio(fa, fb) >= 80:
        return True
    # "Jim" for "James" is beyond us; an initial matches its name ("R. Haass" / "Richard Haass")
    return (len(fa) == 1 and fb.startswith(fa)) or (len(fb) == 1 and fa.startswith(fb))


def mentions(name: str, text: str) -> bool:
    """Whether `text` names this person by full name or surname (any spelling)."""
    return bool(_mention_rx(name).search(text))


_MENTION_CACHE: dict[str, re.Pattern] = {}


def _mention_rx(name: str) -> re.Pattern:
    rx = _MENTION_CACHE.get(name)
    if rx is None:
        family = surname(name)
        variants = {re.escape(family), re.escape(anyascii(family))}
        rx = re.compile(r"\b(?:" + "|".join(sorted(variants)) + r")\b", re.I)
        _MENTION_CACHE[name] = rx
    return rx


def surname(name: str) -> str:
    """The family name: the last word, past a generational suffix ("Stewart III" -> "Stewart")."""
    words = clean_name(name).split()
    while len(words) > 1 and _SUFFIX.fullmatch(words[-1].strip(",")):
        words.pop()
    return words[-1].strip(",") if words else name


# --- finding speakers in text -------------------------------------------------------------------


def _role_after(text: str, end: int) -> str | None:
    """ROLE in "NAME, ROLE, noted…" (text from the end of the name)."""
    rest = text[end:]
    if not rest.startswith(","):
        return None
    rest = rest[1:]
    stop = _ROLE_STOP.search(rest)
    role = rest[: stop.start()] if stop else ""
    role = role.strip(" ,")
    if re.match(r"(?:was|were|is|are|has|had|will|would|and|but|or|who|which|whose)\b", role, re.I):
        return None
    if not role or len(role) > 220 or not re.search(r"[a-z]", role):
        return None
    if NAME_RX.fullmatch(role.strip()):  # "NAME, NAME" is a list, not a role
        return None
    return role


def _role_before(text: str, start: int) -> str | None:
    """ROLE in "ROLE NAME said" (the phrase that opens the sentence before the name)."""
    head = text[:start]
    sentence_start = max(head.rfind(". "), head.rfind("\n"), head.rfind("; "))
    role = head[sentence_start + 1 :].strip(" ,")
    if not role or len(role.split()) > 14 or role.lower().startswith(("the ", "a ", "an ")):
        return None
    if re.search(rf"\b(?:{SPEECH_VERBS}|was|were|is|are|has|had)\b", role, re.I):
        return None
    if "," in role or role.lower().startswith(("in ", "on ", "at ", "as ", "after ", "during ")):
        return None
    return role


def _speaking_names(paragraph: str) -> list[tuple[int, str, str | None]]:
    """(offset, name, role) for each name the paragraph reports as speaking."""
    found = []
    label = _LABEL.match(paragraph)
    if label and len(label.group(1)) > 2:
        found.append((label.start(1), label.group(1), None))
    for m in _MIDLINE_LABEL.finditer(paragraph):
        found.append((m.start(1), m.group(1), None))
    taken_until = 0
    for m in NAME_RX.finditer(paragraph):
        start, name = _person_part(m)
        if name is None or start < taken_until:
            continue
        after_role = _role_after(paragraph, m.end())
        tail = paragraph[m.end() :]
        if after_role:
            tail = tail[len(after_role) + tail.find(after_role) :]
        speaking = (
            bool(_VERB_AHEAD.match(tail))
            or bool(_INTRO_BEFORE.search(paragraph[max(0, start - 60) : start]))
            or bool(_ACCORDING.search(paragraph[max(0, start - 60) : start]))
        )
        if not speaking or _ELSEWHERE.match(tail):
            continue
        role = after_role or _role_before(paragraph, start)
        found.append((start, name, role))
        if after_role:
            taken_until = paragraph.find(after_role, m.end()) + len(after_role)
    return found + _listed_in_prose(paragraph)


# Words said somewhere else: "told a newspaper in 2019", "wrote in 2015", "once said".
_ELSEWHERE = re.compile(
    r"^\s*,?\s*(?:(?:told|said\s+to|wrote\s+in|in\s+an\s+interview\s+with)\s+(?:(?:a|an|the)\s+)?"
    r"(?:newspaper|paper|reporters?|journalists?|press|media|magazine|radio|television|tv)\b"
    r"|(?:said|told\s+\w+|wrote)\s+(?:back\s+)?in\s+(?:19|20)\d\d\b|once\s+(?:said|wrote|told)\b)",
    re.I,
)
_SELF_INTRO = re.compile(rf"\bI(?:'|’)m\s+({NAME})(?:,\s+|\s+from\s+)")
_MIDLINE_LABEL = re.compile(rf"(?:^|(?<=[.!?)\]]\s))(?:Mr|Mrs|Ms|Dr|Prof)\.?\s+({NAME})\s*:\s")


def _role_anywhere(name: str, paragraphs: list[str]) -> str | None:
    """A role given at any mention: "NAME, ROLE," or "I'm NAME from ROLE and"."""
    for paragraph in paragraphs:
        for m in _SELF_INTRO.finditer(paragraph):
            if same_person(m.group(1), name):
                rest = paragraph[m.end() :]
                stop = re.search(r"\s+and\s|[,.;](?:\s|$)", rest)
                role = rest[: stop.start()] if stop else rest
                if role and len(role) < 120:
                    return role.strip()
        for m in NAME_RX.finditer(paragraph):
            start, found = _person_part(m)
            if found and same_person(found, name):
                role = _role_after(paragraph, m.end())
                if role:
                    return role
    return None


def _person_part(m: re.Match) -> tuple[int, str | None]:
    """The personal name at the end of a capitalised run ("Scientific Council Davud Keyani")."""
    words = m.group(0).split()
    keep = 0
    for i, w in enumerate(words):
        if w.lower().strip("’'") in TITLE_WORDS or w.lower() in _NOT_NAMES:
            keep = i + 1
    words = words[keep:]
    if (
        len(words) < 2
        or words[-1].isupper()
        and len(words[-1]) > 1
        and len(words) == 2
        and words[0].isupper()
    ):
        return m.start(), None
    start = m.start() + m.group(0).find(words[0]) if keep else m.start()
    return start, " ".join(words)


_LIST_INTRO = re.compile(
    r"\b(?:speakers|panellists|panelists|participants|presenters)\b[^.:;]{0,60}?"
    r"\b(?:comprised|included|were|are|featured)\b:?\s*"
    # or a labelled line: "Speakers: NAME, ROLE; NAME, ROLE."
    r"|^(?:the\s+)?(?:speakers|panel(?:l)?ists|participants|presenters|discussants|"
    r"moderators?|chair)\s*:\s*",
    re.I,
)


def _listed_in_prose(paragraph: str) -> list[tuple[int, str, str | None]]:
    """ "The key speakers comprised ROLE, NAME; NAME, ROLE; and ROLE, NAME." -> each (name, role)."""
    m = _LIST_INTRO.search(paragraph)
    if not m:
        return []
    end = paragraph.find(".", m.end())
    while end != -1 and re.search(
        r"\b(?:[A-Z]|Rtd|Amb|Gen|Lt|Dr|Mr|Ms|H\.E)\)?$", paragraph[m.end() : end]
    ):
        end = paragraph.find(".", end + 1)
    span = paragraph[m.end() : end if end != -1 else len(paragraph)]
    out = []
    for item in re.split(r";\s*(?:and\s+)?", span):
        segments = [seg.strip() for seg in item.split(",") if seg.strip()]
        for k, seg in enumerate(segments):
            name = clean_name(re.sub(r"^(?:and|the)\s+", "", seg))
            if NAME_RX.fullmatch(name) and not any(w.lower() in TITLE_WORDS for w in name.split()):
                role = ", ".join(segments[k + 1 :]) or ", ".join(segments[:k])
                role = re.sub(r"^and\s+", "", role).strip() or None
                out.append((m.end() + paragraph[m.end() :].find(seg), name, role))
                break
    return out


def find_speakers(paragraphs: list[str], listed: list[Speaker]) -> list[Speaker]:
    """Everyone reported as speaking, in order of first mention, the listed ones included."""
    people: list[Speaker] = [Speaker(clean_name(s.name), s.role) for s in listed if s.name]
    order: dict[int, float] = {}

    def known(name: str) -> int | None:
        for i, p in enumerate(people):
            if name.endswith(" " + p.name):  # "Estonia Maria Tamm": a place before the name
                return i
            if same_person(p.name, name) or (
                len(name.split()) == 1 and surname(p.name).lower() == name.lower()
            ):
                return i
        return None

    for pi, paragraph in enumerate(paragraphs):
        for offset, raw_name, role in _speaking_names(paragraph):
            name = clean_name(raw_name)
            if len(name.split()) < 2 and known(name) is None:
                continue  # a bare surname only counts for someone already known
            i = known(name)
            if i is None:
                people.append(Speaker(name, role))
                i = len(people) - 1
            else:
                person = people[i]
                if len(name) > len(person.name) and same_person(name, person.name):
                    person.name = name
                if not person.role and role:
                    person.role = role
            order.setdefault(i, pi + offset / 1e6)
    for person in people:
        if not person.role:
            person.role = _role_anywhere(person.name, paragraphs)
    # listed speakers first seen in the text take that place; the rest keep list order at the end
    ranked = sorted(range(len(people)), key=lambda i: order.get(i, len(paragraphs) + i))
    return [people[i] for i in ranked]
