"""Who said what: direct quotes, transcript turns and reported speech, each with its speaker.

* **Transcripts.** A page is a transcript when its turns say so: two labelled paragraphs or
  more, at least one label naming a person (or one turn by a listed speaker). Labels in every
  common style (`mentions.paragraph_label`: "HAASS:", "0:12:31.4 Nora Lund:", "Q12 Chair:",
  "Senator WONG:", "Ms Adamson :", "External Affairs Minister, Dr. NAME:", initials "KL:")
  resolve to a speaker, "Chair" to the chair a members list bills; a run-in line ("READ MORE:",
  "Photo:") is no label. Unlabelled paragraphs continue the turn; labels run together inside a
  paragraph split it. The label never stays in the turn's text.
* **Quotes.** Spans between “ ” « » and straight marks, paired by context so that straight
  marks nested in straight marks, a quote opened with one kind and closed with another, and a
  quote never closed (it runs to its attribution, or on through the next paragraphs) all come
  out whole. Titles (title-cased, or after "the report"), names and scare quotes are not
  quotes; a word or two is speech only inside a sentence reporting a person speaking. With no
  marks at all, a dash dialogue line and a statement after a colon are (less certain) quotes.
* **Attribution**, nearest evidence first: after the quote ("…,” the ambassador said; "…,"
  said NAME), before it (NAME spoke about…: “…”), a continuation of the quote before, then
  the speaker the paragraph is reporting. Names, surnames, pronouns and role nouns resolve to
  an event speaker; words of someone who did not speak at the event get None, never a guess.
  Each attribution carries a confidence; `models.CONFIDENT` separates the sure from the
  uncertain (a pronoun after two people were named is uncertain).
* **Reported speech.** Every sentence gets the speaker it reports, or None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import mentions
from . import speakers as names
from .models import Quote, Sentence, Speaker

OPENERS = "“«„"
CLOSERS = "”»"
_VERBS = names.SPEECH_VERBS
_PRONOUN = r"(?:he|she|they)"
_ROLE_NOUNS = {
    "ambassador": r"ambassador",
    "diplomat": r"ambassador|diplomat|foreign (?:affairs|ministry|minister)|envoy|consul|minist",
    "minister": r"minister",
    "deputy minister": r"deputy minister",
    "expert": r"expert|fellow|analyst|research",
    "professor": r"professor",
    "scholar": r"professor|fellow|research|scholar",
    "researcher": r"research|fellow",
    "analyst": r"analyst|research|fellow",
    "moderator": r"moderat|chair|host",
    "chairman": r"chair",
    "president": r"president",
    "director": r"director",
    "head": r"head|director|chief",
    "official": r"minist|secretary|official|deputy",
    "general": r"general",
    "senator": r"senator",
    "speaker": r".",
}
_ROLE_NOUN = r"(?:the\s+)?(?:(?:russian|iranian|american|chinese|turkish|indian|german|french|british|former|veteran|senior)\s+)?(" + "|".join(
    sorted(_ROLE_NOUNS, key=len, reverse=True)
) + r")"  # fmt: skip

_AFTER_QUOTE = re.compile(
    rf"^[ \t,.;:!?–—-]*(?:"
    rf"(?P<pron>{_PRONOUN})\s+(?:(?:also|then|further|later)\s+)?(?:{_VERBS})\b"
    rf"|(?P<role1>{_ROLE_NOUN})\s+(?:(?:also|then)\s+)?(?:{_VERBS})\b"
    rf"|(?:{_VERBS})\s+(?P<role2>{_ROLE_NOUN})\b(?!\.?\s+(?-i:[{names.UPPER}]))"
    rf"|(?:{_VERBS})\s+(?P<pron2>{_PRONOUN})\b"
    rf"|(?P<rest>[^.!?“”\"«»\n]{{0,260}}?)(?:[.!?](?:\s|$)|$|(?=[“«\n]))"
    rf")",
    re.I,
)
_CROSSTALK = re.compile(r"\s*\[(?:crosstalk|inaudible|laughter)[^\]]*\]\s*$", re.I)
_TITLE_CONTEXT = re.compile(
    r"\b(?:titled|entitled|called|named|dubbed|report|book|conference|forum|session|programme|"
    r"program|project|festival|film|series|slogan|hashtag|newspaper|magazine|agency|center|"
    r"centre|channel|motto|theme|under\s+the\s+(?:title|name|heading))\s*(?:\([^)]*\))?\s*[:,]?\s*$",
    re.I,
)
_SHORT_QUOTE_CUE = re.compile(
    r"\b(?:described|characteri[sz]ed|termed|called|labell?ed|dubbed|according\s+to|as\s+saying|in\s+(?:his|her)\s+words|as\s+(?:he|she)\s+put\s+it|what\s+(?:he|she)\s+called)\b",
    re.I,
)
_SENTENCE_SPLIT = re.compile(
    r"(?<!\b[A-Z])(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bMrs)(?<!\bProf)(?<!\bSt)(?<!\bNo)"
    r"(?<=[.!?…])[”\"»]?\s+(?=[“\"«(\[]?[A-Z0-9А-Я])"
)


@dataclass
class _Span:
    start: int  # offset of the first character inside the marks
    end: int  # offset just past the last character inside the marks
    closed: bool


# --- finding quote spans ------------------------------------------------------------------


def _mark_kind(text: str, i: int) -> str:
    """'open', 'close' or 'both' for the quotation mark at text[i], from its neighbours."""
    c = text[i]
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if c in OPENERS:
        return "open"
    if c in CLOSERS:
        if before.isspace() and after.isalnum():
            return "open"  # a ” used as an opening mark
        return "close"
    # straight mark
    if (before.isspace() or before in "([—–-/") and (after.isalnum() or after in "‘'[(…."):
        return "open"
    if not before.isspace() and (after.isspace() or after in ".,;:!?)—–-" or i + 1 == len(text)):
        return "close"
    return "both"


def quote_spans(text: str) -> list[_Span]:
    """Top-level quotation spans of one paragraph (nested quotes stay inside their outer one)."""
    spans: list[_Span] = []
    depth, start = 0, 0
    for i, c in enumerate(text):
        if c not in OPENERS + CLOSERS + '"':
            continue
        kind = _mark_kind(text, i)
        if depth == 0:
            if kind in ("open", "both"):
                depth, start = 1, i + 1
        elif kind == "open" and c == '"' and _has_closer_ahead(text, i):
            depth += 1
        elif kind == "open" and c in OPENERS and _has_closer_ahead(text, i):
            depth += 1
        elif kind in ("close", "both"):
            depth -= 1
            if depth == 0:
                spans.append(_Span(start, i, True))
    if depth > 0:
        spans.append(_Span(start, len(text), False))
    return spans


def _has_closer_ahead(text: str, i: int) -> bool:
    """A nested opening mark needs two more closing marks ahead (its own and the outer one)."""
    closers = sum(
        1
        for j in range(i + 1, len(text))
        if text[j] in CLOSERS + '"' and _mark_kind(text, j) != "open"
    )
    return closers >= 2


# --- resolving who --------------------------------------------------------------------------


class _Resolver:
    """Names, surnames, pronouns and role nouns -> an event speaker's full name."""

    def __init__(self, people: list[Speaker]):
        self.people = people

    def by_name(self, text: str) -> str | None:
        """The event speaker named in `text` (full name or surname), the last one if several;
        of two speakers who share a surname, the one whose given name stands before it."""
        return self.named(text)[0]

    def named(self, text: str) -> tuple[str | None, bool]:
        """(by_name(text), whether the mention fits more than one speaker: "Lopez" for two)."""
        best, best_key, fits = None, (-1, False), 0
        for p in self.people:
            given = p.name.split()[0].lower()
            for m in names._mention_rx(p.name).finditer(text):
                whole = text[max(0, m.start() - len(given) - 12) : m.start()].lower()
                key = (m.start(), given in whole.split())
                if key[0] == best_key[0] and not key[1] and not best_key[1]:
                    fits += 1
                if key > best_key:
                    best, best_key, fits = p.name, key, 1
        return best, fits > 1

    def in_order(self, text: str) -> list[str]:
        """Every event speaker `text` names, in the order of their first mention."""
        first = {}
        for p in self.people:
            m = names._mention_rx(p.name).search(text)
            if m:
                first[p.name] = m.start()
        return sorted(first, key=first.get)

    def by_role(self, noun: str, recent: list[str]) -> str | None:
        pattern = _ROLE_NOUNS.get(noun.lower(), re.escape(noun))
        fits = [p.name for p in self.people if p.role and re.search(pattern, p.role, re.I)]
        for name in reversed(recent):
            if name in fits:
                return name
        return fits[0] if len(fits) == 1 else None

    def stranger_named(self, text: str) -> bool:
        """Whether `text` names a person (a full name) who is not an event speaker."""
        for m in names.NAME_RX.finditer(text):
            _, found = names.person_part(m)
            if found and not any(names.same_person(found, p.name) for p in self.people):
                if not any(names.surname(p.name).lower() in found.lower() for p in self.people):
                    return True
        return False


def _sentences(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for m in _SENTENCE_SPLIT.finditer(text):
        piece = text[pos : m.start() + len(m.group(0).rstrip())].strip()
        if piece:
            out.append((pos, piece))
        pos = m.end()
    if text[pos:].strip():
        out.append((pos, text[pos:].strip()))
    return out


def _sentence_speaker(
    sentence: str, resolver: _Resolver, recent: list[str]
) -> tuple[str | None, float, str]:
    """Who a sentence reports: named subject, pronoun, role noun, "according to"."""
    low = sentence.lower()
    named = resolver.by_name(sentence)
    several = resolver.in_order(sentence)
    if len(several) > 1:  # "opened by A, and further speakers included B": whose words?
        return several[0], 0.6, "several named"
    if named and re.search(rf"\b(?:{_VERBS})\b|according to", low):
        return named, 0.9, "name"
    m = re.match(rf"^(?:[\w\s,]{{0,40}}?,\s*)?{_PRONOUN}\b", low)
    if m or re.match(r"^(?:according to (?:him|her)|in (?:his|her) (?:opinion|view|words))", low):
        if recent:
            return recent[-1], 0.7, "pronoun"
    m = re.match(rf"^{_ROLE_NOUN}\b", low)
    if m:
        who = resolver.by_role(m.group(1), recent)
        if who:
            return who, 0.7, "role-noun"
    if named:
        return named, 0.6, "name-mentioned"
    return None, 0.0, ""


def _pronoun_confidence(para: str, span: _Span, resolver: _Resolver, sure: float) -> float:
    """How sure "he said" is: `sure` when the paragraph named exactly one person before the
    quote; less when the antecedent lies in an earlier paragraph; uncertain when two or more
    people were named (the pronoun may be either: nothing here knows who is "she")."""
    before = para[: span.start]
    named = {p.name for p in resolver.people if names.mentions(p.name, before)}
    for m in names.NAME_RX.finditer(before):
        _, found = names.person_part(m)
        if found and not any(
            names.same_person(found, n) or names.mentions(n, found) for n in named
        ):
            named.add(found)
    if len(named) == 1:
        return sure
    return 0.7 if not named else 0.6


_ABBREVIATION = re.compile(
    r"\b(Gov|Dr|Prof|Mr|Mrs|Ms|Sen|Rep|Gen|Lt|Col|Maj|Adm|Capt|Amb|Hon|St|Jr|Sr|[A-Z])\."
)


def _attribute_quote(para: str, span: _Span, resolver: _Resolver, recent: list[str],
                     previous: Quote | None) -> tuple[str | None, float, str]:  # fmt: skip
    after = para[span.end + 1 :] if span.closed else ""
    after = _ABBREVIATION.sub(r"\1 ", after)  # "said Gov. NAME": that full stop ends no sentence
    m = _AFTER_QUOTE.match(after)
    if m and (m.group("pron") or m.group("pron2")):
        if recent:
            return (
                recent[-1],
                _pronoun_confidence(para, span, resolver, 0.85),
                "pronoun after quote",
            )
    elif m and m.group("rest") is None:  # "…,” the ambassador said / said the diplomat
        phrase = (m.group("role2") or m.group("role1") or "").lower()
        nouns = [k for k in sorted(_ROLE_NOUNS, key=len, reverse=True) if k in phrase]
        who = resolver.by_role(nouns[0], recent) if nouns else None
        if who:
            return who, 0.8, "role noun after quote"
        if nouns and nouns[0] != "speaker":  # "the minister told Radio X": no such speaker here
            return None, 0.6, "someone not at the event"
    elif m:
        rest = m.group("rest")[:160]
        if re.search(rf"\b(?:{_VERBS}|quotes|according to)\b", rest, re.I):
            who, shared = resolver.named(rest)
            if who:
                return who, 0.6 if shared else 0.95, "name after quote"
            if resolver.stranger_named(rest) or re.search(
                rf"\b[{names.UPPER}][\w’'-]+\s+(?:{_VERBS})\b", rest
            ):
                return None, 0.6, "someone not at the event"
    sentence_start = max(para.rfind(". ", 0, span.start), para.rfind("\n", 0, span.start), -1)
    before = para[sentence_start + 1 : max(0, span.start - 1)]
    if re.search(r"according to", before, re.I) and resolver.stranger_named(before):
        return None, 0.6, "someone not at the event"
    who = resolver.by_name(before)
    if who and re.search(rf"\b(?:{_VERBS})\b|:\s*$|,\s*$", before, re.I):
        return who, 0.85, "name before quote"
    if re.search(rf"\b{_PRONOUN}\b|according to (?:him|her)\b", before, re.I) and recent:
        return recent[-1], _pronoun_confidence(para, span, resolver, 0.8), "pronoun before quote"
    m2 = re.search(_ROLE_NOUN, before, re.I)
    if m2:
        who = resolver.by_role(m2.group(1), recent)
        if who:
            return who, 0.75, "role noun before quote"
    if previous is not None and previous.speaker:
        return previous.speaker, 0.7, "continuation"
    # the paragraph's speaker, unless the sentence names some other subject
    others = [
        w
        for w in re.findall(rf"\b[{names.UPPER}][\w’'-]+", before)
        if w.lower() not in ("he", "she", "they")
    ]
    if recent and not others:
        return recent[-1], 0.5, "paragraph speaker"
    return None, 0.0, ""


def _title_cased(text: str) -> bool:
    """ "Beyond Prohibition: An Adult Approach to Drug Policies", "They Call it Diplomacy":
    three in four longer words capitalised is the shape of a title or a name, not of speech."""
    content = [w for w in re.findall(r"[^\W\d_][\w’'‐-]*", text) if len(w) > 3]
    capitals = sum(1 for w in content if w[0].isupper())
    return len(content) >= 2 and capitals >= 0.75 * len(content)


# a reporting clause with a person as its subject: "he stated", "Morrison said that"
_REPORTING = re.compile(
    rf"(?:\b(?i:he|she)|\b[{names.UPPER}][\w’'-]+),?\s+(?:also\s+)?(?:{_VERBS})\b"
)
_CHARACTERISED = re.compile(
    r"\b(?:called|described|termed|labell?ed)\s+(?:the|this|that|it|its|his|her)\b[^“”\"]{0,40}$",
    re.I,
)
_NOT_THEIR_WORDS = re.compile(r"\b(?:so-called|supposed|alleged|term|word|phrase|dubbed)\s*$", re.I)


def _is_not_speech(para: str, span: _Span, text: str) -> bool:
    """Titles, names of forums and media, scare quotes and labels are not quotes; a word or
    two in quotation marks is speech only inside a sentence that reports a person speaking."""
    words = text.split()
    before = para[max(0, span.start - 60) : max(0, span.start - 1)]
    characterised = _CHARACTERISED.search(before)  # called the conference “a homecoming”
    if (_TITLE_CONTEXT.search(before) and not characterised) or _title_cased(text):
        return True
    if len(words) <= 5:
        sentence_start = max(para.rfind(". ", 0, span.start), 0)
        sentence = para[sentence_start : span.start]
        after = para[span.end + 1 : span.end + 80] if span.closed else ""
        attributed_after = re.match(
            rf"^[\s,.]*(?:(?:{_PRONOUN}|[{names.UPPER}][\w’'-]+|the\s+\w+)\s+(?:{_VERBS})\b"
            rf"|(?:{_VERBS})\s+(?:[\w.]+\s+){{0,3}}[{names.UPPER}])",
            after,
            re.I,
        )
        # a partial quote inside reported speech: "NAME said the regime was "a blockade"";
        # "Trump 2.0" or the supposed "deep state" are labels, not speech
        reported = bool(_REPORTING.search(sentence)) and not _NOT_THEIR_WORDS.search(before)
        cue = _SHORT_QUOTE_CUE.search(sentence)
        named_source = re.search(rf"\baccording\s+to\s+(?:\w+\s+){{0,4}}[{names.UPPER}]", sentence)
        if len(words) <= 2 and not (reported or attributed_after or named_source):
            return True  # a word or two in quotation marks is a label or a scare quote
        if not cue and not attributed_after and not reported:
            return True
        capitals = sum(1 for w in words if w[:1].isupper())
        if capitals == sum(1 for w in words if re.search(r"[^\W\d_]", w)):
            return True  # a name in quotation marks
    return False


# --- transcripts ----------------------------------------------------------------------------


_MODERATOR_LINE = re.compile(
    r"^(?i:moderator|chair|moderated\s+by|chaired\s+by)\s*:?\s*(?P<name>" + names.NAME + r")"
    r"\s*(?:[,(][^.]*)?\.?$"
)
_CHAIR_LABELS = {"moderator", "the moderator", "chair", "the chair", "chairman", "the chairman"}


def _declared_chair(paragraphs: list[str], resolver: _Resolver) -> tuple[int, str] | None:
    """("Moderator: NAME." or "Moderated by NAME.") -> (its paragraph, the speaker's name), when
    NAME is a speaker of the page named in full: only then may a MODERATOR label become a name."""
    for i, para in enumerate(paragraphs):
        m = _MODERATOR_LINE.match(para.strip())
        if m and len(names.clean_name(m.group("name")).split()) >= 2:
            for p in resolver.people:
                if names.same_person(names.clean_name(m.group("name")), p.name):
                    return i, p.name
    return None


def _chair_by_role(paragraphs: list[str], resolver: _Resolver) -> str | None:
    """The one speaker the page bills as the chair (a members list: "Richard Ottaway (Chair)")."""
    billed = mentions.billed_chair(paragraphs)
    if billed:
        return next((p.name for p in resolver.people if names.same_person(p.name, billed)), None)
    chairs = [
        p.name
        for p in resolver.people
        if p.role and re.fullmatch(r"(?:the\s+)?(?:chair|chairman|chairwoman|chairperson)"
                                   r"(?:\s+of\s+the\s+\w+(?:\s+\w+)?)?", p.role.strip(), re.I)
    ]  # fmt: skip
    return chairs[0] if len(chairs) == 1 else None


def _initials(name: str) -> str:
    return "".join(w[0] for w in names.clean_name(name).split() if w[:1].isupper())


def _label_speaker(label: mentions.Label, resolver: _Resolver, chair: str | None,
                   interview: tuple[str, str] | None = None) -> str | None:  # fmt: skip
    """The event speaker a label names: a person, the chair, the interviewer ("Q:") and the
    interviewee ("A:") the introduction names; another part ("Announcer") or an unknown gives None."""
    raw = label.text.strip()
    if label.name is None:
        if interview and raw.lower() in mentions.QUESTION_LABELS | mentions.ANSWER_LABELS:
            who = interview[0] if raw.lower() in mentions.QUESTION_LABELS else interview[1]
            return next((p.name for p in resolver.people if names.same_person(p.name, who)), None)
        return chair if raw.lower() in _CHAIR_LABELS else None
    clean = label.name
    for p in resolver.people:
        if names.same_person(clean, p.name):
            return p.name
    if len(clean.split()) == 1:
        fits = [p.name for p in resolver.people if names.surname(p.name).lower() == clean.lower()]
        if len(fits) == 1:
            return fits[0]
        if mentions.INITIALS.fullmatch(raw):  # "KL:" for the one speaker with those initials
            fits = [p.name for p in resolver.people if _initials(p.name) == raw]
            return fits[0] if len(fits) == 1 else None
    for p in resolver.people:
        if (
            len(clean.split()) >= 2
            and names.surname(clean).lower() == names.surname(p.name).lower()
            and clean.split()[0].lower() == p.name.split()[0].lower()
        ):
            return p.name
    return clean


def _turns(paragraphs: list[str], resolver: _Resolver) -> dict[int, list[Quote]]:
    """Transcript turns, if the page is a transcript: two labelled turns or more, at least one
    by a person, so that one run-in line ("READ MORE:", "Photo:") never makes a transcript."""
    declared = _declared_chair(paragraphs, resolver)
    chair = declared[1] if declared else _chair_by_role(paragraphs, resolver)
    labelled: dict[int, list[tuple[int, int, str | None]]] = {}
    people_labels = 0
    interview = mentions.interview_parts(paragraphs)
    for i, para in enumerate(paragraphs):
        if declared and i == declared[0]:
            continue  # "Moderator: NAME." says who chairs; it is not a turn
        label = mentions.paragraph_label(para)
        if label is None:
            continue
        who = _label_speaker(label, resolver, chair, interview)
        people_labels += label.name is not None or who is not None
        labelled[i] = [(label.start, label.end, who)]
    speakers = {p.name for p in resolver.people}
    named_once = len(labelled) == 1 and any(
        who in speakers for marks in labelled.values() for _, _, who in marks
    )  # one turn by a speaker the page lists ("Kathleen Hicks: Good evening…") is a transcript
    for i in labelled if len(labelled) == 1 else ():
        label = mentions.paragraph_label(paragraphs[i])
        named_once = named_once or bool(label and mentions.introduces_self(label, paragraphs[i]))
    if not people_labels or (len(labelled) < 2 and not named_once):
        return {}
    known = speakers | {who for marks in labelled.values() for _, _, who in marks if who}
    for i, para in enumerate(paragraphs):  # labels run together inside one paragraph
        opening = labelled[i][0][1] if i in labelled else 0
        for label in mentions.run_together_labels(para, opening):
            who = _label_speaker(label, resolver, chair)
            if who in known or len(label.name.split()) >= 2:
                labelled.setdefault(i, [(0, 0, None)])
                labelled[i].append((label.start, label.end, who))
    turns: dict[int, list[Quote]] = {}
    current: str | None = None
    started = False
    for i, para in enumerate(paragraphs):
        if i in labelled:
            started = True
            marks = labelled[i]
            if marks[0][1] == 0:  # text before a run-together label continues the current turn
                marks[0] = (0, 0, current)
            for k, (_, tstart, who) in enumerate(marks):
                tend = marks[k + 1][0] if k + 1 < len(marks) else len(para)
                text = _CROSSTALK.sub("", para[tstart:tend].strip())
                if text:
                    conf = 0.95 if who else 0.5
                    turns.setdefault(i, []).append(
                        Quote(text, who, i, "turn", tstart, conf, "transcript label")
                    )
                current = who
        elif started:
            text = _CROSSTALK.sub("", para.strip())
            if text:
                conf = 0.85 if current else 0.4
                turns[i] = [Quote(text, current, i, "turn", 0, conf, "transcript turn continued")]
    return turns


# a paragraph opening with a dash is a quotation in the dialogue style of many languages:
# "– We will not sign this year, Brenner said."
_DASH_QUOTE = re.compile(r"^\s*[–—―]\s+(?P<text>\S.*)$", re.S)
_DASH_ATTRIBUTION = re.compile(
    rf",\s+(?=(?:(?i:he|she)|[{names.UPPER}][\w’'‐-]+(?:\s+[{names.UPPER}][\w’'‐-]+)*)\s+(?:{_VERBS})\b"
    rf"|(?:{_VERBS})\s+[{names.UPPER}])"
)
# "NAME summed up her position: Ports are cheaper to protect than to rebuild."
_COLON_INTRO = re.compile(rf"\b(?:{_VERBS}|put\s+it|in\s+(?:one|a)\s+(?:line|sentence))\b", re.I)
_COLON_TEXT = re.compile(rf"[{names.UPPER}][^:]{{20,400}}?[.!?](?=\s|$)")


def _unmarked_quote(para: str, i: int, resolver: _Resolver, recent: list[str]) -> Quote | None:
    """A quotation with no quotation marks: a dash dialogue line, or a statement after a colon
    that closes a clause reporting a named speaker. Less certain than a marked quotation."""
    if any(c in para for c in OPENERS + CLOSERS + '"'):
        return None
    m = _DASH_QUOTE.match(para)
    if m:
        cuts = list(_DASH_ATTRIBUTION.finditer(para))
        if cuts:
            cut = cuts[-1]
            who = resolver.by_name(para[cut.end() :])
            if not who and re.match(r"(?i:he|she)\b", para[cut.end() :]) and recent:
                who = recent[-1]
            text = para[m.start("text") : cut.start()].strip()
            return Quote(text, who, i, "quote", m.start("text"), 0.75 if who else 0.3, "dash quote")
    for colon in re.finditer(r":\s+", para):
        head = para[: colon.start()]
        intro = head[max(head.rfind(". "), head.rfind("? "), head.rfind("! "), -1) + 1 :]
        m = _COLON_TEXT.match(para, colon.end())
        if not m or not _COLON_INTRO.search(intro):
            continue
        who = resolver.by_name(intro)
        text = m.group(0)
        if who and len(text.split()) >= 5 and not _title_cased(text):
            return Quote(text, who, i, "quote", m.start(), 0.6, "statement after a colon")
    return None


# --- the whole page -------------------------------------------------------------------------


def attribute(paragraphs: list[str], speakers: list[Speaker]) -> tuple[list[Quote], list[Sentence]]:
    """Quotes (and transcript turns) with their speakers, and every sentence's reported speaker."""
    resolver = _Resolver(speakers)
    turns = _turns(paragraphs, resolver)
    quotes: list[Quote] = []
    sentences: list[Sentence] = []
    recent: list[str] = []
    open_quote: Quote | None = None  # a quote still open at the end of the previous paragraph
    introduced: Sentence | None = None  # "He emphasized that" ending the previous paragraph

    for i, para in enumerate(paragraphs):
        if i in turns:
            quotes.extend(turns[i])
            for start, text in _sentences(para):
                sentences.append(
                    Sentence(i, start, text, turns[i][0].speaker, turns[i][0].confidence, "turn")
                )
            open_quote = None
            continue

        spans = quote_spans(para)
        unmarked = None if spans else _unmarked_quote(para, i, resolver, recent)
        if unmarked is not None:
            quotes.append(unmarked)
            if unmarked.speaker:
                recent.append(unmarked.speaker)
        if introduced is not None and not spans and introduced.speaker:
            q = Quote(para.strip(), introduced.speaker, i, "quote", 0, 0.7, "displayed quote")
            quotes.append(q)
            sentences.extend(
                Sentence(i, s, t, q.speaker, q.confidence, "inside quote")
                for s, t in _sentences(para)
            )
            introduced = None
            continue
        introduced = None
        if open_quote is not None and not any(c in para for c in OPENERS + CLOSERS + '"'):
            q = Quote(
                para.strip(),
                open_quote.speaker,
                i,
                "quote",
                0,
                max(0.5, open_quote.confidence - 0.1),
                "multi-paragraph quote",
            )
            quotes.append(q)
            sentences.extend(
                Sentence(i, s, t, q.speaker, q.confidence, "inside quote")
                for s, t in _sentences(para)
            )
            continue
        open_quote = None

        # reported speech first: it tells who the paragraph is about
        para_sentences = []
        for start, text in _sentences(para):
            who, conf, rule = _sentence_speaker(text, resolver, recent)
            if who:
                recent.append(who)
            para_sentences.append([start, text, who, conf, rule])

        previous: Quote | None = None
        for span in spans:
            text = para[span.start : span.end]
            if not span.closed:
                stop = re.search(
                    rf",\s+(?:{_PRONOUN}|{names.NAME}|the\s+\w+)\s+(?:{_VERBS})\b", text
                )
                if stop:
                    text = text[: stop.start()]
                    span = _Span(span.start, span.start + len(text), True)
                else:
                    text = text.rstrip()
            text = text.strip()
            if not text or _is_not_speech(para, span, text):
                continue
            context_recent = [
                s[2] for s in para_sentences if s[0] <= span.start and s[2]
            ] or recent[-1:]
            who, conf, rule = _attribute_quote(para, span, resolver, context_recent, previous)
            q = Quote(text, who, i, "quote", span.start, conf, rule)
            quotes.append(q)
            previous = q
            if who:
                recent.append(who)
            for s in para_sentences:
                if s[0] <= span.start < s[0] + len(s[1]) + 1 and (not s[2] or s[3] < conf):
                    s[2], s[3], s[4] = who, conf, "quote"
            if not span.closed:
                open_quote = q

        # sentences with no speaker of their own continue the paragraph's speaker
        current = None
        for s in para_sentences:
            if s[2]:
                current = s[2]
            elif current and not resolver.stranger_named(s[1]):
                s[2], s[3], s[4] = current, 0.5, "same paragraph"
            sentences.append(Sentence(i, s[0], s[1], s[2], s[3], s[4]))
        if sentences and re.search(rf"\b(?:{_VERBS})\s+(?:that\s*)?:?\s*$|:\s*$", para, re.I):
            introduced = sentences[-1]
    return quotes, sentences
