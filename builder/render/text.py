"""Untrusted text to safe Markdown: nothing a contributor types becomes markup."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping

from builder.cite import CiteGroup, split_citations

# Inline Markdown syntax needs one of these characters (links and images need '[',
# raw HTML and autolinks '<', which html.escape turns into an entity), wherever it stands.
# mkdocs.yml enables no extension with other inline syntax (==mark==, ~~del~~, :emoji:):
# one that did would need its characters here, and a test in tests/test_security.py.
_INLINE = "\\`*_{}[]|"  # the backslash first, so the escapes added after it stay single
# Block syntax ("# heading", "- item", "1. item"; "> quote" is an entity already) only counts at
# the start of a line; rendered text is one line, so only its start needs escaping.
_BLOCK_START = re.compile(r"^(\d+)([.)])|^([#+\-])")


def md(text: str) -> str:
    """Plain text as inline Markdown that renders as exactly that text (white space folded)."""
    return _escape(" ".join(str(text).split()))


def _escape(text: str) -> str:
    text = html.escape(text, quote=True)
    for char in _INLINE:
        if char in text:  # str.replace in C: much faster than a regular expression here
            text = text.replace(char, "\\" + char)
    start = _BLOCK_START.match(text)
    return _escape_block(start) + text[start.end() :] if start else text


def _escape_block(match: re.Match[str]) -> str:
    number, mark, symbol = match.groups()
    return f"{number}\\{mark}" if number else f"\\{symbol}"


def anchor(key: str) -> str:
    return "ref-" + re.sub(r"[^A-Za-z0-9_-]", "-", key)


def md_cited(text: str, labels: Mapping[str, str], href: Callable[[str], str]) -> str:
    """Inline text whose [@key] citations become author-date links (href(key) gives the target)."""
    out = []
    for part in split_citations(" ".join(str(text).split())):
        if isinstance(part, CiteGroup):
            links = []
            for cite in part.items:
                label = md(labels.get(cite.key, cite.key) + (f", {cite.locator}" if cite.locator else ""))
                links.append(f"[{label}]({href(cite.key)})")
            out.append("(" + "; ".join(links) + ")")
        else:
            out.append(_escape(part))
    return "".join(out)


def paragraphs(text: str, labels: Mapping[str, str], href: Callable[[str], str]) -> str:
    """A multi-paragraph text (blank lines between paragraphs) as Markdown paragraphs."""
    blocks = [b for b in re.split(r"\n\s*\n", str(text)) if b.strip()]
    return "\n\n".join(md_cited(b, labels, href) for b in blocks)
