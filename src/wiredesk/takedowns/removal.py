"""Taking one article off every surface, for good.

The content is purged from the row (headline, text, HTML, summary, authors, image), not just
hidden, so a surface that forgot a filter would still show nothing. What stays is what the
tombstone page needs: the outlet, the date, the address it came from, and when it was removed.
The story engine forgets it (membership, fingerprint, index keys) and its story is recomputed,
so it is no longer anyone's primary source and no copy points at it.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from wiredesk.articles import search
from wiredesk.articles.models import Article
from wiredesk.core.signals import content_changed
from wiredesk.stories.models import Fingerprint, IndexKey, Story, StoryMember
from wiredesk.stories.story_row import refresh_story

TOMBSTONE_TITLE = "Removed at the rights holder's request"
PURGED_FIELDS = ["title", "summary", "text", "html", "authors", "lead_image", "categories", "removed_at"]


def purge(article: Article, now: datetime) -> None:
    """Empty the content fields of `article` (unsaved); the caller saves PURGED_FIELDS."""
    article.title, article.summary, article.text, article.html = TOMBSTONE_TITLE, "", "", ""
    article.authors, article.lead_image, article.categories = [], "", []
    article.removed_at = article.removed_at or now


def remove_article(article: Article, now: datetime) -> None:
    """Purge the article and take it out of search and stories, in one transaction."""
    with transaction.atomic():
        purge(article, now)
        article.save(update_fields=PURGED_FIELDS)
        search.remove_article(article.pk)
        detach_from_story(article.pk)
        content_changed.send(sender=Article)


def detach_from_story(article_id: int) -> None:
    member = StoryMember.objects.filter(article_id=article_id).select_related("story").first()
    StoryMember.objects.filter(related_to_id=article_id).update(related_to=None)
    Fingerprint.objects.filter(article_id=article_id).delete()
    IndexKey.objects.filter(article_id=article_id).delete()
    if member is None:
        return
    story = member.story
    member.delete()
    if StoryMember.objects.filter(story=story).exists():
        refresh_story(story)
    else:  # nothing left: the story leaves every listing
        Story.objects.filter(pk=story.pk).update(size=0, outlet_count=0, primary_article=None, title=TOMBSTONE_TITLE)
