"""Stories of headlines judged once more when they settle: split, or merged.

A story of headline-only items is judged for two events only at its growth steps (stories.split:
4, 8, 16, ... members), because every judgement risks a wrong split. Between two steps a story can
take in a second event's reports and then stop growing, and it would keep them until it doubled:
an event's coverage of 17 to 31 headlines would never be looked at again. And headlines of one
event that share no words start stories of their own, which then grow side by side. So a story is
also judged once it has gone quiet (no new report for QUIET, grown since it was last judged): first
by the split decision, and if it stays whole, whether most of its latest members, asked again with
it out of view, would join one other story, unless the split decision would part the two again
(engine.merge_if_settled). One judgement per burst of coverage, not one per report. The story stage
does it between placements (stories.placement, under its lease); `wiredesk analyze` does it in the
input's own time, and once more for every story when the input ends (nothing more will come).

Cross-validated (benchmarks/stories.py, grouped 5 folds; CHANGELOG has the numbers).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Exists, F, OuterRef, QuerySet

from wiredesk.stories import model as placement_model
from wiredesk.stories.counts import StoredWeights, document_frequencies
from wiredesk.stories.engine import STORY_MAX_SPAN, merge_if_settled, placing, split_if_settled
from wiredesk.stories.model import PlacementModel
from wiredesk.stories.models import SHOWN, Fingerprint, Story
from wiredesk.stories.split import MIN_MEMBERS

QUIET = timedelta(hours=1)  # a story with no new report for this long has settled, for now
ROUND = 50  # stories judged per call: a round of the story stage stays short


def settled(now: datetime | None, limit: int = ROUND) -> list[Story]:
    """Stories of headline-only items that grew since they were last judged and have had no new
    report for QUIET at `now` (None: every such story, whenever it last grew), least recently
    updated first. Only stories updated within STORY_MAX_SPAN are looked at: nothing older joins a
    story any more."""
    with_text = Fingerprint.objects.filter(article__story_member__story=OuterRef("pk"), has_text=True)
    # SHOWN leaves out merged and emptied stories; a test of merged_into as well would draw SQLite's
    # planner to that column's index (every story ever made, each round) instead of last_updated's.
    query: QuerySet[Story] = (Story.objects.filter(SHOWN, size__gte=MIN_MEMBERS)
                              .exclude(settled_size=F("size")).filter(~Exists(with_text)))
    if now is not None:
        query = query.filter(last_updated__lte=now - QUIET, last_updated__gt=now - STORY_MAX_SPAN)
    return list(query.order_by("last_updated", "pk")[:limit])


def judge_settled(now: datetime | None, model: PlacementModel | None = None, limit: int = ROUND) -> tuple[int, int]:
    """Judge up to `limit` settled stories (see `settled`); (stories judged, stories split or merged)."""
    judged = changed = 0
    with placing():
        stories = settled(now, limit)
        if not stories:
            return 0, 0
        active = model or placement_model.load()
        weights = StoredWeights(document_frequencies([])[1])
        for story in stories:
            judged += 1
            if split_if_settled(story, active, weights) is not None or merge_if_settled(story, active, weights):
                changed += 1
            if story.settled_size != story.size:  # not judged (too few reports once copies count as
                Story.objects.filter(pk=story.pk).update(settled_size=story.size)  # one): not again at this size
    return judged, changed


def judge_all_settled(model: PlacementModel | None = None) -> int:
    """Every story judged as settled (the end of an analyze run); the number split or merged."""
    total = 0
    while True:
        judged, changed = judge_settled(None, model)
        total += changed
        if judged < ROUND:
            return total

