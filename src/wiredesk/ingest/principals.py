"""The people, places and organisations a report is about, and when two reports are about different ones.

Reports of two events of one kind read alike: two title fights of one champion, two players of one
team put on injured reserve, two rulings on one law. Their words overlap as much as two reports of
the same event, and so do the names that come with the kind (the champion, the team, the law). What
tells them apart is the names each report is *about*: the challenger, the injured player. Those are
the report's principals: full names in its opening that it repeats, or names it repeats throughout.

An article conflicts with a story when it is about someone the story's members hardly mention and
is silent on the name the story is most about, when the names it is most about are new to the story
(or shared by every story of the kind), or when it centres on another name than the one the story
centres on and names the story's only in passing. Conflicting stories are not joined, however close
their words.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from wiredesk.ingest.stopwords import STOPWORDS

LEAD_CHARS = 300  # the opening: headline and first sentences
LEAD_MENTIONS = 1  # a full name in the opening is a principal if its last word comes up this often
BODY_MENTIONS = 3  # ... anywhere, if this often
NEW_SHARE = 0.25  # a principal is new to a story when fewer of its members than this mention it
LEAD_RATIO = 2  # the story's leading name comes up less than half as often as the article's own
CORE_SHARE = 0.5  # a story's core: principals of at least this share of its members (and two)

_POSSESSIVE = re.compile(r"['’]s$|(?<=s)['’]$")  # "Reid's", "Williams'"
# Clock times and time zones in capitals ("1:32 PM PDT", "11:06 PM CEST") make runs that name no one.
CLOCK_WORDS = frozenset("""
    am pm gmt utc bst est edt cst cdt mst mdt pst pdt akst akdt hst cet cest eet eest ist aest aedt nzst nzdt
    """.split())


@dataclass(frozen=True)
class StoryView:
    """What the conflict test needs of each sampled member: its principals with their mentions, and
    the words it names."""

    principals: Mapping[str, int]
    words: frozenset[str]


# Titles news style writes in capitals before a name: "Interior Secretary Ken Salazar", "Saints RB
# Pierre Thomas". The name is what follows the last of them; a run that ends in one is a title.
TITLES = frozenset("""
    president vice prime minister secretary senator sen rep representative governor gov mayor judge
    justice chief officer director chairman chairwoman chair ceo coach captain capt colonel col
    gen lieutenant lt sergeant sgt dr doctor professor prof mr mrs ms sir lord lady king queen
    prince princess pope rev reverend father bishop archbishop detective inspector constable
    commissioner spokesman spokeswoman spokesperson actress actor singer star champion former late
    interior commerce defense defence foreign finance health attorney rb qb wr te lb cb striker
    goalkeeper manager boss leader premier chancellor ambassador deputy superintendent sheriff
    """.split())


def _after_titles(words: list[str]) -> list[str]:
    """The name after the titles ("ken salazar"); nothing when the run ends in a title ("heavyweight
    champion"); the run as it is when a single word would follow ("president obama")."""
    last = max((i for i, word in enumerate(words) if word in TITLES), default=-1)
    if last < 0:
        return words
    if last == len(words) - 1:
        return []
    return words[last + 1:] if len(words) - last - 1 >= 2 else words


def clean_name(name: str) -> str | None:
    """A principal is a full name of two or three words ("tony thompson", "promises treatment center"),
    without the titles before it; longer capitalised runs are headlines, a run that ends in a title
    names no one, nor does a clock time, and a possessive is the same name."""
    name = _POSSESSIVE.sub("", name)
    words = _after_titles(name.split())
    name = " ".join(words)
    if any(word in CLOCK_WORDS for word in words):
        return None
    if not 2 <= len(words) <= 3 or len(words[-1]) < 3 or words[-1] in STOPWORDS:
        return None  # "general manager a", "chicago bears thursday": a cut-off name
    return name


def principals(lead_names: Iterable[str], names: Iterable[str], tokens: Iterable[str]) -> dict[str, int]:
    """Principal names mapped to how often their last word occurs, most mentioned first."""
    counts = Counter(tokens)
    found: dict[str, int] = {}
    for pool, needed in ((lead_names, LEAD_MENTIONS), (names, BODY_MENTIONS)):
        for raw in pool:
            name = clean_name(raw)
            if name and counts[name.split()[-1]] >= needed:
                found[name] = counts[name.split()[-1]]
    return dict(sorted(found.items(), key=lambda item: (-item[1], item[0])))


def mentions(name: str, words: frozenset[str] | set[str]) -> bool:
    """A name is mentioned when its last word is ("Thompson"), or most of its words are
    ("Promises Treatment Centre" for "Promises Treatment Center")."""
    parts = name.split()
    return parts[-1] in words or sum(part in words for part in parts) >= 2 / 3 * len(parts)


def member_words(names: Iterable[str], terms: Iterable[str]) -> frozenset[str]:
    """The words a stored member is known to contain: every word of its names, and its top terms."""
    words = {word for name in names for word in _POSSESSIVE.sub("", name).split()}
    return frozenset(words | set(terms))


def conflicts(article: dict[str, int], article_words: frozenset[str] | set[str], members: list[StoryView],
              article_counts: Counter[str] | None = None, common: Iterable[str] = ()) -> bool:
    """True when the article and the story (its sampled members) are about different principals.

    `common` holds names that other stories in view also carry (the company with two fires, the
    team with two coaches): they say which kind of event, not which event."""
    if not article or not members:
        return False
    counts = Counter(name for member in members for name in member.principals)
    core = {name for name, count in counts.items() if count >= max(2.0, CORE_SHARE * len(members))}
    most = max(article.values())  # the names the article is most about (ties count alike)
    leading = {name for name, count in article.items() if count == most}
    new = {name for name in article
           if sum(mentions(name, member.words) for member in members) < NEW_SHARE * len(members)}
    weight = _mentions_summed(members)
    if ((new or not core) and article_counts is not None
            and _about_another(article_counts, most, set(article), core, counts, weight)):
        return True
    if not new or not core:
        return False
    if not mentions(_heaviest((core - set(common)) or core, weight), article_words):
        return True  # about someone new, and silent on whom the story is about
    # Most about a new name, and about nothing the story knows but the names every such event shares.
    known = {name for name in leading if name not in new and name not in core}
    return most >= BODY_MENTIONS and not known and any(name in new and name not in core for name in leading)


def _heaviest(names: Iterable[str], weight: Counter[str]) -> str:
    """The name the story is most about. Asked of the core without the names other stories in view
    carry, it is whom a report must not leave out: it may skip the story's secondary figures (the
    actor's former role, the producer) but not the one the story centres on."""
    return max(names, key=lambda name: (weight[name], name))


def _mentions_summed(members: list[StoryView]) -> Counter[str]:
    """How much the story is about each of its principals: their mentions summed over the members."""
    weight: Counter[str] = Counter()
    for member in members:
        weight.update(member.principals)
    return weight


def _about_another(article_counts: Counter[str], most: int, article_names: set[str], core: set[str],
                   counts: Counter[str], weight: Counter[str]) -> bool:
    """The story centres on one name above all (its mentions summed over the members, and a
    principal of two of them at least); the article centres on another and names the story's only
    in passing. "Saints put Thomas on injured reserve" against a story of Bush on injured reserve,
    where Thomas came up as Bush's stand-in: Thomas is not new to the story, yet it is another event.
    Checked when the article brings a new name, or when the story has no core to test against; never
    when one of the article's principals is the story's lead or one of its core."""
    if most < BODY_MENTIONS or article_names & core or not weight:
        return False
    story_lead = _heaviest(weight, weight)
    if counts[story_lead] < 2 or story_lead in article_names:
        return False
    return article_counts[story_lead.split()[-1]] * LEAD_RATIO < most


def without_names(terms: dict[str, float], names: Iterable[str]) -> dict[str, float]:
    """The words that say what happened (fire, derailed, rates), without the words that say to whom."""
    name_words = {word for name in names for word in name.split()}
    return {term: weight for term, weight in terms.items() if term not in name_words}
