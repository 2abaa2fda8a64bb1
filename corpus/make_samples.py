"""Write Podium's bundled demo pages (corpus/samples/*.html) from the reports below.

Every organisation, person, event and word here is fictional and the project's own. The pages
come in five markup styles, the way real think-tank sites serve them: a WordPress news post
(byline, cookie banner, related posts, comment section), a Drupal event page (JSON-LD Event,
speaker list), a "club" page (collapsible speaker cards), an old table layout declared as
windows-1251, and a windows-1251 page that declares no charset at all.

    python corpus/make_samples.py        # rewrites corpus/samples/*.html
"""

from __future__ import annotations

import html
import json
from pathlib import Path

OUT = Path(__file__).resolve().parent / "samples"
e = html.escape

REPORTS = [
    {
        "file": "meridian-2023-energy-security.html",
        "style": "wordpress",
        "site": "Meridian Forum",
        "domain": "www.meridian-forum.example",
        "path": "/events/energy-security-after-the-pipeline-era/",
        "title": "Energy Security After the Pipeline Era",
        "published": "2023-03-16",
        "venue": "Meridian Forum Library, Kalvu iela 12, Riga, Latvia",
        "byline": "Marta Kalnina",
        "paragraphs": [
            "On March 14, the Meridian Forum hosted an expert discussion on how European energy security is changing now that pipelines no longer set the terms of trade.",
            "The discussion was moderated by Lena Ortiz, programme director of the Meridian Forum, who opened by noting that sanctions and price caps have rearranged supply routes faster than any strategy paper predicted.",
            "Tomasz Wierzbicki, Ambassador of Poland to Norway (2015-2019), compared the current scramble for liquefied gas with the oil shocks of the 1970s. “Every crisis teaches the same lesson: a country that buys from one seller sells its freedom of action,” the ambassador said. “Diversity of supply is not a luxury, it is a form of defence.” He added that the Baltic states had been right to build import terminals when many in Western Europe called them a waste of money.",
            "Amara Okafor, a senior fellow at the Meridian Forum, argued that the next risk is not gas but cables. According to her, undersea power and data links are the least protected part of the system. “We guard the pipelines and forget the wires,” she warned. Okafor said that sanctions on equipment suppliers could slow repairs for months if a cable were cut.",
            "“Markets adjust, but they adjust on their own timetable, not the timetable of governments,” Wierzbicki said later in the discussion, replying to a question from the audience about price caps.",
            "Closing the session, Ortiz said the Forum would publish a short report, “Wires, Not Pipes”, in the spring.",
        ],
        "related": [
            (
                "Sanctions and Their Limits",
                "“Sanctions rarely change a country's course,” said one reader of our newsletter.",
            )
        ],
        "comments": [
            (
                "baltic_reader",
                "Good panel. When the ambassador said “we should have listened to the Balts” the room went quiet.",
            ),
            ("k.mets", "Is there a recording? I missed the part on cables."),
        ],
    },
    {
        "file": "meridian-2024-arctic-shipping.html",
        "style": "wordpress",
        "site": "Meridian Forum",
        "domain": "www.meridian-forum.example",
        "path": "/events/who-will-sail-the-northern-sea-route/",
        "title": "Who Will Sail the Northern Sea Route?",
        "published": "2024-10-02",
        "venue": None,
        "byline": "Jonas Berg",
        "paragraphs": [
            "On September 30, the Meridian Forum held a round table on commercial shipping in the Arctic and the rules that govern it.",
            "Andrei Volkov, head of the Polar Logistics Programme at the Northern Maritime Institute, said that traffic along the route had grown for three years in a row despite sanctions on insurers. “Ships go where the cargo is, and the cargo is in Asia,” Volkov noted. He stressed that ice-class tankers remain the bottleneck.",
            "Hana Müller, a researcher at the Institute for Ocean Law in Hamburg, disagreed. She pointed out that insurance, not ice, decides whether a voyage happens. “Without a European underwriter, a shipowner is sailing blind,” Müller said, adding that the legal status of the route is likely to be contested for a decade.",
            "The debate turned to environmental rules. Müller said that a heavy-fuel ban in the Arctic would change the economics of the route more than any political decision. Volkov agreed that the ban was coming, but said shipowners had already ordered cleaner vessels.",
            "Lena Ortiz, who chaired the round table, concluded that the Arctic is becoming “a corridor of exceptions” rather than a corridor of trade.",
        ],
        "related": [
            (
                "Energy Security After the Pipeline Era",
                "On March 14, the Meridian Forum hosted an expert discussion.",
            )
        ],
        "comments": [
            ("nordic_shipper", "Müller is right about insurance. Nobody sails without cover.")
        ],
    },
    {
        "file": "baltic-2022-sanctions-roundtable.html",
        "style": "drupal",
        "site": "Baltic Policy Institute",
        "domain": "bpi.example.org",
        "path": "/events/2022/sanctions-that-work",
        "title": "Sanctions That Work: Lessons From Three Decades",
        "published": "2022-11-10",
        "date": "2022-11-08",
        "time": "15:00",
        "venue": "Conference Room B, Baltic Policy Institute, Vilnius, Lithuania",
        "city": "Vilnius",
        "country": "Lithuania",
        "kind": "Round table",
        "speakers": [
            ("Andrey Volkov", "Senior Fellow, Northern Maritime Institute"),
            ("Ingrid Solberg", "Director of Research, Baltic Policy Institute"),
            ("Rafael de la Cruz", "Professor of International Economics, University of Salamanca"),
        ],
        "paragraphs": [
            "On November 8, the Baltic Policy Institute hosted a round table on what three decades of economic sanctions have and have not achieved.",
            'Ingrid Solberg, Director of Research at the Baltic Policy Institute, opened the discussion by recalling that most sanctions regimes of the 1990s were lifted without reaching their stated goals. "We keep saying that sanctions "send a signal", but a signal is not a policy," she said.',
            'Rafael de la Cruz, Professor of International Economics at the University of Salamanca, presented data on trade diversion. In his view, sanctions work best when they are narrow and when the target has few alternative markets. "The broader the measure, the faster the target learns to live without us," de la Cruz said. He noted that financial sanctions tend to bite harder than trade bans.',
            'Andrey Volkov, Senior Fellow at the Northern Maritime Institute, spoke about shipping. He said that sanctions on ports and insurers had created a shadow fleet that was older, less safe and harder to monitor. "The ocean does not respect our lists," Volkov said.',
            "The participants agreed that the debate about effectiveness often confuses punishment with persuasion. Solberg concluded that the Institute would continue the series in the spring.",
        ],
    },
    {
        "file": "baltic-2025-grain-corridors.html",
        "style": "drupal",
        "site": "Baltic Policy Institute",
        "domain": "bpi.example.org",
        "path": "/events/2025/grain-corridors-conference",
        "title": "Grain Corridors and Food Security in the Black Sea and the Baltic",
        "published": "2025-06-06",
        "date": "2025-06-03",
        "time": "10:00",
        "venue": "Tallinn Creative Hub, Tallinn, Estonia",
        "city": "Tallinn",
        "country": "Estonia",
        "kind": "Conference",
        "speakers": [
            ("Maria Tamm", "Deputy Minister of Foreign Affairs of Estonia"),
            ("Oleksandr Hrytsenko", "Director, Centre for Food Trade Studies, Odesa"),
            ("Amara Okafor", "Senior Fellow, Meridian Forum"),
        ],
        "paragraphs": [
            "The Baltic Policy Institute held its annual conference on food security in Tallinn on 3–4 June 2025, bringing together officials, traders and researchers from eleven countries.",
            "In her keynote address, Deputy Minister of Foreign Affairs of Estonia Maria Tamm said that grain corridors had become a test of whether Europe can protect trade routes it does not control. “Food is the one export that nobody can call a luxury,” the deputy minister said.",
            "Oleksandr Hrytsenko, Director of the Centre for Food Trade Studies in Odesa, described the first year of the maritime corridor. « We did not wait for permission, we waited for insurance », he said. According to Hrytsenko, rail links to Baltic ports now carry a fifth of the region's grain exports.",
            "Amara Okafor, Senior Fellow at the Meridian Forum, spoke on the second day about the risks to undersea infrastructure along the same routes. She argued that food security and cable security now share a map, and called for joint patrols.",
            "The conference closed with a session titled “Feeding the Map: Routes Beyond the Strait”, chaired by Institute staff.",
        ],
    },
    {
        "file": "caspian-2021-water-diplomacy.html",
        "style": "club",
        "site": "Caspian Council on Foreign Affairs",
        "domain": "caspiancouncil.example",
        "path": "/en/news/view/water-diplomacy-in-central-asia/",
        "title": "Water Diplomacy in Central Asia: Rivers Without Borders",
        "published": "2021-04-22",
        "rubric": "Expert discussion",
        "venue": "Caspian Council Conference Hall, Baku",
        "speakers": [
            ("Rustam Kerimov", "Chairman of the Caspian Council on Foreign Affairs"),
            ("Pieter van Dijk", "Senior Adviser, Delta Water Institute, Rotterdam"),
            ("Dilnoza Yusupova", "Research Fellow, Institute of Regional Studies, Tashkent"),
        ],
        "paragraphs": [
            "On April 20, the Caspian Council on Foreign Affairs held an expert discussion on how the states of Central Asia share the waters of the Amu Darya and the Syr Darya.",
            "Opening the discussion, Rustam Kerimov, Chairman of the Caspian Council on Foreign Affairs, said that water is the oldest subject of diplomacy in the region and still the least institutionalised. “Our grandparents negotiated over canals; we negotiate over data,” he said.",
            "Pieter van Dijk, Senior Adviser at the Delta Water Institute in Rotterdam, shared the Dutch experience of managing shared rivers. “A river basin commission only works when every member can see the same numbers at the same time,” van Dijk said. He recommended a common monitoring network before any new treaty.",
            "Dilnoza Yusupova, Research Fellow at the Institute of Regional Studies in Tashkent, pointed to the growing demand for irrigation. According to her, climate change will reduce glacier melt within two decades, and sanctions on equipment imports have slowed the modernisation of pumping stations.",
            "The participants agreed to continue the discussion at the Council's autumn session.",
        ],
    },
    {
        "file": "caspian-2023-energy-transcript.html",
        "style": "club",
        "site": "Caspian Council on Foreign Affairs",
        "domain": "caspiancouncil.example",
        "path": "/en/news/view/transcript-caspian-energy-after-2022/",
        "title": "Caspian Energy After 2022: A Conversation",
        "published": "2023-09-14",
        "rubric": "Podcast",
        "venue": None,
        "speakers": [
            ("Rustam Kerimov", "Chairman of the Caspian Council on Foreign Affairs"),
            ("Hana Müller", "Researcher, Institute for Ocean Law, Hamburg"),
        ],
        "paragraphs": [
            "This is an edited transcript of the Caspian Council's podcast recorded on September 12.",
            "KERIMOV: Welcome to the Council podcast. I'm Rustam Kerimov. Today we talk about oil and gas across the Caspian, and about the law of an inland sea that some call a lake.",
            "MÜLLER: Thank you, Rustam. The legal question is not academic. Whether the Caspian is a sea or a lake decides who may lay a pipeline across it.",
            "KERIMOV: And the 2018 convention settled that?",
            "MÜLLER: It settled the surface, not the seabed. Every pipeline still needs the consent of the states whose sectors it crosses, and environmental review gives each of them a veto in practice.",
            "That is why investors ask for guarantees that no treaty can give. They want to know who pays if a project is stopped halfway.",
            "KERIMOV: So sanctions are only one of the risks.",
            "MÜLLER: Sanctions are the loudest risk. The quiet one is the seabed.",
        ],
    },
    {
        "file": "northern-2020-arctic-council-cp1251.html",
        "style": "table",
        "site": "Northern Dialogue Society",
        "domain": "northern-dialogue.example",
        "path": "/reports/2020/arctic-cooperation.html",
        "title": "Arctic Cooperation in a Cold Climate",
        "published": "2020-02-21",
        "venue": "Дом дружбы (House of Friendship), Murmansk, Russia",
        "byline": "Olga Serova",
        "paragraphs": [
            "On February 19, 2020, the Northern Dialogue Society held a seminar in Murmansk on scientific cooperation in the Arctic.",
            "Viktor Lemansky, Director of the Kola Centre for Polar Research, said that joint expeditions had continued even in the worst years of political tension. “Ice does not read newspapers,” he said. Lemansky added that data sharing between Russian and Norwegian institutes was the oldest working channel in the region.",
            "Kari Nordahl, a professor at the University of Tromsø, agreed, but warned that funding cuts could do what politics had not. “A station closed for a winter is a record lost for a century,” Nordahl said.",
            "Participants also discussed sanctions on research equipment and the difficulty of buying spare parts for icebreakers.",
        ],
    },
    {
        "file": "sever-2019-nordic-forum-cp1251.html",
        "style": "undeclared",
        "site": "Sever Club",
        "domain": "sever-club.example",
        "path": "/news/2019/nordic-forum/",
        "title": "Северный форум / The Northern Forum: Borders and Bridges",
        "published": "2019-10-05",
        "venue": "Petrozavodsk, Russia",
        "paragraphs": [
            "On October 3, the Sever Club held its annual Northern Forum in Petrozavodsk, with experts from Finland, Norway and Russia.",
            "Viktor Lemansky, a member of the Sever Club council, said that cross-border cooperation in Karelia had survived three political crises. “Bridges are built slowly and burned quickly,” he said.",
            "Aino Virtanen, Senior Researcher at the Karelian Institute, noted that border trade had fallen by half since sanctions were introduced, while tourism had grown. According to Virtanen, young people on both sides now meet more often online than in person.",
            "The forum ended with a discussion of the name «Баренцев регион» and what the Barents region means to the people who live in it.",
        ],
    },
    {
        "file": "meridian-2022-podcast-transcript.html",
        "style": "wordpress",
        "site": "Meridian Forum",
        "domain": "www.meridian-forum.example",
        "path": "/podcasts/the-sanctions-ledger-episode-12/",
        "title": "The Sanctions Ledger, Episode 12: Who Pays?",
        "published": "2022-06-09",
        "venue": None,
        "byline": "Meridian Forum staff",
        "paragraphs": [
            "In this episode, Lena Ortiz talks with Rafael de la Cruz about who carries the cost of sanctions.",
            "Lena Ortiz: Welcome to The Sanctions Ledger. I'm Lena Ortiz, programme director at the Meridian Forum. My guest today is Rafael de la Cruz, professor of international economics at the University of Salamanca.",
            "Rafael de la Cruz: Thank you, Lena. It's good to be back.",
            "Lena Ortiz: Let's start with the simplest question. Who pays for sanctions?",
            "Rafael de la Cruz: Everybody pays something, but not equally. The target pays most in the first year. After that, the costs spread to neighbours, to shipping, to the small exporters who never made the headlines.",
            "And the sender pays too, usually in ways its voters never see: in lost contracts, in higher insurance, in markets that never come back.",
            "Lena Ortiz: So the bill arrives late.",
            "Rafael de la Cruz: The bill always arrives late, and it is always larger than the estimate.",
        ],
        "related": [
            (
                "Energy Security After the Pipeline Era",
                "On March 14, the Meridian Forum hosted an expert discussion.",
            )
        ],
        "comments": [
            ("econ_student", "De la Cruz said “the bill always arrives late” — great line.")
        ],
    },
    {
        "file": "baltic-2021-cyber-norms.html",
        "style": "drupal",
        "site": "Baltic Policy Institute",
        "domain": "bpi.example.org",
        "path": "/events/2021/cyber-norms-small-states",
        "title": "Cyber Norms for Small States",
        "published": "2021-05-20",
        "date": "2021-05-18",
        "time": "11:00",
        "venue": "Online",
        "city": None,
        "country": None,
        "kind": "Webinar",
        "speakers": [
            ("Ingrid Solberg", "Director of Research, Baltic Policy Institute"),
            ("Tomasz Wierzbicki", "Senior Fellow, Baltic Policy Institute"),
        ],
        "paragraphs": [
            "On May 18, the Baltic Policy Institute held a webinar on what international cyber norms can offer small states.",
            "Tomasz Wierzbicki, Senior Fellow at the Baltic Policy Institute, said that small states have the most to gain from rules and the least power to enforce them. «A norm is a promise that only works if someone remembers it», he said.",
            "Ingrid Solberg, Director of Research at the Institute, described the Tallinn Manual process as an example of lawyers moving faster than diplomats. She noted that attribution of attacks remains the weakest link. “You cannot sanction an attack that you cannot attribute,” Solberg said.",
            "The webinar was the third in the series “Small States, Big Networks”.",
        ],
    },
    {
        "file": "caspian-2024-youth-session.html",
        "style": "club",
        "site": "Caspian Council on Foreign Affairs",
        "domain": "caspiancouncil.example",
        "path": "/en/news/view/youth-session-2024/",
        "title": "The Council's Youth Session Opens in Baku",
        "published": "2024-11-27",
        "rubric": "News",
        "venue": "ADA University, Baku",
        "speakers": [
            ("Rustam Kerimov", "Chairman of the Caspian Council on Foreign Affairs"),
            ("Dilnoza Yusupova", "Deputy Director, Institute of Regional Studies, Tashkent"),
        ],
        "paragraphs": [
            "On November 25, the Caspian Council on Foreign Affairs opened its third Youth Session, attended by forty young researchers from nine countries.",
            "“The people in this room will be negotiating the treaties that we only talk about,” Rustam Kerimov, Chairman of the Caspian Council on Foreign Affairs, said in his welcoming address.",
            "Dilnoza Yusupova, Deputy Director of the Institute of Regional Studies in Tashkent, spoke about careers in regional diplomacy. According to her, the region needs fewer generalists and more specialists in water, energy and trade law. “Learn one thing deeply, and then learn your neighbour's language,” she told the participants.",
            "The session continues with workshops on negotiation and on the economics of sanctions.",
        ],
    },
    {
        "file": "meridian-2025-sanctions-review.html",
        "style": "wordpress",
        "site": "Meridian Forum",
        "domain": "www.meridian-forum.example",
        "path": "/events/sanctions-review-2025/",
        "title": "Sanctions in Review: What Changed in 2025",
        "published": "2025-12-04",
        "venue": "Meridian Forum Library, Kalvu iela 12, Riga, Latvia",
        "byline": "Marta Kalnina",
        "paragraphs": [
            "On December 2, the Meridian Forum presented its annual report “Sanctions in Review 2025” at an expert discussion in Riga.",
            "Presenting the report, Amara Okafor, Senior Fellow at the Meridian Forum, said that the year had seen more sanctions designations than any year before, but fewer new sectors. “We have stopped inventing and started maintaining,” she said. “Maintenance is less exciting, but it is where sanctions succeed or fail.”",
            "Rafael de la Cruz, Professor of International Economics at the University of Salamanca, welcomed the report's focus on enforcement. He said that so-called “secondary sanctions” had changed the behaviour of banks more than any trade ban.",
            "Lena Ortiz, programme director of the Meridian Forum, recalled that the Forum's first report in 2019 had been dismissed as alarmist. According to Ortiz, the findings had aged better than the criticism.",
            "The European Commissioner for Trade, who was not present, was quoted in the report as saying that sanctions are “a marathon, not a sprint”.",
        ],
        "related": [
            (
                "Who Will Sail the Northern Sea Route?",
                "On September 30, the Meridian Forum held a round table on Arctic shipping.",
            )
        ],
        "comments": [
            (
                "riga_watcher",
                "Okafor said “maintenance is where sanctions fail” — not quite what she said, but close.",
            )
        ],
    },
]


def _url(r):
    return f"https://{r['domain']}{r['path']}"


def _paras(r):
    return "\n".join(f"<p>{e(p)}</p>" for p in r["paragraphs"])


def _date_words(iso):
    y, m, d = iso.split("-")
    months = ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"]  # fmt: skip
    return f"{int(d)} {months[int(m) - 1]} {y}"


def wordpress(r):
    related = "".join(
        f'<div class="related-post"><h4><a href="/related/">{e(t)}</a></h4><p class="excerpt">{e(x)}</p></div>'
        for t, x in r.get("related", [])
    )
    comments = "".join(
        f'<li class="comment"><div class="comment-author"><b>{e(who)}</b> says:</div>'
        f'<div class="comment-content"><p>{e(text)}</p></div></li>'
        for who, text in r.get("comments", [])
    )
    venue = f"<li><strong>Venue:</strong> {e(r['venue'])}</li>" if r.get("venue") else ""
    return f"""<!doctype html>
<html lang="en-GB"><head><meta charset="UTF-8">
<title>{e(r["title"])} &#8211; {e(r["site"])}</title>
<link rel="canonical" href="{e(_url(r))}">
<meta property="og:title" content="{e(r["title"])}"><meta property="og:site_name" content="{e(r["site"])}">
<meta property="article:published_time" content="{r["published"]}T10:00:00+02:00">
<meta name="author" content="{e(r["byline"])}">
</head><body>
<div class="cookie-notice">We use cookies to understand how readers use this site. <a href="#">Accept</a></div>
<header class="site-header"><p class="site-title"><a href="/">{e(r["site"])}</a></p>
<nav class="main-navigation"><ul><li><a href="/">Home</a></li><li><a href="/events/">Events</a></li><li><a href="/podcasts/">Podcasts</a></li></ul></nav></header>
<main id="primary"><article class="post">
<header class="entry-header"><span class="cat-links"><a href="/events/">Events</a></span><h1 class="entry-title">{e(r["title"])}</h1>
<div class="entry-meta">Posted on <time class="entry-date published" datetime="{r["published"]}T10:00:00+02:00">{_date_words(r["published"])}</time>
<span class="byline"> by <span class="author vcard">{e(r["byline"])}</span></span></div></header>
<aside class="event-details-box"><ul>{venue}<li><strong>Organised by:</strong> {e(r["site"])}</li></ul></aside>
<div class="entry-content">
{_paras(r)}
</div>
<footer class="entry-footer"><span class="tags-links">Tagged <a href="/tag/sanctions/">Sanctions</a></span>
<div class="sharedaddy"><h3>Share this:</h3><a href="#">Facebook</a> <a href="#">X</a></div></footer>
<div class="author-bio"><h2>About {e(r["byline"])}</h2><p>{e(r["byline"])} writes about events at {e(r["site"])}.</p></div>
</article>
<section class="related-posts"><h3>Related</h3>{related}</section>
<div id="comments" class="comments-area"><h2 class="comments-title">Comments</h2><ol class="comment-list">{comments}</ol></div>
</main>
<footer class="site-footer"><p>&copy; {r["published"][:4]} {e(r["site"])}</p></footer>
</body></html>
"""


def drupal(r):
    performers = [{"@type": "Person", "name": n, "jobTitle": t} for n, t in r["speakers"]]
    location = (
        {"@type": "VirtualLocation", "url": _url(r)} if r["venue"] == "Online" else
        {"@type": "Place", "name": r["venue"], "address": {"@type": "PostalAddress",
         "addressLocality": r["city"], "addressCountry": r["country"]}}
    )  # fmt: skip
    ld = {"@context": "https://schema.org", "@type": "Event", "name": r["title"], "url": _url(r),
          "startDate": f"{r['date']}T{r['time']}:00+02:00", "performer": performers, "location": location,
          "organizer": {"@type": "Organization", "name": r["site"]}}  # fmt: skip
    speakers = "".join(
        f'<dt class="speaker__name">{e(n)}</dt><dd class="speaker__title">{e(t)}</dd>'
        for n, t in r["speakers"]
    )
    return f"""<!DOCTYPE html>
<html lang="en" dir="ltr"><head><meta charset="utf-8">
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>
<title>{e(r["title"])} | {e(r["site"])}</title>
<link rel="canonical" href="{e(_url(r))}"><meta property="og:site_name" content="{e(r["site"])}">
<meta property="article:published_time" content="{r["published"]}T09:00:00+02:00">
</head><body class="page-node-type-event">
<header role="banner"><div class="site-name"><a href="/">{e(r["site"])}</a></div>
<nav class="menu--main"><ul><li><a href="/events">Events</a></li><li><a href="/research">Research</a></li></ul></nav></header>
<nav class="breadcrumb"><ol><li><a href="/">Home</a></li><li><a href="/events">Events</a></li></ol></nav>
<main role="main"><article class="node node--type-event">
<div class="event-hero"><div class="field--name-field-event-type">{e(r["kind"])}</div>
<h1 class="page-title">{e(r["title"])}</h1>
<div class="event-meta"><div class="field--label-inline"><div class="field__label">Date</div><div class="field__item"><time datetime="{r["date"]}T{r["time"]}:00+02:00">{_date_words(r["date"])}</time></div></div>
<div class="field--label-inline"><div class="field__label">Location</div><div class="field__item">{e(r["venue"])}</div></div></div></div>
<section class="field--name-field-speakers"><h2 class="field__label">Speakers</h2><dl class="speaker-list">{speakers}</dl></section>
<section class="field field--name-body field--label-hidden"><h2>Event summary</h2>
{_paras(r)}
</section>
<div class="share-this"><span>Share this event</span><a href="#">Facebook</a></div>
</article>
<div class="block-views"><h2>More events</h2><div class="views-row"><a href="/events/other">Another event</a></div></div>
</main><footer role="contentinfo"><p>{e(r["site"])}</p></footer></body></html>
"""


def club(r):
    cards = "".join(
        f'<div class="speaker-card"><div class="speaker-info"><a class="speaker-name" href="/experts/">{e(n)}</a>'
        f'<div class="speaker-position">{e(t)}</div></div></div>'
        for n, t in r["speakers"]
    )
    venue = f'<div class="event-place">{e(r["venue"])}</div>' if r.get("venue") else ""
    d = r["published"].split("-")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<title>{e(r["title"])} &#8212; {e(r["site"])}</title>
<link rel="canonical" href="{e(_url(r))}"><meta property="og:site_name" content="{e(r["site"])}">
</head><body>
<div class="top-bar"><ul class="lang-switch"><li><a href="/">EN</a></li><li><a href="/ru/">RU</a></li></ul></div>
<header class="site-header"><nav class="main-navigation"><ul class="menu"><li><a href="/about/">About</a></li><li><a href="/events/">Events</a></li></ul></nav></header>
<main class="site-main"><article class="post">
<header class="entry-header"><div class="rubric"><a href="/events/">{e(r["rubric"])}</a></div><h1 class="entry-title">{e(r["title"])}</h1>
<div class="entry-meta"><span class="date">{d[2]}.{d[1]}.{d[0]}</span>{venue}</div></header>
<div class="speakers-block collapsible"><button class="speakers-toggle" type="button">List of speakers</button>
<div class="speakers-list">{cards}</div></div>
<div class="entry-content">
{_paras(r)}
<div class="read-also"><span class="read-also__label">Read also:</span> <a href="/en/news/">More from the Council</a></div>
</div>
<footer class="entry-footer"><div class="share-buttons">Share: <a href="#">Telegram</a></div></footer>
</article>
<section class="related-posts"><h2>Related articles</h2><div class="related-item"><h3><a href="/en/news/">Older news</a></h3><p class="excerpt">The Council met in Baku.</p></div></section>
</main></body></html>
"""


def table(r):
    body = "".join(f"<p>{e(p)}</p>" for p in r["paragraphs"])
    return f"""<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">
<title>{e(r["title"])} - {e(r["site"])}</title>
<link rel="canonical" href="{e(_url(r))}">
</head><body>
<table width="100%"><tr><td class="menu"><a href="/">Home</a> | <a href="/reports/">Reports</a> | <a href="/about/">About</a></td></tr>
<tr><td class="content"><h1>{e(r["title"])}</h1>
<p class="dateline">{_date_words(r["published"])} | Venue: {e(r["venue"])}</p>
<p class="byline">By {e(r["byline"])}</p>
{body}
</td></tr><tr><td class="footer">&copy; {e(r["site"])}</td></tr></table>
</body></html>
"""


def undeclared(r):
    body = "".join(f"<p>{e(p)}</p>" for p in r["paragraphs"])
    return f"""<html><head><title>{e(r["title"])}</title>
<link rel="canonical" href="{e(_url(r))}"></head><body>
<div id="header"><a href="/">Клуб «Север»</a> · <a href="/news/">Новости</a></div>
<div id="article"><h1>{e(r["title"])}</h1>
<div class="date">{_date_words(r["published"])}</div>
{body}
</div>
<div id="footer">© Sever Club</div>
</body></html>
"""


RENDER = {
    "wordpress": wordpress,
    "drupal": drupal,
    "club": club,
    "table": table,
    "undeclared": undeclared,
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for r in REPORTS:
        text = RENDER[r["style"]](r)
        encoding = "cp1251" if r["style"] in ("table", "undeclared") else "utf-8"
        (OUT / r["file"]).write_bytes(text.encode(encoding, "xmlcharrefreplace"))
    print(f"{len(REPORTS)} sample pages -> {OUT}")


if __name__ == "__main__":
    main()
