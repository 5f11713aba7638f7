"""The blocklist: what ingest must refuse because a rights holder asked for its removal.

Checked twice on the way in: when a feed entry is stored (its URL, its canonical URL, its domain)
and when its page has been extracted (the canonical URL the page declares, and the text itself,
so the same text under a new URL is caught too). Lookups are indexed equality on (kind, value);
text rules are few and compared by MinHash in one numpy pass.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
from django.db.models import F, Q
from django.utils import timezone

from wiredesk.core.text import content_hash
from wiredesk.core.urls import bare_domain, canonicalize, domain_of
from wiredesk.ingest import fingerprint as fp
from wiredesk.takedowns.models import AuditEvent, BlockRule

log = logging.getLogger("wiredesk.takedowns")

# Estimated Jaccard of 5-word shingles at or above which a text is "the same text": re-headed,
# trimmed or wrapped copies score well above it, independent reports of one event far below.
SAME_TEXT_JACCARD = 0.6


@dataclass(frozen=True)
class TextPrint:
    """What a text rule keeps: the hash of the normalised text and its MinHash signature."""

    digest: str
    signature: bytes


def text_print(text: str) -> TextPrint:
    signature = fp.minhash(fp.shingle_hashes(fp.tokenize(text)))
    return TextPrint(content_hash(text), signature.astype(np.uint32).tobytes())


def domain_suffixes(url_or_domain: str) -> list[str]:
    """news.example.co.uk -> [news.example.co.uk, example.co.uk, co.uk]: a rule on any of them applies."""
    host = domain_of(url_or_domain) if "://" in url_or_domain else bare_domain(url_or_domain)
    parts = host.split(".")
    return [".".join(parts[i:]) for i in range(len(parts) - 1)] or [host]


def url_rules(urls: list[str]) -> dict[str, BlockRule]:
    """For each URL that a rule forbids, the rule (URL, canonical URL or domain). One query."""
    urls = [u for u in urls if u]
    if not urls:
        return {}
    canon = {u: canonicalize(u) for u in urls}
    suffixes = {u: domain_suffixes(u) for u in urls}
    wanted = Q(kind__in=[BlockRule.Kind.URL, BlockRule.Kind.CANONICAL_URL], value__in=set(canon.values()))
    wanted |= Q(kind=BlockRule.Kind.DOMAIN, value__in={s for ss in suffixes.values() for s in ss})
    rules = list(BlockRule.objects.filter(wanted))
    if not rules:
        return {}
    by_value = {(r.kind == BlockRule.Kind.DOMAIN, r.value): r for r in rules}
    found = {}
    for url in urls:
        rule = by_value.get((False, canon[url])) or next(
            (by_value[(True, s)] for s in suffixes[url] if (True, s) in by_value), None)
        if rule is not None:
            found[url] = rule
    return found


def text_rule(text: str) -> BlockRule | None:
    """The text rule this text falls under, if any: the same normalised text, or near enough."""
    if not text or not BlockRule.objects.filter(kind=BlockRule.Kind.FINGERPRINT).exists():
        return None
    printed = text_print(text)
    exact = BlockRule.objects.filter(kind=BlockRule.Kind.FINGERPRINT, value=printed.digest).first()
    if exact is not None:
        return exact
    rules = list(BlockRule.objects.filter(kind=BlockRule.Kind.FINGERPRINT, signature__isnull=False)
                 .only("pk", "signature", "request_id"))
    if not rules:
        return None
    mine = np.frombuffer(printed.signature, dtype=np.uint32)
    theirs = np.stack([np.frombuffer(bytes(r.signature), dtype=np.uint32) for r in rules])
    agreement = (theirs == mine).mean(axis=1)
    best = int(agreement.argmax())
    return rules[best] if agreement[best] >= SAME_TEXT_JACCARD else None


@dataclass(frozen=True)
class PageScreen:
    """The blocklist as one job of page fetches sees it: which kinds of rules exist is read once,
    so the common case (no rules of a kind) costs no query per page."""

    url_rules: bool
    text_rules: bool

    @classmethod
    def load(cls) -> PageScreen:
        kinds = set(BlockRule.objects.values_list("kind", flat=True).distinct())
        return cls(url_rules=bool(kinds - {BlockRule.Kind.FINGERPRINT}),
                   text_rules=BlockRule.Kind.FINGERPRINT in kinds)

    def rule_for(self, canonical_url: str, text: str) -> BlockRule | None:
        """The rule an extracted page falls under: its declared canonical address, or its text."""
        if self.url_rules and canonical_url:
            rule = url_rules([canonical_url]).get(canonical_url)
            if rule is not None:
                return rule
        return text_rule(text) if self.text_rules else None


def record_refusal(rule: BlockRule, url: str, stage: str) -> None:
    """Count the hit on the rule and keep an audit event: a refusal is a step of the desk too."""
    now = timezone.now()
    BlockRule.objects.filter(pk=rule.pk).update(hits=F("hits") + 1, last_hit_at=now)
    AuditEvent.objects.create(request_id=rule.request_id, kind=AuditEvent.Kind.REINGEST_BLOCKED,
                              actor_label="ingest", at=now,
                              detail={"url": url[:2000], "rule": rule.pk, "rule_kind": rule.kind, "stage": stage})
    log.info("event=reingest_blocked rule=%s kind=%s stage=%s url=%s", rule.pk, rule.kind, stage, url[:300])
