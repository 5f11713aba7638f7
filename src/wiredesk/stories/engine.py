"""The story engine: places one article among the earlier ones.

fingerprint → candidates from the index (shared LSH bands, shared rare immutables, inside a time
window) → verified relation (ingest.match) → story (join, start, or merge two) → provenance.

Live ingest and `wiredesk analyze` both call `attach`, so both run exactly this code.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from django.db import connection, transaction

from wiredesk.articles.models import Article
from wiredesk.core.rows import insert_instance, update_row
from wiredesk.ingest import fingerprint as fp
from wiredesk.ingest.match import COPY_RELATIONS, SAME_STORY, Candidate, Match, best_match
from wiredesk.ingest.spin import spin_score
from wiredesk.ingest.wire import wire_credit
from wiredesk.sources.models import Outlet
from wiredesk.stories import model as placement_model
from wiredesk.stories import stored
from wiredesk.stories.candidates import CandidateMember, candidate_ids, load_candidates
from wiredesk.stories.closeness import closeness, cosines
from wiredesk.stories.counts import (
    COUNTS,
    StoredWeights,
    document_frequencies,
)
from wiredesk.stories.features import (
    Report,
    StorySample,
    add_margins,
    prepare,
    story_features,
    title_terms,
)
from wiredesk.stories.indexing import forget_fingerprint, has_text, index_terms, store_fingerprint
from wiredesk.stories.model import BlendModel, BoostedModel, PlacementModel
from wiredesk.stories.models import Fingerprint, Story, StoryMember, rank_key
from wiredesk.stories.split import (
    HEADLINE,
    MIN_MEMBERS,
    TEXT,
    Split,
    SplitModel,
    best_split,
    can_split,
    story_kind,
)
from wiredesk.stories.story_row import refresh_story, update_story
from wiredesk.stories.teacher import Teacher

STORY_SAMPLE = 20  # latest members compared, so a huge story costs no more than a big one
MAX_STORIES_COMPARED = 6
STORY_MAX_SPAN = timedelta(days=7)  # one event's coverage does not run for weeks


def attach(article: Article, model: PlacementModel | None = None, teacher: Teacher | None = None) -> StoryMember:
    """Fingerprint `article`, relate it to earlier ones, and place it in a story (idempotent).

    `model` defaults to the shipped placement model; a `teacher` (training runs only) places the
    article in its gold story instead and records the features of every story in view."""
    existing = _member_of(article.pk)
    if existing is not None:
        return StoryMember.objects.get(pk=existing)
    text = article.text or article.summary or ""
    print_ = fp.fingerprint(article.title, text)
    print_.shingles = np.array(sorted(print_.shingles), dtype=np.uint32)  # compared by array intersection
    credit = wire_credit(text)
    is_wire_outlet = article.outlet.role == Outlet.Role.WIRE
    agency = credit.key if credit else (f"outlet:{article.outlet.slug}" if is_wire_outlet else "")
    spin = spin_score(text)
    term_keys = index_terms(print_)
    with placing():
        dfs, docs = document_frequencies(term_keys)
        candidates = load_candidates(candidate_ids(print_, term_keys, dfs, article.published_at, article.pk))
        weights = StoredWeights(docs)
        # Only copies are decided here (independent coverage is the placement model's): the terms'
        # weights are not needed for that.
        match = best_match(print_, agency if credit else "", [c for c, _ in candidates], {}, copies_only=True)
        # A training run needs no model: the teacher decides, from the features alone.
        active = None if teacher is not None else (model or placement_model.load())
        story, match = _choose_story(article, match, candidates, print_, weights, active, teacher)
        match = _to_root(match, candidates)
        member = insert_instance(StoryMember(  # a plain statement: see core.rows
            article=article, story=story, relation=match.relation or "",
            related_to_id=match.candidate.key if match.relation and match.candidate else None,
            score=round(match.score, 4), evidence=match.evidence, spin_score=spin.score,
            spin_spans=[[s.start, s.end, s.reason] for s in spin.spans[:50]],
            wire_agency=agency, published_at=article.published_at,
        ))
        if match.relation in COPY_RELATIONS and match.candidate is not None:
            _reroot_if_earlier(member, {c.key: m for c, m in candidates}[match.candidate.key])
        store_fingerprint(article, print_, term_keys)
        update_story(story, member, is_wire_outlet)
        if match.relation not in COPY_RELATIONS:
            split = _split_if_two_events(story, active, weights)
            if split is not None and article.pk in split[1]:
                member.story = split[0]
        update_row(Article, article.pk, {"awaiting_story": False})  # the story stage is done with it
        article.awaiting_story = False
    return member


@contextmanager
def placing() -> Iterator[None]:
    """transaction.atomic for writing placements: if it rolls back, the fingerprints kept aside for
    commit (stories.stored) go too, and so does this process's copy of the counts."""
    try:
        with transaction.atomic():
            yield
    except BaseException:
        stored.forget_pending()
        COUNTS.clear()
        raise


def replace(article: Article) -> StoryMember:
    """Place again an article placed on its headline, now that its page text is known: its
    fingerprint, index keys and counts are redone from the text, and it moves if the text says it
    belongs to another story (the story it leaves is recomputed, or emptied)."""
    with placing():
        old = StoryMember.objects.filter(article=article).select_related("story").first()
        forget_fingerprint(article)
        if old is not None:
            old.delete()
        member = attach(article)
        if old is not None and old.story_id != member.story_id:
            _refresh_or_empty(old.story)
    return member


def _refresh_or_empty(story: Story) -> None:
    story = _live(story)
    if StoryMember.objects.filter(story=story).exists():
        refresh_story(story)
    else:  # nothing left: the story leaves every listing (size 0 is how listings know)
        Story.objects.filter(pk=story.pk).update(size=0, outlet_count=0, primary_article=None)


def _to_root(match: Match, candidates: list[tuple[Candidate, CandidateMember]]) -> Match:
    """A copy of a copy is credited to the original: link to what the matched copy copied."""
    if match.relation not in COPY_RELATIONS or match.candidate is None:
        return match
    members = {c.key: (c, m) for c, m in candidates}
    _, matched = members[match.candidate.key]
    if matched.relation in COPY_RELATIONS and matched.related_to_id in members:
        root, _ = members[matched.related_to_id]
        return Match(match.relation, root, match.score, dict(match.evidence, via=match.candidate.key))
    return match


def _reroot_if_earlier(member: StoryMember, original: CandidateMember) -> None:
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


def _member_of(article_id: int) -> int | None:
    """The id of the article's story membership, if it has one (a plain statement: asked for every
    article placed, and almost always answered with nothing)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {connection.ops.quote_name(StoryMember._meta.db_table)} WHERE article_id = %s",
                       [article_id])
        row = cursor.fetchone()
    return row[0] if row else None


def _new_story(article: Article) -> Story:
    """A story of one (a plain statement, its rank set as Story.save sets it: every first report of
    an event starts one)."""
    story = Story(title=article.title[:500], first_seen=article.published_at, last_updated=article.published_at)
    story.rank = rank_key(story.outlet_count, story.size, story.last_updated)
    return insert_instance(story)


def _choose_story(article: Article, match: Match, candidates: list[tuple[Candidate, CandidateMember]],
                  print_: fp.Fingerprint, weights: StoredWeights, model: PlacementModel | None,
                  teacher: Teacher | None) -> tuple[Story, Match]:
    """A copy joins its original's story. Otherwise the placement model scores every candidate
    story in view: the article joins the most probable one if it clears the join bar, another one
    that clears the merge bar is the same event and is merged into it, and else a story starts."""
    by_article = {c.key: m for c, m in candidates}
    if match.relation in COPY_RELATIONS and match.candidate is not None:
        story = _live(by_article[match.candidate.key].story)
        if teacher is not None:
            return teacher.place(article, story, []), match
        if article.published_at - story.first_seen <= STORY_MAX_SPAN:
            return story, match
        # An old report republished much later: the copy is recorded, the coverage is new.
        return _new_story(article), match
    scored = _score_stories(article, print_, candidates, weights, model)
    if teacher is not None:
        story = teacher.place(article, None, scored)
        best = next((s for s in scored if s.story.pk == story.pk), None)
        if best is None:
            return story, Match(None, None, 0.0, match.evidence)
        return story, Match(SAME_STORY, best.closest, best.probability, best.evidence)
    if model is None:
        raise ValueError("a placement model is needed outside training runs")
    if not scored or scored[0].probability < model.join_threshold:
        return _new_story(article), Match(None, None, scored[0].probability if scored else 0.0, match.evidence)
    best = scored[0]
    story = best.story
    for other in scored[1:]:
        if other.probability >= max(model.merge_threshold, model.join_threshold):
            story = _merge(story, other.story)  # close enough to both: they were one story all along
    return story, Match(SAME_STORY, best.closest, best.probability, best.evidence)


@dataclass
class ScoredStory:
    probability: float
    story: Story
    closest: Candidate
    features: dict[str, float]

    @property
    def evidence(self) -> dict[str, float]:
        return {"probability": round(self.probability, 3),
                "story_similarity": round(self.features["body_centroid"], 3),
                "title_similarity": round(self.features["title_centroid"], 3),
                "names_share": round(self.features["names_share"], 3)}


def _report(print_: fp.Fingerprint, title_terms: dict[str, float], has_text: bool, published: datetime,
            words: frozenset[str]) -> Report:
    return Report(print_.terms, title_terms, frozenset(print_.names), frozenset(print_.numbers), print_.principals,
                  has_text, published, words)


def _stored_reports(story_ids: list[int]) -> dict[int, list[Report]]:
    """Each story's latest STORY_SAMPLE members, newest first (decoded once: see stories.stored): one
    statement, a LIMIT per story on the (story, published_at) index, so a huge story costs no more."""
    return {pk: [report for _, report in members] for pk, members in _stored_members(story_ids).items()}


def _stored_members(story_ids: list[int]) -> dict[int, list[tuple[int, Report]]]:
    """`_stored_reports` with each member's article id."""
    if not story_ids:
        return {}
    quote = connection.ops.quote_name
    members, prints = quote(StoryMember._meta.db_table), quote(Fingerprint._meta.db_table)
    one = (f"SELECT m.story_id, f.id, m.published_at, m.article_id FROM {members} m "
           f"JOIN {prints} f ON f.article_id = m.article_id WHERE m.story_id = %s "
           f"ORDER BY m.published_at DESC, m.article_id DESC LIMIT {STORY_SAMPLE}")
    sql = " UNION ALL ".join(f"SELECT * FROM ({one}) s{n}" for n in range(len(story_ids)))
    with connection.cursor() as cursor:
        cursor.execute(sql, list(story_ids))
        rows = cursor.fetchall()
    rows.sort(key=lambda row: (row[0], _sortable(row[2]), row[3]), reverse=True)
    found = stored.prints(row[1] for row in rows)
    reports: dict[int, list[tuple[int, Report]]] = {pk: [] for pk in story_ids}
    for story_id, print_pk, _, article_id in rows:
        if print_pk in found:
            reports[story_id].append((article_id, found[print_pk].report))
    return reports


def _sortable(value: object) -> str:
    """SQLite hands back its stored text for a raw datetime column, PostgreSQL a datetime: both order
    the same way once written out in UTC (SQLite's text already is)."""
    return value.isoformat(sep=" ") if isinstance(value, datetime) else str(value)


def _need_weights(weights: StoredWeights, reports: list[Report]) -> None:
    """Every term, name and number in view, in one query (less what this process already knows: a
    report whose counts were all known since the copy of the counts last started again is skipped)."""
    generation = COUNTS.generation
    unknown = [r for r in reports if r.__dict__.get("_counted_in") != generation]
    if unknown:
        weights.need(frozenset().union(*(r.weight_keys for r in unknown)))
        for r in unknown:
            r.__dict__["_counted_in"] = generation


def _score_stories(article: Article, print_: fp.Fingerprint, candidates: list[tuple[Candidate, CandidateMember]],
                   weights: StoredWeights, model: PlacementModel | None) -> list[ScoredStory]:
    """Every story in view (those of the candidates sharing most keys), scored by the model, best first.
    A story whose first report is older than STORY_MAX_SPAN takes no new members."""
    stories: dict[int, tuple[Story, list[Candidate]]] = {}
    for candidate, member in sorted(candidates, key=lambda pair: pair[0].rank):  # most keys shared first
        story = _live(member.story)
        if story.pk in stories or len(stories) < MAX_STORIES_COMPARED:
            stories.setdefault(story.pk, (story, []))[1].append(candidate)
    samples: list[tuple[StorySample, list[Candidate]]] = []
    in_span = [(story, retrieved) for story, retrieved in stories.values()
               if article.published_at - story.first_seen <= STORY_MAX_SPAN]
    latest = _stored_reports([story.pk for story, _ in in_span])
    for story, retrieved in in_span:
        if latest[story.pk]:
            samples.append((StorySample(story.pk, latest[story.pk], story.first_seen, story.last_updated,
                                        story.size), retrieved))
    if not samples:
        return []
    full_names = {s.key: {n for m in s.members for n in m.names if " " in n} for s, _ in samples}
    words = frozenset(print_.tokens) | frozenset(fp.tokenize(article.title))
    report = _report(print_, title_terms(article.title, print_), has_text(article), article.published_at, words)
    reports = {c.key: m.report for c, m in candidates}
    retrieved_all = [c for _, retrieved in samples for c in retrieved]
    _need_weights(weights, [report, *(m for s, _ in samples for m in s.members),
                            *(reports[c.key] for c in retrieved_all)])  # the closest member is one of these
    prepared = prepare(report, Counter(print_.tokens))
    near = closeness(report, [sample.members for sample, _ in samples], weights)
    rows = []
    for n, (sample, _) in enumerate(samples):
        elsewhere = {name for key, names in full_names.items() if key != sample.key for name in names}
        rows.append(story_features(prepared, sample, weights, elsewhere, {kind: near[kind][n] for kind in near}))
    add_margins(rows)
    body_cosine = dict(zip([id(c) for c in retrieved_all],
                           cosines(report, [reports[c.key] for c in retrieved_all], weights), strict=True))
    scored = []
    for (sample, retrieved), row in zip(samples, rows, strict=True):
        closest = max(retrieved, key=lambda c: body_cosine[id(c)])
        scored.append(ScoredStory(model.probability(row) if model else 0.0, stories[sample.key][0], closest, row))
    return sorted(scored, key=lambda s: -s.probability)


def _merge(keep: Story, other: Story) -> Story:
    if other.size > keep.size:
        keep, other = other, keep
    StoryMember.objects.filter(story=other).update(story=keep)
    Story.objects.filter(pk=other.pk).update(merged_into=keep, size=0, primary_article=None)  # no longer shown
    refresh_story(keep)
    return keep


def _split_if_two_events(story: Story, model: PlacementModel | BoostedModel | BlendModel | None,
                         weights: StoredWeights, settled: bool = False) -> tuple[Story, list[int]] | None:
    """After a join (or, `settled`, once a story has gone quiet: stories.settle): if the story's
    latest members are two events (stories.split), the group that does not hold the earliest of
    them becomes a story of its own. Returns that story and the articles that moved to it. No
    decision (a training run, a model without one): no split. A story of headline-only items is
    judged by its own decision, and only as it grows or when it settles."""
    if not isinstance(model, PlacementModel) or (model.split is None and model.headline_split is None) or (
            story.size < MIN_MEMBERS):
        return None  # (the row was just recounted: no read needed)
    members = _stored_members([story.pk])[story.pk]
    reports = [report for _, report in members]
    kind = story_kind(reports)
    decision = _decision_for(model, kind)
    judged_now = decision is not None and can_split(reports, kind) and (settled or decision.judges_at(story.size))
    if judged_now or kind != HEADLINE:
        # Judged as it stands, or judged after every join (text, mixed): nothing for stories.settle
        # to ask at this size, and its look-up of quiet stories reads only those it has to judge.
        story.settled_size = story.size
        update_row(Story, story.pk, {"settled_size": story.size})
    if decision is None or not judged_now:
        return None
    split = _two_events(reports, weights, decision)
    if split is None:
        return None
    leaving = [members[i][0] for i in split.leaving]
    opener = Article.objects.filter(pk__in=leaving).order_by("published_at", "pk").first()
    if opener is None:
        return None
    new = _new_story(opener)
    StoryMember.objects.filter(story=story, article_id__in=leaving).update(story=new)
    for part in (story, new):
        refresh_story(part)
        part.settled_size = part.size  # each part is judged again once it has grown
        update_row(Story, part.pk, {"settled_size": part.size})
    return new, leaving


def split_if_settled(story: Story, model: PlacementModel | BoostedModel | BlendModel | None,
                     weights: StoredWeights) -> Story | None:
    """Judge a settled story as a whole (stories.settle); the new story if it was split."""
    split = _split_if_two_events(story, model, weights, settled=True)
    return split[0] if split else None


def merge_if_settled(story: Story, model: PlacementModel | BoostedModel | BlendModel | None,
                     weights: StoredWeights) -> Story | None:
    """Merge a settled story (stories.settle) into the story most of its latest members would join
    if it were not there, when that is at least half of them and the split decision would not part
    the two again; the story that holds both then. Headlines that share no words start stories of
    their own for one event, and each fragment then grows: asked again with its own story out of
    view, its members say where they belong."""
    if not isinstance(model, PlacementModel):
        return None
    members = list(StoryMember.objects.filter(story=story).select_related("article__outlet")
                   .order_by("-published_at", "-article_id")[:STORY_SAMPLE])
    if not members:  # merged into another story earlier in this round
        return None
    votes: Counter[int] = Counter()
    targets: dict[int, Story] = {}
    for asked, member in enumerate(members, 1):
        best = _best_story_without(member.article, story.pk, weights, model)
        if best is not None and best.probability >= model.join_threshold:
            votes[best.story.pk] += 1
            targets[best.story.pk] = best.story
        if 2 * (max(votes.values(), default=0) + len(members) - asked) < len(members):
            return None  # no story can have half of them any more: the rest need not be asked
    chosen, _ = votes.most_common(1)[0]  # all asked, and this one has at least half
    if _split_apart(targets[chosen], story, weights, model):
        return None
    return _merge(targets[chosen], story)


def _best_story_without(article: Article, story_id: int, weights: StoredWeights,
                        model: PlacementModel) -> ScoredStory | None:
    """The most probable story for a placed article, as placement would score it, its own story out of view."""
    print_ = fp.fingerprint(article.title, article.text or article.summary or "")
    term_keys = index_terms(print_)
    dfs, _ = document_frequencies(term_keys)
    candidates = [(c, m) for c, m in load_candidates(candidate_ids(print_, term_keys, dfs, article.published_at,
                                                                      article.pk))
                  if _live(m.story).pk != story_id]
    scored = _score_stories(article, print_, candidates, weights, model)
    return scored[0] if scored else None


def _split_apart(one: Story, other: Story, weights: StoredWeights, model: PlacementModel) -> bool:
    """Would the split decision cut the two stories' latest members, taken together, in two?

    Each story gives at least half the sample (the other's share, where it has fewer): the latest
    members of both together would often be one story's alone (the one covered more recently),
    and the decision would see nothing to cut (cross-validated: ECB+ headlines 0.737 -> 0.767)."""
    found = _stored_members([one.pk, other.pk])
    first, second = ([report for _, report in found[pk]] for pk in (one.pk, other.pk))
    from_first = min(len(first), max(STORY_SAMPLE // 2, STORY_SAMPLE - len(second)))
    together = sorted(first[:from_first] + second[:STORY_SAMPLE - from_first],
                      key=lambda report: report.published, reverse=True)
    decision = _decision_for(model, story_kind(together))
    return decision is not None and _two_events(together, weights, decision) is not None


def _decision_for(model: PlacementModel, kind: str | None) -> SplitModel | None:
    """The split decision a story of this kind is judged by (none for a story mixing the kinds)."""
    return model.split if kind == TEXT else model.headline_split if kind == HEADLINE else None


def _two_events(reports: list[Report], weights: StoredWeights, decision: SplitModel) -> Split | None:
    """The cut of `reports` (newest first) the decision makes, if its probability reaches the bar."""
    _need_weights(weights, reports)
    probability, split = best_split(reports, weights, decision)
    return split if split is not None and probability >= decision.threshold else None


def _live(story: Story) -> Story:
    """Follow merges to the story that absorbed this one."""
    while story.merged_into_id:
        story = Story.objects.get(pk=story.merged_into_id)
    return story
