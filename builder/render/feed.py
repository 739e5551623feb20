"""An Atom feed of the newest sources, built with ElementTree (which escapes all text)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from builder.render.html import Download
from builder.render.site import Site

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50


def atom_feed(site: Site) -> Download:
    corpus, links = site.corpus, site.links
    ET.register_namespace("", ATOM)
    url = site.settings.site_url
    base = url.rstrip("/") + "/" if url else ""
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "title", f"New sources in {site.settings.site_name}")
    _text(feed, "id", base + "feed.xml" if base else "urn:evidence-briefing:feed")
    _text(feed, "updated", f"{corpus.latest_date.isoformat()}T00:00:00Z")
    ET.SubElement(feed, f"{{{ATOM}}}link", href=base + links.url("index"))
    newest = sorted(corpus.sources, key=lambda s: (s.added, s.id), reverse=True)[:FEED_SIZE]
    for source in newest:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        page = base + links.url(f"sources/{source.id}")
        _text(entry, "title", f"{site.label(source)}: {site.title_of(source)}")
        _text(entry, "id", page if base else f"urn:evidence-briefing:source:{source.id}")
        _text(entry, "updated", f"{(source.reviewed or source.added).isoformat()}T00:00:00Z")
        _text(entry, "published", f"{source.added.isoformat()}T00:00:00Z")
        ET.SubElement(entry, f"{{{ATOM}}}link", href=page)
        author = ET.SubElement(entry, f"{{{ATOM}}}author")
        _text(author, "name", "Evidence briefing editors")
        _text(entry, "summary", " ".join(source.summary.split()))
    body = ET.tostring(feed, encoding="unicode")
    return Download("feed.xml", '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n")


def _text(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{tag}").text = text
