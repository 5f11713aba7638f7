from __future__ import annotations

from wiredesk.ingest.fingerprint import estimated_jaccard, fingerprint, immutables, shingle_hashes, tokenize

TEXT = ("KESTREL BAY, Nov. 3 (MPA) – Rescue teams pulled 14 people from the water on Monday, said Ida Marsh, "
        "who leads the coast guard in Kestrel Bay. \"We worked through the night,\" Marsh said. Floods cost 2,400 homes.")


def test_it_finds_names_numbers_and_quotes_but_not_sentence_initial_words() -> None:
    names, numbers, quotes = immutables(TEXT)
    assert {"ida marsh", "kestrel bay"} <= names
    assert "rescue" not in names and "floods" not in names and "nov" not in names
    assert {"14", "2400", "3"} <= numbers
    assert quotes == ["We worked through the night,"]


def test_identical_texts_share_every_band_and_signature() -> None:
    a, b = fingerprint("T", TEXT), fingerprint("Other headline", TEXT)
    assert a.band_keys == b.band_keys
    assert estimated_jaccard(a.signature, b.signature) == 1.0


def test_minhash_estimates_jaccard() -> None:
    words = [f"w{i}" for i in range(400)]
    a = " ".join(words)
    b = " ".join(words[:200] + [f"x{i}" for i in range(200)])
    sa, sb = shingle_hashes(tokenize(a)), shingle_hashes(tokenize(b))
    exact = len(sa & sb) / len(sa | sb)
    estimate = estimated_jaccard(fingerprint("", a).signature, fingerprint("", b).signature)
    assert abs(exact - estimate) < 0.15


def test_terms_leave_out_function_words() -> None:
    terms = fingerprint("Rescue at sea", TEXT).terms
    assert "the" not in terms and "said" not in terms
    assert terms["marsh"] > terms["water"]  # names count double


def test_an_item_without_body_text_has_no_band_keys() -> None:
    """Every headline-only item has the signature of no shingles: its bands would match them all."""
    headline_only = fingerprint("Floods force 1,300 from their homes in Lindqvist", "")
    with_text = fingerprint("Floods", "Floods forced 1,300 people from their homes in Lindqvist on Sunday.")
    assert headline_only.band_keys == [] and headline_only.terms
    assert len(with_text.band_keys) == 16
