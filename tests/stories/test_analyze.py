"""`wiredesk analyze`: the documented input and output, and clear errors on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wiredesk.cli import main
from wiredesk.demo.spinner import spin
from wiredesk.stories.analyze import InputError, processing_order, read_input


def corpus(tmp_path: Path) -> Path:
    from datetime import UTC, datetime

    from wiredesk.demo.world import build_world

    world = build_world(datetime(2026, 11, 25, 12, tzinfo=UTC))
    original = next(a for a in world.articles if a.relation == "original" and a.event == 7)
    independent = next(a for a in world.articles if a.relation == "independent" and a.event == 7)
    other = next(a for a in world.articles if a.relation == "original" and a.event == 20)
    body = "\n\n".join(original.paragraphs)
    rows = [
        {"id": "spun", "title": original.title, "text": spin(body, 0.6, seed=2), "publisher": "Farm", "timestamp": 1_700_003_600_000},
        {"id": "wire", "title": original.title, "text": body, "publisher": "Meridian Press Agency", "timestamp": "2023-11-14T22:13:20Z"},
        {"id": "copy", "title": original.title, "text": body, "publisher": "Ledger", "timestamp": 1_700_001_000},
        {"id": "indie", "title": independent.title, "text": "\n\n".join(independent.paragraphs), "publisher": "Courier",
         "timestamp": 1_700_010_000},
        {"id": 99, "title": other.title, "text": "\n\n".join(other.paragraphs), "publisher": "Meridian Press Agency"},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.mark.django_db(transaction=True)
def test_it_writes_one_documented_line_per_input_in_input_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The command points the environment at a scratch database; keep that from leaking into other tests.
    monkeypatch.setenv("WIREDESK_DATA_DIR", str(tmp_path / "scratch"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    out = tmp_path / "out.jsonl"
    assert main(["analyze", str(corpus(tmp_path)), "-o", str(out), "--quiet"]) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["spun", "wire", "copy", "indie", 99]
    by_id = {r["id"]: r for r in rows}
    assert set(by_id["wire"]) == {"id", "story", "relation", "related_to", "score", "spin_score", "primary"}
    assert by_id["wire"]["relation"] is None and by_id["wire"]["primary"] is True
    assert (by_id["copy"]["relation"], by_id["copy"]["related_to"]) == ("wire_copy", "wire")
    assert (by_id["spun"]["relation"], by_id["spun"]["related_to"]) == ("spun_copy", "wire")
    assert by_id["indie"]["relation"] == "same_story"
    assert len({by_id[k]["story"] for k in ("spun", "wire", "copy", "indie")}) == 1
    assert by_id[99]["story"] != by_id["wire"]["story"]
    assert 0 <= by_id["spun"]["spin_score"] <= 1


def test_timestamps_order_processing_and_undated_items_keep_their_place(tmp_path: Path) -> None:
    items = read_input(corpus(tmp_path).read_text().splitlines())
    assert [i.id for i, _ in processing_order(items)] == ["wire", "copy", "spun", "indie", 99]


@pytest.mark.parametrize(
    ("line", "message"),
    [("{not json", "line 1: not valid JSON"), ('["a"]', "line 1: expected a JSON object"),
     ('{"id": 1, "title": "t"}', "line 1: missing 'text'"),
     ('{"id": 1, "title": "t", "text": "x", "timestamp": "someday"}', "line 1: unreadable timestamp")],
)
def test_bad_input_is_refused_with_the_line_number(line: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_input([line])


def test_duplicate_ids_are_refused() -> None:
    line = '{"id": 1, "title": "t", "text": "x"}'
    with pytest.raises(InputError, match="line 2: id 1 appears twice"):
        read_input([line, line])


def test_the_command_reports_bad_input_without_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIREDESK_DATA_DIR", str(tmp_path / "scratch"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1}\n')
    assert main(["analyze", str(bad)]) == 2
    assert "missing 'text'" in capsys.readouterr().err


def test_a_stopped_run_removes_its_temporary_database(tmp_path: Path) -> None:
    """SIGTERM mid-run (a job runner's stop) still removes the scratch database it created."""
    import os
    import signal
    import subprocess
    import sys
    import time

    rows = [{"id": i, "title": f"Report {i}", "text": f"Report number {i} about the harbour works. " * 40}
            for i in range(5000)]
    source = tmp_path / "big.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in rows))
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WIREDESK_", "DATABASE_URL", "DJANGO_"))}
    env["TMPDIR"] = str(scratch)
    process = subprocess.Popen([sys.executable, "-m", "wiredesk.cli", "analyze", str(source), "--quiet",
                                "-o", str(tmp_path / "out.jsonl")], env=env)
    deadline = time.monotonic() + 60
    while not list(scratch.glob("wiredesk-analyze-*/wiredesk.sqlite3")):
        assert process.poll() is None and time.monotonic() < deadline, "analyze never created its database"
        time.sleep(0.05)
    time.sleep(1.0)  # well into the run
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 128 + signal.SIGTERM
    assert not list(scratch.glob("wiredesk-analyze-*"))


def test_an_untitled_item_takes_its_first_sentence_and_a_headline_only_item_is_accepted() -> None:
    items = read_input([
        json.dumps({"id": 1, "text": "Floods forced 2,000 people from Miravel on Monday. Crews used boats."}),
        json.dumps({"id": 2, "title": "Floods in Miravel", "text": ""}),
        json.dumps({"id": 3, "title": None, "text": "Dr. Ilves said so. Then more."}),
    ])
    assert [i.title for i in items] == ["Floods forced 2,000 people from Miravel on Monday.", "Floods in Miravel",
                                        "Dr. Ilves said so."]
    assert items[1].text == ""
    with pytest.raises(InputError, match="line 1: neither a title nor a text"):
        read_input([json.dumps({"id": 1, "title": "", "text": ""})])
    with pytest.raises(InputError, match="missing 'text'"):
        read_input([json.dumps({"id": 1, "title": "Only a title key"})])


@pytest.mark.django_db(transaction=True)
def test_a_training_run_places_by_gold_story_and_records_every_candidate(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIREDESK_DATA_DIR", str(tmp_path / "scratch"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    source = corpus(tmp_path)
    rows = [json.loads(line) for line in source.read_text().splitlines()]
    for row in rows:  # a gold label that puts the unrelated report with the others: the teacher obeys it
        row["story"] = "one"
    source.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out, features = tmp_path / "out.jsonl", tmp_path / "features.jsonl"
    assert main(["analyze", str(source), "-o", str(out), "--quiet", "--train-features", str(features)]) == 0
    assert len({json.loads(line)["story"] for line in out.read_text().splitlines()}) == 1
    recorded = [json.loads(line) for line in features.read_text().splitlines()]
    assert recorded[0]["new"] is True and recorded[0]["candidates"] == []
    later = [r for r in recorded if not r["new"]]
    assert later and all(r["gold"] == "one" for r in later)
    assert any(c["y"] == 1 and set(c["x"]) >= {"body_centroid", "headline_only"} for r in later for c in r["candidates"])
