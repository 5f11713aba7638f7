"""The recent search index (SQLite only; see wiredesk.articles.search): an FTS5 table like
articles_fts holding the newest RECENT_ROWS articles, filled from the full index."""

from django.db import migrations

RECENT_ROWS = 50_000  # wiredesk.articles.search.RECENT_ROWS when this was written


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts_recent USING fts5(title, body, tokenize='porter unicode61')")
    schema_editor.execute(
        "INSERT INTO articles_fts_recent(rowid, title, body) SELECT rowid, title, body FROM articles_fts "
        f"WHERE rowid > coalesce((SELECT rowid FROM articles_fts ORDER BY rowid DESC LIMIT 1), 0) - {RECENT_ROWS}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS articles_fts_recent")


class Migration(migrations.Migration):
    dependencies = [("articles", "0009_published_at_through_partial_indexes")]
    operations = [migrations.RunPython(create, drop)]
