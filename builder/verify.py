"""Every quote and figure checked against the stored text of what was read.

A source names its stored text (`source_text:`, a file in one of the folders builder/texts.py
searches). Where the text is there, each quote must be in it word for word (only quote marks, apostrophes,
dashes and spacing may differ), each figure of the sample, the summary and the statements
must be in it (as digits, with or without thousands separators, or in words), and each
locator must be plausible (a paragraph within the text's paragraphs, a section it has).
A failure names the words or figure not found and shows the closest passage. Where the
text is not there, one note per source says that its quotes and figures are unverified.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace
from functools import cached_property

from builder.cite import CITATION
from builder.corpus import Entry
from builder.files import line_at
from builder.problems import Problem, shown_text

MAX_TEXT_BYTES = 16 * 1024 * 1024
_QUOTE_MARKS = "‘’‚‛′´`'“”„‟″\"«»‹›"
_DASHES = "‐‑‒–—―−-"
_NORMAL = str.maketrans({**{c: "'" for c in _QUOTE_MARKS}, **{c: "-" for c in _DASHES}})
# A figure: digits with thousands separators (a comma or any space), or plain, or decimal.
_FIGURE = re.compile(r"\d{1,3}(?:[,\s]\d{3})+(?!\d)|\d+(?:\.\d+)?")
_OUR_FIGURE = re.compile(r"(?<![\w.,-])(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w-]|[.,]\d)")
_PARAGRAPH = re.compile(r"\bpara(?:graph)?s?\.?\s*(\d+)", re.IGNORECASE)
_PAGE = re.compile(r"^pp?\.\s*\d", re.IGNORECASE)
# Sections a locator may name though a text has no heading for them (CONTRIBUTING.md).
POSITION_WORDS = ("introduction", "abstract")

_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_WORD_NUMBER = re.compile(
    r"\b(" + "|".join(_TENS) + r")(?:[\s-]+(" + "|".join(_UNITS[1:10]) + r"))?\b|\b(" + "|".join(_UNITS) + r")\b",
    re.IGNORECASE,
)


def normalised(text: str) -> str:
    """Quote marks, apostrophes and dashes made one of each, spacing folded; nothing else."""
    return " ".join(text.translate(_NORMAL).split())


@dataclass(frozen=True)
class StoredText:
    """A stored text, with what the checks compare against worked out once (a text may be
    long, and every quote, locator and figure of its source is checked against it)."""

    name: str
    text: str

    @cached_property
    def normal(self) -> str:
        return normalised(self.text)

    @cached_property
    def paragraphs(self) -> int:
        return len([block for block in re.split(r"\n\s*\n", self.text) if block.strip()])

    @cached_property
    def figures(self) -> frozenset[str]:
        written = _FIGURE.findall(self.text)
        found = {re.sub(r"[,\s]", "", f) for f in written}
        found |= {part for f in written for part in re.split(r"[,\s]", f)}
        for match in _WORD_NUMBER.finditer(self.text):
            tens, unit, alone = match.groups()
            value = (
                _TENS[tens.lower()] + (_UNITS.index(unit.lower()) if unit else 0)
                if tens
                else _UNITS.index(alone.lower())
            )
            found.add(str(value))
        return frozenset(found)


def verify(entry: Entry, stored: StoredText) -> list[Problem]:
    """The problems of one source's quotes, figures and locators against its stored text."""
    source, doc, problems = entry.source, entry.doc, []
    figures = stored.figures
    for i, finding in enumerate(source.findings):
        if finding.quote is None:
            continue
        path = ("findings", i, "quote")
        if normalised(finding.quote.text) not in stored.normal:
            problems.append(_quote_problem(entry, (*path, "text"), finding.quote.text, stored))
        locator = _locator_problem(finding.quote.locator, stored)
        if locator:
            problems.append(
                doc.problem((*path, "locator"), locator, "give the paragraph or section where the quote is")
            )
    for path, text in _figures_of(entry):
        for figure in _OUR_FIGURE.findall(CITATION.sub(" ", text)):
            if figure.replace(",", "") not in figures:
                problems.append(_figure_problem(entry, path, figure, stored))
    return problems


def _figures_of(entry: Entry) -> list[tuple[tuple, str]]:
    source = entry.source
    found: list[tuple[tuple, str]] = []
    if source.sample:
        for name, value in source.sample:
            if isinstance(value, int):
                found.append((("sample", name), str(value)))
    found.append((("summary",), source.summary))
    found += [(("findings", i, "statement"), f.statement) for i, f in enumerate(source.findings)]
    return found


def _quote_problem(entry: Entry, path: tuple, quote: str, stored: StoredText) -> Problem:
    words, text = normalised(quote).split(), stored.normal.split()
    start = _closest(words, text)
    passage = text[start : start + len(words)]
    differences = _differences(words, passage)
    return entry.doc.problem(
        path,
        f"this quote is not word for word in the stored text ({stored.name}): {differences}",
        f'the closest passage of the text reads "{shown_text(" ".join(passage), 300)}"; copy the words exactly '
        "(only quote marks, dashes and spacing may differ)",
    )


def _closest(words: list[str], text: list[str]) -> int:
    """Where in the text the passage most like the quote starts: anchored on its words."""
    at: dict[str, list[int]] = {}
    for n, word in enumerate(text):
        at.setdefault(word, []).append(n)
    best, start = -1, 0
    for k, word in enumerate(words):
        for n in at.get(word, ())[:200]:
            begin = max(0, min(n - k, len(text) - len(words)))
            score = sum(a == b for a, b in zip(words, text[begin : begin + len(words)], strict=False))
            if score > best:
                best, start = score, begin
    return start


def _differences(quote: list[str], passage: list[str]) -> str:
    said = []
    matcher = difflib.SequenceMatcher(a=quote, b=passage, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        ours, theirs = " ".join(quote[a1:a2]), " ".join(passage[b1:b2])
        if op == "replace":
            said.append(f'where the quote has "{shown_text(ours)}", the text has "{shown_text(theirs)}"')
        elif op == "delete":
            said.append(f'the text does not have "{shown_text(ours)}"')
        elif op == "insert":
            said.append(f'the text has "{shown_text(theirs)}" where the quote has nothing')
    return "; ".join(said[:3]) or "its words are not found there in this order"


def _figure_problem(entry: Entry, path: tuple, figure: str, stored: StoredText) -> Problem:
    pos = entry.doc.locate(path, figure)
    value = float(figure.replace(",", ""))
    in_text = sorted(stored.figures, key=lambda f: (abs(float(f) - value), f))[:5]
    problem = entry.doc.problem(
        path,
        f"the figure {figure} is not in the stored text ({stored.name})",
        "give the figure exactly as the source does; the closest figures in the text are " + ", ".join(in_text),
    )
    if pos is None:
        return problem
    return replace(problem, line=pos.line, col=pos.col, excerpt=line_at(entry.doc.text, pos.line))


def _locator_problem(locator: str, stored: StoredText) -> str:
    paragraph = _PARAGRAPH.search(locator)
    if paragraph and int(paragraph.group(1)) > stored.paragraphs:
        return f"paragraph {paragraph.group(1)} is past the end of the stored text, which has {stored.paragraphs}"
    for part in (p.strip() for p in locator.split(",")):
        if not part or _PARAGRAPH.search(part) or _PAGE.match(part) or part.lower() in POSITION_WORDS:
            continue
        if not re.search(r"(?<!\w)" + re.escape(normalised(part)) + r"(?!\w)", stored.normal, re.IGNORECASE):
            return f"the stored text has no section '{shown_text(part)}'"
    return ""
