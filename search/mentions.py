"""Person mentions: the shapes of people's names in running text, and who a page names.

A *name* is a run of capitalised words with initials and particles ("James M. Lindsay",
"Hans-Joachim Keller", "María de los Ángeles Ruiz", "Thomas “Mack” Ellery III"). Ranks,
honorifics and post-nominals around it (Admiral, Maj. Gen. (Dr.), H.E., Shri, Sir, KCMG, PhD,
(Retd.)) are not the name: `clean_name` drops them, and a *billed role* ("Germany's Foreign
Minister", "Director", "of the Lindesmith Center", ", a co-founder of X,") is kept apart.

`named_people` lists everyone a page introduces by full name, speaking or not, with the role
the page gives them: the *candidates* that a later "Kettle said" or "said Professor Allison"
refers to. An owner is named too ("NAME’s new memoir"), and so is an office holder after the
place of their office ("Ambassador to the United States NAME"). A name glued to the next
block's text ("David IgnatiusWashington Post columnist") ends where the glued text begins.
Which of them spoke is `speakers.find_speakers`' business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

UPPER = "A-Z" + "".join(
    c for c in map(chr, range(0xC0, 0x250)) if c.isupper()
) + "А-ЯЁ"  # fmt: skip
LOWER = "a-z" + "".join(c for c in map(chr, range(0xC0, 0x250)) if c.islower()) + "а-яё"
# "Keller", "O'Sullivan", "McNamara", "Okonkwo-Hale", or a word in capitals ("HAASS"); a
# capital inside a word follows a short prefix (Mc, Mac, De, Fitz) or a hyphen or apostrophe
_WORD = (
    rf"[{UPPER}](?:[{LOWER}]{{1,3}}[{UPPER}](?=[{LOWER}]))?(?:[{LOWER}]|['’‐-][{UPPER}]?(?=[{LOWER}]))*"
    rf"[{LOWER}]|[{UPPER}][{UPPER}'’‐-]*[{UPPER}]"
)
# where a word of a name ends: at a space or a stop, or where text glued on at a block boundary
# begins ("David IgnatiusWashington Post columnist": a name card's name and position run together)
_WORD_END = rf"(?:(?![\w’'‐-])|(?<=[{LOWER}]{{3}})(?=[{UPPER}][{LOWER}]))"
# a lower-case letter and a capital with no space between them: two blocks' texts glued together
GLUED = re.compile(rf"[{LOWER}][{UPPER}]")
_INITIAL = rf"[{UPPER}]\."
_NICKNAME = rf"[“\"‘'][{UPPER}][{LOWER}{UPPER}]+[”\"’']"
_PARTICLE = r"(?:de|da|di|del|della|de\s+los|de\s+las|de\s+la|van|von|der|den|ter|le|la|du|dos|das|al|bin|ibn|el)"
NAME = (
    rf"(?:{_WORD}|{_INITIAL}){_WORD_END}(?:\s+(?:(?:{_WORD}){_WORD_END}|{_INITIAL}|{_NICKNAME}|"
    rf"{_PARTICLE}(?=\s+(?:{_PARTICLE}\s+)?[{UPPER}]))){{1,8}}"
)
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
    pacific atlantic caspian black sea ocean river gulf shri smt senator governor gov admiral
    general sir dame lord baroness excellency hon honourable honorable rabbi sheikh justice judge
    executive board prime chief leader mayor former keynote panel address remarks correspondent
    fellow visiting editor reporter anchor host moderator candidate sciences science war project
    institution centre center chancellor commissioner adviser advisor officer""".split()
)

# ranks, honorifics and forms of address before a name (repeatable: "H.E. Amb Lt Gen (Rtd)")
HONORIFIC = (
    r"(?:(?:his|her)\s+excellency|h\.\s?e\.?|hon(?:'|’)?ble|hon\.?|the\s+hon(?:ourable|orable)?\.?|"
    r"the\s+rt\.?\s+hon\.?|rt\.?\s+hon\.?|dr\.?|\(dr\.?\)|prof\.?|professor|mr\.?|mrs\.?|ms\.?|mx\.?|"
    r"sir|dame|lord|baroness|amb\.?|ambassador|lt\.?|gen\.?|general|col\.?|colonel|maj\.?|major|"
    r"adm\.?|admiral|brig\.?|capt\.?|captain|cdr\.?|commander|rtd\.?|\(rtd\.?\)|\(retd\.?\)|"
    r"president|minister|senator|sen\.?|rep\.?|gov\.?|governor|rev\.?|shri|smt\.?|shrimati|"
    r"sheikh|rabbi|justice|judge|mayor|chancellor)"
)
HONORIFICS = re.compile(rf"^{HONORIFIC}\s+", re.I)
# the honorifics that end a stretch of text just before a name ("said Gov. ", "by Ambassador ")
HONORIFIC_TAIL = re.compile(rf"(?:\b{HONORIFIC}\s+|\((?:dr|rtd|retd)\.?\)\s+)+$", re.I)
# after a name: a class year ('08), post-nominals (KCMG, PhD, (Retd.)) — never part of it
_AFTER_NAME = re.compile(
    r"^(?:\s+['’]\d\d\b|,?\s+(?:KCMG|GCMG|CMG|KBE|DBE|CBE|OBE|MBE|PhD|Ph\.D\.|KC|QC|MP|HSC|FRS|"
    r"Esq\.?)\b\.?|\s*\((?:Retd?\.?|Rtd\.?|retired|Dr\.?)\)(?!\w))+"
)
SUFFIX = re.compile(r"(?:[IVX]{2,4}|Jr\.?|Sr\.?)", re.I)

SPEECH_VERBS = (
    r"said|says|noted|notes|stressed|stresses|emphasi[sz]ed|emphasi[sz]es|emphasi[sz]ing|"
    r"pointed(?:\s+out|\s+to)?|points\s+out|added|argued|argues|believes|believed|considers|"
    r"considered|explained|explains|compared|spoke|speaks|presented|devoted|described|called|"
    r"outlined|analy[sz]ed|has\s+analy[sz]ed|agreed|concluded|characteri[sz]ed|welcomed|opened|"
    r"moderated|moderates|asked|answered|told|remarked|warned|suggested|recalled|insisted|observed|"
    r"underlined|highlighted|mentioned|urged|expressed|shared|touched|briefly\s+outlined|"
    r"summed\s+up|stated|declared|acknowledged|admitted|cautioned|commented|continued|"
    r"elaborated|focused|focussed|reminded|replied|responded|addressed|delivered|gave|opined|"
    r"thinks|thought|predicted|claimed|assured|announced|proposed|acted|was\s+the\s+first|"
    r"went\s+on|drew|discussed|talked|reflected|questioned|estimated|expects|expected|"
    r"disagreed|objected|countered|echoed|conceded|contended|maintained|recommended|"
    r"warns|recalls|adds|told|wrote|presenting|opening|closing|quipped|joked|recounted|"
    r"recounting|kicked\s+off|chaired|chairs|hosted|introduced|testified|contends|insists|"
    r"observes|explains|asks|answers|replies|concludes"
)
# a speech verb later in the same clause: "NAME led the celebrations, saying that…"
SPEAKING_LATER = re.compile(
    r"^[^.!?“”\"]{0,120}?,\s+(?:saying|stating|adding|noting|arguing|telling|explaining|"
    r"declaring|insisting|warning|recalling|remarking|observing)\b",
    re.I,
)


def _title_word(word: str) -> str:
    """One word of a name in capitals in the page's usual case ("MCLARTY" -> "McLarty")."""
    if len(word) < 2 or not word.isupper() or SUFFIX.fullmatch(word) or re.fullmatch(r"\w\.", word):
        return word
    out = "-".join(part.capitalize() for part in word.split("-"))
    out = re.sub(r"([“\"‘'])(\w)", lambda m: m.group(1) + m.group(2).upper(), out)
    return re.sub(r"^(Ma?c)(\w)", lambda m: m.group(1) + m.group(2).upper(), out)


@lru_cache(maxsize=8192)
def clean_name(name: str) -> str:
    """A display name without honorifics, ranks, titles, post-nominals or extra spaces."""
    name = re.sub(r"\s+", " ", name).strip(" ,;:")
    previous = None
    while previous != name:
        previous = name
        name = HONORIFICS.sub("", name).strip()
        name = _AFTER_NAME.sub("", name).strip(" ,")
        name = re.sub(rf"(?:{_AFTER_NAME.pattern[1:]})$", "", name).strip(" ,")
    words = name.split()
    if any(w.isupper() and len(w.strip(".")) > 1 and not SUFFIX.fullmatch(w) for w in words):
        words = [_title_word(w) for w in words]  # "JOHN J. HAMRE" -> "John J. Hamre"
    return " ".join(words)


# what a speaker owns at an event: "NAME’s opening remarks", "NAME’s new memoir" (not "NAME’s
# tariffs", which are usually an absent person's)
_OWNED_AT_EVENT = re.compile(
    r"\s+(?:(?:new|latest|recent|opening|closing|keynote|introductory)\s+)*(?:remarks|speech|"
    r"address|keynote|presentation|talk|lecture|comments|book|memoir|report|paper|study)\b"
)


def person_part(m: re.Match, owner: bool = False) -> tuple[int, str | None]:
    """The personal name at the end of a capitalised run ("Scientific Council Davud Keyani");
    with `owner`, also the name that owns what a speaker brings to an event ("NAME’s new memoir",
    "NAME’s remarks")."""
    words = m.group(0).split()
    if (
        owner
        and len(words) > 1
        and re.search(r"\w['’]s$", words[-1])
        and _OWNED_AT_EVENT.match(m.string, m.end())
    ):
        words[-1] = words[-1][:-2]
    keep = 0
    for i, w in enumerate(words):
        bare = w.lower().strip("’'.")
        if bare in TITLE_WORDS or bare in NOT_NAME_WORDS or bare.split("-")[0] in TITLE_WORDS:
            keep = i + 1
        elif re.search(r"['’]s$", w) and i + 1 < len(words):
            keep = i + 1  # "Germany’s Foreign Minister NAME": a possessive is never in a name
    words = words[keep:]
    if words and m.string[m.end() : m.end() + 1] == "." and DOTTED_ADDRESS.match(words[-1] + "."):
        return m.start(), None  # "Director of National Intelligence Adm." NAME: an address
    if (
        len(words) < 2
        or re.search(r"['’]s$", words[-1])
        or words[-1].isupper()
        and len(words[-1]) > 1
        and len(words) == 2
        and words[0].isupper()
    ):
        return m.start(), None
    start = m.start() + m.group(0).find(words[0]) if keep else m.start()
    return start, " ".join(words)


NOT_NAME_WORDS = {
    "the", "this", "that", "these", "in", "on", "at", "as", "but", "and", "it", "he", "she",
    "they", "we", "according", "however", "moreover", "meanwhile", "during", "after", "before",
    "special", "guest", "participant", "dear", "welcome", "thank", "thanks", "with", "by",
    "i'm", "i’m", "i", "we're", "we’re", "i've", "i’ve",
}  # fmt: skip


# --- the people a page names ----------------------------------------------------------------


@dataclass
class Mention:
    """A person named in full in the text, with the role the text bills them in (or None)."""

    paragraph: int
    start: int  # offset of the name in the paragraph
    end: int  # offset just past the name and anything that belongs to it ('08, (Retd.))
    name: str  # clean_name(): no honorifics or post-nominals
    role: str | None = None


_BOUNDARY = re.compile(
    rf"(?:[,;:(“”\"]|—|–|\b(?:by|and|included|includ\w+|featur\w+|were|was|with|at|to|from|between|"
    rf"chairmanship\s+of|"
    rf"{SPEECH_VERBS})\b|(?:^|[.!?])\s)",
    re.I,
)


# forms of address that end a billed role: "former CIA Director Gen." NAME
_ADDRESS_TAIL = re.compile(
    r"(?:\s+|^)(?:(?:Gen|Dr|Mr|Mrs|Ms|Prof|Sen|Rep|Gov|Adm|Capt|Lt|Col|Maj|Brig|Cdr|Amb|Hon|Rev)\.?"
    r"|\(Dr\.?\))(?:\s+(?:(?:Gen|Dr|Lt|Maj|Col)\.?|\(Dr\.?\)))*$"
)
# dotted forms of address just before a name, which would read as a sentence's end: "Adm. NAME"
DOTTED_ADDRESS = re.compile(
    r"(?:\b(?:Gen|Dr|Mr|Mrs|Ms|Prof|Sen|Rep|Gov|Adm|Capt|Lt|Col|Maj|Brig|Cdr|Amb|Hon|Rev)\.\s*"
    r"|\(Dr\.?\)\s*|\bthe\s+(?:Rt\.?\s+)?Hon(?:ourable|orable)?\.?\s*)+$"
)
# a title joined by "and" to the one billed just before a name, after "by", "from", "with"
_TITLE_AND = re.compile(rf"\b(?:by|from|with|between)\s+((?:[{UPPER}][\w’'‐-]*\s+){{1,4}})and\s*$")
_ROLE_HEAD = re.compile(rf"(?:[{UPPER}]|(?:former|then|acting|deputy|senior|chief|vice|co-)\b)")
_CLAUSE = re.compile(r"\b(?:is|are|was|were|be|been|has|have|had|to|will|would|can|could)\b", re.I)


def billed_role(text: str, start: int) -> str | None:
    """A title or office billed just before a name: "said Liberal leader NAME", "Germany's
    Foreign Minister NAME", "Director NAME". A bare form of address (Dr., Ambassador) is none."""
    head = DOTTED_ADDRESS.sub("", text[max(0, start - 160) : start])
    cut = 0
    for m in _BOUNDARY.finditer(head):
        cut = m.end()
    role = head[cut:].strip(" ,")
    joined = _TITLE_AND.search(head[:cut])
    if (
        joined and role and joined.group(1).split()[-1].lower() in TITLE_WORDS
    ):  # "from Vice President and Director of the X program NAME"
        role = joined.group(1) + "and " + role
    role = _ADDRESS_TAIL.sub("", role).strip() or role  # "former CIA Director Gen. NAME"
    if re.search(r"\b(?:of|the|for|and|at|in|on|to|from|with|a|an)$", role):
        return None  # "NAME of the": the run ahead is an organisation, not a person
    if not role or len(role.split()) > 9 or not _ROLE_HEAD.match(role) or _CLAUSE.search(role):
        return None
    if not HONORIFIC_TAIL.sub("", role + " ").strip() or role.count(")") > role.count("("):
        return None  # only "Dr." or "Ambassador", or the tail of "Maj. Gen. (Dr.)"
    if re.match(r"(?:the|a|an|on|in|of|as|after|during|for|this|that)\b", role, re.I):
        return None
    if role.split()[0].lower() in NOT_NAME_WORDS:
        return None  # "I'm NAME": a self-introduction, no role
    return role


def role_after_org(text: str, end: int) -> tuple[str | None, int]:
    """ "NAME of the Progressive Policy Institute said" / "NAME from X's Board welcomed":
    (the organisation, the offset past it)."""
    m = _OF_ORG.match(text, end)
    if not m:
        return None, end
    org, end = m.group("org"), m.end()
    if org.endswith(".") and not re.search(r"\b(?:[A-Z]|Inc|Ltd|Co|Corp)\.$", org):
        org, end = org[:-1], end - 1  # the sentence's full stop, not an abbreviation's
    return org.strip(), end


_OF_ORG = re.compile(
    rf"\s+(?:of|from)\s+(?:the\s+)?(?P<org>[{UPPER}0-9][\w’'‐–-]*(?:\s+(?:of|for|and|on|the|"
    rf"[{UPPER}0-9][\w’'‐–.-]*))*)"
)


def end_of_name(text: str, end: int) -> int:
    """Past the class year, post-nominals and "(Retd.)" that follow a name."""
    m = _AFTER_NAME.match(text[end:])
    return end + m.end() if m else end


def named_people(paragraphs: list[str], role_after) -> list[Mention]:
    """Everyone the text names in full, in order, with the role the text gives at that mention
    (`role_after(text, end)` reads an appositive "NAME, ROLE,")."""
    out = []
    for pi, paragraph in enumerate(paragraphs):
        for m in NAME_RX.finditer(paragraph):
            start, raw = person_part(m, owner=True)
            if raw is None:
                continue
            name = clean_name(raw)
            if len(name.split()) < 2:
                continue
            end = end_of_name(paragraph, m.end())
            role = role_after(paragraph, end) or billed_role(paragraph, start)
            if not role:
                role, _ = role_after_org(paragraph, end)
            if start == m.start() and after_preposition(paragraph, start):
                envoy = _envoy(paragraph, m, name)
                if not envoy:
                    continue  # "the Center for Long-Term Care Financing", "in New Delhi": not people
                start, name, role = envoy
            out.append(Mention(pi, start, end, name, role))
    return out


# an office held towards a place, billed before the place and the name: "former British
# Ambassador to the United States NAME", "Special Envoy for the Arctic NAME"
_OFFICE_TOWARDS = re.compile(
    rf"(?:\b(?:former|then|acting|outgoing|incoming)\s+)?(?:[{UPPER}][\w’'‐-]*\s+){{0,3}}"
    r"(?:Ambassador|Envoy|Representative|Consul|High\s+Commissioner|Permanent\s+Representative)"
    r"\s+(?:to|for|at)\s+(?:the\s+)?$"
)


def _envoy(paragraph: str, m: re.Match, name: str) -> tuple[int, str, str] | None:
    """(start, name, role) for a run that opens on the place an office is held towards and ends
    on the office holder's name: "Ambassador to the [United States Peter Westmacott]"."""
    office = _OFFICE_TOWARDS.search(paragraph, 0, m.start())
    words = name.split()
    if not office or len(words) < 3:
        return None
    size = 3 if re.fullmatch(_INITIAL, words[-2]) else 2
    place, person = " ".join(words[:-size]), " ".join(words[-size:])
    at = paragraph.find(person, m.start())
    return (at if at >= 0 else m.start()), person, office.group(0) + place


_PREPOSITION_BEFORE = re.compile(
    r"(?:\b(?:at|in|of|from|on|between|into|for|across|near|under|over|the|against)\s+|[“\"«‘])$",
    re.I,
)


def after_preposition(text: str, start: int) -> bool:
    """Whether a capitalised run follows a preposition or article ("of the Hoover Institution",
    "in New Delhi"): then it names a place or an organisation, not a person."""
    return bool(_PREPOSITION_BEFORE.search(text[max(0, start - 20) : start]))


# a capitalised single word reported speaking: "Kettle said", "Kettle, 54, said",
# "said Professor Allison", "asking Ambassador Lund to describe…"; or a guest the host thanks
# for taking part: "Thank you for being with us, Assistant Secretary Lund."
SURNAME_SPEAKING = re.compile(
    rf"(?:\b(?:{SPEECH_VERBS}|asking)\s+(?:(?i:{HONORIFIC})\s+)*(?P<after>[{UPPER}][\w’'‐-]+)\b"
    rf"(?!\s+[{UPPER}])|(?<![\w.])(?:(?i:{HONORIFIC})\s+)*(?P<before>[{UPPER}][\w’'‐-]+)"
    rf"(?:,\s+\d{{1,3}},)?,?\s+"
    rf"(?:also\s+|then\s+|later\s+)?(?:{SPEECH_VERBS})\b"
    rf"|\b(?i:thanks?(?:\s+you)?(?:\s+(?:so|very)\s+much)?\s+for\s+(?:being\s+(?:with|here\s+with)|"
    rf"joining)\s+(?:us|me)(?:\s+today|\s+tonight)?),\s+(?:[{UPPER}][\w.’'‐-]*\s+){{0,4}}?"
    rf"(?P<thanked>[{UPPER}][\w’'‐-]+)(?=[.!?,;]))",
)


_BILLED_CHAIR = re.compile(
    rf"(?P<name>{NAME})\s*\((?:the\s+)?(?:Chair|Chairman|Chairwoman|Chairperson)(?:\s+of\s+[^)]*)?\)"
)


def billed_chair(paragraphs: list[str]) -> str | None:
    """The one person a members list bills as the chair ("Dame Ruth Carrow (Chair); …")."""
    found = {clean_name(m.group("name")) for p in paragraphs for m in _BILLED_CHAIR.finditer(p)}
    return found.pop() if len(found) == 1 else None


_INTERVIEW = re.compile(
    rf"(?P<q>{NAME})\s+(?:interview(?:ed|s)|(?:spoke|speaks|talked|talks)\s+(?:with|to)|"
    rf"(?:sat|sits)\s+down\s+with|(?:is\s+)?in\s+conversation\s+with)\s+(?P<a>{NAME})"
)
QUESTION_LABELS = {"q", "question"}
ANSWER_LABELS = {"a", "answer"}


def interview_parts(paragraphs: list[str]) -> tuple[str, str] | None:
    """(interviewer, interviewee) from an introduction such as "NAME interviewed NAME", for
    the "Q:" and "A:" labels of an interview transcript."""
    for paragraph in paragraphs[:4]:
        m = _INTERVIEW.search(paragraph)
        if m:
            return clean_name(m.group("q")), clean_name(m.group("a"))
    return None


INITIALS = re.compile(rf"[{UPPER}]{{2,3}}")


# --- transcript labels ----------------------------------------------------------------------

_TIMESTAMP = r"(?:[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?[\])]?\s+)"
_QUESTION_NO = r"(?:Q\s?\d+\.?\s+)"
_LABEL_AT_START = re.compile(
    rf"^\s*{_TIMESTAMP}?{_QUESTION_NO}?(?P<label>\((?:video|audio)\)|[^\s:][^:\n]{{0,70}}?)\s*:(?=\s|$)"
)
# labels that stand for a part in the proceedings, not a named person
ROLE_LABELS = {
    "q", "a", "question", "answer", "chair", "the chair", "chairman", "chairwoman", "chairperson",
    "the chairman", "moderator", "the moderator", "host", "announcer", "interviewer",
    "audience member", "audience", "participant", "narrator", "(video)", "(audio)", "video",
    "audio", "unidentified speaker", "speaker", "male speaker", "female speaker", "the president",
}  # fmt: skip
# words of run-in labels in news and web pages ("READ MORE:", "WATCH:", "KEEPING SCORE:")
_RUN_IN_WORDS = set(
    """more read watch related photo photos score keeping see also listen update updated note
    editor editors source sources credit caption image images video subscribe follow share click
    tags topics sign download transcript summary contents date time location venue speakers
    agenda correction disclaimer warning breaking exclusive live analysis opinion comment
    background context why what how when where who next previous top featured latest trending
    sponsored advertisement full text part chapter section episode season programme program
    event events about contact email phone tel fax address website web link links page pages
    published posted by in on at from to the of and for with report reports bottom line key
    points takeaways quote quotes fact facts figure figures table chart map story stories
    audio podcast newsletter members present witnesses witness panel session""".split()
)


@dataclass
class Label:
    """A transcript label at the head of a paragraph: "Q12 Chair:", "0:12:31.4 Nora Lund:"."""

    start: int  # offset of the label text
    end: int  # offset of the turn's first character (past the colon and spaces)
    text: str  # the label as written, without timestamp or question number
    name: str | None  # the person it names (clean_name), None for a part ("Chair", "Q")
    role: str | None = None  # "External Affairs Minister, Dr. S Jaishankar:" bills a role


def paragraph_label(paragraph: str) -> Label | None:
    """The speaker label a paragraph opens with, if it has the shape of one."""
    m = _LABEL_AT_START.match(paragraph)
    if not m:
        return None
    raw = m.group("label").strip()
    end = m.end()
    while end < len(paragraph) and paragraph[end].isspace():
        end += 1
    if raw.lower() in ROLE_LABELS:
        return Label(m.start("label"), end, raw, None)
    name = label_name(raw)
    role = raw.rsplit(",", 1)[0].strip() if "," in raw else None
    return Label(m.start("label"), end, raw, name, role) if name else None


_RUN_TOGETHER_LABEL = re.compile(
    rf"(?<=[.!?)\]”…])\s+(?P<label>(?:(?:Mr|Mrs|Ms|Dr|Prof|Senator|Sen)\.?\s+)?(?:{NAME}|"
    rf"[{UPPER}][{UPPER}'’-]+))\s*:\s+"
)


def run_together_labels(paragraph: str, start: int = 0) -> list[Label]:
    """Labels inside a paragraph past `start`, after a sentence's end, that name a person: a
    transcript whose turns run together ("…past pandemics? Dominic Raab: We are…")."""
    found = []
    for m in _RUN_TOGETHER_LABEL.finditer(paragraph, start):
        name = label_name(m.group("label"))
        if name:
            found.append(Label(m.start("label"), m.end(), m.group("label"), name))
    return found


def introduces_self(label: Label, paragraph: str) -> bool:
    """Whether a labelled turn opens with its speaker introducing themself ("Kathleen Hicks: Good
    evening. I'm Kathleen Hicks."): then one label is enough to make a page a transcript."""
    if not label.name or len(label.name.split()) < 2:
        return False
    opening = paragraph[label.end : label.end + 400]
    return bool(
        re.search(rf"\b(?:I['’]m|I\s+am|[Mm]y\s+name\s+is)\s+{re.escape(label.name)}\b", opening)
    )


def label_name(raw: str) -> str | None:
    """The person a label names ("External Affairs Minister, Dr. S Jaishankar" -> "S Jaishankar",
    "Senator WONG" -> "Wong"), or None when it is not a name's shape ("READ MORE", "Photo")."""
    text = raw.rsplit(",", 1)[-1].strip() if "," in raw else raw.strip()
    text = clean_name(text)
    words = text.split()
    if not 1 <= len(words) <= 5:
        return None
    for w in words:
        bare = w.strip("“”\"‘’'.()").lower()
        if bare in _RUN_IN_WORDS or bare in TITLE_WORDS:
            return None
        if not (w[:1].isupper() or w[:1] in "“\"‘'" or re.fullmatch(_PARTICLE, w)):
            return None
    if len(words) == 1 and not (raw.split()[-1].isupper() or re.search(HONORIFIC, raw, re.I)):
        return None  # one Title-case word ("Summary") is a heading unless it is a surname in caps
    return text
