"""Stored bylines survive the move to author lists: split where safe, kept whole otherwise."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("articles", "0004_article_host"), ("sources", "0001_initial")]  # as the sources were then
AFTER = [("articles", "0005_article_authors")]


@pytest.mark.django_db(transaction=True)
def test_bylines_become_author_lists() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    outlet = old.get_model("sources", "Outlet").objects.create(name="Ledger", slug="ledger")
    source = old.get_model("sources", "Source").objects.create(outlet=outlet, feed_url="https://ledger.example/rss")
    Article = old.get_model("articles", "Article")
    bylines = {"a": "By Jane Roe and John Doe", "b": "Smith, Jones", "c": "", "d": "Meridian Press Agency"}
    for key, byline in bylines.items():
        Article.objects.create(source=source, outlet=outlet, dedup_key=key, identity="url", url=f"https://ledger.example/{key}",
                               title=key, byline=byline, published_at=datetime(2026, 11, 1, tzinfo=UTC))
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps.get_model("articles", "Article")
        authors = {a.dedup_key: a.authors for a in new.objects.all()}
        assert authors == {"a": ["Jane Roe", "John Doe"], "b": ["Smith, Jones"], "c": [], "d": ["Meridian Press Agency"]}
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
