"""An Atom feed of the newest sources, built with ElementTree (which escapes all text)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from builder.render.common import Page, Site
from builder.synth import as_of

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50


def atom_feed(site: Site) -> Page:
    """The newest sources. Only their sources are read in full (from JSON, if cached)."""
    corpus, options = site.corpus, site.options
    ET.register_namespace("", ATOM)
    base = options.site_url.rstrip("/") + "/" if options.site_url else ""
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "title", "New sources in the evidence briefing")
    _text(feed, "id", base + "feed.xml" if base else "urn:evidence-briefing:feed")
    _text(feed, "updated", f"{as_of(corpus).isoformat()}T00:00:00Z")
    ET.SubElement(feed, f"{{{ATOM}}}link", href=base + "index.html")
    newest = sorted(corpus.entries, key=lambda e: (e.card.added, e.card.id), reverse=True)[:FEED_SIZE]
    for item in newest:
        source = item.card
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        url = f"{base}sources/{source.id}.html"
        _text(entry, "title", f"{corpus.labels[source.cite]}: {site.title_of(source)}")
        _text(entry, "id", url if base else f"urn:evidence-briefing:source:{source.id}")
        _text(entry, "updated", f"{(source.reviewed or source.added).isoformat()}T00:00:00Z")
        _text(entry, "published", f"{source.added.isoformat()}T00:00:00Z")
        ET.SubElement(entry, f"{{{ATOM}}}link", href=url)
        author = ET.SubElement(entry, f"{{{ATOM}}}author")
        _text(author, "name", "Evidence briefing editors")
        _text(entry, "summary", " ".join(item.source.summary.split()))
    body = ET.tostring(feed, encoding="unicode")
    return Page("feed.xml", '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n")


def _text(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{tag}").text = text
