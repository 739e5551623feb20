"""Author-date citation labels and Pandoc-style [@key] citations in text."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from builder import figures
from builder.bib import Reference

CITATION = re.compile(r"\[(-?@[^\[\]]+)\]")
# Citations one text may hold: a summary citing twenty works is already a list, and each
# becomes a link on every page and in the PDF that shows the text.
MAX_CITATIONS = 20
_KEY = re.compile(r"-?@([A-Za-z0-9][A-Za-z0-9_:.+-]*)")
# A citation's locator says where in the cited work, as Pandoc's and CSL's locators do: `p. 5`,
# `pp. 3-4, 7`, `para 2`, `ch. 1`, `sec. 2.1`, `fig. 3`... or a bare page number; pieces separated
# by commas, each a label (or none, to go on with the last) and a number or a range. Never a
# sentence: the figures of our own text are checked against the source, and one in a citation's
# brackets would escape that. No "n" for a note: "[@key, n 2000]" reads as a sample size.
_LABELS = (
    "p|pp|pg|page|pages|para|paras|paragraph|paragraphs|ch|chap|chaps|chapter|chapters|sec|sect|secs|section|"
    "sections|fig|figs|figure|figures|tab|table|tables|note|notes|vol|vols|volume|volumes|col|cols|column|"
    "columns|l|ll|line|lines|no|nos|number|pt|pts|part|parts|app|appendix|box|art|article|bk|book|v|vv|verse|"
    "fol|folio|op|opus"
)
_PLACE = r"(?:\d+(?:\.\d+)*[a-z]?|[ivxlcdm]+)"
_LOCATOR_PIECE = re.compile(rf"(?:(?:{_LABELS})\.?\s*|[¶§]\s*)?{_PLACE}(?:\s*[-–—]\s*{_PLACE})?", re.IGNORECASE)


def is_locator(text: str) -> bool:
    """Whether a citation's locator is only places in the cited work (p. 3, pp. 3-4, para 2...).
    Its commas are followed by a space (pp. 3, 7), so that none passes for a thousands separator."""
    pieces = text.split(",")
    return all(p[:1].isspace() for p in pieces[1:]) and all(_LOCATOR_PIECE.fullmatch(p.strip()) for p in pieces)


@dataclass(frozen=True)
class Cite:
    key: str
    locator: str = ""


@dataclass(frozen=True)
class CiteGroup:
    """One [@a; @b, p. 3] in a text."""

    items: tuple[Cite, ...]


def split_citations(text: str) -> list[str | CiteGroup]:
    """Text as plain strings and citation groups, in order. Unparseable brackets stay text."""
    if "@" not in text:
        return [text] if text else []
    out: list[str | CiteGroup] = []
    last = 0
    for match in CITATION.finditer(text):
        items = [_item(part) for part in match.group(1).split(";")]
        if not all(items):
            continue
        out.append(text[last : match.start()])
        # [@a; @a; @a] cites one work: it is shown once, however often it is repeated.
        out.append(CiteGroup(tuple(dict.fromkeys(item for item in items if item))))
        last = match.end()
    out.append(text[last:])
    return [part for part in out if part != ""]


def _item(part: str) -> Cite | None:
    """'@key' or '@key, p. 3'; None for anything else. No regular expression scans the
    locator, so a long run of spaces costs no more than its length."""
    part = part.strip()
    found = _KEY.match(part)
    if not found:
        return None
    rest = part[found.end() :].strip()
    if not rest:
        return Cite(found.group(1))
    locator = rest[1:].strip() if rest.startswith(",") else ""
    return Cite(found.group(1), locator) if locator and is_locator(locator) else None


def _written_as_cited(part: str) -> tuple[bool, str]:
    """Whether one item of a [...] is written as a citation ('@key' or '@key, ...'), and its locator."""
    found = _KEY.match(part.strip())
    rest = part.strip()[found.end() :].strip() if found else ""
    return bool(found) and (not rest or rest.startswith(",")), rest[1:].strip()


def wrong_locators(text: str) -> list[str]:
    """The locators of what is written as a citation ([@key, ...]) that are not places in the
    cited work: a bracket holding one is not read as a citation, and is shown as it is."""
    if "@" not in text:
        return []
    items = [_written_as_cited(part) for match in CITATION.finditer(text) for part in match.group(1).split(";")]
    return [locator for cited, locator in items if cited and locator and not is_locator(locator)]


def without_citations(text: str) -> str:
    """A text with what is written as citations taken out: their locators are places in another
    work (`p. 5`), not figures of this one; one whose locator is not a place is a problem of its
    own (`wrong_locators`). Any other bracket stays, and its figures are read."""
    if "@" not in text:
        return text
    return CITATION.sub(
        lambda m: " " if all(_written_as_cited(part)[0] for part in m.group(1).split(";")) else m.group(), text
    )


def cited_keys(text: str) -> list[str]:
    if "@" not in text:  # most texts cite nothing: skip the regular expression
        return []
    return [c.key for part in split_citations(text) if isinstance(part, CiteGroup) for c in part.items]


def _names(ref: Reference) -> str:
    # Cite Them Right: an edited book with no author is cited by its editors.
    people, et_al = (ref.authors, ref.et_al) if ref.authors else (ref.editors, ref.editors_et_al)
    if not people:
        # Harvard (Cite Them Right): with no author, the newspaper or organisation
        # stands in its place, and failing that the title.
        if ref.corporate_author:
            return _named(ref.corporate_author)
        # In quotation marks, so that it reads as a work's name, not as ours: a title's words and
        # figures ("GP commissioning cost £3 billion") are not checked against any stored text.
        return _quoted(ref.get("title") or ref.key)
    # Cite Them Right: up to three authors are named, four or more are "first et al.".
    if et_al or len(people) >= 4:
        return _named(f"{people[0].family} et al.")
    names = [p.family for p in people]
    return _named(names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1])


def _quoted(label: str) -> str:
    return f"“{label if len(label) <= 60 else label[:57].rstrip() + '…'}”"


def _named(label: str) -> str:
    """A label as printed in our checked text. One that holds a figure (an organisation, journal
    or brace-protected "author" written as a claim: "Practice managers saved the NHS 97 per cent")
    is quoted as a title is, so that its figures, which no check reads, show as a work's name and
    not as our claim; "NHS 111" reads the same quoted."""
    return _quoted(label) if figures.ours(label) or figures.disguised(label) else label


def author_date_labels(refs: Iterable[Reference]) -> dict[str, str]:
    """'Checkland et al., 2012' for each key; same author and year get 2012a, 2012b by title."""
    groups: dict[tuple[str, str], list[Reference]] = defaultdict(list)
    for ref in refs:
        groups[(_names(ref), ref.year or "n.d.")].append(ref)
    labels = {}
    for (names, year), group in groups.items():
        group.sort(key=lambda r: (r.get("title").lower(), r.key))
        for i, ref in enumerate(group):
            suffix = "abcdefghijklmnopqrstuvwxyz"[i % 26] if len(group) > 1 else ""
            sep = "-" if suffix and year == "n.d." else ""
            labels[ref.key] = f"{names}, {year}{sep}{suffix}"
    return labels
