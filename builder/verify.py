"""Every quote, figure and locator checked against the stored text of what was read.

A source names its stored text (`source_text:`, a file in one of the folders builder/texts.py
searches). Where the text is there, each quote must be
in it as a run of whole words within one block (only quote marks, apostrophes, dashes and
spacing may differ), in the paragraph or section its locator names; each figure of every field
of ours that builder/fields.py marks as carrying figures (the design, the setting, the sample,
the summary, the statements, an editor's reason for a strength) must be in it (as
digits, with or without thousands separators, or in words). A failure names what is wrong and
shows the closest passage or figures; of a text kept privately (EVIDENCE_SOURCE_TEXTS), whose
messages may be read in a public log, it shows only the words that differ and says where the
passage is.

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

from builder import fields, figures
from builder.cite import without_citations
from builder.corpus import Entry
from builder.files import line_at, line_col
from builder.locator import Place, block_said, places, where_is
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
    if not stored.tokens:  # every quote, figure and locator would fail: one problem says why
        return [
            entry.doc.problem(
                ("source_text",),
                f"the stored text {stored.name} has no words, so nothing can be checked against it",
                "save the words of what was read in it (CONTRIBUTING.md, 'What you read, stored')",
            )
        ]
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
    for path, text in fields.with_figures(entry.source):
        for figure in figures.ours(without_citations(text)):
            if figure.hidden or not stored.figures.has(figure):
                yield path, lambda path=path, figure=figure: _figure_problem(entry, path, figure, stored)


def written_figures(entry: Entry) -> list[Problem]:
    """A problem at each figure of ours that no check could find, whatever the stored text: a digit
    other than 0-9, or a letter that passes for one (builder/figures.py `disguised`)."""
    problems = []
    for path, text in fields.with_figures(entry.source):
        for written, why in figures.disguised(text):
            problem = entry.doc.problem(
                path,
                f"the figure {shown_text(written)} cannot be checked: {why}",
                "write figures in the digits 0 to 9 (4/5 for ⅘, 123 for ¹²³, 100% for lOO%)",
            )
            problems.append(_at_figure(entry.doc, path, written, problem))
    return problems


def _quote_failures(
    entry: Entry, path: Key, quote: Quote, stored: StoredText
) -> Iterator[tuple[Key, Callable[[], Problem]]]:
    doc, text, locator = entry.doc, (*path, "text"), (*path, "locator")
    at = stored.places(words(quote.text))
    if not at:
        yield text, lambda: _quote_problem(entry, text, quote.text, stored)
    read = entry.source.read
    named, wrong = places(quote.locator, stored, abstract=read is not None and read.kind == "abstract")
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


_SLACK = 3  # how many words the quote may have dropped or added, for the passage shown beside it
# The most words and marks of a wrong quote compared letter by letter with the text, for the
# passage shown beside it: a 40-word quote has fewer than 100; a "quote" of 1,860 marks compared
# whole took 100 s.
_MOST_COMPARED = 120


def _quote_problem(entry: Entry, path: Key, quote: str, stored: StoredText) -> Problem:
    run = stored.unbroken(words(quote))
    why = stored.why_not_whole(*run) if run else ""
    if why:  # the words are there, but not as a quote of the text
        return entry.doc.problem(
            path,
            f"this quote is not whole words of one paragraph of the stored text ({stored.name}): {shown_text(why, 90)}",
            "quote whole words from one paragraph, heading or title (CONTRIBUTING.md, 'Quotes and locators')",
        )
    normal, at = spans(quote)
    at = at[:_MOST_COMPARED]
    normal = normal[: at[-1][1]] if at else normal
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
    first, last = (start + ops[0][3], start + ops[-1][4]) if ops else (start, start)
    if stored.private:  # its messages may be read in a public log: where the passage is, not what
        where = block_said(stored, *[stored.blocks[stored.block_of(w)] for w in (first, max(first, last - 1))])
        closest = f"the closest passage is in {where} of {stored.name}, which is kept privately and not shown here"
    else:
        closest = f'the closest passage of the text reads "{shown_text(stored.passage(first, last), 300)}"'
    return entry.doc.problem(
        path,
        f"this quote is not word for word in the stored text ({stored.name}): "
        + ("; ".join(said) or "its words are not found there in this order"),
        f"{closest}; copy the words exactly (only quote marks, dashes and spacing may differ)",
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
        problem = doc.problem(path, *_figure_said(figure, stored))
    return _at_figure(doc, path, figure.written, problem, figure.said)


def _figure_said(figure: figures.Figure, stored: StoredText) -> tuple[str, str]:
    """Why a figure of ours is not in the text, and how to fix it: what the text has of its
    number (with another magnitude or unit), or else the figures nearest to it."""
    ours, found = shown_text(figure.said, 30), stored.figures
    ways = [w for w in found.numbers.get(figures.scaled(figure.number, 0), []) if w != figure.said]
    if ways and figure.number:
        has = ", ".join(f'"{shown_text(w, 20)}"' for w in ways)
        unit = f" ({figures.KIND_NAMES[figure.kind]})" if figure.kind else ""
        return (
            f"the figure {ours}{unit} is not in the stored text ({stored.name}): the text has {has} but not {ours}",
            "give the figure with the magnitude (thousand, million, billion) and the unit (%, percentage points, £, "
            "p, $, €) the source gives it, or the figure the source gives",
        )
    nearest = ", ".join(shown_text(f, 20) for f in found.closest(figure.value))
    return (
        f"the figure {ours} is not in the stored text ({stored.name})",
        "give the figure exactly as the source does"
        + (f"; the closest figures in the text are {nearest}" if nearest else "; the text has no figures"),
    )


def _at_figure(doc: YamlDoc, path: Key, written: str, problem: Problem, said: str = "") -> Problem:
    """The problem moved onto the figure itself, where the file has it as written: with its unit
    and magnitude, where the file has them on one line ("£3 million", not the 3 of "£3 billion")."""
    at = doc.where(path)
    lines = doc.text.split("\n")
    offset = sum(len(line) + 1 for line in lines[: at.line - 1]) + at.col - 1
    found, whole = None, written
    for whole in dict.fromkeys(filter(None, (said, written))):
        found = re.compile(r"(?<![\d.,])" + re.escape(whole) + r"(?!\d|[.,]\d)").search(doc.text, offset)
        if found is not None:
            break
    if found is None:
        return problem
    line, col = line_col(doc.text, found.start() + max(0, whole.find(written)))
    return replace(problem, line=line, col=col, excerpt=line_at(doc.text, line))
