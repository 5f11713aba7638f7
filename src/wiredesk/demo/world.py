"""The offline demo world: fictional outlets covering fictional events over several days.

Deterministic for a given seed and anchor time. Articles whose time is still in the future are
held back by the server until the clock reaches them, so the demo keeps publishing while it runs.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from wiredesk.demo.facts import WEEKDAYS, base_facts, person
from wiredesk.demo.kinds import KINDS, Kind
from wiredesk.demo.spinner import spin

WIRE_CREDIT = "MPA"


@dataclass(frozen=True)
class DemoOutlet:
    slug: str
    name: str
    role: str  # wire | syndicator | independent | aggregator
    feed_format: str  # rss2 | atom | json | rss1
    tagline: str
    accent: str


OUTLETS: tuple[DemoOutlet, ...] = (
    DemoOutlet("meridian", "Meridian Press Agency", "wire", "rss2", "The wire behind the headlines", "#b3261e"),
    DemoOutlet("harbor-ledger", "The Harbor City Ledger", "syndicator", "atom", "Since 1871", "#1f4e79"),
    DemoOutlet("valley-post", "Valley Evening Post", "syndicator", "rss2", "Your valley, every evening", "#4a6b2a"),
    DemoOutlet("brightwater", "Brightwater Tribune", "syndicator", "json", "News for the bay", "#7a4b94"),
    DemoOutlet("northgate", "Northgate Courier", "independent", "rss1", "Independent since 1990", "#2d6a6a"),
    DemoOutlet("lakeshore", "The Lakeshore Observer", "independent", "atom", "Read it first", "#8a5a00"),
    DemoOutlet("coastline", "Coastline Daily", "independent", "json", "Coast to coast", "#005f8f"),
    DemoOutlet("summit", "Summit Business Journal", "independent", "rss2", "Markets and money", "#333366"),
    DemoOutlet("newspulse", "NewsPulse Hub", "aggregator", "rss2", "All the news, all the time", "#c2185b"),
)


@dataclass
class DemoArticle:
    outlet: str
    slug: str
    title: str
    paragraphs: list[str]
    byline: str
    published: datetime
    section: str
    event: int
    relation: str  # original | wire_copy | independent | spun_copy
    guid: str = ""
    copied_from: str = ""

    @property
    def summary(self) -> str:
        return self.paragraphs[0]


@dataclass
class DemoWorld:
    anchor: datetime
    outlets: tuple[DemoOutlet, ...]
    articles: list[DemoArticle] = field(default_factory=list)

    def outlet(self, slug: str) -> DemoOutlet:
        return next(o for o in self.outlets if o.slug == slug)

    def published(self, outlet: str, now: datetime) -> list[DemoArticle]:
        """An outlet's articles visible at `now`, newest first."""
        items = [a for a in self.articles if a.outlet == outlet and a.published <= now]
        return sorted(items, key=lambda a: a.published, reverse=True)

    def find(self, outlet: str, slug: str) -> DemoArticle | None:
        return next((a for a in self.articles if a.outlet == outlet and a.slug == slug), None)


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:70]


def build_world(anchor: datetime, seed: int = 7, past_events: int = 60, future_events: int = 150,
                future_spacing: timedelta = timedelta(minutes=4), past_span: timedelta = timedelta(days=4)) -> DemoWorld:
    """`past_events` spread over the `past_span` (four days) before `anchor`, then one new event
    every `future_spacing`, so feeds grow while the demo runs."""
    rng = random.Random(seed)
    world = DemoWorld(anchor=anchor, outlets=OUTLETS)
    span = past_span
    seen: set[tuple[str, ...]] = set()
    for index in range(past_events + future_events):
        if index < past_events:
            offset = span * (index / past_events)
            start = anchor - span + offset - timedelta(hours=10) * (index / past_events)
        else:
            start = anchor + future_spacing * (index - past_events + 1)
        kind = KINDS[index % len(KINDS)]
        world.articles.extend(_cover_event(rng, index, kind, start, seen))
    return world


def _cover_event(rng: random.Random, event: int, kind: Kind, start: datetime,
                 seen: set[tuple[str, ...]]) -> list[DemoArticle]:
    facts = base_facts(rng, kind.name)
    # Two events of one kind never share their place and main actors (two mayoral races in one
    # city with the same winner would be one story, not two).
    while (signature := (kind.name, facts["city"], facts["company"], facts["party"], facts["team1"])) in seen:
        facts = base_facts(rng, kind.name)
    seen.add(signature)
    values = dict(facts.values, weekday=WEEKDAYS[start.weekday()])
    wire_title = kind.wire_headline.format(**values)
    wire_body = [p.format(**values) for p in kind.wire]
    dateline = f"{values['city'].upper()}, {start.strftime('%b')}. {start.day} ({WIRE_CREDIT}) – "
    wire_paragraphs = [dateline + wire_body[0], *wire_body[1:],
                       f"Reporting by {values['person4']}; Editing by {values['person5']}"]
    base_slug = f"{slugify(wire_title)}-{event}"
    original = DemoArticle(
        outlet="meridian", slug=base_slug, title=wire_title, paragraphs=wire_paragraphs,
        byline=f"{values['person4']}, Meridian Press Agency", published=start, section=kind.section,
        event=event, relation="original", guid=f"mpa:{event}",
    )
    coverage = [original]
    for outlet in rng.sample(["harbor-ledger", "valley-post", "brightwater"], k=rng.choice([1, 2, 2, 3])):
        coverage.append(_wire_copy(rng, original, outlet))
    # At most two independent outlets, each writing its own version: no two write the same words.
    for variant, outlet in enumerate(rng.sample(["northgate", "lakeshore", "coastline", "summit"],
                                                k=rng.choice([1, 2, 2]))):
        choice = (variant + event) % 2
        coverage.append(DemoArticle(
            outlet=outlet, slug=f"{slugify(kind.indie_headlines[choice].format(**values))}-{event}",
            title=kind.indie_headlines[choice].format(**values),
            paragraphs=[p.format(**values) for p in kind.indie[choice]],
            byline=f"By {person(rng)}", published=start + timedelta(minutes=rng.randint(60, 480)),
            section=kind.section, event=event, relation="independent",
            guid=f"{outlet}-{event}",
        ))
    if rng.random() < 0.6:
        strength = rng.choice([0.4, 0.6, 0.8])
        coverage.append(DemoArticle(
            outlet="newspulse", slug=f"{base_slug}-np", title=spin(wire_title, strength, seed=event),
            paragraphs=[spin(p, strength, seed=event + i) for i, p in enumerate(wire_paragraphs[:-1])],
            byline="NewsPulse Desk", published=start + timedelta(minutes=rng.randint(120, 600)),
            section=kind.section, event=event, relation="spun_copy", copied_from=original.slug,
        ))
    return coverage


def _wire_copy(rng: random.Random, original: DemoArticle, outlet: str) -> DemoArticle:
    """Newspapers run the wire story under their masthead: same text, sometimes re-headed or trimmed."""
    paragraphs = list(original.paragraphs)
    if rng.random() < 0.4:
        paragraphs = paragraphs[:-2] + paragraphs[-1:]  # trimmed for space, credit kept
    title = original.title
    if rng.random() < 0.3:
        title = title.split(" with ")[0].split(" for ")[0] + " – report"
    return DemoArticle(
        outlet=outlet, slug=f"{original.slug}-{outlet}", title=title, paragraphs=paragraphs,
        byline="Meridian Press Agency", published=original.published + timedelta(minutes=rng.randint(15, 120)),
        section=original.section, event=original.event, relation="wire_copy",
        guid=f"{outlet}:{original.event}", copied_from=original.slug,
    )
