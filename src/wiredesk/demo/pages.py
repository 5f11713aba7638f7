"""HTML pages of the demo outlets, with the clutter real news pages carry.

Navigation, a cookie banner, advertisement slots, related links, a newsletter box and a comment
section surround each article, so extraction is tested against what it meets in the field.
"""

from __future__ import annotations

import hashlib
from html import escape

from wiredesk.demo.world import DemoArticle, DemoOutlet, DemoWorld

SECTIONS = ("world", "politics", "business", "sport")


def _head(outlet: DemoOutlet, title: str, extra: str = "") -> str:
    return (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{escape(title)} | {escape(outlet.name)}</title>"
        "<meta name=\"viewport\" content=\"width=device-width\">"
        f"<style>body{{font-family:Georgia,serif;margin:0}}header{{background:{outlet.accent};color:#fff;"
        "padding:1em}}nav a{color:#fff;margin-right:1em}.ad{background:#eee;padding:2em;text-align:center}"
        "main{max-width:44em;margin:auto;padding:1em}.cookie{position:fixed;bottom:0;background:#222;"
        "color:#fff;padding:1em;width:100%}</style>" + extra + "</head><body>"
    )


def _masthead(outlet: DemoOutlet) -> str:
    nav = "".join(f"<a href=\"/section/{s}\">{s.title()}</a>" for s in SECTIONS)
    return (
        f"<header><div class=\"brand\"><a href=\"/\">{escape(outlet.name)}</a> — "
        f"<em>{escape(outlet.tagline)}</em></div><nav>{nav}<a href=\"/subscribe\">Subscribe</a>"
        "<a href=\"/login\">Sign in</a></nav></header>"
        "<div class=\"cookie\" id=\"cookie-banner\">We use cookies to improve your experience and to "
        "show you personalised advertising. <button>Accept all</button> <button>Manage choices</button>"
        "</div><div class=\"ad\">Advertisement</div>"
    )


def _footer(outlet: DemoOutlet) -> str:
    return (
        "<div class=\"ad\">Advertisement</div><footer><p>© "
        f"{escape(outlet.name)}. All rights reserved. This outlet is fictional and exists only in "
        "the wiredesk demo world.</p><p><a href=\"/about\">About us</a> · <a href=\"/contact\">Contact"
        "</a> · <a href=\"/privacy\">Privacy</a> · <a href=\"/terms\">Terms</a></p></footer></body></html>"
    )


def article_page(world: DemoWorld, outlet: DemoOutlet, article: DemoArticle, base_url: str) -> str:
    url = f"{base_url}/news/{article.slug}"
    image = f"{base_url}/img/{article.slug}.svg"
    meta = (
        f"<link rel=\"canonical\" href=\"{escape(url)}\">"
        f"<meta property=\"og:title\" content=\"{escape(article.title)}\">"
        f"<meta property=\"og:image\" content=\"{escape(image)}\">"
        f"<meta property=\"og:site_name\" content=\"{escape(outlet.name)}\">"
        f"<meta name=\"author\" content=\"{escape(article.byline.removeprefix('By '))}\">"
        f"<meta property=\"article:published_time\" content=\"{article.published.isoformat()}\">"
        f"<meta name=\"description\" content=\"{escape(article.summary[:200])}\">"
    )
    related = [a for a in world.published(outlet.slug, article.published)
               if a.slug != article.slug][:4]
    related_html = "".join(f"<li><a href=\"/news/{a.slug}\">{escape(a.title)}</a></li>" for a in related)
    body = "".join(f"<p>{escape(p)}</p>" for p in article.paragraphs[:3])
    body += "<div class=\"ad inline\">Advertisement — Continue reading below</div>"
    body += "".join(f"<p>{escape(p)}</p>" for p in article.paragraphs[3:])
    return (
        _head(outlet, article.title, meta) + _masthead(outlet) +
        "<main><article>"
        f"<p class=\"kicker\"><a href=\"/section/{article.section}\">{article.section.title()}</a></p>"
        f"<h1>{escape(article.title)}</h1>"
        f"<p class=\"byline\">{escape(article.byline)} · <time datetime=\"{article.published.isoformat()}\">"
        f"{article.published.strftime('%d %B %Y, %H:%M UTC')}</time></p>"
        f"<figure><img src=\"{escape(image)}\" alt=\"\"><figcaption>Photo: {escape(outlet.name)}"
        f"</figcaption></figure><div class=\"article-body\">{body}</div></article>"
        "<aside class=\"share\">Share this story: <a href=\"#\">Facebook</a> <a href=\"#\">X</a> "
        "<a href=\"#\">Email</a></aside>"
        f"<aside class=\"related\"><h2>Related stories</h2><ul>{related_html}</ul></aside>"
        "<aside class=\"newsletter\"><h2>Get the morning briefing</h2><p>Sign up for our free newsletter."
        "</p><form><input type=\"email\" placeholder=\"you@example.org\"><button>Sign up</button></form>"
        "</aside><section class=\"comments\" id=\"comments\"><h2>Comments (3)</h2>"
        "<div class=\"comment\"><b>reader_42</b><p>First! Who else is reading this at work?</p></div>"
        "<div class=\"comment\"><b>ValleyMum</b><p>Thanks for covering this, nobody else did.</p></div>"
        "<div class=\"comment\"><b>skeptic</b><p>I will wait for the official figures.</p></div>"
        "</section></main>" + _footer(outlet)
    )


def home_page(world: DemoWorld, outlet: DemoOutlet, now_items: list[DemoArticle]) -> str:
    feed_type = {"rss2": "application/rss+xml", "rss1": "application/rdf+xml",
                 "atom": "application/atom+xml", "json": "application/feed+json"}[outlet.feed_format]
    links = f"<link rel=\"alternate\" type=\"{feed_type}\" title=\"{escape(outlet.name)}\" href=\"/feed\">"
    items = "".join(
        f"<li><a href=\"/news/{a.slug}\">{escape(a.title)}</a> <small>{a.published:%d %b %H:%M}</small></li>"
        for a in now_items[:30]
    )
    return (_head(outlet, "Home", links) + _masthead(outlet) +
            f"<main><h1>{escape(outlet.name)}</h1><ul class=\"latest\">{items}</ul></main>" + _footer(outlet))


def lead_image_svg(article: DemoArticle, outlet: DemoOutlet) -> str:
    hue = int(hashlib.sha1(article.slug.encode()).hexdigest()[:2], 16) * 360 // 256
    return (
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"675\" viewBox=\"0 0 1200 675\">"
        f"<rect width=\"1200\" height=\"675\" fill=\"hsl({hue},45%,42%)\"/>"
        f"<rect y=\"540\" width=\"1200\" height=\"135\" fill=\"{outlet.accent}\"/>"
        "<text x=\"60\" y=\"625\" font-family=\"Georgia\" font-size=\"56\" fill=\"#fff\">"
        f"{escape(outlet.name)} · {escape(article.section.title())}</text></svg>"
    )


ROBOTS_TXT = "User-agent: *\nDisallow: /private/\nDisallow: /login\n"
