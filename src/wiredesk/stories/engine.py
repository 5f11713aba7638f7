"""The story engine: places one article among the earlier ones.

fingerprint → candidates from the index (shared LSH bands, shared rare immutables, inside a time
window) → verified relation (ingest.match) → story (join, start, or merge two) → provenance.

Live ingest and `wiredesk analyze` both call `attach`, so both run exactly this code.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta

import numpy as np
from django.db import transaction
from django.db.models import Count, F, Max, Min

from wiredesk.articles.models import Article
from wiredesk.ingest import fingerprint as fp
from wiredesk.ingest import principals as principal_names
from wiredesk.ingest.match import (
    COPY_RELATIONS,
    SAME_STORY,
    Candidate,
    Match,
    best_match,
    classify,
    cosine,
)
from wiredesk.ingest.provenance import MemberView, primary_of
from wiredesk.ingest.spin import spin_score
from wiredesk.ingest.wire import wire_credit
from wiredesk.sources.models import Outlet
from wiredesk.stories.models import Fingerprint, IndexKey, Story, StoryMember, TermStat

WINDOW = timedelta(days=3)
MAX_CANDIDATES = 30
RARE_KEYS = 16  # the rarest immutables and terms used to look for candidates
TOO_COMMON_DF = 500  # keys in more articles than this find nothing useful and cost a long scan
INDEXED_TERMS = 8
STORY_SIMILARITY = 0.15  # mean weighted-term cosine to a story's members to join it
STORY_NAMED_SIMILARITY = 0.04  # ... enough when the article also names the story's own people and places
STORY_NAMED_MIN = 2  # full names (two words or more) shared with the story for that lower bar
MERGE_SIMILARITY = 0.25  # close to two stories at this level (and a same-story match): they are one
STORY_MIN_FACT_SHARE = 0.1  # of the article's names and numbers found in the story
STORY_MIN_SHARED_NAMES = 1  # with at least one member
STORY_MIN_ACTION = 0.03  # mean cosine of the words that are not names: the same thing happened
STORY_SAMPLE = 20
MAX_STORIES_COMPARED = 6
STORY_MAX_SPAN = timedelta(days=7)
STORY_FRESH_HOURS = 12.0
STORY_HALF_LIFE_HOURS = 12.0  # latest members compared, so a huge story costs no more than a big one
DOCS = "§docs"  # TermStat row holding the number of fingerprinted articles


def _key(kind: str, value: str) -> int:
    digest = int.from_bytes(hashlib.blake2b(f"{kind}:{value}".encode(), digest_size=8).digest(), "big")
    return (digest & ((1 << 62) - 1)) | (1 << 62)  # above every band key (< 2**36)


def _term_keys(print_: fp.Fingerprint) -> dict[str, int]:
    """Index terms: every name and number, plus the article's most frequent content words."""
    keys = {f"n:{n}": _key("n", n) for n in print_.names}
    keys.update({f"d:{d}": _key("d", d) for d in print_.numbers if len(d) >= 2})
    for term in list(print_.terms)[:INDEXED_TERMS]:
        keys[f"t:{term}"] = _key("t", term)
    return keys


def _term_idf(vectors: list[dict[str, float]], docs: int) -> dict[str, float]:
    """IDF of every term in the vectors being compared, from the stored document frequencies."""
    terms = {f"t:{t}"[:120] for vector in vectors for t in vector}
    dfs = dict(TermStat.objects.filter(term__in=terms).values_list("term", "df"))
    return {t[2:]: math.log((docs + 1) / (dfs.get(t, 0) + 1)) + 1.0 for t in terms}


def _document_frequencies(terms: Iterable[str]) -> tuple[dict[str, int], int]:
    rows = dict(TermStat.objects.filter(term__in=[*terms, DOCS]).values_list("term", "df"))
    return rows, rows.pop(DOCS, 0)


def _candidate_ids(print_: fp.Fingerprint, term_keys: dict[str, int], dfs: dict[str, int],
                   published, article_id: int) -> list[int]:  # type: ignore[no-untyped-def]
    # A key no stored article has (df 0) can find nothing: the rarest keys that exist are the useful ones.
    rare = sorted((dfs[name], key) for name, key in term_keys.items() if 0 < dfs.get(name, 0) <= TOO_COMMON_DF)
    keys = print_.band_keys + [key for _, key in rare[:RARE_KEYS]]
    rows = (IndexKey.objects.filter(key__in=keys, published_at__gte=published - WINDOW,
                                    published_at__lte=published + WINDOW)
            .exclude(article_id=article_id)
            .values("article_id").annotate(hits=Count("id")).order_by("-hits", "article_id")[:MAX_CANDIDATES])
    return [row["article_id"] for row in rows]


def _load_candidates(ids: list[int]) -> list[tuple[Candidate, StoryMember]]:
    """Earlier articles (`ids` best first) with their fingerprints and story rows, oldest first
    (no article text: that is read only if a spun-copy check needs its words)."""
    members = {m.article_id: m for m in StoryMember.objects.filter(article_id__in=ids).select_related("story")}
    roles = dict(Article.objects.filter(pk__in=list(members)).values_list("pk", "outlet__role"))
    rank = {pk: position for position, pk in enumerate(ids)}
    loaded = []
    for record in Fingerprint.objects.filter(article_id__in=list(members)):
        member = members[record.article_id]
        print_ = fp.Fingerprint(
            tokens=[], shingles=np.frombuffer(bytes(record.shingles), dtype=np.uint32),
            signature=np.frombuffer(bytes(record.signature), dtype=np.uint32), band_keys=[],
            names=set(record.names), numbers=set(record.numbers), quotes=[], terms=record.terms,
        )
        loaded.append((Candidate(key=record.article_id, fingerprint=print_, wire_agency=member.wire_agency,
                                 is_wire_outlet=roles.get(record.article_id) == Outlet.Role.WIRE,
                                 load_tokens=lambda pk=record.article_id: _article_tokens(pk),
                                 rank=rank[record.article_id]), member))
    loaded.sort(key=lambda pair: (pair[1].published_at, pair[1].article_id))
    return loaded


def _article_tokens(pk: int) -> list[str]:
    text, summary = Article.objects.filter(pk=pk).values_list("text", "summary").get()
    return fp.tokenize(text or summary)


def attach(article: Article) -> StoryMember:
    """Fingerprint `article`, relate it to earlier ones, and place it in a story (idempotent)."""
    existing = StoryMember.objects.filter(article=article).first()
    if existing:
        return existing
    text = article.text or article.summary or ""
    print_ = fp.fingerprint(article.title, text)
    print_.shingles = np.array(sorted(print_.shingles), dtype=np.uint32)  # compared by array intersection
    credit = wire_credit(text)
    is_wire_outlet = article.outlet.role == Outlet.Role.WIRE
    agency = credit.key if credit else (f"outlet:{article.outlet.slug}" if is_wire_outlet else "")
    spin = spin_score(text)
    term_keys = _term_keys(print_)
    with transaction.atomic():
        dfs, docs = _document_frequencies(term_keys)
        candidates = _load_candidates(_candidate_ids(print_, term_keys, dfs, article.published_at, article.pk))
        idf = _term_idf([print_.terms, *(c.fingerprint.terms for c, _ in candidates)], docs)
        match = best_match(print_, agency if credit else "", [c for c, _ in candidates], idf)
        story, match = _choose_story(article, match, candidates, idf, print_)
        match = _to_root(match, candidates)
        member = StoryMember.objects.create(
            article=article, story=story, relation=match.relation or "",
            related_to_id=match.candidate.key if match.relation and match.candidate else None,
            score=round(match.score, 4), evidence=match.evidence, spin_score=spin.score,
            spin_spans=[[s.start, s.end, s.reason] for s in spin.spans[:50]],
            wire_agency=agency, published_at=article.published_at,
        )
        if match.relation in COPY_RELATIONS and match.candidate is not None:
            _reroot_if_earlier(member, {c.key: m for c, m in candidates}[match.candidate.key])
        _store_fingerprint(article, print_, term_keys)
        refresh_story(story)
    return member


def _to_root(match: Match, candidates: list[tuple[Candidate, StoryMember]]) -> Match:
    """A copy of a copy is credited to the original: link to what the matched copy copied."""
    if match.relation not in COPY_RELATIONS or match.candidate is None:
        return match
    members = {c.key: (c, m) for c, m in candidates}
    _, matched = members[match.candidate.key]
    if matched.relation in COPY_RELATIONS and matched.related_to_id in members:
        root, _ = members[matched.related_to_id]
        return Match(match.relation, root, match.score, dict(match.evidence, via=match.candidate.key))
    return match


def _reroot_if_earlier(member: StoryMember, original: StoryMember) -> None:
    """Feeds arrive in any order: if the 'copy' was published before what it matched, it is the
    original, and the stored article (and every copy that pointed at it) copies it instead."""
    if member.published_at >= original.published_at:
        return
    StoryMember.objects.filter(pk=original.pk).update(
        relation=member.relation, related_to=member.article, score=member.score, evidence=member.evidence)
    StoryMember.objects.filter(related_to=original.article_id, relation__in=COPY_RELATIONS).exclude(
        pk=member.pk).update(related_to=member.article)
    member.relation, member.related_to, member.evidence = "", None, {}
    member.save(update_fields=["relation", "related_to", "evidence"])


def _choose_story(article: Article, match: Match, candidates: list[tuple[Candidate, StoryMember]],
                  idf: dict[str, float], print_: fp.Fingerprint) -> tuple[Story, Match]:
    """A copy joins its original's story. Otherwise the article joins the story whose members it is
    closest to on average (average link: one similar member is not enough to chain two events
    together), or starts a new one."""
    by_article = {c.key: m for c, m in candidates}
    if match.relation in COPY_RELATIONS and match.candidate is not None:
        story = _live(by_article[match.candidate.key].story)
        if article.published_at - story.first_seen <= STORY_MAX_SPAN:
            return story, match
        # An old report republished much later: the copy is recorded, the coverage is new.
        return Story.objects.create(title=article.title[:500], first_seen=article.published_at,
                                    last_updated=article.published_at), match
    scored = _story_similarities(print_, candidates, idf, article.published_at)
    if not scored:
        story = Story.objects.create(title=article.title[:500], first_seen=article.published_at,
                                     last_updated=article.published_at)
        return story, Match(None, None, scored[0][0] if scored else 0.0, match.evidence)
    similarity, story, closest, _ = scored[0]
    for other_similarity, other, other_closest, _ in scored[1:]:
        # Close to both, and a full same-story match (same people, same facts) with a member of
        # the other: they were one story all along. A wrong merge is the costly mistake.
        if (other_similarity >= MERGE_SIMILARITY
                and classify(print_, "", other_closest, idf).relation == SAME_STORY):
            story = _merge(story, other)
    evidence = {"story_similarity": round(similarity, 3), "members_compared": min(story.size, STORY_SAMPLE)}
    return story, Match(SAME_STORY, closest, similarity, evidence)


def _recency(gap_hours: float) -> float:
    """Coverage of one event comes within hours; a story quiet for days is probably another event."""
    return 0.5 ** (max(0.0, gap_hours - STORY_FRESH_HOURS) / STORY_HALF_LIFE_HOURS)


def _story_similarities(print_: fp.Fingerprint, candidates: list[tuple[Candidate, StoryMember]],
                        idf: dict[str, float], published: datetime) -> list[tuple[float, Story, Candidate, bool]]:
    """(mean cosine to the story's latest members, story, the closest candidate), best first.

    A story only counts if it also shares the facts: a good part of the article's names and
    numbers appear somewhere in the story, and one member shares at least two names with it.
    Two mayoral races told in the same words are two stories when their people differ.
    """
    stories: dict[int, tuple[Story, list[Candidate]]] = {}
    for candidate, member in sorted(candidates, key=lambda pair: pair[0].rank):  # most keys shared first
        story = _live(member.story)
        if story.pk in stories or len(stories) < MAX_STORIES_COMPARED:
            stories.setdefault(story.pk, (story, []))[1].append(candidate)
    loaded = []
    for story, retrieved in stories.values():
        if published - story.first_seen > STORY_MAX_SPAN:
            continue  # one event's coverage does not run for weeks: later reports start a new story
        rows = list(Fingerprint.objects.filter(article__story_member__story=story)
                    .order_by("-article__published_at")
                    .values_list("terms", "names", "numbers", "principals")[:STORY_SAMPLE])
        if rows:
            loaded.append((story, retrieved, rows, {n for _, names, _, _ in rows for n in names if " " in n}))
    full_names = {n for n in print_.names if " " in n}
    own_words = principal_names.without_names(print_.terms, print_.names)
    article_words = frozenset(print_.tokens) | principal_names.member_words(print_.names, ())
    token_counts = Counter(print_.tokens)
    scored = []
    for story, retrieved, rows, story_full_names in loaded:
        facts = {value for _, names, numbers, _ in rows for value in (*names, *numbers)}
        if len(print_.immutables & facts) < STORY_MIN_FACT_SHARE * len(print_.immutables):
            continue
        needed = min(STORY_MIN_SHARED_NAMES, len(print_.names))  # a bare headline may name one thing
        if max(len(print_.names & set(names)) for _, names, _, _ in rows) < needed:
            continue
        # Another event of the same kind: about a challenger, a player, a place the story never names.
        # Names other stories in view carry too (a party or a bank in the news every day) say which
        # kind of event, not which one.
        members = [principal_names.StoryView(principals, principal_names.member_words(names, terms))
                   for terms, names, _, principals in rows]
        elsewhere = {n for other, _, _, names in loaded if other.pk != story.pk for n in names}
        if principal_names.conflicts(print_.principals, article_words, members, token_counts, common=elsewhere):
            continue
        mean = sum(cosine(print_.terms, terms, idf) for terms, _, _, _ in rows) / len(rows)
        # ... and what happened: a fire and a derailment at one company share its name, not their words.
        action = sum(cosine(own_words, principal_names.without_names(terms, names), idf)
                     for terms, names, _, _ in rows) / len(rows)
        if action < STORY_MIN_ACTION:
            continue
        mean *= _recency(abs((published - story.last_updated).total_seconds()) / 3600)
        # Reports of one event told in different words still name the same people and places:
        # "tara reid" and "promises treatment center" say which rehab story this is, as long as
        # no other story in view names them too.
        named = len((full_names & story_full_names) - elsewhere) >= STORY_NAMED_MIN
        if mean < (STORY_NAMED_SIMILARITY if named else STORY_SIMILARITY):
            continue
        closest = max(retrieved, key=lambda c: cosine(print_.terms, c.fingerprint.terms, idf))
        scored.append((mean, story, closest, named))
    return sorted(scored, key=lambda row: -row[0])


def _merge(keep: Story, other: Story) -> Story:
    if other.size > keep.size:
        keep, other = other, keep
    StoryMember.objects.filter(story=other).update(story=keep)
    Story.objects.filter(pk=other.pk).update(merged_into=keep, size=0)
    refresh_story(keep)
    return keep


def _live(story: Story) -> Story:
    """Follow merges to the story that absorbed this one."""
    while story.merged_into_id:
        story = Story.objects.get(pk=story.merged_into_id)
    return story


def _store_fingerprint(article: Article, print_: fp.Fingerprint, term_keys: dict[str, int]) -> None:
    shingles = np.asarray(print_.shingles, dtype=np.uint32).tobytes()
    Fingerprint.objects.create(article=article, signature=print_.signature.tobytes(), shingles=shingles,
                               names=sorted(print_.names), numbers=sorted(print_.numbers), terms=print_.terms,
                               principals=print_.principals)
    keys = set(print_.band_keys) | set(term_keys.values())
    IndexKey.objects.bulk_create([IndexKey(key=k, article=article, published_at=article.published_at) for k in keys])
    counted = [*term_keys, *(f"t:{t}" for t in print_.terms if f"t:{t}" not in term_keys), DOCS]
    TermStat.objects.bulk_create([TermStat(term=t[:120], df=0) for t in counted], ignore_conflicts=True)
    TermStat.objects.filter(term__in=[t[:120] for t in counted]).update(df=F("df") + 1)


def refresh_story(story: Story) -> None:
    """Size, outlets, dates, primary source and title. Aggregates run in SQL and only the members
    that can be primary are read, so a story of thousands of copies costs a few indexed queries."""
    members = StoryMember.objects.filter(story=story)
    stats = members.aggregate(size=Count("id"), outlets=Count("article__outlet", distinct=True),
                              first=Min("published_at"), last=Max("published_at"))
    if not stats["size"]:
        return
    counts = dict(members.exclude(wire_agency="").values_list("wire_agency").annotate(n=Count("id")))
    originals = members.exclude(relation__in=COPY_RELATIONS)
    contenders = [
        originals.filter(article__outlet__role=Outlet.Role.WIRE),  # the wire's own report
        originals,  # the earliest original
        members,  # the earliest of all, if every member is a copy
        *(members.filter(wire_agency=agency) for agency in sorted(counts, key=lambda a: -counts[a])[:3]),
    ]
    views = {}
    for query in contenders:
        row = (query.order_by("published_at", "article_id")
               .values_list("article_id", "published_at", "relation", "wire_agency", "article__outlet__role").first())
        if row:
            pk, when, relation, agency, role = row
            views[pk] = MemberView(pk, when, relation, agency, role == Outlet.Role.WIRE)
    provenance = primary_of(list(views.values()), agency_counts=counts)
    story.size, story.outlet_count = stats["size"], stats["outlets"]
    story.first_seen, story.last_updated = stats["first"], stats["last"]
    story.primary_article_id, story.primary_agency = provenance.primary, provenance.agency
    if provenance.primary is not None:
        story.title = Article.objects.filter(pk=provenance.primary).values_list("title", flat=True).get()[:500]
    story.save()
