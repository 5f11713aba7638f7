"""Spin detection on text alone, and the word diff against an original. Example sentences are our own."""

from __future__ import annotations

from pathlib import Path

import pytest

from wiredesk.demo.spinner import spin
from wiredesk.ingest.spin import spin_score, word_diff

CLEAN = ("The council approved the budget on Tuesday after a long debate. The mayor said the plan would "
         "fund two new schools and repair the harbour wall. Opposition members voted against it, arguing "
         "that taxes would rise. The budget takes effect in January, officials said.") * 3
SPUN = ("The raid die targeted the depot on Friday was worn out by a small group, civil servants stated. "
        "Analysts welche know the town, where? residents fear more attacks, said it had been warned. "
        "An general strike met the unions followed.") * 2


def test_clean_news_scores_low() -> None:
    result = spin_score(CLEAN)
    assert result.score < 0.2 and not result.is_spun


def test_spun_text_scores_high_with_marked_spans() -> None:
    result = spin_score(SPUN)
    assert result.is_spun
    reasons = {span.reason.split(" (")[0] for span in result.spans}
    assert {"foreign function word", "tortured phrase", "article agreement", "question mark inside a sentence"} <= reasons
    assert all(SPUN[s.start:s.end] == s.text for s in result.spans)


def test_one_slip_is_not_spinning() -> None:
    assert not spin_score("He bought a apple at the market and went home to cook dinner.").is_spun


def test_foreign_phrases_and_names_are_not_traces() -> None:
    text = ("The Banco del Estado raised rates. A banner read 'les enfants de la patrie' outside the "
            "embassy, where protesters gathered. Officials said talks would continue.") * 2
    assert spin_score(text).score < 0.5


def test_the_spinner_output_is_recognised() -> None:
    spun = spin(CLEAN.replace("said", "said that officials with no doubt"), strength=0.9, seed=3)
    assert spin_score(spun).score > spin_score(CLEAN).score


def test_word_diff_shows_the_swaps() -> None:
    swaps = word_diff("the attack was carried out by militias", "the attack was worn out by militias")
    assert [(s.original, s.replacement) for s in swaps] == [("carried", "worn")]


SEED = Path(__file__).resolve().parents[3] / "shared" / "seed"


@pytest.mark.skipif(not SEED.is_dir(), reason="shared/seed is not beside the project")
def test_the_seed_document_reads_as_spun() -> None:
    for path in SEED.glob("*.txt"):
        assert spin_score(path.read_text()).is_spun


def test_function_words_where_english_cannot_have_them_are_improbable_collocations() -> None:
    text = ("The militias die dominate the capital rejected the vote. Many residents, die would rather stay, "
            "left. A lot of met the smaller groups kept quiet.")
    marked = [(s.text, s.reason) for s in spin_score(text).spans]
    assert marked == [("die", "improbable collocation")] * 2 + [("met", "improbable collocation")]


@pytest.mark.parametrize("sentence", [
    "Doctors said more people die every year from the heat.",
    "She was ready to die for her country, and soldiers die young.",
    "Cells that die are replaced; those who die quickly leave no trace.",
    "He watched his brother die also fighting the storm.",
    "It was a do-or-die match for the club.",
    "The council met on Monday and was met by protesters; she first met the mayor in 2019.",
    "They met with officials, and the target was not met.",
])
def test_die_and_met_in_english_are_not_traces(sentence: str) -> None:
    assert not [s for s in spin_score(sentence).spans if s.reason == "improbable collocation"]


def test_a_quoted_german_sentence_is_not_a_leftover() -> None:
    text = 'The crowd sang "wir sind die Besten und das ist gut" as the team arrived. Officials said it was calm.'
    assert not [s for s in spin_score(text).spans if s.reason == "improbable collocation"]
