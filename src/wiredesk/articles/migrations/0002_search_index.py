"""Full-text search index: an FTS5 table on SQLite, an expression GIN index on PostgreSQL.

The PostgreSQL expression must stay identical to `wiredesk.articles.search.PG_DOCUMENT`.
"""

from django.db import migrations

PG_DOCUMENT = "to_tsvector('english'::regconfig, coalesce(title, '') || ' ' || coalesce(summary, '') || ' ' || coalesce(text, ''))"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(title, body, tokenize='porter unicode61')")
    elif vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS article_search_idx ON articles_article USING GIN (({PG_DOCUMENT}))")


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS articles_fts")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS article_search_idx")


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
