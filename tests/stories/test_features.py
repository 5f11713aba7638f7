"""Features of an (article, candidate story) pair: each says "same event?" in its own way."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from wiredesk.ingest import fingerprint as fp
from wiredesk.stories.features import (
    BASE_FEATURES,
    FEATURES,
    Report,
    StorySample,
    Weights,
    add_margins,
    prepare,
    story_features,
)

T0 = datetime(2026, 3, 1, 8, tzinfo=UTC)
FLOOD = ("Floods forced 2,000 residents of Miravel from their homes on Monday after the Tessa river burst "
         "its banks, mayor Ingrid Nakamura said. Rescue crews from Miravel used boats to reach families.")
FIRE = ("A fire destroyed the Polaris Shipping plant outside Oakhaven on Monday, and 40 workers were sent "
        "home, Polaris Shipping said. Firefighters from Oakhaven fought the blaze for six hours.")


def report(text: str, title: str, minutes: int = 0, has_text: bool = True) -> Report:
    print_ = fp.fingerprint(title, text if has_text else "")
    words = frozenset(fp.tokenize(f"{title} {text if has_text else ''}"))
    return Report(print_.terms, fp.weighted_terms(fp.tokenize(title), print_.names), frozenset(print_.names),
                  frozenset(print_.numbers), print_.principals, has_text, T0 + timedelta(minutes=minutes), words)


def story(*members: Report, size: int | None = None) -> StorySample:
    times = [m.published for m in members]
    return StorySample("s", list(members), min(times), max(times), size or len(members))


def features(article: Report, sample: StorySample) -> dict[str, float]:
    weights = Weights({}, 10)
    rows = [story_features(prepare(article, Counter(article.terms)), sample, weights, set())]
    add_margins(rows)
    return rows[0]


def test_a_report_of_the_same_event_is_close_and_another_event_is_not() -> None:
    flood = story(report(FLOOD, "Floods drive 2,000 from homes in Miravel"))
    same = features(report(FLOOD.replace("Monday", "Monday night"), "Miravel flood: 2,000 leave homes", 90), flood)
    other = features(report(FIRE, "Fire at Polaris Shipping plant", 90), flood)
    for name in ("body_centroid", "title_centroid", "names_share", "numbers_share", "action_mean"):
        assert same[name] > other[name], name
    assert same["body_centroid"] > 0.8 and other["body_centroid"] < 0.1
    assert set(same) == set(FEATURES)


def test_time_is_counted_in_whole_hours() -> None:
    flood = story(report(FLOOD, "Floods in Miravel"))
    assert features(report(FLOOD, "Floods in Miravel", 59), flood)["gap_log"] == 0.0  # minutes say nothing
    assert features(report(FLOOD, "Floods in Miravel", 60 * 5), flood)["gap_log"] > 0.0


def test_a_storys_age_is_counted_in_whole_days() -> None:
    """Coverage of one event runs for days: a story hours old is as young as a new one."""
    flood = story(report(FLOOD, "Floods in Miravel"))
    assert features(report(FLOOD, "Floods in Miravel", 60 * 23), flood)["age_log"] == 0.0
    one_day = features(report(FLOOD, "Floods in Miravel", 60 * 24), flood)["age_log"]
    assert 0.0 < one_day < features(report(FLOOD, "Floods in Miravel", 60 * 24 * 3), flood)["age_log"]


def test_a_headline_only_item_is_marked_and_scored_on_its_headline() -> None:
    flood = story(report(FLOOD, "Floods drive 2,000 from homes in Miravel"))
    row = features(report(FLOOD, "Floods drive thousands from homes in Miravel", 30, has_text=False), flood)
    assert row["headline_only"] == 1.0
    assert row["headline_only*title_centroid"] == row["title_centroid"] > 0.3
    with_text = features(report(FLOOD, "Floods drive thousands from homes in Miravel", 30), flood)
    assert with_text["headline_only"] == with_text["headline_only*title_centroid"] == 0.0


def test_margin_says_how_much_closer_one_story_is_than_the_best_other() -> None:
    rows = [{**dict.fromkeys(BASE_FEATURES, 0.0), "headline_only": 0.0, "body_centroid": b} for b in (0.7, 0.2, 0.1)]
    add_margins(rows)
    assert [round(r["margin"], 2) for r in rows] == [0.5, -0.5, -0.6]
    alone = [{**dict.fromkeys(BASE_FEATURES, 0.0), "headline_only": 0.0, "body_centroid": 0.7}]
    add_margins(alone)
    assert alone[0]["margin"] == 0.0  # no other story in view: no nearer than itself


def test_batched_closeness_agrees_with_one_member_at_a_time_and_survives_a_renewed_term_table() -> None:
    """stories.closeness computes every story in view at once; it must give what the plain
    definition gives (cosine of unit sublinear-tf x idf vectors; the centroid as their sum), also
    after the process-wide term table starts again."""
    import math

    from wiredesk.stories import closeness as batched
    from wiredesk.stories.features import dot, weighted

    flood = [report(FLOOD, "Floods drive 2,000 from homes in Miravel"),
             report(FLOOD.replace("2,000", "2,100"), "Miravel flood", 30)]
    fire = [report(FIRE, "Fire at Polaris Shipping plant", 10)]
    article = report(FLOOD.replace("Monday", "Tuesday"), "Miravel floods: thousands leave", 90)
    weights = Weights({"t:miravel": 2, "t:floods": 3, "n:miravel": 2}, 10)

    def plain(kind: str, members: list[Report]) -> tuple[float, float, float]:
        attribute, prefix = batched.KINDS[kind]
        mine = weighted(getattr(article, attribute), weights, prefix)
        theirs = [weighted(getattr(m, attribute), weights, prefix) for m in members]
        total: dict[str, float] = {}
        for vector in theirs:
            for term, value in vector.items():
                total[term] = total.get(term, 0.0) + value
        norm = math.sqrt(sum(v * v for v in total.values()))
        sims = [dot(mine, vector) for vector in theirs]
        return (dot(mine, total) / norm if norm else 0.0), max(sims), sum(sims) / len(sims)

    def check() -> None:
        found = batched.closeness(article, [flood, fire], weights)
        for kind in batched.KINDS:
            for members, got in zip([flood, fire], found[kind], strict=True):
                assert (got.centroid, got.best, got.mean) == pytest.approx(plain(kind, members), abs=1e-12), kind
        assert found["body"][0].centroid > 0.8 > 0.2 > found["body"][1].centroid

    check()
    limit = batched.TermIds.MAX_KEYS
    try:
        batched.TermIds.MAX_KEYS = 0  # the next call starts the table again
        generation = batched.TERMS.generation
        check()
        assert batched.TERMS.generation == generation + 1
    finally:
        batched.TermIds.MAX_KEYS = limit
