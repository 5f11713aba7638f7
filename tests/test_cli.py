"""The `wiredesk` command: help everywhere, and the source and extraction commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.factories import rss
from tests.localserver import LocalServer, Reply
from wiredesk.cli import build_parser, main
from wiredesk.sources.models import Source

TESTDATA = Path(__file__).resolve().parents[1] / "src" / "wiredesk" / "ingest" / "testdata"
SUBCOMMANDS = ["demo", "run", "add-source", "import-opml", "export-opml", "sources", "poll", "extract"]


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_every_subcommand_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        build_parser().parse_args([command, "--help"])
    assert caught.value.code == 0
    assert "usage: wiredesk " + command in capsys.readouterr().out


def test_extract_prints_the_article_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(TESTDATA / "article_clutter.html"), "--url", "https://gazette.example/x"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= {"title", "authors", "published", "text", "html", "lead_image", "language", "canonical_url"}
    assert data["title"] == "Council approves new tram line"


def test_extract_reports_errors_without_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.html"
    empty.write_text("")
    assert main(["extract", str(empty)]) == 2
    assert "empty_page" in capsys.readouterr().err
    assert main(["extract", str(tmp_path / "missing.html")]) == 2


@pytest.mark.django_db(transaction=True)
def test_source_commands_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str], settings,  # type: ignore[no-untyped-def]
                                    server: LocalServer) -> None:
    settings.WIREDESK = dict(settings.WIREDESK, WIREDESK_HTTP_ALLOW_PRIVATE=["127.0.0.1/32"], WIREDESK_HOST_DELAY=0.0)
    server.route("/feed", Reply(body=rss([("c1", "CLI story", "world")], server.base), content_type="application/rss+xml"))
    server.route("/p/c1", Reply(body=b"<html><body><article>" + b"<p>Words of the CLI story body, long enough to extract.</p>" * 4 + b"</article></body></html>"))
    assert main(["add-source", server.url("/feed"), "--name", "CLI Outlet"]) == 0
    assert main(["add-source", server.url("/missing")]) == 2
    assert main(["import-opml", str(TESTDATA / "sources.opml")]) == 0
    Source.objects.exclude(feed_url=server.url("/feed")).update(enabled=False)
    assert main(["poll", "--once", "--quiet"]) == 0
    capsys.readouterr()
    assert main(["sources", "--json"]) == 0
    rows = {r["feed_url"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows[server.url("/feed")]["articles"] == 1 and rows[server.url("/feed")]["status"] == "ok"
    assert rows["https://atom.example/atom.xml"]["status"] == "disabled"
    out = tmp_path / "out.opml"
    assert main(["export-opml", "-o", str(out)]) == 0
    assert out.read_text().count("<outline") == 3
    assert main(["sources"]) == 0
    assert "CLI Outlet" in capsys.readouterr().out
    atom = Source.objects.get(feed_url="https://atom.example/atom.xml")
    Source.objects.filter(pk=atom.pk).update(disabled_reason="10 failed checks in a row; the last: dns: no such host")
    assert main(["sources"]) == 0
    assert f"turned off: 10 failed checks in a row; the last: dns: no such host (turn on again: wiredesk sources --enable {atom.pk})" \
        in capsys.readouterr().out
    assert main(["sources", "--enable", str(atom.pk)]) == 0
    atom.refresh_from_db()
    assert atom.enabled and not atom.disabled_reason
    assert main(["sources", "--enable", "999999"]) == 2


@pytest.mark.django_db(transaction=True)
def test_an_unattended_install_creates_its_administrator(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.contrib.auth.models import User

    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-unattended-passphrase")
    assert main(["createsuperuser", "--noinput", "--username", "ops", "--email", "ops@desk.invalid"]) == 0
    user = User.objects.get(username="ops")
    assert user.is_superuser and user.check_password("a-long-unattended-passphrase")
