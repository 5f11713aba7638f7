"""The headline an untitled item takes: its first sentence, never the date stamp a page opens with."""

from __future__ import annotations

import pytest

from wiredesk.core.text import first_sentence, is_stamp


@pytest.mark.parametrize("line", [
    "May 2,2013", "Updated: May 16,2005,6: 03 PM ET", "12:52 p. m.", "05 / 02 / 2013",
    "WASHINGTON, DC, April 28,2009", "Reuters Sep 18,2013,02.16PM IST", "Fri., May.",
    "Posted on Thu Jun 13,2013 08:45 AM PDT", "2013-09-26", "",
])
def test_a_line_that_only_dates_its_page_is_a_stamp(line: str) -> None:
    assert is_stamp(line)


@pytest.mark.parametrize("line", [
    "Storm hits May 3", "Obama wins 2012", "Monday Night Football: Colts beat Jaguars",
    "Floods forced 2,000 people from Miravel on Monday.", "Team has program to address problem",
])
def test_a_headline_is_not_a_stamp_even_with_a_date_in_it(line: str) -> None:
    assert not is_stamp(line)


def test_the_first_sentence_passes_over_leading_stamps() -> None:
    text = "Updated: May 16,2005,6: 03 PM ET\nMay 16,2005\nFloods forced 2,000 people from Miravel. Crews used boats."
    assert first_sentence(text) == "Floods forced 2,000 people from Miravel."


def test_a_text_of_stamps_only_keeps_its_first_line_and_abbreviations_do_not_end_a_sentence() -> None:
    assert first_sentence("May 2,2013\n12:52 p. m.") == "May 2,2013"
    assert first_sentence("Dr. Ilves said so. Then more.") == "Dr. Ilves said so."
    assert first_sentence("x" * 500, limit=300) == "x" * 300
