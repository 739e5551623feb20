"""Every quote, figure and locator checked against the stored text of what was read.

A source names its stored text (`source_text:`, a file in one of the folders builder/texts.py
searches). Where the text is there, each quote must be
in it as a run of whole words (only quote marks, apostrophes, dashes and spacing may differ),
in the paragraph or section its locator names; each figure of the sample, the setting, the
summary and the statements must be in it (as digits, with or without thousands separators,
or in words). A failure names what is wrong and shows the closest passage or figures.

The work is bounded whatever the files hold: the text is indexed once (builder/storedtext.py),
each check is a lookup or one search, and only the first MAX_PER_FILE failures of a source
are worked out in full; the rest are counted.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import replace

from builder import figures
from builder.cite import CITATION
from builder.corpus import Entry
from builder.files import line_at, line_col
from builder.locator import Place, places, where_is
from builder.model import Quote
from builder.problems import MAX_PER_FILE, Problem, shown_text
from builder.storedtext import StoredText, spans, words
from builder.yamlfile import Key, YamlDoc

_LOCATOR_HINT = "give the paragraph or section where the quote is (CONTRIBUTING.md, 'Quotes and locators')"


def verify(entry: Entry, stored: StoredText) -> list[Problem]:
    """The problems of one source's quotes, figures and locators against its stored text. Saying
    a failure well (the closest passage, the nearest figures) is the costly part: only the first
    MAX_PER_FILE, in the order of the file, are said in full, as the check lists no more of a
    file's problems (builder/problems.py `capped`); the rest are counted, and said briefly."""
    found = sorted(_failures(entry, stored), key=lambda failure: entry.doc.where(failure[0]).line)
    brief = f"this does not agree with the stored text ({stored.name}) either"
    return [make() for _, make in found[:MAX_PER_FILE]] + [
        entry.doc.problem(path, brief, "fix the problems above first") for path, _ in found[MAX_PER_FILE:]
    ]


def _failures(entry: Entry, stored: StoredText) -> Iterator[tuple[Key, Callable[[], Problem]]]:
    """Each failure: where it is, and the work of saying it."""
    for i, finding in enumerate(entry.source.findings):
        if finding.quote is not None:
            yield from _quote_failures(entry, ("findings", i, "quote"), finding.quote, stored)
    for path, text in figures_of(entry):
        for figure in figures.ours(CITATION.sub(" ", text)):
            if figure.hidden or figure.value not in stored.figures.values:
                yield path, lambda path=path, figure=figure: _figure_problem(entry, path, figure, stored)


def _quote_failures(
    entry: Entry, path: Key, quote: Quote, stored: StoredText
) -> Iterator[tuple[Key, Callable[[], Problem]]]:
    doc, text, locator = entry.doc, (*path, "text"), (*path, "locator")
    at = stored.places(words(quote.text))
    if not at:
        yield text, lambda: _quote_problem(entry, text, quote.text, stored)
    named, wrong = places(quote.locator, stored)
    for message in wrong:
        yield locator, lambda message=message: doc.problem(locator, message, _LOCATOR_HINT)
    if at and named and not any(p.holds(stored, *span) for span in at for p in named):
        yield locator, lambda: _misplaced(entry, locator, at[0], named, stored)


def _misplaced(entry: Entry, path: Key, span: tuple[int, int], named: list[Place], stored: StoredText) -> Problem:
    where = where_is(stored, *span, named)
    said = [p.said() for p in named]
    if not any(p.section for p in named) and where.startswith("paragraph"):
        said = [s.removeprefix("paragraphs ").removeprefix("paragraph ") for s in said]  # "in paragraph 12, not 11"
    first = stored.first_paragraph
    counted = f" from the one that starts '{shown_text(first.opening)}…'" if first else ""
    again = ", and again from 1 under each heading" if any(p.section for p in named) else ""
    return entry.doc.problem(
        path,
        f"the quote is in {where}, not {' or '.join(dict.fromkeys(said))}",
        f"paragraphs are counted in the stored text ({stored.name}){counted}{again} "
        "(CONTRIBUTING.md, 'Quotes and locators')",
    )


def figures_of(entry: Entry) -> list[tuple[Key, str]]:
    """Every text of a source whose figures are checked (the sample's counts too), with its path."""
    source = entry.source
    found: list[tuple[Key, str]] = []
    if source.sample:
        for name, value in source.sample:
            if isinstance(value, int):
                found.append((("sample", name), str(value)))
        if source.sample.notes:
            found.append((("sample", "notes"), source.sample.notes))
    if source.setting:
        found.append((("setting",), source.setting))
    found.append((("summary",), source.summary))
    return found + [(("findings", i, "statement"), f.statement) for i, f in enumerate(source.findings)]


_SLACK = 3  # how many words the quote may have dropped or added, for the passage shown beside it


def _quote_problem(entry: Entry, path: Key, quote: str, stored: StoredText) -> Problem:
    normal, at = spans(quote)
    ours = [normal[a:b] for a, b in at]
    start, ops = _closest(normal, ours, stored)
    said = []
    for op, a1, a2, b1, b2 in [op for op in ops if op[0] != "equal"][:3]:
        mine = shown_text(normal[at[a1][0] : at[a2 - 1][1]]) if a2 > a1 else ""
        theirs = shown_text(stored.passage(start + b1, start + b2))
        if op == "replace":
            said.append(f'where the quote has "{mine}", the text has "{theirs}"{_lookalike(mine, theirs)}')
        elif op == "delete":
            said.append(f'the text does not have "{mine}"')
        else:
            said.append(f'the text has "{theirs}" where the quote has nothing')
    passage = stored.passage(start + ops[0][3], start + ops[-1][4]) if ops else ""
    return entry.doc.problem(
        path,
        f"this quote is not word for word in the stored text ({stored.name}): "
        + ("; ".join(said) or "its words are not found there in this order"),
        f'the closest passage of the text reads "{shown_text(passage, 300)}"; copy the words exactly '
        "(only quote marks, dashes and spacing may differ)",
    )


def _lookalike(mine: str, theirs: str) -> str:
    """A letter that only looks like the text's (a Cyrillic о for a Latin o), named."""
    if len(mine) != len(theirs):
        return ""
    for ours, its in zip(mine, theirs, strict=True):
        if ours != its and not ours.isascii() and its.isascii():
            name = unicodedata.name(ours, "a character of another alphabet")
            return f" (its '{ours}' is U+{ord(ours):04X} {name}, not the text's '{its}')"
    return ""


def _closest(normal: str, ours: list[str], stored: StoredText) -> tuple[int, list]:
    """The passage of the text most like the quote: where it starts, and how the quote's words
    differ from it (difflib's opcodes; the words before and after it are no difference)."""

    def alike(start: int, length: int) -> tuple[int, int]:
        """How much of the quote the passage has, letter for letter; then how near its length is."""
        passage = stored.passage(start, start + length)
        blocks = difflib.SequenceMatcher(a=normal, b=passage, autojunk=False).get_matching_blocks()
        return sum(b.size for b in blocks), -abs(len(passage) - len(normal))

    # Where the quote's words agree it starts, give or take the words it dropped or added.
    near = stored.closest(ours)
    starts = range(max(0, near - _SLACK), min(near + _SLACK, max(0, len(stored.tokens) - 1)) + 1)
    start = max(starts, key=lambda s: (alike(s, len(ours)), -abs(s - near)))
    length = max(range(max(1, len(ours) - _SLACK), len(ours) + _SLACK + 1), key=lambda n: alike(start, n))
    ops = difflib.SequenceMatcher(a=ours, b=stored.tokens[start : start + length], autojunk=False).get_opcodes()
    while ops and ops[-1][0] == "insert":
        ops.pop()
    while ops and ops[0][0] == "insert":
        ops.pop(0)
    return start, ops


def _figure_problem(entry: Entry, path: Key, figure: figures.Figure, stored: StoredText) -> Problem:
    doc = entry.doc
    if figure.hidden:
        name = unicodedata.name(figure.hidden, "an invisible character")
        problem = doc.problem(
            path,
            f"the figure {shown_text(figure.written)} has an invisible character inside it "
            f"(U+{ord(figure.hidden):04X} {name})",
            "retype the figure: text pasted from a PDF or a web page often carries such characters",
        )
    else:
        nearest = ", ".join(shown_text(f, 20) for f in stored.figures.closest(figure.value))
        problem = doc.problem(
            path,
            f"the figure {figure.written} is not in the stored text ({stored.name})",
            "give the figure exactly as the source does"
            + (f"; the closest figures in the text are {nearest}" if nearest else "; the text has no figures"),
        )
    return _at_figure(doc, path, figure.written, problem)


def _at_figure(doc: YamlDoc, path: Key, written: str, problem: Problem) -> Problem:
    """The problem moved onto the figure itself, where the file has it as written."""
    at = doc.where(path)
    lines = doc.text.split("\n")
    offset = sum(len(line) + 1 for line in lines[: at.line - 1]) + at.col - 1
    found = re.compile(r"(?<![\d.,])" + re.escape(written) + r"(?!\d|[.,]\d)").search(doc.text, offset)
    if found is None:
        return problem
    line, col = line_col(doc.text, found.start())
    return replace(problem, line=line, col=col, excerpt=line_at(doc.text, line))
