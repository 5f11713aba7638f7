"""The demo world's fictional facts: places, people, organisations, and per-event fact sets.

Everything here is invented. Places and countries are made up so that no demo story can be read
as a claim about the real world.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

CITIES: list[tuple[str, str]] = [
    ("Port Alder", "Calvera"), ("Velmora", "Calvera"), ("Kestrel Bay", "Norland"),
    ("Drummond Falls", "Norland"), ("Aurenne", "Estmark"), ("Lindqvist", "Estmark"),
    ("Saltmere", "the Tarn Islands"), ("Corvid Point", "the Tarn Islands"), ("Ashgrove", "Vessaria"),
    ("Miravel", "Vessaria"), ("Oakhaven", "Brisland"), ("Teller's Reach", "Brisland"),
    ("Rowan Harbour", "Calvera"), ("Eastwick Vale", "Norland"), ("Quillon", "Estmark"),
]
FIRST_NAMES = [
    "Amara", "Tomas", "Helena", "Rafael", "Ingrid", "Samuel", "Leila", "Mateo", "Noor", "Gregor",
    "Priya", "Anselm", "Yara", "Desmond", "Lucia", "Oskar", "Marguerite", "Idris", "Sofia", "Benedikt",
    "Chioma", "Viktor", "Elise", "Ruben", "Hana", "Casimir", "Talia", "Emeric", "Nadia", "Florian",
]
LAST_NAMES = [
    "Okafor", "Lindholm", "Varga", "Castellan", "Brennan", "Hollis", "Moreau", "Achterberg",
    "Szabo", "Delacroix", "Ferreira", "Kowal", "Nakamura", "Rasmussen", "Ibarra", "Whitcombe",
    "Duarte", "Strand", "Okonjo", "Petrakis", "Renner", "Sandoval", "Falk", "Mbeki", "Corbin",
    "Halvorsen", "Quintero", "Ashdown", "Vance", "Marlowe",
]
COMPANIES = [
    "Halcyon Freight", "Norvane Energy", "Brightline Rail", "Castor Pharmaceuticals", "Tessel Systems",
    "Ironbark Mining", "Luma Telecom", "Oriel Foods", "Kestrel Aerospace", "Greywater Chemicals",
    "Marisol Bank", "Quanta Robotics", "Silverfen Insurance", "Arden Motors", "Polaris Shipping",
]
PARTIES = ["Unity Alliance", "Civic Renewal Party", "Green Coast Movement", "National Labour Front",
           "Liberal Forum", "People's Harbour Party"]
TEAMS = ["Port Alder Rovers", "Velmora Athletic", "Kestrel Bay United", "Drummond Falls City",
         "Aurenne Wanderers", "Saltmere Mariners", "Ashgrove Albion", "Oakhaven Town"]
UNIONS = ["Transport Workers' Union", "Federation of Dock Workers", "Nurses' Association",
          "Teachers' Guild", "Miners' Confederation", "Postal Workers' Union"]
AGENCIES = ["the National Weather Office", "the Civil Protection Agency", "the Coast Guard",
            "the Interior Ministry", "the Fire and Rescue Service"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@dataclass
class Facts:
    """Named values one event's prose is written from; every outlet draws on the same facts."""

    kind: str
    values: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, key: str) -> str:
        return self.values[key]


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def distinct_people(rng: random.Random, count: int) -> list[str]:
    chosen: list[str] = []
    while len(chosen) < count:
        name = person(rng)
        if name not in chosen and name.split()[1] not in {c.split()[1] for c in chosen}:
            chosen.append(name)
    return chosen


def base_facts(rng: random.Random, kind: str) -> Facts:
    """Facts every kind of event can use: where, who, and a spread of numbers."""
    city, country = rng.choice(CITIES)
    people = distinct_people(rng, 5)
    values = {
        "city": city, "country": country, "country_cap": country[0].upper() + country[1:],
        "person1": people[0], "person2": people[1], "person3": people[2], "person4": people[3],
        "person5": people[4],
        "last1": people[0].split()[1], "last2": people[1].split()[1], "last3": people[2].split()[1],
        "company": rng.choice(COMPANIES), "company2": rng.choice(COMPANIES),
        "party": rng.choice(PARTIES), "party2": rng.choice(PARTIES),
        "team1": rng.choice(TEAMS), "team2": rng.choice(TEAMS), "union": rng.choice(UNIONS),
        "agency": rng.choice(AGENCIES),
        "n_small": str(rng.randint(3, 19)), "n_mid": str(rng.randint(24, 480)),
        "n_large": f"{rng.randint(2, 95) * 100:,}", "pct": str(rng.randint(3, 61)),
        "pct2": str(rng.randint(2, 9)), "money": str(rng.randint(12, 980)),
        "year": str(rng.randint(1962, 2011)), "hours": str(rng.randint(6, 40)),
        "score1": str(rng.randint(1, 4)), "score2": "0",
    }
    while values["company2"] == values["company"]:
        values["company2"] = rng.choice(COMPANIES)
    while values["party2"] == values["party"]:
        values["party2"] = rng.choice(PARTIES)
    while values["team2"] == values["team1"]:
        values["team2"] = rng.choice(TEAMS)
    values["score2"] = str(rng.randint(0, int(values["score1"]) - 1))
    return Facts(kind=kind, values=values)
