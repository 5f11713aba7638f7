from __future__ import annotations

import pytest

from wiredesk.ingest.sanitize import sanitize_html


@pytest.mark.parametrize(
    ("markup", "must_not_contain", "must_contain"),
    [
        ("<p>hi<script>alert(1)</script></p>", ["script", "alert"], ["<p>hi</p>"]),
        ('<a href="javascript:alert(1)">x</a>', ["javascript"], [">x</a>"]),
        ('<a href="https://ok.example/">ok</a>', [], ['href="https://ok.example/"', 'rel="nofollow noopener noreferrer ugc"']),
        ('<img src="https://i.example/a.png" onerror="x()">', ["onerror"], ['src="https://i.example/a.png"']),
        ('<p style="position:fixed">s</p>', ["style"], ["<p>s</p>"]),
        ("<h1>Title</h1><p>t</p>", ["<h1"], ["<h2>Title</h2>"]),
        ("<iframe src=x></iframe><object>o</object><p>k</p>", ["iframe", "object", ">o<"], ["<p>k</p>"]),
        ("<!-- secret --><p>c</p>", ["secret"], ["<p>c</p>"]),
        ('<form action="/x"><input name="q"></form><p>f</p>', ["form", "input"], ["<p>f</p>"]),
        ("<svg><script>alert(1)</script></svg>", ["svg", "script"], []),
        ('<a href="data:text/html;base64,PHNjcmlwdD4=">d</a>', ["data:"], []),
    ],
)
def test_it_allows_only_safe_markup(markup: str, must_not_contain: list[str], must_contain: list[str]) -> None:
    clean = sanitize_html(markup)
    for bad in must_not_contain:
        assert bad not in clean
    for good in must_contain:
        assert good in clean


def test_it_returns_empty_for_empty_input() -> None:
    assert sanitize_html("") == ""
