"""An Atom feed of the newest sources, built with ElementTree (which escapes all text)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from builder.render.site import Site

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50


def atom_feed(site: Site) -> str:
    corpus, links = site.corpus, site.links
    ET.register_namespace("", ATOM)
    url = site.settings.site_url
    base = url.rstrip("/") + "/" if url else ""
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "title", f"New and revised sources in {site.settings.site_name}")
    _text(feed, "id", base + "feed.xml" if base else "urn:evidence-briefing:feed")
    _text(feed, "updated", f"{corpus.latest_date.isoformat()}T00:00:00Z")
    ET.SubElement(feed, f"{{{ATOM}}}link", href=base + links.url("index"))
    # Each source added, and each one reviewed since, newest first.
    events = [(s.added, "Added", s) for s in corpus.sources]
    events += [(s.reviewed, "Revised", s) for s in corpus.sources if s.reviewed and s.reviewed != s.added]
    for day, what, source in sorted(events, key=lambda e: (e[0], e[2].id, e[1]), reverse=True)[:FEED_SIZE]:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        page = base + links.url(f"sources/{source.id}")
        _text(entry, "title", f"{what}: {site.label(source)}, {site.title_of(source)}")
        stamp = f"{day.isoformat()}T00:00:00Z"
        key = f"{source.id}:{what.lower()}:{day.isoformat()}"
        _text(entry, "id", f"{page}#{what.lower()}-{day.isoformat()}" if base else f"urn:evidence-briefing:{key}")
        _text(entry, "updated", stamp)
        _text(entry, "published", stamp)
        ET.SubElement(entry, f"{{{ATOM}}}link", href=page)
        author = ET.SubElement(entry, f"{{{ATOM}}}author")
        _text(author, "name", "Evidence briefing editors")
        _text(entry, "summary", " ".join(source.summary.split()))
    body = ET.tostring(feed, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"


def _text(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{tag}").text = text
