from __future__ import annotations

from datetime import UTC, datetime, timedelta

from wiredesk.ingest.provenance import MemberView, primary_of

T0 = datetime(2026, 11, 25, 8, tzinfo=UTC)


def view(key: int, minutes: int, relation: str = "", agency: str = "", wire: bool = False) -> MemberView:
    return MemberView(key, T0 + timedelta(minutes=minutes), relation, agency, wire)


def test_the_wire_outlets_own_report_is_primary() -> None:
    members = [view(1, 0, "", "", False), view(2, 30, "", "outlet:wire", True), view(3, 40, "wire_copy", "reuters")]
    assert primary_of(members).primary == 2


def test_a_credited_agency_is_primary_when_its_feed_is_not_ours() -> None:
    members = [view(1, 0), view(2, 10, "wire_copy", "reuters"), view(3, 20, "wire_copy", "reuters")]
    result = primary_of(members)
    assert (result.primary, result.agency) == (2, "reuters")


def test_a_spun_copy_is_never_the_original_even_if_seen_first() -> None:
    members = [view(1, 0, "spun_copy"), view(2, 30), view(3, 60, "same_story")]
    assert primary_of(members).primary == 2


def test_empty() -> None:
    assert primary_of([]).primary is None


def test_counts_from_the_whole_story_decide_the_credited_agency() -> None:
    # Only the earliest member per agency is passed; the counts say AFP is credited most.
    members = [view(1, 0, "wire_copy", "reuters"), view(2, 10, "wire_copy", "afp")]
    result = primary_of(members, agency_counts={"reuters": 1, "afp": 5})
    assert (result.primary, result.agency) == (2, "afp")
