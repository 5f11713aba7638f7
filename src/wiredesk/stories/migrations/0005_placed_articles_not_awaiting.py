"""Articles already in a story are not awaiting the story stage, unless they were placed on their
headline and their page text has arrived since (those are placed again, as before)."""

from django.db import migrations


def mark_placed(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    StoryMember = apps.get_model("stories", "StoryMember")
    Fingerprint = apps.get_model("stories", "Fingerprint")
    placed = StoryMember.objects.values("article_id")
    text_arrived = (Fingerprint.objects.filter(has_text=False, article__fetch_status="ok")
                    .exclude(article__text="").values("article_id"))
    Article.objects.filter(pk__in=placed).exclude(pk__in=text_arrived).update(awaiting_story=False)


class Migration(migrations.Migration):
    dependencies = [("stories", "0004_fingerprint_headline"), ("articles", "0008_awaiting_story")]

    operations = [migrations.RunPython(mark_placed, migrations.RunPython.noop)]
