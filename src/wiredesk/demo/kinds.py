"""Kinds of news event in the demo world, each written three ways.

A wire agency's version (the original that newspapers syndicate), and two independent versions
that report the same facts in other words. Templates are filled from `facts.Facts`, so the names,
numbers and quotes agree across outlets exactly as they would in real coverage of one event.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    name: str
    section: str
    wire_headline: str
    indie_headlines: tuple[str, str]
    wire: tuple[str, ...]
    indie: tuple[tuple[str, ...], tuple[str, ...]]


KINDS: tuple[Kind, ...] = (
    Kind(
        name="flood", section="world",
        wire_headline="Floods force {n_large} from their homes in {city}",
        indie_headlines=("{city} evacuates {n_large} as river bursts its banks",
                         "'The water came in minutes': {city} counts the cost of flooding"),
        wire=(
            "Flash floods forced about {n_large} people from their homes in {city} on {weekday} after "
            "{hours} hours of heavy rain sent the river over its banks, {agency} said.",
            "At least {n_small} people were taken to hospital and rescue teams were still searching "
            "flooded streets in the east of the city late on {weekday}, officials said.",
            "\"We have never seen the water rise this quickly,\" said {person1}, who leads the emergency "
            "response in {city}. \"Our first job is to get every family to dry ground.\"",
            "The government of {country} said it would release emergency funds of {money} million "
            "crowns and send army engineers to shore up the embankments.",
            "Forecasters warned that more rain was expected over the next two days, and that river "
            "levels could stay high until the weekend.",
            "The last flood of this size in {city} was recorded in {year}, when much of the old harbour "
            "district was under water for a week.",
        ),
        indie=(
            (
                "Residents of {city} waded through waist-deep water on {weekday} as the river burst its "
                "banks, and the authorities ordered some {n_large} people to leave.",
                "{person1}, the official in charge of the rescue effort, told reporters the water had "
                "\"risen faster than anyone has seen\" and that evacuation was the priority.",
                "Hospitals in the city admitted {n_small} people, most with minor injuries, according to "
                "{agency}.",
                "Ministers in {country} promised {money} million crowns in emergency aid. Older residents "
                "compared the scene with the great flood of {year}.",
                "More rain is forecast, and engineers are racing to reinforce the flood walls before it "
                "arrives.",
            ),
            (
                "Shopkeeper {person2} had just minutes to save her stock before the water reached the "
                "counter. \"It came in like a tide,\" she said, standing in the mud outside her shop in "
                "{city}.",
                "She is one of roughly {n_large} people who left their homes on {weekday} after {hours} "
                "hours of rain, according to figures from {agency}.",
                "{n_small} people needed hospital treatment. The rescue chief, {person1}, said crews "
                "would keep searching through the night.",
                "The national government has set aside {money} million crowns for the clean-up, but "
                "residents say the embankments should have been raised years ago.",
            ),
        ),
    ),
    Kind(
        name="factory_fire", section="world",
        wire_headline="Fire at {company} plant near {city} kills {n_small}",
        indie_headlines=("Deadly blaze tears through {company} factory",
                         "Questions over safety after fire at {city} plant"),
        wire=(
            "A fire at a {company} factory on the outskirts of {city} killed {n_small} workers on "
            "{weekday} and injured dozens more, the fire service said.",
            "The blaze broke out in a storage hall shortly after the morning shift began and took "
            "firefighters more than {hours} hours to bring under control.",
            "\"Our thoughts are with the families of those who lost their lives,\" {company} chief "
            "executive {person1} said in a statement, adding that the company would cooperate fully "
            "with investigators.",
            "Police said the cause of the fire was not yet known. Prosecutors in {country} have opened "
            "an inquiry into possible safety breaches.",
            "The plant employs about {n_mid} people and makes parts for the car industry.",
            "A union representative, {person2}, said workers had complained about blocked emergency "
            "exits at the site earlier this year.",
        ),
        indie=(
            (
                "{n_small} people died when fire swept through a {company} plant near {city} on "
                "{weekday}, in one of the worst industrial accidents in {country} for years.",
                "Firefighters fought the flames for {hours} hours. Witnesses described thick black "
                "smoke that could be seen across the city.",
                "Prosecutors have opened an investigation. The company's chief executive, {person1}, "
                "said {company} would cooperate fully and offered condolences to the victims' families.",
                "Union official {person2} said staff had raised concerns about blocked fire exits months "
                "before the blaze.",
            ),
            (
                "Grieving families gathered outside the gates of the {company} works near {city} on "
                "{weekday} night, waiting for news after a fire that killed {n_small} workers.",
                "\"My brother called me from the car park, he was shaking,\" said {person3}, whose "
                "brother escaped through a loading door.",
                "The factory, which employs around {n_mid} people, supplies the car industry. It is not "
                "yet clear how the fire started.",
                "Investigators will look at claims by union representative {person2} that emergency "
                "exits had been blocked, a charge {company} has not addressed.",
            ),
        ),
    ),
    Kind(
        name="election", section="politics",
        wire_headline="{party} wins {city} mayoral race with {pct} percent",
        indie_headlines=("{person1} elected mayor of {city} in upset",
                         "What {person1}'s victory means for {city}"),
        wire=(
            "{person1} of the {party} won the mayoral election in {city} on {weekday} with {pct} "
            "percent of the vote, according to official results, ousting the incumbent {person2}.",
            "Turnout was higher than at the last election, the electoral commission said, with long "
            "queues reported at polling stations in the city centre.",
            "\"Tonight the people of {city} have chosen change,\" {last1} told supporters at a rally. "
            "\"We will start work on housing and transport tomorrow morning.\"",
            "{person2}, of the {party2}, conceded defeat and congratulated the winner.",
            "The result is seen as a test for the national government of {country} ahead of "
            "parliamentary elections next year.",
            "The new mayor takes office in {n_small} days and will lead a council of {n_mid} members.",
        ),
        indie=(
            (
                "Voters in {city} have elected {person1} as their new mayor, handing the {party} a "
                "victory few pollsters predicted.",
                "{last1} took {pct} percent of the vote on {weekday}, unseating {person2} of the {party2}, "
                "who conceded late in the evening.",
                "In a speech to supporters, {last1} promised to \"start work on housing and transport "
                "tomorrow morning\".",
                "Analysts say the result will worry the national government of {country} before next "
                "year's parliamentary vote.",
            ),
            (
                "Housing was the word on every doorstep in {city} this autumn, and on {weekday} it "
                "carried {person1} into the mayor's office.",
                "The {party} candidate won with {pct} percent, defeating the sitting mayor, {person2}. "
                "Turnout rose, election officials said.",
                "Political scientist {person3} said the campaign had turned on rents and bus fares. "
                "\"This was a local election about local costs,\" {last3} said.",
                "{last1} will take office in {n_small} days.",
            ),
        ),
    ),
    Kind(
        name="merger", section="business",
        wire_headline="{company} agrees to buy {company2} for {money} million",
        indie_headlines=("{company} and {company2} strike {money} million deal",
                         "Why {company} is betting big on {company2}"),
        wire=(
            "{company} has agreed to buy {company2} in a deal worth {money} million crowns, the two "
            "companies said on {weekday}, creating one of the largest groups of its kind in {country}.",
            "Shareholders of {company2} will receive a premium of {pct} percent over the closing price "
            "of their shares on the previous trading day.",
            "\"Together we can invest more and serve our customers better,\" {company} chief executive "
            "{person1} said in a statement.",
            "The deal still needs the approval of competition authorities, which analysts said could "
            "take up to a year.",
            "{company2} employs about {n_mid} people. The companies did not say whether jobs would be "
            "cut.",
            "Shares of {company2} rose {pct2} percent in early trading after the announcement.",
        ),
        indie=(
            (
                "{company} is buying its rival {company2} for {money} million crowns, the firms "
                "announced on {weekday}.",
                "The offer values {company2} shares at a {pct} percent premium. Investors welcomed the "
                "news and the stock rose {pct2} percent.",
                "Chief executive {person1} said the combined company would \"invest more and serve our "
                "customers better\".",
                "Competition regulators in {country} must still approve the takeover.",
            ),
            (
                "For {person1}, the purchase of {company2} is the biggest bet of a long career.",
                "The {money} million crown deal, announced on {weekday}, gives {company} a larger share "
                "of a market that has been shrinking for years, said analyst {person3}.",
                "Staff at {company2}, about {n_mid} of them, have not been told whether their jobs are "
                "safe.",
                "Regulators could take up to a year to decide on the deal.",
            ),
        ),
    ),
    Kind(
        name="cup_final", section="sport",
        wire_headline="{team1} beat {team2} {score1}-{score2} to win national cup",
        indie_headlines=("Cup glory for {team1} after {score1}-{score2} win",
                         "{person1} inspires {team1} to cup triumph"),
        wire=(
            "{team1} won the national cup on {weekday}, beating {team2} {score1}-{score2} in the final "
            "in front of {n_large} fans at the national stadium in {city}.",
            "Striker {person1} opened the scoring before half-time with a low shot from the edge of the "
            "area.",
            "\"I have dreamed of this since I was a boy,\" {last1} said after the match. \"This is for "
            "everyone in our town.\"",
            "{team2} pressed for an equaliser in the second half, but goalkeeper {person2} made several "
            "fine saves.",
            "It is {team1}'s first cup since {year}. Coach {person3} said the squad would celebrate with "
            "a parade on the weekend.",
        ),
        indie=(
            (
                "{team1} are cup winners for the first time since {year} after a {score1}-{score2} "
                "victory over {team2} in {city} on {weekday}.",
                "{person1} scored the opening goal before the break, and {person2} kept the lead safe "
                "with a string of saves.",
                "\"This is for everyone in our town,\" {last1} said afterwards.",
                "A crowd of {n_large} watched the final.",
            ),
            (
                "For years {person1} was told he was too small to play at the top level. On {weekday} he "
                "won the national cup.",
                "His goal set {team1} on the way to a {score1}-{score2} win against {team2} before "
                "{n_large} supporters in {city}.",
                "Coach {person3} praised goalkeeper {person2}, whose saves protected the lead.",
                "The club plans a parade through the town this weekend.",
            ),
        ),
    ),
    Kind(
        name="rate_decision", section="business",
        wire_headline="{country_cap} central bank raises rates to {pct2} percent",
        indie_headlines=("Borrowing costs rise again in {country}",
                         "What the central bank's decision means for mortgages"),
        wire=(
            "The central bank of {country} raised its main interest rate to {pct2} percent on {weekday}, "
            "its {n_small}th increase in a row, as it tries to bring down stubborn inflation.",
            "Governor {person1} said price rises were still too fast and that the bank was ready to "
            "act again if needed.",
            "\"We will do what it takes to bring inflation back to target,\" {last1} told a news "
            "conference in {city}.",
            "Economists polled before the decision had expected the move. The currency strengthened "
            "slightly after the announcement.",
            "Business groups warned that higher borrowing costs would hurt small firms, and a "
            "spokesperson for the {company} group said investment plans were under review.",
        ),
        indie=(
            (
                "Borrowing costs in {country} went up again on {weekday} when the central bank lifted "
                "its key rate to {pct2} percent.",
                "Governor {person1} told reporters in {city} the bank would \"do what it takes\" to "
                "bring inflation back to target.",
                "It was the {n_small}th rise in a row. Most economists had forecast it.",
                "Small businesses say the higher rates are starting to bite.",
            ),
            (
                "Homeowners in {country} face higher mortgage bills after the central bank's decision "
                "on {weekday} to raise its main rate to {pct2} percent.",
                "Mortgage adviser {person3} said a typical borrower would pay noticeably more each "
                "month. \"People are already stretched,\" {last3} said.",
                "Governor {person1} said inflation was still too high.",
                "The bank meets again in six weeks.",
            ),
        ),
    ),
    Kind(
        name="rail_crash", section="world",
        wire_headline="Train derails near {city}, injuring {n_mid}",
        indie_headlines=("Passengers describe chaos as train leaves tracks",
                         "Investigators examine signals after {city} derailment"),
        wire=(
            "A passenger train derailed near {city} on {weekday}, injuring {n_mid} people, {n_small} of "
            "them seriously, the rail operator {company} said.",
            "The train, carrying about {n_large} passengers, left the tracks on a bend shortly after "
            "leaving the station.",
            "\"It was a terrible jolt and then everything went sideways,\" passenger {person1} told "
            "reporters.",
            "Transport minister {person2} said an investigation had begun and that the line would stay "
            "closed for at least {hours} hours.",
            "It was the second serious rail accident in {country} this year.",
        ),
        indie=(
            (
                "{n_mid} people were hurt when a train came off the rails near {city} on {weekday}, the "
                "operator {company} said.",
                "{person1}, a passenger, said there was \"a terrible jolt\" before the carriages tipped.",
                "{n_small} of the injured are in a serious condition.",
                "Minister {person2} has ordered an inquiry. The line will be closed for {hours} hours.",
            ),
            (
                "Investigators were examining signals and track on {weekday} after a derailment near "
                "{city} that injured {n_mid} people.",
                "Rail safety expert {person3} said the bend where the train left the tracks had a speed "
                "limit that was recently lowered.",
                "Operator {company} said about {n_large} passengers were on board.",
                "Transport minister {person2} promised a full investigation.",
            ),
        ),
    ),
    Kind(
        name="strike", section="politics",
        wire_headline="{union} calls {hours}-hour strike in {city} over pay",
        indie_headlines=("Strike looms as pay talks collapse in {city}",
                         "Commuters brace for walkout by {union}"),
        wire=(
            "The {union} called a {hours}-hour strike in {city} starting on {weekday} after pay talks "
            "with employers broke down, the union said.",
            "The union is demanding a pay rise of {pct} percent to keep up with living costs. Employers "
            "have offered {pct2} percent.",
            "\"Our members have waited long enough,\" union leader {person1} said. \"Nobody takes this "
            "decision lightly.\"",
            "{person2}, who speaks for the employers, said the demand was \"not affordable\" and urged "
            "the union to return to the table.",
            "About {n_large} workers are expected to take part.",
        ),
        indie=(
            (
                "About {n_large} members of the {union} will walk out in {city} from {weekday}, after "
                "negotiations on pay collapsed.",
                "They want {pct} percent more; employers have offered {pct2} percent.",
                "Union leader {person1} said members had \"waited long enough\".",
                "The employers' spokesperson, {person2}, called the claim unaffordable.",
            ),
            (
                "Commuters in {city} are preparing for disruption after the {union} announced a "
                "{hours}-hour strike beginning on {weekday}.",
                "Nurse and union member {person3} said she could no longer pay her rent. \"We are not "
                "asking for luxuries,\" {last3} said.",
                "The union's leader, {person1}, said nobody took the decision lightly.",
                "Talks could resume if employers improve on their {pct2} percent offer.",
            ),
        ),
    ),
)
