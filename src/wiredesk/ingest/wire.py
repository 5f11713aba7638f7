"""Wire-agency signatures: how syndicated copy announces where it came from.

A registry, not an if-chain: each agency lists the credits it puts in datelines and trailers.
Add an agency by adding one `Agency` to AGENCIES.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Agency:
    key: str
    name: str
    credits: tuple[str, ...]  # what appears in the dateline parentheses: "CITY, Date (Reuters) –"
    trailers: tuple[str, ...] = ()  # regexes for sign-off lines


AGENCIES: tuple[Agency, ...] = (
    Agency("reuters", "Reuters", ("Reuters",), (r"\bReporting by [^;\n]{3,120};\s*(?:Additional reporting|Writing|Editing) by",)),
    Agency("ap", "The Associated Press", ("AP", "Associated Press"), (r"\bAssociated Press writers? [A-Z]",)),
    Agency("afp", "Agence France-Presse", ("AFP",)),
    Agency("dpa", "Deutsche Presse-Agentur", ("dpa", "DPA")),
    Agency("ansa", "ANSA", ("ANSA",)),
    Agency("efe", "EFE", ("EFE",)),
    Agency("xinhua", "Xinhua", ("Xinhua",)),
    Agency("pa", "PA Media", ("PA",)),
    Agency("bloomberg", "Bloomberg", ("Bloomberg",)),
    Agency("upi", "UPI", ("UPI",)),
    Agency("kyodo", "Kyodo News", ("Kyodo",)),
    Agency("anadolu", "Anadolu Agency", ("AA",)),
    Agency("mpa", "Meridian Press Agency", ("MPA",), (r"\bReporting by [^;\n]{3,120};\s*Editing by",)),  # the demo wire
)

_DATELINE = r"^\s*[A-Z][A-Za-z .,'’-]{1,60}(?:,\s*[A-Z][a-z]{2,9}\.?\s+\d{1,2})?\s*\((CREDITS)\)\s*(?:[-–—:]|--)"


def _compile() -> list[tuple[Agency, re.Pattern[str], list[re.Pattern[str]]]]:
    compiled = []
    for agency in AGENCIES:
        credits = "|".join(re.escape(c) for c in agency.credits)
        compiled.append((agency, re.compile(_DATELINE.replace("CREDITS", credits), re.MULTILINE),
                         [re.compile(t) for t in agency.trailers]))
    return compiled


_PATTERNS = _compile()
# Every dateline names a credit in parentheses: a text whose head holds none (most texts) needs no
# agency's dateline pattern tried (they are tried in order only when one might match).
_ANY_CREDIT = re.compile(r"\((?:" + "|".join(re.escape(c) for a in AGENCIES for c in a.credits) + r")\)")


def wire_credit(text: str) -> Agency | None:
    """The agency a text credits in its dateline (first lines) or sign-off (last lines), if any."""
    head, tail = (text or "")[:600], (text or "")[-400:]
    if _ANY_CREDIT.search(head):
        for agency, dateline, _trailers in _PATTERNS:
            if dateline.search(head):
                return agency
    for agency, _, trailers in _PATTERNS:
        if any(t.search(tail) for t in trailers):
            return agency
    return None


def agency_by_key(key: str) -> Agency | None:
    return next((a for a in AGENCIES if a.key == key), None)
