"""Untrusted text to safe Markdown: nothing a contributor types becomes markup."""

from __future__ import annotations

import html
import re

from builder.cite import CiteGroup, split_citations

# Python-Markdown's backslash-escapable characters plus '|' (the tables extension).
# mkdocs.yml enables no extension with other inline syntax (==mark==, ~~del~~, :emoji:):
# one that did would need its characters here, and a test in tests/test_security.py.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def md(text: str) -> str:
    """Plain text as inline Markdown that renders as exactly that text (white space folded)."""
    return _escape(" ".join(str(text).split()))


def _escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=True))


def anchor(key: str) -> str:
    return "ref-" + re.sub(r"[^A-Za-z0-9_-]", "-", key)


def md_cited(text: str, labels: dict[str, str], base: str) -> str:
    """Inline text whose [@key] citations become author-date links to the references page."""
    out = []
    for part in split_citations(" ".join(str(text).split())):
        if isinstance(part, CiteGroup):
            links = []
            for cite in part.items:
                label = md(labels.get(cite.key, cite.key) + (f", {cite.locator}" if cite.locator else ""))
                links.append(f"[{label}]({base}references.md#{anchor(cite.key)})")
            out.append("(" + "; ".join(links) + ")")
        else:
            out.append(_escape(part))
    return "".join(out)


def paragraphs(text: str, labels: dict[str, str], base: str) -> str:
    """A multi-paragraph text (blank lines between paragraphs) as Markdown paragraphs."""
    blocks = [b for b in re.split(r"\n\s*\n", str(text)) if b.strip()]
    return "\n\n".join(md_cited(b, labels, base) for b in blocks)
