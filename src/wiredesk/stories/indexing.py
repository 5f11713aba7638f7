"""What placement writes for each article placed, and undoes when it is placed again: its
fingerprint (decoded and kept for the next articles: stories.stored), its index keys (LSH bands and
its rarest names, numbers and top terms, which is how later articles find it), and its share of the
document counts every idf is worked out from (stories.counts)."""

from __future__ import annotations

import hashlib

import numpy as np
from django.db import connection
from django.db.models import F

from wiredesk.articles.models import Article
from wiredesk.core.rows import insert_row
from wiredesk.ingest import fingerprint as fp
from wiredesk.stories import stored
from wiredesk.stories.counts import COUNTS, DOCS
from wiredesk.stories.features import member_report
from wiredesk.stories.models import Fingerprint, IndexKey, TermStat

INDEXED_TERMS = 8


def index_key(kind: str, value: str) -> int:
    digest = int.from_bytes(hashlib.blake2b(f"{kind}:{value}".encode(), digest_size=8).digest(), "big")
    return (digest & ((1 << 62) - 1)) | (1 << 62)  # above every band key (< 2**36)


def index_terms(print_: fp.Fingerprint) -> dict[str, int]:
    """Index terms: every name and number, plus the article's most frequent content words."""
    keys = {f"n:{n}": index_key("n", n) for n in print_.names}
    keys.update({f"d:{d}": index_key("d", d) for d in print_.numbers if len(d) >= 2})
    for term in list(print_.terms)[:INDEXED_TERMS]:
        keys[f"t:{term}"] = index_key("t", term)
    return keys


def has_text(article: Article) -> bool:
    """A headline-only item (feed title and summary, no page text) is scored with what it has."""
    return bool((article.text or "").strip())


def store_fingerprint(article: Article, print_: fp.Fingerprint, term_keys: dict[str, int]) -> None:
    shingles = np.asarray(print_.shingles, dtype=np.uint32).tobytes()
    signature = print_.signature.tobytes()
    report = member_report(print_, article.title, has_text(article), article.published_at)
    record = insert_row(Fingerprint, {"article": article.pk, "signature": signature, "shingles": shingles,
                                      "names": sorted(report.names), "numbers": sorted(report.numbers),
                                      "terms": print_.terms, "principals": print_.principals,
                                      "title_terms": report.title_terms, "has_text": report.has_text})
    # The next articles compare with this one: keep it decoded (aside until it commits).
    stored.remember(record, shingles, signature, report)
    keys = sorted(set(print_.band_keys) | set(term_keys.values()))
    counted = sorted({t[:120] for t in (*term_keys, *(f"t:{t}" for t in print_.terms), DOCS)})
    quote = connection.ops.quote_name
    index, stats = quote(IndexKey._meta.db_table), quote(TermStat._meta.db_table)
    published = connection.ops.adapt_datetimefield_value(article.published_at)
    # Plain statements: these run for every article placed, and building model instances for sixty
    # index rows cost more than writing them.
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {index} ({quote('key')}, article_id, published_at) VALUES (%s, %s, %s)",
                           [(key, article.pk, published) for key in keys])
        for start in range(0, len(counted), 400):  # one statement counts (or inserts) 400 keys
            chunk = counted[start:start + 400]
            cursor.execute(f"INSERT INTO {stats} (term, df) VALUES {', '.join(['(%s, 1)'] * len(chunk))} "
                           f"ON CONFLICT (term) DO UPDATE SET df = {stats}.df + 1", chunk)
    COUNTS.wrote(counted, +1)


def forget_fingerprint(article: Article) -> None:
    """Undo `store_fingerprint`: the index keys, the fingerprint, and its document counts."""
    record = Fingerprint.objects.filter(article=article).first()
    IndexKey.objects.filter(article=article).delete()
    if record is None:
        return
    counted = [*(f"n:{n}" for n in record.names), *(f"d:{d}" for d in record.numbers if len(d) >= 2),
               *(f"t:{t}" for t in record.terms), DOCS]
    counted = sorted({t[:120] for t in counted})
    TermStat.objects.filter(term__in=counted, df__gt=0).update(df=F("df") - 1)
    COUNTS.wrote(counted, -1)
    record.delete()
