"""Principal names: who a report is about, and when a report and a story are about different people."""

from __future__ import annotations

from collections import Counter

from wiredesk.ingest import fingerprint as fp
from wiredesk.ingest.principals import (
    StoryView,
    clean_name,
    conflicts,
    member_words,
    mentions,
    principals,
    without_names,
)

TITLE_FIGHT = ("{champion} stopped {challenger} in the sixth round on Saturday to keep his heavyweight titles. "
               "{challenger_last} never recovered from a right hand late in the fifth, and {champion_last} "
               "finished it with a combination. \"{challenger_last} was tough,\" {champion_last} said. "
               "It was the {nth} defence for {champion_last}; {challenger_last} had won his last four fights.")


def fight(challenger: str, nth: str = "ninth") -> str:
    return TITLE_FIGHT.format(champion="Vasco Orlenko", champion_last="Orlenko", challenger=challenger,
                              challenger_last=challenger.split()[-1], nth=nth)


def view(text: str) -> StoryView:
    print_ = fp.fingerprint("", text)
    return StoryView(print_.principals, member_words(print_.names, print_.terms))


def test_principals_are_the_full_names_a_report_opens_with_or_repeats() -> None:
    print_ = fp.fingerprint("", fight("Dario Kesselring"))
    assert list(print_.principals)[:2] == ["dario kesselring", "vasco orlenko"]
    assert print_.principals["dario kesselring"] == 4  # "Kesselring" four times


def test_cut_off_and_headline_runs_are_not_names() -> None:
    assert clean_name("general manager a") is None
    assert clean_name("chicago bears thursday") is None
    assert clean_name("tara reid finally checks into rehab for undisclosed reasons") is None
    assert clean_name("tara reid's") == "tara reid"
    found = principals(["general manager a"], [], ["general", "manager", "a", "a", "a"])
    assert found == {}


def test_titles_before_a_name_are_not_part_of_it_and_a_title_alone_names_no_one() -> None:
    assert clean_name("interior secretary ken salazar") == "ken salazar"
    assert clean_name("saints rb pierre thomas") == "pierre thomas"
    assert clean_name("former heavyweight champion riddick bowe") == "riddick bowe"
    assert clean_name("heavyweight champion") is None and clean_name("wba champion") is None
    assert clean_name("president obama") == "president obama"  # one word left: the run says more
    assert clean_name("general motors") == "general motors"
    print_ = fp.fingerprint("", "Today, Commerce Secretary Gary Locke announced it. Locke said so. "
                                "The former heavyweight champion spoke. Former Heavyweight Champion Ivo Brandt lost.")
    assert "gary locke" in print_.principals and not any("champion" in name for name in print_.principals)


def test_a_name_is_mentioned_by_its_last_word_or_most_of_its_words() -> None:
    assert mentions("tony thompson", {"thompson", "said"})
    assert not mentions("tony thompson", {"tony", "weeks"})
    assert mentions("promises treatment centre", {"promises", "treatment", "center"})


def test_the_same_fight_told_again_does_not_conflict() -> None:
    story = [view(fight("Dario Kesselring")), view(fight("Dario Kesselring", "tenth"))]
    again = fp.fingerprint("", fight("Dario Kesselring"))
    assert not conflicts(again.principals, set(again.tokens), story)


def test_the_next_fight_against_another_challenger_conflicts() -> None:
    story = [view(fight("Dario Kesselring")), view(fight("Dario Kesselring", "tenth"))]
    other = fp.fingerprint("", fight("Milan Ostrowe", "eleventh"))
    assert conflicts(other.principals, set(other.tokens), story)


def test_nothing_conflicts_without_principals_or_members() -> None:
    print_ = fp.fingerprint("", "Floods closed roads across the valley on Monday.")
    assert not conflicts(print_.principals, set(print_.tokens), [view(fight("Dario Kesselring"))])
    other = fp.fingerprint("", fight("Milan Ostrowe"))
    assert not conflicts(other.principals, set(other.tokens), [])


def test_a_report_equally_about_a_new_place_conflicts() -> None:
    """Two fires at one company's plants on one day: the company leads both, the towns differ."""
    story = [StoryView({"castor pharmaceuticals": 3}, frozenset({"castor", "pharmaceuticals", "saltmere", "fire"}))] * 3
    article = {"castor pharmaceuticals": 3, "rowan harbour": 3}
    words = {"castor", "pharmaceuticals", "rowan", "harbour", "fire"}
    assert conflicts(article, words, story)
    assert not conflicts({"castor pharmaceuticals": 3, "rowan harbour": 1}, words, story)


def test_without_names_keeps_the_words_of_what_happened() -> None:
    terms = {"blaze": 2.0, "polaris": 4.0, "shipping": 4.0, "workers": 1.0}
    assert without_names(terms, {"polaris shipping"}) == {"blaze": 2.0, "workers": 1.0}


INJURY = ("The Harbor City Gulls placed running back {player} on injured reserve on {day}, ending his season. "
          "{last} hurt his {part} in Sunday's loss, and coach Arlo Penrith said {last} would need weeks to "
          "recover. \"{last} gave us everything,\" Penrith said. The Gulls have three games left and sit two "
          "wins out of a playoff place, with a road trip to the coast still to come.{after}")


def injury(player: str, part: str, day: str = "Wednesday", after: str = "") -> str:
    return INJURY.format(player=player, last=player.split()[-1], part=part, day=day, after=after)


def counted(text: str) -> tuple[dict[str, int], set[str], Counter[str]]:
    print_ = fp.fingerprint("", text)
    return print_.principals, set(print_.tokens), Counter(print_.tokens)


def member(text: str) -> StoryView:
    print_ = fp.fingerprint("", text)
    return StoryView(print_.principals, member_words(print_.names, print_.terms))


def test_a_report_centred_on_the_storys_stand_in_is_another_event() -> None:
    """Kesner's season ended, and one report said Brody would carry the ball; weeks later Brody goes
    on injured reserve. Brody is no stranger to the story, but the report is about him, not Kesner."""
    story = [member(injury("Jalen Kesner", "knee", after=" Tomas Brody will take most of the carries.")),
             member(injury("Jalen Kesner", "left knee", "Thursday")),
             member(injury("Jalen Kesner", "knee ligament", after=" Brody and Eli Marsh share the load."))]
    later = ("The Gulls lost another running back on Monday: Tomas Brody went on injured reserve with a "
             "broken ankle. Brody was hurt in the third quarter and left on a cart. \"Brody never complained,\" "
             "his position coach said. The Gulls signed Dane Whitcombe from the practice squad; Whitcombe and "
             "Eli Marsh will share the load, and Whitcombe starts on Sunday. Brody had run for 612 yards, "
             "most of them after Jalen Kesner's injury. \"We will manage,\" Penrith said.")
    assert conflicts(*counted(later)[:2], story, counted(later)[2])
    again = injury("Jalen Kesner", "knee", "Friday", after=" Tomas Brody starts on Sunday.")
    assert not conflicts(*counted(again)[:2], story, counted(again)[2])


def test_a_story_without_a_core_still_has_a_name_it_centres_on() -> None:
    """Reports of one quake name different rescuers and spell the region two ways, so no principal
    is shared by half of them; still, the story centres on North Vessa, and a report that centres on
    Port Orlan, naming Vessa only in passing, is about another quake."""
    words = frozenset({"north", "vessa", "quake", "orlan"})
    story = [StoryView({"north vessa": 5, "mara ostend": 2}, words), StoryView({"north vessa": 4}, words),
             StoryView({"ilse brannock": 3}, words), StoryView({"vessa region": 4}, words),
             StoryView({"pell yardley": 2}, words)]
    other = {"port orlan": 5}
    assert conflicts(other, {"port", "orlan", "vessa", "quake"}, story, Counter({"orlan": 5, "vessa": 1}))
    # A report that is also about North Vessa itself (among its principals) is not about another place.
    assert not conflicts({"port orlan": 5, "north vessa": 1}, {"port", "orlan", "north", "vessa"}, story,
                         Counter({"orlan": 5, "vessa": 1}))
    same = {"pell yardley": 4}
    assert not conflicts(same, {"pell", "yardley", "vessa", "quake"}, story, Counter({"yardley": 4, "vessa": 3}))


def test_clock_times_and_plural_possessives_name_no_one_new() -> None:
    assert clean_name("pm pdt") is None and clean_name("am cest") is None
    assert clean_name("jamal williams'") == "jamal williams" == clean_name("jamal williams’s")
    print_ = fp.fingerprint("", "Thursday, Apr 2 | Updated 1:32 PM PDT The city is weighing charges against "
                                "Jamal Williams. Williams was stopped on a freeway; Williams declined to comment.")
    assert "jamal williams" in print_.principals and not any("pdt" in name for name in print_.principals)


CASTING = ("{actor} will play the Doctor, the BBC said on Sunday, succeeding {outgoing}. {actor_last}, best known "
           "as the spin doctor Malcolm Tucker, was unveiled in a live broadcast. Showrunner Steven Moffat said "
           "{actor_last} was the only choice. {actor_last} starts filming in January.{after}")


def casting(actor: str = "Peter Capaldi", outgoing: str = "Matt Smith", after: str = "") -> str:
    return CASTING.format(actor=actor, actor_last=actor.split()[-1], outgoing=outgoing, after=after)


def test_a_report_may_leave_out_the_storys_secondary_figures() -> None:
    """The casting story centres on the actor; a report of fans' reactions names him and new people
    (fans who tweeted) but not the showrunner or the actor's old role: the same event."""
    story = [member(casting()), member(casting(after=" Capaldi, 55, is a lifelong fan.")),
             member(casting(after=" Moffat called Capaldi a natural."))]
    reactions = ("Fans cheered as Peter Capaldi was unveiled as the new Doctor. Capaldi succeeds Matt Smith. "
                 "Actor John Barrowman tweeted his delight, and Stephen Fry called Capaldi perfect. Barrowman "
                 "and Fry were far from alone; Capaldi trended all evening.")
    principals_, words, counts = counted(reactions)
    assert {"john barrowman", "stephen fry"} <= set(principals_)  # new to the story
    assert not conflicts(principals_, words, story, counts)


def test_a_report_silent_on_the_name_the_story_centres_on_conflicts() -> None:
    """Another casting for the same show: the outgoing actor and the showrunner are there, the actor
    the story is about is not."""
    story = [member(casting()), member(casting(after=" Capaldi, 55, is a lifelong fan.")),
             member(casting(after=" Moffat called Capaldi a natural."))]
    other = casting("Jodie Whittaker", "Peter Capaldi").replace("Malcolm Tucker", "a detective")
    principals_, words, counts = counted(other.replace("succeeding Peter Capaldi", "succeeding the last Doctor"))
    assert "jodie whittaker" in principals_
    assert conflicts(principals_, words, story, counts)


def test_the_name_every_story_of_the_kind_shares_is_not_what_a_story_centres_on() -> None:
    """A company's plant fire, where the company's name leads every report: a report about the same
    company's takeover names the company but not the fire's town. The company is in the other
    stories in view too, so the fire story centres on its town, and the takeover report is silent on it."""
    words = frozenset({"tessel", "systems", "miravel", "valley", "fire"})
    story = [StoryView({"tessel systems": 5, "miravel valley": 3}, words)] * 3
    takeover = {"tessel systems": 4, "marisol bank": 2}
    takeover_words = {"marisol", "bank", "tessel", "systems", "buy"}
    assert not conflicts(takeover, takeover_words, story)  # the company leads the story: same event?
    assert conflicts(takeover, takeover_words, story, common={"tessel systems"})


def test_a_tie_with_a_name_the_story_knows_is_not_about_someone_new() -> None:
    """A report most about the UN spokesman the story quoted and, as often, a place the story never
    named: it is still about this story's event."""
    words = frozenset({"gunness", "school", "gaza", "un", "nations", "united"})
    story = [StoryView({"united nations": 2, "christopher gunness": 3}, words),
             StoryView({"united nations": 3}, words), StoryView({"united nations": 2}, words)]
    article = {"christopher gunness": 3, "jabaliya camp": 3}
    article_words = {"christopher", "gunness", "jabaliya", "camp", "united", "nations", "school"}
    assert not conflicts(article, article_words, story)
    # The same tie with only the story's core name beside the new one is the two-fires case above.
    assert conflicts({"united nations": 3, "jabaliya camp": 3}, article_words, story)
