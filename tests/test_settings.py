"""Settings: every one documented, every bad value refused at start with its name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from wiredesk.config import SETTINGS, ConfigError, read_settings

DOC = Path(__file__).resolve().parents[1] / "docs" / "configuration.md"


def test_every_setting_is_documented_and_every_documented_setting_exists() -> None:
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", DOC.read_text(), flags=re.MULTILINE))
    assert documented == {s.name for s in SETTINGS}


def test_the_defaults_work_without_any_environment() -> None:
    values = read_settings({})
    assert values["WIREDESK_HTTP_ALLOW_PRIVATE"] == []  # private addresses refused by default
    assert values["WIREDESK_DEBUG"] is False
    assert values["WIREDESK_DATA_DIR"].is_absolute()


@pytest.mark.parametrize(
    ("name", "value"),
    [("WIREDESK_DEBUG", "maybe"), ("WIREDESK_HTTP_TIMEOUT", "fast"), ("WIREDESK_HTTP_TIMEOUT", "-1"),
     ("WIREDESK_WORKERS", "0"), ("WIREDESK_HTTP_ALLOW_PRIVATE", "10.0.0.0/33"), ("WIREDESK_HTTP_MAX_BYTES", "1.5")],
)
def test_bad_values_fail_loudly_naming_the_setting(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        read_settings({name: value})


@pytest.mark.django_db
def test_an_embedded_database_connection_is_set_up_for_a_writer_beside_readers() -> None:
    """WAL (readers beside the writer), the configured page cache, and checkpoints every 10,000 pages."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the embedded database only")
    from django.conf import settings

    with connection.cursor() as cursor:
        readings = {}
        for pragma in ("journal_mode", "cache_size", "wal_autocheckpoint", "synchronous"):
            cursor.execute(f"PRAGMA {pragma}")
            readings[pragma] = cursor.fetchone()[0]
    megabytes = settings.DATABASES["default"]["OPTIONS"]["init_command"].split("cache_size=-")[1].split(";")[0]
    assert readings["cache_size"] == -int(megabytes)
    assert readings["wal_autocheckpoint"] == 10_000 and readings["synchronous"] == 1  # NORMAL
    assert readings["journal_mode"] == "wal"
