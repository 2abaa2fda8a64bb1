"""Benchmark: Podium's search latency on a synthetic corpus, against SQLite FTS5 and tantivy.

Prints figures; asserts nothing. Usage (from the project root; tantivy from `pip install -e .[bench]`):

    python bench/search_bench.py --n 10000 100000
    python bench/search_bench.py --n 100000 --workdir /tmp/sb --reuse --json figures.json

* corpus: N passages of synthetic think-tank event reports, deterministic for a --seed: a few
  thousand words of foreign-policy English drawn Zipf-wise, with topic words (sanctions,
  energy, Iran, Arctic, grain, cyber, ...) clustered by event; ~300 speakers with roles; ~N/40
  events with titles, 20 organisations, dates 2015-2026. Events are built as Podium's
  ingest builds them: each paragraph is a passage, and so are its sentences, its quotes and
  its transcript turn, sharing the paragraph's collapse key. Kinds come out near the
  proportions of the bundled and dev pages (sentence 56%, paragraph 26%, quote 9%, turn 8%).
* indexes: IndexDoc objects through `podium.index.rebuild(index_dir, docs, procs=P)`; the
  same passages into SQLite FTS5 and into tantivy. Build time, passages/s, size on disk.
* queries: --queries (500) seeded, of eight types: one word, two or three words, "exact
  phrase" from the corpus, speaker:surname + word, word + date range, word + organisation,
  word + kind, and a misspelt word. Each is run, interleaved across the engines, twice:
  cold (the first run of that query in the process; the files are in the page cache) and
  warm. The table gives warm latencies.
  - podium: `podium.query.search` in this process (collapse, facets, highlights, did-you-mean).
  - http: GET /api/search on `python -m podium.cli --home HOME serve` (waitress), one
    keep-alive connection, sequential. HOME has an empty store, so no citation is rendered.
    --cite-queries K more runs hit a second server whose store holds the corpus, so each
    page of hits gets its citations (pandoc, cached after the first render).
  - fts5 / tantivy: the same query translated; see the notes the script prints.
* code: by default the script copies search/ and web/ at start and runs itself (and the
  server) on that copy, so an edit to the tree during the run cannot mix two versions; the
  hashes of query.py, index.py, meaning.py and web/api.py are printed (--no-snapshot: the tree).
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import platform
import random
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from podium.models import IndexDoc, SearchRequest
from podium.vocabulary import PASSAGE_KINDS, SEARCH_KINDS

GEN_VERSION = 1  # bump when the corpus generator changes, so --reuse rebuilds

# --- vocabulary -------------------------------------------------------------------------------

# Function words, most frequent first: they take the top Zipf ranks.
FUNCTION_WORDS = """
the of and to a in that is for it as was on with be by this are not at from or have an they
which but has we their been would will its also there more can all if so about what than our
other into these them only some could after no may when should over such new must those even
most because between many while both where how then very much any through before against
without under well still just however since each within whether among did do does two three
first being same another further here rather who his her he she you one were had i my me us
up out like now make made way too own less least enough almost already again ever never often
always perhaps indeed yet although though unless until toward towards across along around
beyond during despite per via upon whom whose why
"""

NOUNS = """
policy security state government country region world war peace conflict crisis order power
relation interest economy trade market investment growth development question issue problem
view position approach strategy decision agreement treaty negotiation talk dialogue partnership
alliance partner neighbour border territory law rule institution organisation community system
leader president minister ministry parliament election party society citizen generation
expert analyst scholar panel discussion conference forum session meeting summit event report
paper study history future year decade century month week day time moment period stage phase
process change reform transition shift trend risk threat challenge opportunity response
pressure role place part side level scale share number range area zone route corridor port
ship fleet navy army troop weapon missile budget cost price pipeline supply demand export
import tariff currency dollar bank payment debt restriction measure regime climate
environment farmer industry technology network platform company corporation business sector
worker job income pandemic vaccine hospital university school student teacher scientist
journalist newspaper narrative story message signal language culture identity religion value
norm principle right freedom democracy ideology idea concept theory model framework
architecture structure foundation mechanism instrument tool goal objective aim purpose
priority agenda plan programme project initiative proposal solution compromise concession
condition guarantee commitment obligation responsibility reputation image status hierarchy
balance rivalry competition confrontation escalation ceasefire truce settlement resolution
court tribunal judge case dispute claim complaint protest demonstration revolution coup
uprising insurgency terrorist militant rebel group faction tribe minority majority diaspora
migrant refugee visa passport embassy ambassador diplomat envoy delegation mission consulate
representative spokesman official bureaucracy administration cabinet chancellor premier
monarch king prince general admiral officer soldier veteran commander intelligence agency
service spy operation campaign offensive invasion occupation annexation withdrawal retreat
victory defeat loss casualty victim survivor witness memory anniversary legacy tradition
heritage civilisation empire nation republic federation union bloc coalition axis pole
superpower hegemon ally adversary enemy opponent competitor rival friend neighbourhood
periphery centre capital city village province district frontier coast island sea ocean river
lake mountain valley desert steppe forest field farm mine factory plant refinery terminal
tanker vessel cargo container freight shipment delivery contract deal bargain auction
tender licence permit quota subsidy tax revenue profit dividend asset reserve fund loan credit
bond share stock exchange index rate yield deficit surplus account balance shortage surplus
crop harvest wheat barley maize corn rice fertiliser seed drought flood famine hunger
shortage ration stockpile warehouse reactor plant uranium enrichment centrifuge inspector
inspection verification safeguard protocol annex clause article paragraph chapter amendment
draft vote veto resolution mandate charter declaration statement communique speech address
lecture interview podcast episode broadcast channel outlet audience reader viewer listener
moderator chair host guest speaker participant panellist discussant respondent audience
student fellow director editor professor researcher economist historian lawyer engineer
banker investor entrepreneur executive manager owner founder member chairman secretary
deputy adviser consultant negotiator mediator observer monitor critic supporter sceptic
optimist pessimist realist idealist hawk dove pragmatist reformer conservative liberal
socialist nationalist populist technocrat elite establishment middle class youth pensioner
consumer voter taxpayer household family child parent woman man person individual population
workforce labour skill education training knowledge information evidence research data
statistic survey poll estimate forecast projection scenario assumption hypothesis argument
thesis claim belief perception misperception misunderstanding mistake error miscalculation
lesson example precedent model pattern logic dynamic factor driver cause effect consequence
outcome result impact implication dimension aspect element component feature characteristic
quality quantity capacity capability potential strength weakness vulnerability resilience
dependence interdependence independence autonomy sovereignty integrity unity diversity
pluralism multipolarity fragmentation polarisation division gap divide bridge link tie bond
channel contact exchange visit tour trip journey arrival departure return
"""

MASS_NOUNS = """
energy oil gas coal electricity hydrogen nuclear water food grain shipping infrastructure
cooperation leadership opposition public diplomacy defence deterrence inflation finance
agriculture innovation internet health welfare poverty inequality propaganda media science
trust confidence legitimacy credibility prestige influence leverage stability instability
uncertainty volatility turbulence chaos dominance hegemony mediation arbitration terrorism
nationalism populism liberalism authoritarianism multilateralism regionalism globalisation
unemployment transparency accountability migration asylum climate sustainability connectivity
logistics insurance aid assistance support funding spending investment
"""

VERBS = """
say argue note stress warn suggest add recall believe think expect hope fear doubt insist
claim explain describe discuss consider propose recommend urge call ask answer reply respond
agree disagree reject accept support oppose criticise praise welcome condemn acknowledge admit
deny confirm announce declare state emphasise underline highlight point remind observe conclude
assume estimate predict forecast calculate measure assess evaluate analyse examine study review
compare contrast link connect separate divide unite integrate include exclude involve engage
participate contribute share offer provide supply deliver export import produce manufacture
build construct develop design create establish found launch start begin continue maintain
sustain preserve protect defend secure guard threaten attack invade occupy annex withdraw
retreat advance move shift turn change transform reform adapt adjust modify improve strengthen
weaken undermine erode destroy damage restore repair recover rebuild return remain stay
leave enter join sign ratify implement enforce violate breach comply respect ignore neglect
overlook miss lose gain win benefit profit suffer face confront tackle address handle manage
govern rule control regulate restrict limit ban sanction punish reward encourage discourage
prevent avoid reduce increase raise lower cut boost expand extend widen narrow deepen
intensify escalate ease calm resolve settle mediate negotiate bargain trade invest finance
fund lend borrow owe pay spend save allocate distribute redistribute transport ship carry
transit route block open close reopen pass cross reach approach seek search look watch monitor
follow lead guide shape influence affect determine define decide choose prefer favour select
elect vote appoint nominate dismiss resign replace succeed fail try attempt manage struggle
work cooperate coordinate align balance hedge counter resist challenge compete rival dominate
depend rely trust question doubt test verify inspect demonstrate show reveal expose hide
conceal publish report inform brief discuss debate host organise convene chair moderate
attend visit travel meet talk speak listen learn teach train educate understand recognise
realise remember forget imagine envisage foresee plan prepare schedule postpone delay cancel
suspend resume renew revise update expire end finish complete achieve accomplish deliver
"""

ADJECTIVES = """
new old great good bad high low large small long short major minor important significant
serious critical crucial key central main basic fundamental essential strategic tactical
political economic social cultural historical military diplomatic legal financial commercial
industrial technological scientific academic public private national international global
regional local domestic foreign external internal bilateral multilateral trilateral mutual
common shared joint collective individual personal official formal informal open closed free
fair equal unequal just unjust legitimate illegal lawful moral ethical practical pragmatic
realistic idealistic optimistic pessimistic cautious careful bold radical moderate extreme
stable unstable secure insecure safe dangerous risky uncertain clear unclear obvious evident
apparent visible invisible direct indirect immediate gradual rapid slow quick sudden recent
current present future past previous former latter early late modern contemporary traditional
conventional unconventional hybrid asymmetric symmetric complex simple difficult easy hard soft
strong weak powerful powerless rich poor wealthy developing developed emerging advanced
western eastern northern southern european asian african american russian chinese iranian
turkish indian arab gulf arctic atlantic pacific caspian baltic eurasian transatlantic
sovereign independent dependent vulnerable resilient flexible rigid active passive effective
efficient sustainable renewable nuclear digital cyber maritime naval aerial territorial
humanitarian environmental agricultural energetic educational constructive destructive
productive positive negative neutral hostile friendly competitive cooperative peaceful violent
armed civil civilian constitutional electoral parliamentary presidential democratic liberal
conservative nationalist populist ideological religious secular ethnic national rural urban
coastal continental landlocked remote distant nearby neighbouring adjacent broad narrow deep
wide full empty whole partial total complete incomplete final initial primary secondary
relevant irrelevant useful useless valuable expensive cheap affordable available scarce
abundant sufficient insufficient adequate inadequate comprehensive detailed specific general
particular special unique typical unusual rare frequent regular constant permanent temporary
"""

# Topic clusters: the words an event on that topic repeats, and phrases for its title.
TOPICS = {
    "sanctions": (
        "sanctions sanctioned embargo restrictions secondary compliance waiver asset freeze "
        "blacklist evasion shadow fleet price cap swift oligarch exemptions enforcement",
        [
            "Sanctions",
            "The Sanctions Regime",
            "Secondary Sanctions",
            "Sanctions and the Global Economy",
        ],
    ),
    "energy": (
        "energy oil gas pipeline lng refinery opec output barrels supply transition renewables "
        "hydrogen grid electricity prices coal",
        ["Energy Security", "The Energy Transition", "Gas Markets", "Oil, Gas and Geopolitics"],
    ),
    "iran": (
        "iran iranian tehran jcpoa enrichment uranium centrifuges iaea inspectors nuclear deal "
        "snapback gulf hormuz",
        ["Iran", "The Iran Nuclear Deal", "Iran and the Gulf", "Russia and Iran"],
    ),
    "arctic": (
        "arctic northern sea route icebreakers shipping svalbard polar ice council barents "
        "permafrost fisheries greenland",
        ["The Arctic", "Arctic Shipping", "The Northern Sea Route", "Security in the High North"],
    ),
    "grain": (
        "grain wheat exports corridor black sea harvest fertiliser food security famine ports "
        "prices farmers odesa",
        [
            "The Grain Corridor",
            "Food Security",
            "Grain and Fertiliser Markets",
            "Feeding the World",
        ],
    ),
    "cyber": (
        "cyber cyberattacks hackers ransomware norms infrastructure espionage attribution "
        "deterrence internet data encryption sovereignty",
        ["Cyber Norms", "Cyber Security", "Digital Sovereignty", "Conflict in Cyberspace"],
    ),
    "arms": (
        "arms control treaty new start inf missiles warheads verification strategic stability "
        "proliferation deterrence hypersonic",
        ["Arms Control", "Strategic Stability", "The Future of New START", "Nuclear Deterrence"],
    ),
    "mideast": (
        "syria israel palestine gaza lebanon iraq yemen saudi emirates qatar egypt ceasefire "
        "normalisation abraham accords",
        ["The Middle East", "Peace in the Levant", "The Gulf after the Abraham Accords", "Syria"],
    ),
    "china": (
        "china chinese beijing taiwan belt road xi pacific indo asean tariffs decoupling "
        "semiconductors chips",
        ["China and the West", "The Belt and Road", "The Indo-Pacific", "US-China Rivalry"],
    ),
    "europe": (
        "europe european brussels nato enlargement ukraine kyiv minsk baltic poland germany "
        "france osce donbas",
        [
            "European Security",
            "NATO and Russia",
            "The Future of the OSCE",
            "Europe's Strategic Autonomy",
        ],
    ),
    "africa": (
        "africa african sahel mali niger sudan ethiopia union wagner mining coups development "
        "debt nigeria",
        ["Africa", "The Sahel", "Russia and Africa", "African Development"],
    ),
    "migration": (
        "migration migrants refugees asylum borders smuggling mediterranean labour remittances "
        "integration diaspora",
        ["Migration", "The Refugee Crisis", "Labour Migration", "Borders and Mobility"],
    ),
    "climate": (
        "climate emissions carbon warming cop paris adaptation green finance methane drought "
        "floods glaciers",
        ["Climate Change", "Climate Diplomacy", "Green Finance", "The Road to COP"],
    ),
}

PLACES = """
Moscow Washington Beijing Tehran Brussels Berlin Paris London Ankara Delhi Riyadh Kyiv Minsk
Tbilisi Baku Yerevan Astana Tashkent Warsaw Vilnius Riga Tallinn Helsinki Oslo Stockholm Geneva
Vienna Rome Madrid Cairo Doha Dubai Jakarta Tokyo Seoul Pyongyang Pretoria Brasilia Havana
Caracas Kabul Islamabad Baghdad Damascus Beirut Jerusalem Amman Algiers Tunis Rabat Lagos
Nairobi Addis Khartoum Bamako Niamey Murmansk Arkhangelsk Vladivostok Kazan Sochi Valdai
Russia China Turkey India Japan Korea Brazil Egypt Israel Syria Iraq Pakistan Afghanistan
Kazakhstan Uzbekistan Azerbaijan Armenia Georgia Belarus Ukraine Poland Finland Norway Sweden
Germany France Italy Spain Britain Canada Mexico Venezuela Cuba Indonesia Vietnam Australia
Caucasus Balkans Levant Eurasia Scandinavia
"""

FIRST_NAMES = """
Ivan Sergei Andrei Dmitry Alexei Fyodor Timofei Andrey Oleg Nikolai Yuri Maria Elena Olga
Tatiana Natalia Irina Anna Svetlana John Michael David Richard Robert James William Thomas
Susan Margaret Catherine Elizabeth Sarah Emily Laura Jennifer Rachel Ali Mohammad Hassan
Reza Mahmoud Hamid Fatemeh Zahra Leila Wang Li Zhang Liu Chen Zhao Yang Huang Ahmet Mehmet
Ayşe Emre Zeynep Jürgen Klaus Stefan Markus Anja Petra Pierre Jean François Camille Élodie
Marco Giulia Alessandro Javier Lucía Carlos Jan Piotr Agnieszka Tomasz Ksenia Raj Priya Arjun
Ananya Kwame Amara Chidi Ngozi Hiroshi Yuki Kenji Min-jun Seo-yeon Lars Ingrid Sigrid Mikko
Aino Giorgi Nino Armen Anahit Rustam Dilnoza Nurlan Aigerim
"""

SURNAMES = """
Ivanov Petrov Smirnov Kuznetsov Timofeev Lukyanov Karaganov Bordachev Kortunov Suslov Margoev
Safranchuk Sushentsov Kashin Barabanov Lavrova Orlova Volkova Sokolova Morozova Smith Johnson
Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Jackson Harris Clark
Lewis Walker Hall Allen Young King Wright Scott Green Baker Adams Nelson Carter Mitchell
Roberts Turner Phillips Campbell Parker Evans Edwards Collins Stewart Morris Rogers Reed Cook
Morgan Bell Murphy Bailey Cooper Richardson Cox Howard Ward Hosseini Rahimi Karimi Mousavi
Jafari Ahmadi Sadeghi Rezaei Tehrani Wang Li Zhang Liu Chen Zhao Huang Zhou Wu Xu Sun Yilmaz
Kaya Demir Şahin Çelik Öztürk Müller Schmidt Schneider Fischer Weber Wagner Becker Hoffmann
Dubois Lefèvre Moreau Laurent Girard Rossi Bianchi Romano García Sánchez González Fernández
Nowak Kowalski Wiśniewski Dvořák Novák Jovanović Petrović Kovač Sharma Patel Gupta Singh Rao
Okafor Mensah Diallo Traoré Tanaka Suzuki Watanabe Kim Park Lee Lindqvist Johansson Nieminen
Virtanen Beridze Kapanadze Hakobyan Grigoryan Aliyev Mammadov Nazarbayeva Karimova Tokayev
Abdullaev Ustinov Fedorov Belov Zaitsev Pavlov Semenov Golubev Vinogradov Bogdanov Vorobyov
"""

ROLE_TITLES = [
    "Programme Director", "Senior Fellow", "Research Director", "Chairman of the Board",
    "Executive Director", "Associate Professor", "Head of the Centre for {region} Studies",
    "Former Ambassador to {country}", "Deputy Foreign Minister of {country}",
    "Editor-in-Chief", "Senior Research Fellow", "Visiting Scholar", "President",
    "Director of the {region} Programme", "Former Deputy Defence Minister of {country}",
    "Lead Economist", "Adjunct Fellow", "Founder and Chief Executive",
]  # fmt: skip
REGIONS = [
    "Eurasian", "Middle East", "Arctic", "Asia-Pacific", "European", "African",
    "Energy", "Security", "Caspian", "Central Asian", "Transatlantic", "Global Governance",
]  # fmt: skip
COUNTRIES = [
    "Russia", "the United States", "China", "Iran", "Turkey", "India", "Germany", "France",
    "Kazakhstan", "Egypt", "Norway", "Finland", "Japan", "Brazil", "South Africa", "Armenia",
]  # fmt: skip

ORGANISATIONS = [
    "Meridian Forum", "Baltic Policy Institute", "Caspian Dialogue Centre",
    "Northern Council on Foreign Affairs", "Eurasia Futures Club", "Atlantic Security Initiative",
    "Centre for Global Governance", "Danube Institute of International Relations",
    "Levant Policy Forum", "Pacific Rim Strategy Group", "Sahel Research Network",
    "Adriatic Security Forum", "Steppe Foundation for Public Diplomacy",
    "Hanseatic Council on Trade", "Silk Road Policy Centre", "Arctic Frontiers Institute",
    "Geneva Roundtable on Arms Control", "Mediterranean Dialogue Institute",
    "Himalaya Strategic Studies Centre", "Nile Basin Forum",
]  # fmt: skip
GENRES = ["Expert discussion", "Round table", "Conference", "Podcast", "Report presentation",
          "Panel", "Lecture", "Briefing", "Seminar"]  # fmt: skip
TITLE_PATTERNS = [
    "{T}: What Comes Next?", "{T} in a Fragmenting World", "The Future of {T}",
    "{T} and {P}", "Rethinking {T}", "{T} after {Y}", "Round Table on {T}",
    "{T}: Risks and Opportunities", "Expert Discussion: {T}", "{P} and {T}: A View from {P2}",
    "{T} and the New World Order", "Is There a Way Out? {T}", "{T}: Lessons of {Y}",
    "{O} Conference: {T}", "Who Wins from {T}?", "{T} Revisited",
]  # fmt: skip
SPEECH_VERBS = ["noted", "argued", "stressed", "warned", "pointed out", "suggested", "added",
                "recalled", "believes", "observed", "emphasised", "explained"]  # fmt: skip
QUERY_TYPES = ["word", "words", "phrase", "speaker", "date", "org", "kind", "typo"]
QUERY_MIX = [0.20, 0.20, 0.15, 0.10, 0.10, 0.10, 0.09, 0.06]
TOKEN = re.compile(r"[^\W\d_]+")


def _plural(word: str) -> str:
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def _verb_forms(verb: str) -> list[str]:
    if verb.endswith("e"):
        past, ing = verb + "d", verb[:-1] + "ing"
    elif verb.endswith("y") and verb[-2] not in "aeiou":
        past, ing = verb[:-1] + "ied", verb + "ing"
    else:
        past, ing = verb + "ed", verb + "ing"
    return [verb, _plural(verb), past, ing]


def _adverb(adj: str) -> str:
    if adj.endswith("ic"):
        return adj + "ally"
    if adj.endswith("le"):
        return adj[:-1] + "y"
    if adj.endswith("y"):
        return adj[:-1] + "ily"
    return adj + "ly"


def _fold(text: str) -> str:
    from anyascii import anyascii

    return anyascii(text).lower()


class Vocabulary:
    """Surface words with Zipf-Mandelbrot weights: function words first, then shuffled lemmas."""

    def __init__(self, rng: random.Random):
        lemmas: list[list[tuple[str, float]]] = []
        for w in dict.fromkeys(NOUNS.split()):
            lemmas.append([(w, 0.65), (_plural(w), 0.35)])
        for w in dict.fromkeys(MASS_NOUNS.split()):
            lemmas.append([(w, 1.0)])
        for w in dict.fromkeys(VERBS.split()):
            lemmas.append(list(zip(_verb_forms(w), (0.3, 0.2, 0.3, 0.2), strict=True)))
        for w in dict.fromkeys(ADJECTIVES.split()):
            lemmas.append([(w, 0.85), (_adverb(w), 0.15)])
        for words, _titles in TOPICS.values():
            lemmas.extend([(w, 1.0)] for w in words.split())
        rng.shuffle(lemmas)
        function = list(dict.fromkeys(FUNCTION_WORDS.split()))
        weights: dict[str, float] = {}
        for rank, w in enumerate(function):
            weights[w] = weights.get(w, 0.0) + 1.0 / (rank + 2.7)
        for i, forms in enumerate(lemmas):
            base = 1.0 / (len(function) + i + 2.7)
            for w, share in forms:
                weights[w] = weights.get(w, 0.0) + base * share
        self.function = set(function)
        self.words = list(weights)
        self.weights = [weights[w] for w in self.words]
        total, acc = 0.0, []
        for x in self.weights:
            total += x
            acc.append(total)
        self.cum = acc
        self.content = [w for w in self.words if w not in self.function and len(w) > 2]

    def draw(self, rng: random.Random, k: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cum, k=k)


# --- corpus -----------------------------------------------------------------------------------


@dataclass
class Person:
    id: str
    name: str
    names: list[str]
    role: str
    surname: str  # folded, what a user types after speaker:


@dataclass
class EventInfo:
    id: str
    title: str
    organisation: str
    date: str | None
    url: str
    genre: str
    place: str
    speakers: list[tuple[Person, str, str]]  # person, name as given, role as billed
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class Corpus:
    docs: list[IndexDoc]
    events: list[EventInfo]
    people: list[Person]
    vocab: Vocabulary
    seconds: float


def _hash(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()


def _people(rng: random.Random, count: int = 300) -> list[Person]:
    firsts, lasts = FIRST_NAMES.split(), list(dict.fromkeys(SURNAMES.split()))
    out, seen = [], set()
    while len(out) < count:
        first, last = rng.choice(firsts), rng.choice(lasts)
        if (first, last) in seen:
            continue
        seen.add((first, last))
        name = f"{first} {last}"
        names = [name]
        if rng.random() < 0.3:
            names.append(f"{first[0]}. {last}")
        if _fold(name) != name.lower() and rng.random() < 0.5:
            names.append(_fold(name).title())
        if last.endswith("ev") and rng.random() < 0.5:
            names.append(f"{first} {last[:-2]}yev")
        title = rng.choice(ROLE_TITLES).format(
            region=rng.choice(REGIONS), country=rng.choice(COUNTRIES)
        )
        role = f"{title}, {rng.choice(ORGANISATIONS)}" if rng.random() < 0.7 else title
        out.append(Person(f"s{len(out):04d}", name, names, role, _fold(last.split()[-1])))
    return out


def _sentence(rng, vocab, topics, places, length: int) -> str:
    words = vocab.draw(rng, length)
    topic_words = [TOPICS[t][0].split() for t in topics]
    for i in range(len(words)):
        r = rng.random()
        if r < 0.07:
            cluster = (
                topic_words[0] if rng.random() < 0.75 or len(topic_words) == 1 else topic_words[1]
            )
            words[i] = rng.choice(cluster)
        elif r < 0.085:
            words[i] = rng.choice(places)
    out = []
    for i, w in enumerate(words):
        if i and rng.random() < 0.06:
            out[-1] += ","
        out.append(w)
    text = " ".join(out)
    return text[0].upper() + text[1:]


def make_corpus(n: int, seed: int) -> Corpus:
    """N passages of synthetic events, as Podium's ingest would cut them (deterministic)."""
    start = time.perf_counter()
    rng = random.Random(seed)
    vocab = Vocabulary(rng)
    people = _people(rng)
    popularity = [1.0 / (i + 1) ** 0.8 for i in range(len(people))]
    org_weight = [1.0 / (i + 1) ** 0.7 for i in range(len(ORGANISATIONS))]
    places = PLACES.split()
    years = list(range(2015, 2027))
    year_weight = [0.6 + 0.08 * i for i in range(len(years))]
    docs: list[IndexDoc] = []
    events: list[EventInfo] = []
    topic_names = list(TOPICS)

    def length(mean: float) -> int:
        return max(4, min(90, int(rng.lognormvariate(0, 0.45) * mean)))

    while len(docs) < n:
        i = len(events)
        eid = _hash(seed, "event", i)[:12]
        topics = rng.sample(topic_names, 2)
        org = rng.choices(ORGANISATIONS, weights=org_weight)[0]
        year = rng.choices(years, weights=year_weight)[0]
        month = rng.randint(1, 11 if year == 2026 else 12)
        date = f"{year}-{month:02d}-{rng.randint(1, 28):02d}" if rng.random() > 0.02 else None
        phrase = rng.choice(TOPICS[topics[0]][1])
        title = rng.choice(TITLE_PATTERNS).format(
            T=phrase, P=rng.choice(places), P2=rng.choice(places), Y=rng.choice(years[:-1]), O=org
        )
        slug = re.sub(r"[^a-z0-9]+", "-", _fold(title)).strip("-")[:60]
        domain = re.sub(r"[^a-z]+", "", org.lower())[:24] + ".example"
        cast = []
        for person in rng.choices(people, weights=popularity, k=rng.randint(3, 7)):
            if all(person is not c[0] for c in cast):
                given = person.name if rng.random() < 0.8 else rng.choice(person.names)
                cast.append((person, given, person.role))
        event = EventInfo(
            eid, title, org, date, f"https://www.{domain}/events/{year}/{slug}-{i}/",
            rng.choice(GENRES), f"{rng.choice(places)}", cast,
        )  # fmt: skip
        events.append(event)
        target = rng.randint(15, 65)
        p_turn = 0.85 if rng.random() < 0.19 else 0.08  # transcripts, reports
        made = 0

        def add(kind, text, para, speaker, confidence, position, *, _event=event):
            person, given, role = speaker if speaker else (None, None, None)
            docs.append(
                IndexDoc(
                    id=_hash(_event.id, len(docs))[:16], event_id=_event.id, kind=kind,
                    text=text, paragraph=para, position=position, speaker=given,
                    speaker_id=person.id if person else None,
                    speaker_names=list(person.names) if person else [], role=role,
                    confidence=confidence, event_title=_event.title,
                    organisation=_event.organisation, event_date=_event.date, url=_event.url,
                )
            )  # fmt: skip

        while made < target and len(docs) < n:
            para = len(event.paragraphs)
            units: list[tuple[str, str, tuple | None, float]] = []
            if rng.random() < p_turn:
                who = cast[0] if rng.random() < 0.25 else rng.choice(cast)
                body = " ".join(
                    _sentence(rng, vocab, topics, places, length(14)) + rng.choice(".?")
                    for _ in range(rng.choice((1, 2, 2, 3)))
                )
                label = who[1].upper() if rng.random() < 0.5 else who[1]
                text = f"{label}: {body}"
                units = [("paragraph", text, who, 1.0), ("turn", body, who, 1.0)]
            else:
                main = rng.choice(cast)
                sentences, quotes, speakers = [], [], []
                for _ in range(rng.choices((2, 3, 4, 5), weights=(0.3, 0.4, 0.2, 0.1))[0]):
                    who = None
                    if rng.random() < 0.89:
                        who = main if rng.random() < 0.8 else rng.choice(cast)
                    clause = _sentence(rng, vocab, topics, places, length(15))
                    low = clause[0].lower() + clause[1:]
                    surname = who[0].name.split()[-1] if who else ""
                    r = rng.random()
                    if who and r < 0.3:
                        s = f"{who[1]}, {who[2]}, said that {low}."
                    elif who and r < 0.45:
                        s = f"According to {surname}, {low}."
                    elif who and r < 0.6:
                        s = f"{surname} {rng.choice(SPEECH_VERBS)} that {low}."
                    else:
                        s = clause + "."
                    sentences.append(s)
                    speakers.append(who)
                attributed = [j for j, w in enumerate(speakers) if w]
                if attributed and rng.random() < 0.5:
                    j = rng.choice(attributed)
                    who = speakers[j]
                    said = _sentence(rng, vocab, topics, places, length(13))
                    surname = who[0].name.split()[-1]
                    sentences[j] = rng.choice(
                        [f"“{said},” {surname} said.", f"{surname} said: “{said}.”",
                         f"As {surname} put it, “{said}.”"]
                    )  # fmt: skip
                    quotes.append((said, who))
                text = " ".join(sentences)
                count = Counter(w[0].id for w in speakers if w)
                para_who = None
                if count:
                    best = count.most_common(1)[0][0]
                    para_who = next(w for w in speakers if w and w[0].id == best)
                if rng.random() < 0.15:
                    para_who = None  # the extractor could not tell whose paragraph it is
                units.append(("paragraph", text, para_who, 0.6 if para_who else 0.0))
                units.extend(("quote", q, w, 0.95) for q, w in quotes)
                units.extend(
                    ("sentence", s, w, round(rng.uniform(0.55, 0.95), 2) if w else 0.0)
                    for s, w in zip(sentences, speakers, strict=True)
                )
            event.paragraphs.append(text)
            for kind, body, who, confidence in units:
                if len(docs) >= n:
                    break
                add(kind, body, para, who, confidence, made)
                made += 1
    return Corpus(docs, events, people, vocab, time.perf_counter() - start)


def corpus_stats(corpus: Corpus) -> dict:
    kinds = Counter(d.kind for d in corpus.docs)
    words = Counter()
    for d in corpus.docs:
        words.update(w.lower() for w in TOKEN.findall(d.text))
    total = sum(words.values())
    n = len(corpus.docs)
    return {
        "passages": n,
        "events": len(corpus.events),
        "speakers": len({d.speaker_id for d in corpus.docs if d.speaker_id}),
        "organisations": len({e.organisation for e in corpus.events}),
        "years": [
            min(e.date[:4] for e in corpus.events if e.date),
            max(e.date[:4] for e in corpus.events if e.date),
        ],
        "kinds": {k: round(kinds[k] / n, 3) for k in PASSAGE_KINDS},
        "words": total,
        "distinct_words": len(words),
        "words_per_passage": round(total / n, 1),
        "with_speaker": round(sum(1 for d in corpus.docs if d.speaker) / n, 3),
        "generate_s": round(corpus.seconds, 2),
    }


# --- queries ----------------------------------------------------------------------------------


@dataclass
class Query:
    type: str
    words: list[str] = field(default_factory=list)
    phrase: str | None = None
    speaker: str | None = None  # a folded surname, given inline as speaker:surname
    date_from: str | None = None
    date_to: str | None = None
    org: str | None = None
    kind: str | None = None

    @property
    def text(self) -> str:
        parts = [f"speaker:{self.speaker}"] if self.speaker else []
        parts += self.words
        if self.phrase:
            parts.append(f'"{self.phrase}"')
        return " ".join(parts)

    def podium(self) -> SearchRequest:
        return SearchRequest(
            q=self.text, org=self.org, date_from=self.date_from, date_to=self.date_to,
            kind=self.kind, per_page=10,
        )  # fmt: skip

    def http_path(self) -> str:
        params = {"q": self.text}
        for key, value in (("org", self.org), ("from", self.date_from), ("to", self.date_to),
                           ("kind", self.kind)):  # fmt: skip
            if value:
                params[key] = value
        return "/api/search?" + urllib.parse.urlencode(params)

    def date_bounds(self) -> tuple[datetime | None, datetime | None]:
        from podium.query import parse_period

        return parse_period(self.date_from), parse_period(self.date_to, end=True)


def _content_words(text: str, vocab: Vocabulary) -> list[str]:
    return [
        w.lower()
        for w in TOKEN.findall(text)
        if w.lower() not in vocab.function
        and w.lower() not in ("said", "according")  # the generator's attribution words
        and len(w) > 2
        and not w.isupper()
    ]


def make_queries(corpus: Corpus, count: int, seed: int) -> list[Query]:
    rng = random.Random(seed * 7919 + 1)
    docs, vocab = corpus.docs, corpus.vocab
    topic_words = [w for words, _ in TOPICS.values() for w in words.split()]
    places = [p.lower() for p in PLACES.split()]
    by_person = Counter(d.speaker_id for d in docs if d.speaker_id)
    docs_of: dict[str, list[IndexDoc]] = {}
    for d in docs:
        if d.speaker_id:
            docs_of.setdefault(d.speaker_id, []).append(d)
    people = {p.id: p for p in corpus.people}
    speakers = [people[s] for s in by_person]
    speaker_weight = [by_person[p.id] for p in speakers]
    org_count = Counter(d.organisation for d in docs)
    orgs = list(org_count)
    years = sorted({e.date[:4] for e in corpus.events if e.date})

    def one_word() -> str:
        r = rng.random()
        if r < 0.5:
            for _ in range(20):
                words = _content_words(rng.choice(docs).text, vocab)
                if words:
                    return rng.choice(words)
        if r < 0.85:
            return rng.choice(topic_words)
        return rng.choice(places)

    def period(end: bool) -> str:
        y = rng.choice(years)
        shape = rng.random()
        if shape < 0.5:
            return y
        if shape < 0.8:
            return f"{y}-{rng.randint(1, 12):02d}"
        return f"{y}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"

    types = rng.choices(QUERY_TYPES, weights=QUERY_MIX, k=count)
    out = []
    for kind in types:
        q = Query(kind)
        if kind == "word":
            q.words = [one_word()]
        elif kind == "words":
            k = rng.choice((2, 2, 3))
            words = []
            if rng.random() < 0.7:
                for _ in range(20):
                    words = list(dict.fromkeys(_content_words(rng.choice(docs).text, vocab)))
                    if len(words) >= k:
                        break
            q.words = rng.sample(words, k) if len(words) >= k else [one_word() for _ in range(k)]
        elif kind == "phrase":
            for _ in range(50):
                tokens = [w.lower() for w in TOKEN.findall(rng.choice(docs).text)]
                k = rng.choices((2, 3, 4, 5), weights=(0.25, 0.35, 0.25, 0.15))[0]
                if len(tokens) <= k:
                    continue
                i = rng.randrange(len(tokens) - k)
                span = tokens[i : i + k]
                if any(w not in vocab.function for w in span):
                    q.phrase = " ".join(span)
                    break
        elif kind == "speaker":
            person = rng.choices(speakers, weights=speaker_weight)[0]
            q.speaker = person.surname
            mine = docs_of[person.id]
            words = _content_words(rng.choice(mine).text, vocab) if rng.random() < 0.7 else []
            q.words = [rng.choice(words) if words else rng.choice(topic_words)]
        elif kind == "date":
            q.words = [one_word()]
            shape = rng.random()
            if shape < 0.7:
                a, b = sorted([period(False), period(True)], key=lambda v: v[:4])
                if a[:4] == b[:4] and a > b:
                    a, b = b, a
                q.date_from, q.date_to = a, b
            elif shape < 0.85:
                q.date_from = period(False)
            else:
                q.date_to = period(True)
            lo, hi = q.date_bounds()
            if lo and hi and lo > hi:
                q.date_from, q.date_to = q.date_to, q.date_from
        elif kind == "org":
            q.words = [one_word()]
            q.org = rng.choices(orgs, weights=[org_count[o] for o in orgs])[0]
        elif kind == "kind":
            q.words = [one_word()]
            q.kind = rng.choices(SEARCH_KINDS, weights=(0.3, 0.15, 0.15, 0.15, 0.25))[0]
        elif kind == "typo":
            word = rng.choice([w for w in vocab.content if len(w) >= 6])
            i = rng.randrange(1, len(word) - 1)
            edit = rng.random()
            if edit < 0.4:
                word = word[:i] + rng.choice("aeioustrnl") + word[i + 1 :]
            elif edit < 0.7:
                word = word[:i] + word[i + 1 :]
            else:
                word = word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
            q.words = [word]
        out.append(q)
    return out


# --- engines ----------------------------------------------------------------------------------


def build_podium(index_dir: Path, docs: list[IndexDoc], procs: int, engine: str = "whoosh") -> dict:
    from podium import index

    start = time.perf_counter()
    count = index.rebuild(index_dir, iter(docs), procs=procs, engine=engine)
    took = time.perf_counter() - start
    return {"seconds": round(took, 2), "docs": count, "bytes": index.size_bytes(index_dir)}


class Podium:
    name = "podium"

    def __init__(self, index_dir: Path, name: str = "podium"):
        from podium.query import search

        self.index_dir, self.name = index_dir, name
        self.search = search

    def run(self, q: Query) -> int:
        response = self.search(self.index_dir, q.podium())
        return sum(v for _k, v in response.facets.get("kind", []))


FTS_COLUMNS = "pid, para_key, speaker_name, org, kind, date, year"


def build_fts5(path: Path, docs: list[IndexDoc]) -> dict:
    path.unlink(missing_ok=True)
    start = time.perf_counter()
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute(
        "CREATE VIRTUAL TABLE p USING fts5(text, speaker, title, pid UNINDEXED, "
        "para_key UNINDEXED, speaker_name UNINDEXED, org UNINDEXED, kind UNINDEXED, "
        "date UNINDEXED, year UNINDEXED, "
        "tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    with db:
        db.executemany(
            "INSERT INTO p VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    d.text,
                    " ".join(dict.fromkeys([d.speaker, *d.speaker_names])) if d.speaker else "",
                    d.event_title,
                    d.id,
                    f"{d.event_id}:{d.paragraph}",
                    d.speaker or "",
                    d.organisation or "",
                    d.kind,
                    d.event_date or "",
                    (d.event_date or "")[:4],
                )  # fmt: skip
                for d in docs
            ),
        )
        db.execute("INSERT INTO p(p) VALUES ('optimize')")
    db.close()
    took = time.perf_counter() - start
    return {"seconds": round(took, 2), "docs": len(docs), "bytes": path.stat().st_size}


class Fts5:
    name = "fts5"
    FACETS = """
        WITH m AS MATERIALIZED (SELECT para_key, speaker_name, org, year, kind FROM p WHERE {cond})
        SELECT 'total', '', count(*) FROM m
        UNION ALL SELECT 'groups', '', count(DISTINCT para_key) FROM m
        UNION ALL SELECT 'speaker', speaker_name, count(*) FROM m WHERE speaker_name != ''
            GROUP BY speaker_name
        UNION ALL SELECT 'organisation', org, count(*) FROM m WHERE org != '' GROUP BY org
        UNION ALL SELECT 'year', year, count(*) FROM m WHERE year != '' GROUP BY year
        UNION ALL SELECT 'kind', kind, count(*) FROM m GROUP BY kind
    """
    HITS = """
        SELECT pid, para_key, highlight(p, 0, '<mark>', '</mark>'), speaker_name, title, date, org,
               kind
        FROM p WHERE {cond} ORDER BY bm25(p, 1.0, 2.0, 0.5) LIMIT 40
    """

    def __init__(self, path: Path):
        self.db = sqlite3.connect(path)
        self.db.execute("PRAGMA mmap_size=1073741824")
        self.db.execute("PRAGMA cache_size=-65536")

    @staticmethod
    def translate(q: Query) -> tuple[str, list]:
        parts = [f'"{w}"' for w in q.words]
        if q.phrase:
            parts.append(f'"{q.phrase}"')
        if q.speaker:
            parts.append(f'speaker : "{q.speaker}"')
        cond, params = ["p MATCH ?"], [" ".join(parts)]
        if q.org:
            cond.append("org = ?")
            params.append(q.org)
        if q.kind:
            if q.kind == "quotes":
                cond.append("kind IN ('quote', 'turn')")
            else:
                cond.append("kind = ?")
                params.append(q.kind)
        if q.date_from or q.date_to:
            lo, hi = q.date_bounds()
            cond.append("date != ''")
            if lo:
                cond.append("date >= ?")
                params.append(lo.strftime("%Y-%m-%d"))
            if hi:
                cond.append("date <= ?")
                params.append(hi.strftime("%Y-%m-%d"))
        return " AND ".join(cond), params

    def run(self, q: Query) -> int:
        cond, params = self.translate(q)
        seen, page = set(), []
        for row in self.db.execute(self.HITS.format(cond=cond), params):
            if row[1] not in seen:
                seen.add(row[1])
                page.append(row)
                if len(page) == 10:
                    break
        facets: dict[str, list] = {}
        total = 0
        for name, key, n in self.db.execute(self.FACETS.format(cond=cond), params):
            if name == "total":
                total = n
            else:
                facets.setdefault(name, []).append((key, n))
        for name, values in facets.items():
            values.sort(key=lambda kv: (-kv[1], kv[0]))
            facets[name] = values[:15]
        return total


def _tantivy_analyzers(tantivy):
    text = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .filter(tantivy.Filter.stemmer("english"))
        .build()
    )
    name = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )
    return {"podium_text": text, "podium_name": name}


def _open_tantivy(path: Path, create: bool):
    import tantivy

    if create:
        sb = tantivy.SchemaBuilder()
        sb.add_text_field("text", stored=True, tokenizer_name="podium_text")
        sb.add_text_field("speaker", tokenizer_name="podium_name")
        sb.add_text_field("title", stored=True, tokenizer_name="podium_text")
        for f in ("pid", "para_key", "speaker_name", "org", "kind", "year"):
            sb.add_text_field(f, stored=True, fast=True, tokenizer_name="raw")
        sb.add_date_field("date", stored=True, indexed=True, fast=True)
        ix = tantivy.Index(sb.build(), path=str(path), reuse=False)
    else:
        ix = tantivy.Index.open(str(path))
    for name, analyzer in _tantivy_analyzers(tantivy).items():
        ix.register_tokenizer(name, analyzer)
    return ix


def build_tantivy(path: Path, docs: list[IndexDoc], procs: int) -> dict:
    import tantivy

    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    start = time.perf_counter()
    ix = _open_tantivy(path, create=True)
    writer = ix.writer(256_000_000, procs)
    for d in docs:
        fields = {
            "text": d.text, "title": d.event_title, "pid": d.id,
            "para_key": f"{d.event_id}:{d.paragraph}", "kind": d.kind,
        }  # fmt: skip
        if d.speaker:
            fields["speaker"] = " ".join(dict.fromkeys([d.speaker, *d.speaker_names]))
            fields["speaker_name"] = d.speaker
        if d.organisation:
            fields["org"] = d.organisation
        if d.event_date:
            fields["date"] = datetime.strptime(d.event_date, "%Y-%m-%d")
            fields["year"] = d.event_date[:4]
        writer.add_document(tantivy.Document(**fields))
    writer.commit()
    writer.wait_merging_threads()
    took = time.perf_counter() - start
    size = sum(f.stat().st_size for f in path.iterdir() if f.is_file())
    return {"seconds": round(took, 2), "docs": len(docs), "bytes": size}


class Tantivy:
    name = "tantivy"
    AGGS = {
        "speaker": {"terms": {"field": "speaker_name", "size": 15}},
        "organisation": {"terms": {"field": "org", "size": 15}},
        "year": {"terms": {"field": "year", "size": 15}},
        "kind": {"terms": {"field": "kind", "size": 15}},
        "groups": {"cardinality": {"field": "para_key"}},
    }

    def __init__(self, path: Path):
        import tantivy

        self.t = tantivy
        self.ix = _open_tantivy(path, create=False)
        self.ix.reload()
        self.schema = self.ix.schema
        self.searcher = self.ix.searcher()

    def translate(self, q: Query):
        t = self.t
        parts = list(q.words)
        if q.phrase:
            parts.append(f'"{q.phrase}"')
        if q.speaker:
            parts.append(f"speaker:{q.speaker}")
        parsed = self.ix.parse_query(
            " ".join(parts), ["text", "speaker", "title"],
            field_boosts={"text": 1.0, "speaker": 2.0, "title": 0.5}, conjunction_by_default=True,
        )  # fmt: skip
        must = [(t.Occur.Must, parsed)]
        if q.org:
            must.append((t.Occur.Must, t.Query.term_query(self.schema, "org", q.org)))
        if q.kind:
            kinds = ("quote", "turn") if q.kind == "quotes" else (q.kind,)
            terms = [(t.Occur.Should, t.Query.term_query(self.schema, "kind", k)) for k in kinds]
            must.append((t.Occur.Must, t.Query.boolean_query(terms)))
        if q.date_from or q.date_to:
            lo, hi = q.date_bounds()
            rq = t.Query.range_query(self.schema, "date", t.FieldType.Date, lo, hi)
            must.append((t.Occur.Must, rq))
        return must[0][1] if len(must) == 1 else t.Query.boolean_query(must)

    def run(self, q: Query) -> int:
        query = self.translate(q)
        result = self.searcher.search(query, 40)
        snippets = self.t.SnippetGenerator.create(self.searcher, query, self.schema, "text")
        seen, page = set(), []
        for _score, address in result.hits:
            doc = self.searcher.doc(address)
            key = doc["para_key"][0]
            if key in seen:
                continue
            seen.add(key)
            page.append((doc["pid"][0], snippets.snippet_from_doc(doc).to_html()))
            if len(page) == 10:
                break
        self.searcher.aggregate(query, self.AGGS)
        return result.count


class KeepAlive:
    """One keep-alive HTTP connection to 127.0.0.1, reopened once when the server drops it."""

    def __init__(self, port: int, timeout: float):
        self.port, self.timeout = port, timeout
        self.conn: http.client.HTTPConnection | None = None
        self.reconnects = 0

    def get(self, path: str) -> tuple[int, bytes]:
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                self.conn.request("GET", path)
                response = self.conn.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = None
                self.reconnects += 1
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


class Http:
    name = "http"

    def __init__(self, home: Path, workdir: Path, label: str, name: str = "http"):
        self.name = name
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.log = open(workdir / f"serve-{label}.log", "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "podium.cli", "--home", str(home), "serve", "--port",
             str(self.port)],
            stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.conn = KeepAlive(self.port, timeout=300)
        self.errors: list[str] = []
        deadline = time.time() + 90
        while True:
            try:
                status, _ = self.get("/healthz")
                if status == 200:
                    break
            except (OSError, http.client.HTTPException):
                pass
            if self.proc.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"podium serve did not start; see {self.log.name}")
            time.sleep(0.2)

    def get(self, path: str) -> tuple[int, bytes]:
        return self.conn.get(path)

    def run(self, q: Query) -> int:
        status, body = self.get(q.http_path())
        if status != 200:
            raise RuntimeError(f"HTTP {status}: {body[:300].decode('utf-8', 'replace')}")
        data = json.loads(body)
        return sum(v for _k, v in data.get("facets", {}).get("kind", []))

    def close(self) -> None:
        self.conn.close()
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


def fill_store(home_root: Path, corpus: Corpus) -> dict:
    """Save every synthetic event and its passages, so /api/search renders their citations."""
    from podium.config import Home
    from podium.models import Event, Passage, Speaker
    from podium.store import Store

    home = Home.resolve(home_root)
    home.db_path.unlink(missing_ok=True)
    start = time.perf_counter()
    by_event: dict[str, list[IndexDoc]] = {}
    for d in corpus.docs:
        by_event.setdefault(d.event_id, []).append(d)
    with Store.open(home) as store:
        for e in corpus.events:
            event = Event(
                source=e.url, url=e.url, title=e.title, organisation=e.organisation,
                event_date=e.date, published=e.date, genre=e.genre, place=e.place,
                site_name=e.organisation, language="en",
                speakers=[Speaker(given, role) for _p, given, role in e.speakers],
                paragraphs=e.paragraphs,
            )  # fmt: skip
            passages = [
                Passage(d.id, d.event_id, d.kind, d.text, d.paragraph, d.position, d.speaker,
                        None, None, d.confidence, "synthetic", None)
                for d in by_event.get(e.id, [])
            ]  # fmt: skip
            if passages:
                store.save_event(event, passages)
    return {"seconds": round(time.perf_counter() - start, 2), "bytes": home.db_path.stat().st_size}


# --- measuring --------------------------------------------------------------------------------


def stats(values: list[float]) -> dict:
    values = sorted(values)
    if not values:
        return {}

    def pick(q: float) -> float:
        return values[min(len(values) - 1, round(q * (len(values) - 1)))]

    return {
        "n": len(values),
        "p50": round(statistics.median(values), 2),
        "p95": round(pick(0.95), 2),
        "p99": round(pick(0.99), 2),
        "max": round(values[-1], 2),
        "mean": round(statistics.fmean(values), 2),
    }


def run_queries(engines: list, queries: list[Query], passes=("cold", "warm")) -> dict:
    """Each query on each engine, interleaved (so a noisy neighbour hits all alike), per pass."""
    times = {e.name: {p: [] for p in passes} for e in engines}
    counts = {e.name: [None] * len(queries) for e in engines}
    errors = {e.name: [] for e in engines}
    for p in passes:
        for i, q in enumerate(queries):
            for e in engines:
                start = time.perf_counter()
                try:
                    counts[e.name][i] = e.run(q)
                except Exception as exc:  # a failure is a finding: record it, go on
                    took = (time.perf_counter() - start) * 1000
                    if p == passes[0]:
                        errors[e.name].append(
                            {"query": asdict(q), "q": q.text, "error": f"{type(exc).__name__}: {exc}",
                             "trace": traceback.format_exc(limit=-4)}
                        )  # fmt: skip
                    times[e.name][p].append((q.type, took, False))
                    continue
                times[e.name][p].append((q.type, (time.perf_counter() - start) * 1000, True))
    out = {}
    for e in engines:
        out[e.name] = {"errors": errors[e.name], "counts": counts[e.name]}
        for p in passes:
            rows = times[e.name][p]
            by_type = {t: stats([ms for k, ms, ok in rows if k == t and ok]) for t in QUERY_TYPES}
            by_type["all"] = stats([ms for _k, ms, ok in rows if ok])
            out[e.name][p] = by_type
    return out


# --- reporting --------------------------------------------------------------------------------


ROOT = Path(__file__).resolve().parents[1]
CODE = ("query.py", "index.py", "meaning.py", "web/api.py")  # relative to the podium package
SNAPSHOT_ENV = "PODIUM_BENCH_SNAPSHOT"


def code_fingerprint(package: Path) -> dict:
    """A short hash and the mtime of the files on the search path, under `package`."""
    out = {}
    for rel in CODE:
        path = package / rel
        if path.exists():
            stamp = time.strftime("%H:%M:%S", time.localtime(path.stat().st_mtime))
            out[rel] = f"{hashlib.sha256(path.read_bytes()).hexdigest()[:10]} ({stamp})"
    return out


def tree_fingerprint() -> dict:
    """The same for the working tree (search/ is the podium package, web/ is podium.web)."""
    tree = Path(tempfile.mkdtemp(prefix="podium-fp-"))
    try:
        (tree / "web").symlink_to(ROOT / "web")
        for rel in CODE:
            if "/" not in rel:
                (tree / rel).symlink_to(ROOT / "search" / rel)
        return code_fingerprint(tree)
    finally:
        shutil.rmtree(tree, ignore_errors=True)


def snapshot_and_rerun() -> int:
    """Copy Podium's code as it is now and run this script again on the copy (PYTHONPATH), so
    the in-process runs and the server measure one version even if the tree is edited."""
    snap = Path(tempfile.mkdtemp(prefix="podium-code-"))
    try:
        ignore = shutil.ignore_patterns("__pycache__")
        shutil.copytree(ROOT / "search", snap / "podium", ignore=ignore)
        shutil.copytree(ROOT / "web", snap / "podium" / "web", ignore=ignore)
        env = dict(os.environ, **{SNAPSHOT_ENV: str(snap)})
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(snap), env.get("PYTHONPATH")]))
        return subprocess.run([sys.executable, *sys.argv], env=env).returncode
    finally:
        shutil.rmtree(snap, ignore_errors=True)


def machine() -> dict:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    import tantivy
    import whoosh

    try:
        from importlib.metadata import version

        tantivy_version = version("tantivy")
    except Exception:
        tantivy_version = getattr(tantivy, "__version__", "?")
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "ram_gb": ram,
        "load_avg_start": [round(x, 2) for x in os.getloadavg()],
        "kernel": platform.release(),
        "python": platform.python_version(),
        "whoosh": whoosh.versionstring(),
        "sqlite": sqlite3.sqlite_version,
        "tantivy": tantivy_version,
        "code": code_fingerprint(Path(sys.modules["podium"].__file__).parent),
    }


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def _cell(s: dict) -> str:
    if not s:
        return "n/a"
    return f"{s['p50']:.1f} / {s['p95']:.1f} / {s['p99']:.1f} / {s['max']:.1f}"


def _ratio(a: dict, b: dict, key: str) -> str:
    if not a or not b or not b[key]:
        return "n/a"
    return f"{a[key] / b[key]:.1f}x"


def print_size(n: int, fig: dict) -> None:
    c = fig["corpus"]
    print(f"\n=== N = {n:,} passages ===")
    print(
        f"corpus: {c['events']:,} events, {c['speakers']} speakers, {c['organisations']} "
        f"organisations, dates {c['years'][0]}-{c['years'][1]}; generated in {c['generate_s']} s"
    )
    kinds = ", ".join(f"{k} {v:.1%}" for k, v in sorted(c["kinds"].items(), key=lambda kv: -kv[1]))
    print(
        f"        kinds: {kinds}; {c['words'] / 1e6:.2f} M words, {c['distinct_words']:,} "
        f"distinct, {c['words_per_passage']} per passage; {c['with_speaker']:.0%} with a speaker"
    )
    print(f"load average before queries: {fig['load_avg_before_queries']}")
    print("\nindex build                         time      passages/s   size on disk")
    for label, b in fig["build"].items():
        if not b:
            continue
        reused = "  (reused)" if b.get("reused") else ""
        rate = b["docs"] / b["seconds"] if b.get("seconds") else 0
        print(f"{label:<34}{b['seconds']:>7.1f} s {rate:>12,.0f}   {_mb(b['bytes']):>11}{reused}")
    for label, seconds in fig.get("open_ms", {}).items():
        print(f"first 2 queries incl. opening (and the wordllama model), {label}: {seconds:.0f} ms")

    res = fig["results"]
    engines = [e for e in ("podium", "http", "podium-tantivy", "http-tantivy", "fts5", "tantivy")
               if e in res]  # fmt: skip
    heads = {"podium": "podium in-process", "http": "podium /api/search",
             "podium-tantivy": "podium-tantivy in-process", "http-tantivy": "podium-tantivy /api",
             "fts5": "sqlite fts5", "tantivy": "tantivy raw"}  # fmt: skip
    for label, passes in (
        ("warm (2nd run of each query)", "warm"),
        (
            "cold (1st run of each query: Podium's per-query caches, e.g. filter sets, empty)",
            "cold",
        ),
    ):
        print(f"\nlatency, {label}, ms: p50 / p95 / p99 / max ({fig['queries']} queries)")
        print(f"{'type':<8}{'n':>4}  " + "".join(f"{heads[e]:<31}" for e in engines))
        for t in [*QUERY_TYPES, "all"]:
            n_q = sum(1 for q in fig["query_list"] if t in ("all", q["type"]))
            row = "".join(f"{_cell(res[e][passes][t]):<30} " for e in engines)
            print(f"{t:<8}{n_q:>4}  {row.rstrip()}")

    if "podium" in res or "podium-tantivy" in res:
        print("\nratios of warm latencies (podium = in-process; http = /api/search; pt = podium "
              "on tantivy, ht = its /api/search):")  # fmt: skip
        print(f"{'type':<8}  {'podium/fts5':>17}  {'podium/tantivy':>17}  {'http/podium':>17}"
              f"  {'pt/fts5':>17}  {'ht/fts5':>17}")  # fmt: skip
        print(f"{'':<8}" + f"  {'p50':>8} {'p95':>8}" * 5)
        for t in [*QUERY_TYPES, "all"]:
            p = res.get("podium", {}).get("warm", {}).get(t, {})
            f = res.get("fts5", {}).get("warm", {}).get(t, {})
            tv = res.get("tantivy", {}).get("warm", {}).get(t, {})
            h = res.get("http", {}).get("warm", {}).get(t, {})
            pt = res.get("podium-tantivy", {}).get("warm", {}).get(t, {})
            ht = res.get("http-tantivy", {}).get("warm", {}).get(t, {})
            cells = [(p, f), (p, tv), (h, p), (pt, f), (ht, f)]
            print(
                f"{t:<8}  "
                + "  ".join(f"{_ratio(a, b, 'p50'):>8} {_ratio(a, b, 'p95'):>8}" for a, b in cells)
            )
    cite = fig.get("cite")
    if cite:
        print(
            f"\n/api/search with citations (store filled: {cite['store']['seconds']} s, "
            f"{_mb(cite['store']['bytes'])}), first {cite['queries']} queries, ms p50 / p95 / p99 / max:"
        )
        print(
            f"  cold (pandoc renders the page's citations): {_cell(cite['results']['cold']['all'])}"
        )
        print(
            f"  warm (citations cached in the server):      {_cell(cite['results']['warm']['all'])}"
        )
        if cite["errors"]:
            print(f"  errors: {len(cite['errors'])}, first: {cite['errors'][0]['error']}")

    print("\nsanity: mean matching passages per query (podium: sum of its kind facet)")
    print(f"{'type':<8}" + "".join(f"{e:>15}" for e in engines))
    for t in QUERY_TYPES:
        idx = [i for i, q in enumerate(fig["query_list"]) if q["type"] == t]
        cells = []
        for e in engines:
            vals = [res[e]["counts"][i] for i in idx if res[e]["counts"][i] is not None]
            cells.append(f"{statistics.fmean(vals):>15.1f}" if vals else f"{'n/a':>15}")
        print(f"{t:<8}" + "".join(cells))
    if "fts5" in res and "tantivy" in res:
        pairs = list(zip(res["fts5"]["counts"], res["tantivy"]["counts"], strict=True))
        same = sum(a == b for a, b in pairs if a is not None)
        print(
            f"fts5 and tantivy match the same number of passages on {same} of {len(pairs)} queries"
        )
        if "podium" in res:
            trio = zip(
                res["podium"]["counts"], res["fts5"]["counts"], fig["query_list"], strict=True
            )
            same = [
                (a == b)
                for a, b, q in trio
                if a is not None
                and q["type"] in ("word", "phrase", "speaker", "date", "org", "kind")
            ]
            print(f"podium and fts5 match the same number on {sum(same)} of {len(same)} single-word, "
                  "phrase and filtered queries (multi-word and misspelt ones may take Podium's OR fallback)")  # fmt: skip
    for e in engines:
        errs = res[e]["errors"]
        if errs:
            kinds = Counter(x["error"].split(":")[0] for x in errs)
            print(
                f"ERRORS {e}: {len(errs)} queries failed ({dict(kinds)}); first: {errs[0]['q']!r} -> {errs[0]['error']}"
            )


NOTES = """
notes:
* podium in-process: podium.query.search(index_dir, SearchRequest(q, org, date_from, date_to,
  kind, per_page=10)): up to 400 hits, collapsed one per paragraph, a grouped count of
  paragraphs, facets (speaker, organisation, year, kind: top 15 each) over all matches,
  highlights, did-you-mean when <= 3 results, an OR fallback for multi-word queries with
  fewer than 10 paragraphs, and the wordllama re-ranking for queries of 4+ words.
* podium-tantivy: the same code on the tantivy engine (`[index] engine = "tantivy"`), whose
  index is built with Whoosh's analysers, so it matches what podium matches.
* podium /api/search: the same plus Flask, JSON and HTTP on one keep-alive connection; the
  home's store is empty, so the per-hit store look-ups miss and no citation is rendered.
* sqlite fts5: MATCH over text, speaker, title (porter unicode61 remove_diacritics 2),
  AND of the words, "phrase", speaker : "surname"; org/kind/date as WHERE on UNINDEXED
  columns; the top 40 by bm25(1.0, 2.0, 0.5) with highlight(), collapsed to 10 paragraphs;
  then one statement: the matches MATERIALIZED once, total, count(DISTINCT paragraph) and
  GROUP BY speaker, organisation, year, kind (all groups; top 15 kept in Python).
* tantivy: the query parser over text, speaker, title (boosts 1, 2, 0.5; conjunction),
  with lower-case + ASCII-fold (+ English stemmer for text and title); org/kind as term
  queries and date as a fast-field range query on raw/date fields; the top 40 by BM25 with a
  snippet per hit, collapsed to 10 paragraphs; then one aggregation request: a terms
  aggregation (count of matches per value, top 15) on speaker, organisation, year and kind,
  and a cardinality (HyperLogLog, approximate) of paragraphs.
* cold = the first run of each query in the process (after two warm-up queries that open
  the index and load the wordllama model); warm = the second run, so whatever Podium caches
  per query or per filter is warm. Index files are in the OS page cache in both.
* The engines' stemmers differ (Whoosh and FTS5 Porter, tantivy Snowball English), so the
  counts differ a little. Podium's index is written by 2 processes into 2 segments; FTS5 is
  optimised to one b-tree; tantivy merges as it likes.
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--n", type=int, nargs="+", default=[10000], help="corpus sizes (passages)")
    ap.add_argument(
        "--procs", type=int, default=2, help="processes for Podium's rebuild, threads for tantivy"
    )
    ap.add_argument("--queries", type=int, default=500)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--workdir", help="where indexes are built (default: a temporary directory, removed)"
    )
    ap.add_argument(
        "--reuse", action="store_true", help="keep and reuse indexes built earlier in --workdir"
    )
    ap.add_argument("--cite-queries", type=int, default=100,
                    help="queries also run on a server whose store holds the corpus (0: skip)")  # fmt: skip
    ap.add_argument("--no-http", action="store_true", help="skip the HTTP runs")
    ap.add_argument("--no-whoosh", action="store_true",
                    help="Podium on tantivy only (Whoosh builds 1M passages in ~20 min)")  # fmt: skip
    ap.add_argument("--json", help="write the figures to this file")
    ap.add_argument(
        "--no-snapshot", action="store_true",
        help="measure the working tree as it is (default: a copy of the code taken at start)",
    )  # fmt: skip
    args = ap.parse_args()
    if not args.no_snapshot and SNAPSHOT_ENV not in os.environ:
        return snapshot_and_rerun()

    from podium.config import Home
    from podium.store import Store

    info = machine()
    print(f"command: {' '.join([os.path.basename(sys.executable), *sys.argv])}")
    print(
        f"machine: {info['cpu']}, {info['cores']} cores, {info['ram_gb']} GB RAM, Linux "
        f"{info['kernel']}; load average at start {info['load_avg_start']} (1/5/15 min)"
    )
    print(
        f"software: Python {info['python']}, Whoosh {info['whoosh']}, SQLite {info['sqlite']}, "
        f"tantivy {info['tantivy']}; --procs {args.procs}, seed {args.seed}"
    )
    import podium

    where = os.environ.get(SNAPSHOT_ENV)
    where = f"a copy taken at start, {where}" if where else f"the working tree, {podium.__file__}"
    print(
        f"podium code measured ({where}): " + ", ".join(f"{k} {v}" for k, v in info["code"].items())
    )
    temp = args.workdir is None
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="podium-search-bench-")).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    if temp and args.reuse:
        print("note: --reuse without --workdir has nothing to reuse")
    figures = {"machine": info, "args": vars(args), "sizes": {}}
    try:
        for n in args.n:
            figures["sizes"][str(n)] = fig = run_size(n, args, workdir, Home, Store)
            print_size(n, fig)
    finally:
        if temp:
            shutil.rmtree(workdir, ignore_errors=True)
    print(NOTES.rstrip())
    figures["load_avg_end"] = [round(x, 2) for x in os.getloadavg()]
    print(f"load average at end: {figures['load_avg_end']}")
    now = tree_fingerprint()
    if now != info["code"]:
        figures["code_tree_end"] = now
        what = "the copy above was measured" if os.environ.get(SNAPSHOT_ENV) else "MIXED VERSIONS"
        print(f"note: Podium's working tree changed during the run ({what}); now: {now}")
    if args.json:
        Path(args.json).write_text(
            json.dumps(figures, indent=1, ensure_ascii=False), encoding="utf-8"
        )
        print(f"figures written to {args.json}")
    return 0


def run_size(n: int, args, workdir: Path, Home, Store) -> dict:
    base = workdir / f"n{n}-seed{args.seed}"
    manifest_path = base / "manifest.json"
    package = Path(sys.modules["podium"].__file__).parent
    index_code = code_fingerprint(package).get("index.py", "").split(" ")[0]  # schema changes
    key = {"n": n, "seed": args.seed, "gen": GEN_VERSION, "procs": args.procs, "index": index_code}
    manifest = {}
    if args.reuse and manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        old = manifest.get("key") or {}
        # manifests written before index.py's hash joined the key still match on the rest
        if not old or old != {k: v for k, v in key.items() if k in old}:
            manifest = {}
    if not manifest:
        shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True, exist_ok=True)
    corpus = make_corpus(n, args.seed)
    fig: dict = {"corpus": corpus_stats(corpus), "queries": args.queries, "build": {}}
    home = Home.resolve(base / "home")
    builds = manifest.get("build", {})

    def build(label, fn):
        if label in builds:
            fig["build"][label] = dict(builds[label], reused=True)
            return
        print(f"[N={n:,}] building {label} ...", flush=True)
        fig["build"][label] = builds[label] = fn()
        manifest_path.write_text(json.dumps({"key": key, "build": builds}))

    if not args.no_whoosh:
        build(
            f"podium (whoosh, procs={args.procs})",
            lambda: build_podium(home.index_dir, corpus.docs, args.procs),
        )
    home_t = Home.resolve(base / "home-tantivy")
    build(
        f"podium (tantivy, {args.procs} threads)",
        lambda: build_podium(home_t.index_dir, corpus.docs, args.procs, "tantivy"),
    )
    build("sqlite fts5", lambda: build_fts5(base / "fts5.db", corpus.docs))
    build(
        f"tantivy ({args.procs} threads)",
        lambda: build_tantivy(base / "tantivy", corpus.docs, args.procs),
    )
    for empty in (home, home_t):
        if not empty.db_path.exists():
            Store.open(empty).close()  # an empty store: /healthz and the citation look-ups need one

    queries = make_queries(corpus, args.queries, args.seed)
    fig["query_list"] = [asdict(q) | {"q": q.text} for q in queries]
    fig["query_examples"] = {
        t: next((q.text + _filters(q) for q in queries if q.type == t), None) for t in QUERY_TYPES
    }
    print(
        f"[N={n:,}] query examples: "
        + "; ".join(f"{t}: {v}" for t, v in fig["query_examples"].items()),
        flush=True,
    )

    engines, fig["open_ms"] = [], {}
    # one-off costs before timing: open the index, load the wordllama model (4+ words)
    warm_up = Query("word", words=["security"])
    warm_up_long = Query("words", words=["energy", "security", "in", "europe"])
    for label, make in (
        ("podium", lambda: Podium(home.index_dir)),
        ("podium-tantivy", lambda: Podium(home_t.index_dir, "podium-tantivy")),
        ("fts5", lambda: Fts5(base / "fts5.db")),
        ("tantivy", lambda: Tantivy(base / "tantivy")),
    ):
        if label == "podium" and args.no_whoosh:
            continue
        start = time.perf_counter()
        engine = make()
        engine.run(warm_up)
        engine.run(warm_up_long)
        fig["open_ms"][label] = (time.perf_counter() - start) * 1000
        engines.append(engine)
    servers = []
    if not args.no_http:
        for name, where in (("http", home), ("http-tantivy", home_t)):
            if name == "http" and args.no_whoosh:
                continue
            server = Http(where.root, base, name, name)
            start = time.perf_counter()
            server.run(warm_up)
            server.run(warm_up_long)
            fig["open_ms"][name] = (time.perf_counter() - start) * 1000
            servers.append(server)
        engines[len(engines) - 3 : len(engines) - 3] = servers
    fig["load_avg_before_queries"] = [round(x, 2) for x in os.getloadavg()]
    print(
        f"[N={n:,}] running {len(queries)} queries x {len(engines)} engines x 2 passes ...",
        flush=True,
    )
    try:
        fig["results"] = run_queries(engines, queries)
    finally:
        for server in servers:
            server.close()

    if args.cite_queries and not args.no_http:
        cite_home = Home.resolve(base / "home-cite")
        cite_home.root.mkdir(exist_ok=True)
        store = builds.get("store") if cite_home.db_path.exists() else None
        if store is None:
            print(f"[N={n:,}] filling a store for the citation runs ...", flush=True)
            store = builds["store"] = fill_store(cite_home.root, corpus)
            manifest_path.write_text(json.dumps({"key": key, "build": builds}))
        link = cite_home.index_dir
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to((home_t if args.no_whoosh else home).index_dir.resolve())
        server = Http(cite_home.root, base, "cite")
        try:
            server.run(warm_up)
            server.run(warm_up_long)
            some = queries[: args.cite_queries]
            res = run_queries([server], some)["http"]
        finally:
            server.close()
        fig["cite"] = {
            "store": store,
            "queries": len(some),
            "results": res,
            "errors": res["errors"],
        }
    return fig


def _filters(q: Query) -> str:
    parts = [
        f"{k}={v}"
        for k, v in (("from", q.date_from), ("to", q.date_to), ("org", q.org), ("kind", q.kind))
        if v
    ]
    return f"  [{', '.join(parts)}]" if parts else ""


if __name__ == "__main__":
    raise SystemExit(main())
