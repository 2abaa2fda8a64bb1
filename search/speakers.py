"""Speakers: who spoke at an event, their role as written there, and one identity per person.

`find_speakers` merges the speakers a page lists (cards, lists, JSON-LD) with those its text
reports as speaking: "NAME, ROLE, noted…", "ROLE NAME said…", "According to NAME, ROLE,…",
"…,” said NAME, ROLE", "moderated by NAME, ROLE", "NAME of ORG said", lists of speakers with
roles before or after each name, the people a panel is "with", transcript labels (also run
together inside a paragraph), guests welcomed together ("welcome NAME, ROLE, and NAME, who is
the ROLE"), and a person a sentence opens on with a role and a deed ("NAME, ROLE, ranked…",
"The ROLE, NAME, read out…"): what a page with no speakers box says of its speakers. A role the
text states elsewhere ("NAME is ROLE", "Ms. SURNAME is a ROLE", "My name is NAME. I'm the ROLE")
fills a missing one, read across paragraphs that a wrapped transcript breaks mid-sentence. A
person only mentioned is not a speaker, but is a candidate (`mentions.named_people`): a later
"Kettle said", "said Professor Allison", "asking Ambassador Kettle to…", "Thank you for being
with us, Minister Kettle" or "…,” she said" makes the one person named in full with that
surname, or the nearest one named before the pronoun, a speaker with the role the page gave them.

`name_key` / `same_person` give one identity per person across events and spellings
("Andrey Bystritskiy" / "Andrei Bystritsky", "Ünal" / "Unal", "Jim" / "James", a nickname in
the name), never merging two people who merely share a surname.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii
from nameparser import HumanName
from rapidfuzz import fuzz

from .mentions import (
    ANSWER_LABELS,
    DOTTED_ADDRESS,
    GLUED,
    HONORIFIC,
    HONORIFIC_TAIL,
    INITIALS,
    NAME,
    NAME_RX,
    NOT_NAME_WORDS,
    QUESTION_LABELS,
    SPEAKING_LATER,
    SPEECH_VERBS,
    SUFFIX,
    SURNAME_SPEAKING,
    TITLE_WORDS,
    UPPER,
    Mention,
    after_preposition,
    billed_chair,
    billed_role,
    clean_name,
    end_of_name,
    interview_parts,
    introduces_self,
    named_people,
    paragraph_label,
    person_part,
    role_after_org,
    run_together_labels,
)
from .models import Speaker

__all__ = ["NAME", "NAME_RX", "SPEECH_VERBS", "UPPER", "clean_name", "find_speakers", "name_key"]

_VERB_AHEAD = re.compile(
    rf"^\s*,?\s*(?:(?:in\s+(?:his|her|their)\s+(?:turn|speech|opening\s+remarks|remarks|"
    rf"address|view))|in\s+turn|also|then|briefly|further|however)?\s*,?\s*(?:{SPEECH_VERBS})\b",
    re.I,
)
_ROLE_STOP = re.compile(
    rf",?\s+(?:in\s+(?:his|her|their)\s+\w+\s*,?\s*)?(?:in\s+turn\s+)?(?:also\s+)?(?:{SPEECH_VERBS})\b"
    r"|,\s+(?:who|which|whose|where|the|this|it|he|she|they|there|his|her|its)\b"
    rf"|,\s+and\s+(?=(?-i:{NAME}|[a-z]))|,\s+(?=(?-i:[a-z]+(?:ed|es|ing))\b)"
    r"|\s+(?:moderating|presenting|speaking|discussing|hosting|chairing)\b|,\s+(?:with|to|for)\b|\s+at\s+an?\s+|(?<!\b[A-Z])[.!?](?:\s|$)|:(?:\s|$)|\s+[–—]\s+|[“”\"«»]",
    re.I,
)
_INTRO_BEFORE = re.compile(
    r"(?:moderated\s+by|delivered\s+by|concluded\s+by|chaired\s+by|opened\s+by|"
    r"presentation\s+of|remarks\s+(?:of|by)|speech\s+(?:of|by)|(?:said|says|noted|added|stressed|"
    r"concluded|emphasi[sz]ed|explained|believes|summed\s+up)|(?:the\s+)?(?:discussion\s+)?"
    r"moderator(?:\s+from\s+the\s+\w+\s+side)?,?|keynote\s+by|address\s+by|"
    r"(?:debate|conversation|discussion|dialogue|exchange)\s+(?:between|with)|"
    r"(?:talk|speak|chat)\s+(?:today\s+|now\s+)?with|welcome(?:s|d)?(?:\s+back)?|"
    r"(?:remarks|insights?|comments|perspectives?|presentations?|keynote|address)\s+from|"
    r"(?:under\s+(?:the\s+)?)?chairmanship\s+of)\s*$",
    re.I,
)
# "According to NAME, ROLE, …" reports a speaker only at the head of a sentence; mid-sentence
# ("…which, according to NAME, turned into…") it usually cites someone quoted from elsewhere.
_ACCORDING = re.compile(r"(?:^|[.!?]\s+)according\s+to\s+$", re.I)
# --- names ------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    text = anyascii(unicodedata.normalize("NFC", text)).lower()
    return re.sub(r"[^a-z ]", "", text.replace("-", " "))


@lru_cache(maxsize=4096)
def name_key(name: str) -> str:
    """A key equal for spelling variants of one name (Andrey/Andrei, -skiy/-sky, Ünal/Unal)."""
    key = _fold(clean_name(name))
    key = key.replace("y", "i").replace("j", "i").replace("ks", "x")
    key = re.sub(r"(.)\1+", r"\1", key)
    key = re.sub(r"ii\b", "i", key)
    return " ".join(key.split())


@lru_cache(maxsize=4096)
def _parts(name: str) -> tuple[str, str, str]:
    parsed = HumanName(clean_name(name))
    return name_key(parsed.first or ""), name_key(parsed.last or name), name_key(parsed.nickname)


def _given_names_match(fa: str, fb: str) -> bool:
    if fa == fb or fuzz.ratio(fa, fb) >= 80:
        return True
    if fa in _SHORT and _SHORT.get(fa) == _SHORT.get(fb):
        return True
    # an initial matches its name ("R. Haass" / "Richard Haass")
    return (len(fa) == 1 and fb.startswith(fa)) or (len(fb) == 1 and fa.startswith(fb))


# short forms of English given names ("Jim" is "James"); each row is one name
_SHORT_FORMS = [
    row.split()
    for row in """james jim jimmy jamie|frederick fred freddie|william bill billy will|robert bob
    rob bobby|richard dick rick rich|michael mike mick|thomas tom tommy|anthony tony|david dave
    davi|daniel dan dani|joseph joe|edward ed ted ned|katherine kate katie kathi|catherine cate
    cathi|elizabeth liz beth lisa|susan sue|christopher chris|stephen steve|steven steve|
    alexander alex sasha|andrew andi|benjamin ben|nicholas nick|samuel sam|peter pete|matthew
    matt|timothy tim|gregori greg|jefrei jef|kenneth ken|lawrence lari|ronald ron|donald don|
    ionathan ion|patrick pat|charles charlie chuck|henri hank hari|iohn iack|margaret meg maggie
    pegi|iennifer ieni|mikhail misha|dmitri dima|vladimir volodia""".split("|")
]
_SHORT = {name_key(short): name_key(row[0]) for row in _SHORT_FORMS for short in row}


@lru_cache(maxsize=16384)
def same_person(a: str, b: str) -> bool:
    """True when two names are spellings of one person (a shared surname alone is not enough)."""
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    (fa, la, na), (fb, lb, nb) = _parts(a), _parts(b)
    if not la or not lb or fuzz.ratio(la, lb) < 85:
        return False
    if not fa or not fb:
        return False
    # a nickname in the name ("Thomas “Mack” Ellery") is a given name too
    return any(_given_names_match(x, y) for x in {fa, na} - {""} for y in {fb, nb} - {""})


def mentions(name: str, text: str) -> bool:
    """Whether `text` names this person by full name or surname (any spelling)."""
    return bool(_mention_rx(name).search(text))


@lru_cache(maxsize=4096)  # bounded: `podium schedule` runs for months
def _mention_rx(name: str) -> re.Pattern:
    family = surname(name)
    variants = {re.escape(family), re.escape(anyascii(family))}
    return re.compile(r"\b(?:" + "|".join(sorted(variants)) + r")\b", re.I)


def surname(name: str) -> str:
    """The family name: the last word, past a generational suffix ("Stewart III" -> "Stewart")."""
    words = clean_name(name).split()
    while len(words) > 1 and SUFFIX.fullmatch(words[-1].strip(",")):
        words.pop()
    return words[-1].strip(",") if words else name


# --- finding speakers in text -------------------------------------------------------------------


_WHO_IS = re.compile(
    r"\s*who\s+is\s+(?:also\s+)?(?:the|an?)\s+(?P<role>[^,.;:!?“”\"()]{3,160}?)(?=[,.;:!?]|\s+[–—]|$)"
)


def _role_after(text: str, end: int) -> str | None:
    """ROLE in "NAME, ROLE, noted…" (text from the end of the name)."""
    rest = text[end:]
    if rest.startswith(","):
        rest = rest[1:]
    elif not GLUED.match(text, end - 1):  # "NAMEWashington Post columnist, led…"
        return None
    stop = _ROLE_STOP.search(rest)
    role = rest[: stop.start()] if stop else ""
    role = role.strip(" ,")
    office = _WHO_IS.match(rest)
    if office:  # "NAME, who is the Additional Director of X," bills that office
        return office.group("role")
    if re.match(
        r"(?:was|were|is|are|has|had|will|would|and|but|or|who|which|whose|himself|herself|"
        r"as\s+well\s+as)\b",
        role,
        re.I,
    ):
        return None
    if not role or len(role) > 220 or not re.search(r"[a-z]", role):
        return None
    if re.search(r"\b(?:is|are|was|were|include|includes|included)\b", role):
        return None  # "NAME, the session's panelists include …": a clause, not a role
    if re.match(
        r"(?!(?:news|series|sales|affairs|analysis)\b)[a-z]+s\s+(?:[A-Z]|the\b|a\b|his\b|her\b)",
        role,
    ):
        return None  # "NAME, interviews NAME for…": a verb, not a role
    if _ACTED.match(role):
        return None  # "NAME, read out a letter": what they did, not who they are
    if all(NAME_RX.fullmatch(item.strip()) for item in role.split(",")):
        return None  # "NAME, NAME, NAME" is a list, not a role
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
    if any(person_part(m)[1] for m in NAME_RX.finditer(role)):
        return None  # "Maria Lopez and her brother NAME": another person, not a role
    return role


def _speaking_names(paragraph: str) -> list[tuple[int, str, str | None]]:
    """(offset, name, role) for each name the paragraph reports as speaking."""
    found = []
    for m in _MIDLINE_LABEL.finditer(paragraph):
        found.append((m.start(1), m.group(1), None))
    taken_until = 0
    last_speaker_end = -1  # "a debate between NAME, ROLE, and NAME, ROLE": the second one too
    for m in NAME_RX.finditer(paragraph):
        start, name = person_part(m)
        if name is None or start < taken_until:
            continue
        billed = billed_role(paragraph, start)
        lead_at = paragraph.rfind(billed, 0, start) if billed else m.start()
        before = HONORIFIC_TAIL.sub("", paragraph[max(0, lead_at - 80) : lead_at])
        introduced = bool(_INTRO_BEFORE.search(before)) or bool(_ACCORDING.search(before))
        coordinated = last_speaker_end >= 0 and bool(
            re.fullmatch(r"\s*,?\s*and\s+", paragraph[last_speaker_end:lead_at])
        )
        if start == m.start() and after_preposition(paragraph, start) and not introduced:
            continue
        end = end_of_name(paragraph, m.end())
        after_role = _role_after(paragraph, end)
        tail_at = paragraph.find(after_role, end) + len(after_role) if after_role else end
        org_role, past_org = role_after_org(paragraph, end) if not after_role else (None, end)
        if org_role and _VERB_AHEAD.match(paragraph[past_org:]):
            tail_at = past_org
        elif not introduced:
            org_role = None  # "NAME of ORG" only bills a role for someone speaking
        party = _PARENTHESIS.match(paragraph, tail_at) if not (after_role or org_role) else None
        if party:
            tail_at = party.end()
        tail = paragraph[tail_at:]
        first_role = _role_first(paragraph, start)
        speaking = (
            bool(_VERB_AHEAD.match(_RELATIVE_CLAUSE.sub("", tail, count=1)))
            or bool(SPEAKING_LATER.match(tail))
            or introduced
            or (coordinated and bool(after_role or billed))
            or (bool(after_role) and _opens_sentence(paragraph, m.start()) and _ACTED.match(tail))
            or (bool(first_role and first_role[1]) and bool(_ACTED.match(tail)))
        )
        if not speaking or _ELSEWHERE.match(tail):
            continue
        role = (
            after_role
            or org_role
            or (party.group(1) if party else None)
            or (first_role and first_role[0])
            or billed
            or _role_before(paragraph, start)
        )
        found.append((start, name, role))
        last_speaker_end = tail_at
        if after_role:
            taken_until = tail_at
    return found + _listed_in_prose(paragraph)


# "NAME, ROLE, ranked the sanctions…", "NAME, ROLE, welcoming the guests, stressed…": a person
# the sentence opens on, billed with a role, doing something at the event (a report introduces
# its speakers this way); arriving, dying or joining is not taking part.
_ACTED = re.compile(
    r"^\s*,?\s*(?:[a-z]+ing\b[^,.;:“”\"]{1,120},\s*)?(?:also\s+|then\s+|later\s+)?"
    r"(?!(?:arrived|died|resigned|retired|joined|left|married|moved|served|worked|lived|studied|"
    r"graduated|returned|stepped|succeeded|replaced|founded|owned|used)\b)"
    r"(?:[a-z]{2,}ed|led|gave|took|made|began|spoke|drew|brought|held|offered|read)\b"
)


_ROLE_FIRST = re.compile(
    r"(?:^|(?P<opens>[.!?]\s+)|\b(?:welcome[sd]?|by|with|from|and)\s+)"
    r"(?P<role>(?:[Tt]he|[Aa]n?)\s+[^,.;:“”\"]{3,100}?),\s*$"
)


def _role_first(text: str, start: int) -> tuple[str, bool] | None:
    """ "The representative of X, Director NAME, read out…", "welcome the Minister for Y, Senator
    the Hon. NAME": (the role set before the name by a comma, whether it opens the sentence)."""
    head = text[max(0, start - 160) : start]
    previous = None
    while previous != head:
        previous = head
        head = HONORIFIC_TAIL.sub("", DOTTED_ADDRESS.sub("", head))
        words = head.rstrip().rsplit(" ", 1)
        if len(words) == 2 and words[1].lower() in TITLE_WORDS and words[1][:1].isupper():
            head = words[0] + " "  # "…, Director NAME"
    m = _ROLE_FIRST.search(head)
    if (
        not m
        or _VERBISH.search(m.group("role"))
        or not set(m.group("role").lower().split()) & _ROLE_NOUNS
    ):
        return None
    opens = bool(m.group("opens")) or (m.start() == 0 and start <= 160)
    return m.group("role"), opens


def _role_first_anywhere(name: str, paragraphs: list[str]) -> str | None:
    """A role set before any full mention of the person: "the Minister for X, Senator NAME"."""
    for paragraph in paragraphs:
        for m in NAME_RX.finditer(paragraph):
            start, found = person_part(m)
            if found and same_person(clean_name(found), name):
                first = _role_first(paragraph, start)
                if first:
                    return first[0]
    return None


def _opens_sentence(text: str, start: int) -> bool:
    """Whether a name opens its sentence (forms of address before it aside)."""
    head = HONORIFIC_TAIL.sub("", text[max(0, start - 80) : start]).rstrip()
    return not head or head[-1] in ".!?"


# "NAME, who runs a ferry company, spoke first": the clause between the name and its verb
_RELATIVE_CLAUSE = re.compile(r"^,\s+who\s+[^,.;“”\"]{1,120},")
_PARENTHESIS = re.compile(r"\s*\(([^()]{1,40})\)")


# Words said somewhere else: "told a newspaper in 2019", "wrote in 2015", "once said".
_ELSEWHERE = re.compile(
    r"^\s*,?\s*(?:(?:told|said\s+to|wrote\s+in|in\s+an\s+interview\s+with)\s+(?:(?:a|an|the)\s+)?"
    r"(?:newspaper|paper|reporters?|journalists?|press|media|magazine|radio|television|tv)\b"
    r"|(?:said|told\s+\w+|wrote)\s+(?:back\s+)?in\s+(?:19|20)\d\d\b|once\s+(?:said|wrote|told)\b)",
    re.I,
)
_SELF_INTRO = re.compile(rf"\bI(?:'|’)m\s+({NAME})(?:,\s+|\s+from\s+)")
# "My name is NAME. I’m the president at X.": the role in the next sentence
_SELF_INTRO_THEN_ROLE = re.compile(
    rf"\b(?:[Mm]y\s+name\s+is|I(?:'|’)m|I\s+am)\s+({NAME})\.\s+I(?:'|’)m\s+(?:the\s+|an?\s+)?"
    r"(?P<role>[^.;:!?“”\"]{3,120}?)\.(?:\s|$)"
)
_MIDLINE_LABEL = re.compile(rf"(?:^|(?<=[.!?)\]]\s))(?:Mr|Mrs|Ms|Dr|Prof)\.?\s+({NAME})\s*:\s")


def _role_anywhere(name: str, paragraphs: list[str]) -> str | None:
    """A role given at any mention: "NAME, ROLE," or "I'm NAME from ROLE and"."""
    for paragraph in paragraphs:
        for m in _SELF_INTRO.finditer(paragraph):
            if same_person(m.group(1), name):
                rest = paragraph[m.end() :]
                stop = re.search(r"(?:^|\s+)and\s|[,.;](?:\s|$)", rest)
                role = rest[: stop.start()] if stop else rest
                if role and len(role) < 120:
                    return role.strip()
        for m in _SELF_INTRO_THEN_ROLE.finditer(paragraph):
            role = m.group("role")
            if (
                same_person(m.group(1), name)
                and set(role.lower().split()) & _ROLE_NOUNS
                and not _VERBISH.search(role)
            ):
                return role
        for m in NAME_RX.finditer(paragraph):
            start, found = person_part(m)
            if found and same_person(found, name):
                role = _role_after(paragraph, m.end())
                if role:
                    return role
    return None


# "Ellen Vask is president and CEO of X, a …", "Ms. Vask is a BBC anchor where she …"
_STATED = re.compile(
    r"\s+is,?\s+(?:as\s+[^,.;]{1,80},\s+)?(?:(?:a|an|the)\s+)?(?P<role>[^.;:!?“”\"]{3,160}?)"
    r"(?=,\s+(?:a|an|which|who|where|and\s+(?:she|he))\b|\s+(?:where|who|which|since)\b|"
    r"\.(?:\s|$)|[;:!?]|$)"
)
_ROLE_NOUNS = TITLE_WORDS | set(
    """producer ceo founder co-founder analyst researcher scholar journalist author economist
    lecturer partner expert member manager coordinator strategist historian columnist""".split()
)


def _role_stated(name: str, paragraphs: list[str]) -> str | None:
    """A role the text states in a sentence of its own: "NAME is ROLE", "Ms. SURNAME is ROLE"."""
    family = re.escape(surname(name))
    given = re.escape(name.split()[0])
    whom = rf"(?:{re.escape(name)}|(?i:{HONORIFIC})\s*{family}|{given})"
    rx = re.compile(rf"(?:^|(?<=[.!?]\s)){whom}(?=\s+is[\s,])")
    for paragraph in paragraphs:
        for m in rx.finditer(paragraph):
            stated = _STATED.match(paragraph, m.end())
            if not stated:
                continue
            role = stated.group("role").strip(" ,")
            words = {w.lower().strip(",") for w in role.split()}
            if words & _ROLE_NOUNS and not _VERBISH.search(role):
                return role
    return None


_VERBISH = re.compile(r"\b(?:is|are|was|were|has|have|had|will|would|can|could|not|that)\b")


_LIST_INTRO = re.compile(
    r"\b(?:speakers|panellists|panelists|participants|presenters)\b[^.:;]{0,60}?"
    r"\b(?:comprised|included|include|were|are|featured)\b:?\s*"
    r"|\b(?:featur\w*|includ\w*|with)\s+(?:\w+\s+){0,2}(?:speakers|panel(?:l)?ists|participants|"
    r"presenters|discussants)\s*:?\s*"
    # or the people of a panel: 'the panel "TITLE" with NAME, NAME, and NAME'
    r"|\b(?:panel|discussion|conversation|debate|roundtable)\s+(?:[“\"][^”\"]{1,120}[”\"]\s+)?"
    rf"with\s+(?=(?-i:{NAME}),)"
    # or a labelled line: "Speakers: NAME, ROLE; NAME, ROLE."
    r"|^(?:the\s+)?(?:speakers|panel(?:l)?ists|participants|presenters|discussants|"
    r"moderators?|chair)\s*:\s*",
    re.I,
)
# words that open a turn, never a list of speakers ("Chair: I now welcome…")
_PRONOUNS = {"i", "we", "you", "he", "she", "they", "it", "my", "our", "good", "so", "well", "yes"}
# the list before its verb: "…, NAME, NAME and NAME were speakers of the second session."
_LIST_AFTER = re.compile(
    r"\s+(?:were|was)\s+(?:also\s+)?(?:the\s+|among\s+the\s+)?(?:speakers?|panel(?:l)?ists?|"
    r"discussants?|presenters?)\b",
    re.I,
)
_ITEM_JOINS = re.compile(r"^(?:[\s,]|and\b|while\b|the\b)+|[\s,]+(?:and|while)?\s*$", re.I)


def _list_span_end(paragraph: str, start: int) -> int:
    end = paragraph.find(".", start)
    while end != -1 and re.search(
        r"\b(?:[A-Z]|Rtd|Retd|Ret|Amb|Gen|Lt|Dr|Mr|Ms|Mrs|Prof|Maj|Col|Adm|Capt|Brig|Cdr|Sen|Rep|Gov|"
        r"Rev|Jr|Sr|H\.E|Hon)\)?$",
        paragraph[start:end],
    ):
        end = paragraph.find(".", end + 1)
    return end if end != -1 else len(paragraph)


def _listed_in_prose(paragraph: str) -> list[tuple[int, str, str | None]]:
    """People in a list of speakers, each with the role the list gives: "The key speakers
    comprised ROLE, NAME; NAME, ROLE; and Org's NAME, NAME" and "NAME and NAME were speakers"."""
    spans = []
    for m in _LIST_INTRO.finditer(paragraph):
        first = paragraph[m.end() :].split(" ", 1)[0].lower().strip(",")
        if m.start() == 0 and ":" in m.group(0) and first in NOT_NAME_WORDS | _PRONOUNS:
            continue  # "Chair: I now welcome…" is a turn, not a list
        spans.append((m.end(), _list_span_end(paragraph, m.end())))
    for after in _LIST_AFTER.finditer(paragraph):
        head = paragraph[: after.start()]
        cut = max(head.rfind(". "), head.rfind("; "), head.rfind(": "))
        spans.append((cut + 2 if cut >= 0 else 0, after.start()))
    out = []
    for lo, hi in spans:
        pos = lo
        for item in re.split(r"(;\s*)", paragraph[lo:hi]):
            if item and not item.startswith(";"):
                out.extend(_list_item(paragraph, pos, pos + len(item)))
            pos += len(item)
    return out


_LAST_TWO = re.compile(r"\S+\s+\S+$")


def _list_item(paragraph: str, lo: int, hi: int) -> list[tuple[int, str, str | None]]:
    """The people of one ";"-separated item of a list, with roles before or after each name."""
    found = []
    for m in NAME_RX.finditer(paragraph, lo, hi):
        start, raw = person_part(m)
        if start == m.start() and after_preposition(paragraph, start):
            tail = _LAST_TWO.search(m.group(0))
            if not tail or tail.start() == 0 or paragraph[m.end() : hi].strip(" .,;)"):
                continue
            # "ROLE of Hydrology Casimir Nowel" closing the item: the role runs into the name
            start, raw = m.start() + tail.start(), tail.group(0)
        if raw and not any(w.lower() in TITLE_WORDS for w in clean_name(raw).split()):
            found.append((start, end_of_name(paragraph, m.end()), clean_name(raw)))
    if not found:
        return []

    def gap(a: int, b: int) -> str | None:
        text = _ITEM_JOINS.sub("", re.split(r",\s+who\b", paragraph[a:b])[0]).strip().strip("()")
        text = DOTTED_ADDRESS.sub("", text + " ").strip() or text  # "former CIA Director Gen."
        if not HONORIFIC_TAIL.sub("", text + " ").strip():
            return None  # only "Dr." or "Ambassador": a form of address, not a role
        return text if re.search(r"[a-z]", text) and len(text) <= 220 else None

    bounds = [lo] + [end for _, end, _ in found]
    before = [gap(bounds[k], start) for k, (start, _, _) in enumerate(found)]
    after = [gap(end, found[k + 1][0] if k + 1 < len(found) else hi) for k, (_, end, _) in enumerate(found)]  # fmt: skip
    if not before[0] and len(found) > 1:  # "NAME, Co-founder, Canyon Partners": one person
        people = [found[0]]
        for k in range(1, len(found)):
            if after[k - 1] and not re.fullmatch(r"(?:and\s+)?", after[k - 1]):
                break
            people.append(found[k])
        if len(people) < len(found):
            found = people
            last_end = found[-1][1]
            after = after[: len(found) - 1] + [gap(last_end, hi)]
    if len(found) == 1:
        roles = [after[0] or before[0]]
    elif before[0]:
        roles = before
        shared = re.fullmatch(r"(.+?)['’]s", before[0])
        if shared:  # "Cato's NAME, NAME, and NAME": each of them is Cato's
            roles = [r or shared.group(1) for r in before]
            roles[0] = shared.group(1)
    else:
        roles = after
    return [(start, name, role) for (start, _, name), role in zip(found, roles, strict=True)]


def _candidate(word: str, candidates: list[Mention], at: tuple[int, int]) -> Mention | None:
    """The one person named in full whose surname is `word` ("Kettle" -> "Sarah Kettle"),
    preferring mentions before `at`; None when none or two different people fit."""
    key = name_key(word)
    fits = [c for c in candidates if name_key(surname(c.name)) == key]
    earlier = [c for c in fits if (c.paragraph, c.start) <= at] or fits
    people = []
    for c in earlier:
        if not any(same_person(c.name, p.name) for p in people):
            people.append(c)
    if len(people) != 1:
        return None
    return next((c for c in earlier if c.role and same_person(c.name, people[0].name)), people[0])


_PRONOUN_SPEAKING = re.compile(
    rf"(?:^|[.!?]\s+|[,”\"]\s*)(?i:he|she)\s+(?:also\s+|then\s+|later\s+)?(?:{SPEECH_VERBS})\b"
)


def _pronoun_antecedents(
    paragraphs: list[str], candidates: list[Mention], is_known
) -> list[Mention]:
    """People named in full and then reported speaking only as "she said": the nearest person
    named before the pronoun (in its paragraph or the one before), if no speaker came between."""
    out = []
    for pi, paragraph in enumerate(paragraphs):
        for m in _PRONOUN_SPEAKING.finditer(paragraph):
            before = [
                c
                for c in candidates
                if ((c.paragraph == pi and c.start < m.start()) or c.paragraph == pi - 1)
            ]
            if not before:
                continue
            subjects = [c for c in before if _first_in_sentence(c, paragraphs, candidates)]
            if not subjects:
                continue
            nearest = max(subjects, key=lambda c: (c.paragraph, c.start))
            if is_known(nearest.name) is not None:
                continue
            between = paragraph[nearest.end if nearest.paragraph == pi else 0 : m.start()]
            if nearest.paragraph < pi:
                between = paragraphs[nearest.paragraph][nearest.end :] + " " + between
            if not _SOMEONE_ELSE.search(between):
                out.append(Mention(pi, m.start(), m.end(), nearest.name, nearest.role))
    return out


def _first_in_sentence(c: Mention, paragraphs: list[str], candidates: list[Mention]) -> bool:
    """Whether a mention is the first person its sentence names (its subject, most often)."""
    text = paragraphs[c.paragraph]
    head = text[: c.start]
    sentence_start = max(head.rfind(". "), head.rfind("! "), head.rfind("? "), -1) + 1
    lead = head[sentence_start:].strip()
    if len(lead.split()) > 3 and not billed_role(text, c.start):
        return False
    return not any(
        o.paragraph == c.paragraph and sentence_start <= o.start < c.start for o in candidates
    )


_SOMEONE_ELSE = re.compile(rf"\b[{UPPER}][\w’'‐-]+\s+(?:{SPEECH_VERBS})\b|\b(?i:he|she|they)\b")


def _by_initials(initials: str, people: list[Speaker], candidates: list[Mention]) -> str | None:
    """The one person whose initials a label is ("KL:" for Karin Lund)."""
    names = {p.name for p in people} | {c.name for c in candidates}
    fits = [n for n in names if "".join(w[0] for w in n.split() if w[:1].isupper()) == initials]
    return fits[0] if len(fits) == 1 else None


# a paragraph that stops on a word no sentence ends on: "…I’m NAME from" / "GMF in Brussels…"
_STOPS_MID_SENTENCE = re.compile(r"\b(?:the|an?|of|from|for|to|in|at|on|by|with|and|or|as)$", re.I)


def _run_on(paragraphs: list[str]) -> list[str]:
    """The paragraphs with those that stop mid-sentence joined to the next one, as a transcript
    wrapped at a fixed width breaks them ("Peter Spiegel, the" / "Brussels Bureau Chief…")."""
    joined: list[str] = []
    for paragraph in paragraphs:
        if joined and (_STOPS_MID_SENTENCE.search(joined[-1]) or paragraph[:1].islower()):
            joined[-1] += " " + paragraph
        else:
            joined.append(paragraph)
    return joined


def find_speakers(paragraphs: list[str], listed: list[Speaker]) -> list[Speaker]:
    """Everyone reported as speaking, in order of first mention, the listed ones included.

    A person reported speaking only by surname ("Kettle said", "said Professor Allison") or
    pronoun ("…,” she said) is the person the page named in full with that surname, or the
    nearest one named before the pronoun."""
    people: list[Speaker] = [Speaker(clean_name(s.name), s.role) for s in listed if s.name]
    order: dict[int, float] = {}
    candidates = named_people(paragraphs, _role_after)

    def known(name: str) -> int | None:
        for i, p in enumerate(people):
            if name.endswith(" " + p.name):  # "Estonia Maria Tamm": a place before the name
                return i
            if same_person(p.name, name) or (
                len(name.split()) == 1 and surname(p.name).lower() == name.lower()
            ):
                return i
        return None

    def add(pi: int, offset: int, name: str, role: str | None) -> None:
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

    reports: list[tuple[int, int, str, str | None, bool]] = []
    labels = [paragraph_label(p) for p in paragraphs]
    labelled = [(label, p) for label, p in zip(labels, paragraphs, strict=True) if label]
    if (len(labelled) >= 2 and any(label.name for label, _ in labelled)) or (
        len(labelled) == 1 and introduces_self(*labelled[0])
    ):
        reports += [
            (pi, lb.start, lb.text if INITIALS.fullmatch(lb.text) else lb.name, lb.role, True)
            for pi, lb in enumerate(labels)
            if lb and lb.name
        ]
        reports += [
            (pi, lb.start, lb.name, None, True)
            for pi, (paragraph, opening) in enumerate(zip(paragraphs, labels, strict=True))
            for lb in run_together_labels(paragraph, opening.end if opening else 0)
            if len(lb.name.split()) >= 2
        ]
    for pi, paragraph in enumerate(paragraphs):
        reports += [(pi, off, raw, role, False) for off, raw, role in _speaking_names(paragraph)]
    interview = interview_parts(paragraphs)
    parts = {lb.text.lower() for lb in labels if lb and lb.name is None}
    if interview and parts & QUESTION_LABELS and parts & ANSWER_LABELS:
        reports += [(0, 0, interview[0], None, False), (0, 1, interview[1], None, False)]
    chair = billed_chair(paragraphs)
    if chair and any(lb and lb.name is None and "chair" in lb.text.lower() for lb in labels):
        reports.append((0, 0, chair, "Chair", False))
    for pi, offset, raw_name, role, is_label in sorted(reports, key=lambda r: r[:2]):
        if is_label and INITIALS.fullmatch(raw_name):
            raw_name = _by_initials(raw_name, people, candidates) or ""
            if not raw_name:
                continue  # "KL:" that the page ties to nobody stays unresolved
        name = clean_name(raw_name)
        if len(name.split()) < 2 and known(name) is None:
            found = _candidate(name, candidates, (pi, offset))
            if found:
                name, role = found.name, role or found.role
            elif not is_label:
                continue  # a bare surname only counts for someone the page names
        add(pi, offset, name, role)
    for pi, paragraph in enumerate(paragraphs):
        for m in SURNAME_SPEAKING.finditer(paragraph):
            group = next(g for g in ("after", "before", "thanked") if m.group(g))
            word = clean_name(m.group(group))
            if word.lower() in NOT_NAME_WORDS or word.lower() in TITLE_WORDS:
                continue
            if _ELSEWHERE.match(paragraph[m.end(group) :]):
                continue
            if known(word) is not None:
                order.setdefault(known(word), pi + m.start() / 1e6)
                continue
            found = _candidate(word, candidates, (pi, m.start()))
            if found:
                add(pi, m.start(), found.name, found.role)
    for mention in _pronoun_antecedents(paragraphs, candidates, known):
        add(mention.paragraph, mention.start, mention.name, mention.role)
    sentences = _run_on(paragraphs)
    for person in people:
        owner = re.fullmatch(r"(.+?)['’]s", person.role or "")  # only "BBC's": whose, not what
        if not person.role or owner:
            person.role = (
                _role_anywhere(person.name, sentences)
                or _role_stated(person.name, sentences)
                or _role_first_anywhere(person.name, sentences)
                or (owner and owner.group(1))
            )
    # listed speakers first seen in the text take that place; the rest keep list order at the end
    ranked = sorted(range(len(people)), key=lambda i: order.get(i, len(paragraphs) + i))
    return [people[i] for i in ranked]
