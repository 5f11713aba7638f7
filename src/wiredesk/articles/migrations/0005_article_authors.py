"""Bylines become lists of names: each stored byline is split where that is safe, else kept whole."""

from django.db import migrations, models

BATCH = 1000


def bylines_to_authors(apps, schema_editor):
    from wiredesk.ingest.page.authors import authors_from_byline

    Article = apps.get_model("articles", "Article")
    batch = []
    for article in Article.objects.exclude(byline="").only("pk", "byline").iterator(chunk_size=BATCH):
        article.authors = authors_from_byline(article.byline)
        batch.append(article)
        if len(batch) >= BATCH:
            Article.objects.bulk_update(batch, ["authors"])
            batch = []
    if batch:
        Article.objects.bulk_update(batch, ["authors"])


def authors_to_bylines(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    batch = []
    for article in Article.objects.exclude(authors=[]).only("pk", "authors").iterator(chunk_size=BATCH):
        names = list(article.authors)
        article.byline = (names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}")[:300]
        batch.append(article)
        if len(batch) >= BATCH:
            Article.objects.bulk_update(batch, ["byline"])
            batch = []
    if batch:
        Article.objects.bulk_update(batch, ["byline"])


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_article_host")]

    operations = [
        migrations.AddField(
            model_name="article", name="authors",
            field=models.JSONField(blank=True, default=list, help_text="Names, as the page or feed declares them."),
        ),
        migrations.RunPython(bylines_to_authors, authors_to_bylines),
        migrations.RemoveField(model_name="article", name="byline"),
    ]
