"""A quote's locator read as places in the stored text, and checked against where the quote is.

A locator is parts separated by commas: `para 4`, `paras 3-4`, `p. 12`, a section's name
(`Results`, `Future roles`), or a section and a paragraph within it (`Future roles, para 3`).
Every part is checked: each paragraph is in the text, each section is a heading the text has
(`Abstract` is the whole text only where what was read is the abstract); then the quote must
stand in one of the places named. Pages cannot be checked in a plain text: they are left to the
reviewer, and the site says so beside the quote (`unchecked`). How paragraphs and headings are
counted: builder/storedtext.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from builder.problems import shown_text
from builder.storedtext import StoredText, normalised

_PARAGRAPHS = re.compile(r"para(?:graph)?s?\.?\s*(\d{1,6})(?:\s*(?:-|to|and|&)\s*(\d{1,6}))?", re.IGNORECASE)
_PAGES = re.compile(r"pp?\.?\s*\d+(?:\s*-\s*\d+)?", re.IGNORECASE)
# Sections a locator may name though the text has no heading for them (CONTRIBUTING.md):
# the introduction is the text before its first heading, the abstract the whole text (where
# the text is an abstract: `read: {kind: abstract}`).
POSITION_WORDS = ("introduction", "abstract")
_PARTS = re.compile(r"[,;]")


def unchecked(locator: str) -> list[str]:
    """The parts of a locator that no stored text can check: its pages (read as `places` reads
    them: "pp. 3–4" with an en dash is pages too)."""
    return [part.strip() for part in _PARTS.split(normalised(locator)) if _PAGES.fullmatch(part.strip())]


@dataclass(frozen=True)
class Section:
    name: str  # as the locator gives it
    start: int  # its first word, in the stored text
    end: int  # the word after its last
    first: int  # the number of its first paragraph, counted in the whole text


@dataclass(frozen=True)
class Place:
    section: Section | None
    paragraphs: tuple[int, int] | None  # first and last, counted in the section (or the whole text)

    def holds(self, text: StoredText, start: int, end: int) -> bool:
        if self.section and not self.section.start <= start < end <= self.section.end:
            return False
        if self.paragraphs is None:
            return True
        first, last = self.paragraphs
        offset = self.section.first - 1 if self.section else 0
        numbers = [text.blocks[text.block_of(w)].number for w in (start, end - 1)]
        return all(n and first <= n - offset <= last for n in numbers)

    def said(self) -> str:
        where = _paragraphs_said(self.paragraphs) if self.paragraphs else ""
        if self.section is None:
            return where
        name = self.section.name
        named = f"the {name.casefold()}" if name.casefold() in POSITION_WORDS else f"'{shown_text(name)}'"
        return f"{where} of {named}" if where else f"the section {named}"


def places(locator: str, text: StoredText, abstract: bool = False) -> tuple[list[Place], list[str]]:
    """The places a locator names in the text, and what is wrong with any part of it (a
    paragraph within a section the text does not have is no place). abstract: what was read
    is the source's abstract, which `Abstract` then names as a whole."""
    found, wrong, unknown, section, lost = [], [], [], None, False
    parts = [p.strip() for p in _PARTS.split(normalised(locator)) if p.strip()]
    for n, part in enumerate(parts):
        paragraph = _PARAGRAPHS.fullmatch(part)
        if paragraph:
            if lost:
                continue  # a paragraph of a section the text does not have: that is the problem
            first, last = int(paragraph.group(1)), int(paragraph.group(2) or paragraph.group(1))
            problem = _paragraphs_wrong(text, section, first, last)
            wrong += problem
            if not problem:
                found.append(Place(section, (first, last)))
            continue
        if _PAGES.fullmatch(part):
            continue
        section = _section(text, part, abstract)
        lost = section is None
        if section is None:
            unknown.append(part)
            continue
        following = parts[n + 1] if n + 1 < len(parts) else ""
        # "Future roles, para 3": the paragraph is the place; "Abstract, Results": the section within.
        if not following or not _PARAGRAPHS.fullmatch(following) and part.casefold() not in POSITION_WORDS:
            found.append(Place(section, None))
    return found, wrong + _unknown_said(unknown)


def _unknown_said(unknown: list[str]) -> list[str]:
    """One problem for the names of sections the text does not have, however many a locator gives."""
    if not unknown:
        return []
    more = f", nor any of the {len(unknown) - 1} other sections the locator names" if len(unknown) > 1 else ""
    return [
        f"the stored text has no heading '{shown_text(unknown[0])}'{more}"
        + _NOT_THE_ABSTRACT * (unknown[0].casefold() == "abstract")
    ]


def where_is(text: StoredText, start: int, end: int, named: list[Place]) -> str:
    """Where the words start..end are, in the terms of the places the locator named."""
    blocks = [text.blocks[text.block_of(w)] for w in (start, end - 1)]
    if not any(p.section for p in named):
        return block_said(text, *blocks)
    heading = text.heading_before(start)
    first = text.first_paragraph
    if heading is None or first is not None and heading.at < first.start <= start:
        where = block_said(text, *blocks)
        return f"{where} of the introduction" if blocks[0].number else where
    inside = [b.number - heading.paragraph + 1 for b in blocks]
    where = _paragraphs_said((inside[0], inside[-1])) + " of " if all(n > 0 for n in inside) else ""
    return f"{where}'{shown_text(heading.name)}'"


def block_said(text: StoredText, first, last=None) -> str:
    if not first.number:
        if first is text.blocks[0]:
            return "the title (the first block, which is not counted)"
        return f"a heading or a line standing alone ('{shown_text(first.opening)}'), which is not counted"
    return _paragraphs_said((first.number, (last or first).number or first.number))


def _paragraphs_said(paragraphs: tuple[int, int]) -> str:
    first, last = paragraphs
    return f"paragraph {first}" if first == last else f"paragraphs {first} to {last}"


_NOT_THE_ABSTRACT = ", and read: does not say that the abstract is what was read (kind: abstract)"


def _paragraphs_wrong(text: StoredText, section: Section | None, first: int, last: int) -> list[str]:
    if first < 1 or last < first:
        return [f"'{_paragraphs_said((first, last))}' is not a paragraph or range of paragraphs"]
    if section is None:
        if last > text.paragraphs:
            return [f"paragraph {last} is past the end of the stored text, which has {text.paragraphs}"]
        return []
    # An empty section (an empty text's abstract, a heading at the very end) has no paragraph.
    has = text.blocks[text.block_of(section.end - 1)].number - section.first + 1 if section.end > section.start else 0
    if last > max(has, 0):
        return [
            f"paragraph {last} is past the end of the section '{shown_text(section.name)}', which has {max(has, 0)}"
        ]
    return []


def _section(text: StoredText, name: str, abstract: bool) -> Section | None:
    """The section the text has under this heading (the first such), or a position word's part."""
    key = name.casefold()
    heading = text.heading_named(name)
    if heading is not None:
        return Section(name, heading.at, text.heading_after(heading.at), heading.paragraph)
    if key == "abstract" and abstract:
        return Section(name, 0, len(text.tokens), 1)
    if key == "introduction" and text.first_paragraph is not None:
        start = text.first_paragraph.start
        return Section(name, start, text.heading_after(start), 1)
    return None
