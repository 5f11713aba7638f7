"""Training runs: the engine placing articles by their gold story and recording what it saw.

The placement model is learned from the exact features the engine computes, in the state it computes
them in (stories grown one article at a time, found through the same index). A `Teacher` makes that
possible: the engine hands it every candidate story it scored, the teacher records one row per
(article, story) with whether the story is the article's gold event, and puts the article where it
belongs, so the stories the next article sees are the true ones (as in Miranda et al., EMNLP 2018).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from wiredesk.articles.models import Article
from wiredesk.stories.models import Story


class Scored(Protocol):
    story: Story
    features: dict[str, float]


@dataclass
class Teacher:
    gold: dict[int, str] = field(default_factory=dict)  # article pk -> gold event label
    stories: dict[str, int] = field(default_factory=dict)  # gold label -> the story holding it
    rows: list[dict[str, Any]] = field(default_factory=list)

    def place(self, article: Article, copy_of: Story | None, scored: Sequence[Scored]) -> Story:
        """The article's gold story (created on its first report); records the scored candidates
        unless the article is a copy (copies follow their original, the model does not decide them)."""
        label = self.gold[article.pk]
        labels = {pk: gold for gold, pk in self.stories.items()}
        if copy_of is None:
            self.rows.append({
                "article": article.pk, "gold": label, "new": label not in self.stories,
                "retrieved": any(labels.get(s.story.pk) == label for s in scored),
                "candidates": [{"story": labels.get(s.story.pk), "y": int(labels.get(s.story.pk) == label),
                                "x": s.features} for s in scored],
            })
        if label in self.stories:
            return Story.objects.get(pk=self.stories[label])
        story = Story.objects.create(title=article.title[:500], first_seen=article.published_at,
                                     last_updated=article.published_at)
        self.stories[label] = story.pk
        return story
