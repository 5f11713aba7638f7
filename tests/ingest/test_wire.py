from __future__ import annotations

import pytest

from wiredesk.ingest.wire import wire_credit


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        ("LONDON, March 3 (Reuters) - Shares rose on Tuesday.", "reuters"),
        ("WASHINGTON (AP) -- The Senate voted on Friday.", "ap"),
        ("PARIS, Jan. 9 (AFP) – Strikes spread.", "afp"),
        ("PORT ALDER, Nov. 24 (MPA) – A train derailed.", "mpa"),
        ("Text of a story.\nReporting by Ana Ruiz; Editing by Tom Hale", "reuters"),
        ("Our own reporter writes from London today.", None),
        ("He said (AP) stood for something else entirely, later in the piece.", None),
    ],
)
def test_it_recognises_wire_credits(text: str, agency: str | None) -> None:
    found = wire_credit(text)
    assert (found.key if found else None) == agency
