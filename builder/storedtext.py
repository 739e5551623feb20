"""A stored text of what was read, read once into what every check of its source looks up.

A source's quotes, figures and locators are all checked against one text, which may be long
(a report) or hostile (a megabyte of numbers). So the text is split into words and its
paragraphs and headings are found once, here; each check is then a lookup or one search in C.

How a text is counted (CONTRIBUTING.md, "Quotes and locators", says the same in plain words):

- A *block* is text between blank lines. The first block is the title.
- *Paragraph 1* is the first block after the title that ends a sentence (with `.`, `?` or `!`,
  perhaps followed by a closing quote mark or bracket): a date, a byline or a label such as
  "Blog post" standing alone above the text is not counted.
- From there on every block is a paragraph, except a heading standing alone (one short line
  that ends no sentence).
- A *heading* is such a line: a block of its own, or the first line of a block (then the rest
  of the block is the section's first paragraph). In a structured abstract ("Results Drawing
  upon ...") a section's name that starts a sentence, followed by a capital, is a heading too.
- A section runs from its heading to the next heading; its paragraphs are counted from 1 again.

A quote is found only within one block (and not across a heading and the text under it), and
only as whole words: not where its first or last word is joined to the word beside it by a
hyphen, an apostrophe or an invisible character ("compliant" is not in "non-compliant", nor
"t approve" in "didn't approve", nor "clear" in "un\u00adclear").
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property

from builder import figures

QUOTE_MARKS = "‘’‚‛′´`'“”„‟″\"«»‹›"
DASHES = "‐‑‒–—―−-"
_NORMAL = str.maketrans({**{c: "'" for c in QUOTE_MARKS}, **{c: "-" for c in DASHES}})
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v\xa0]*\n")
# A word (letters, digits) or one mark: quotes are matched as runs of whole words, so that
# "clear" is not found in "unclear" nor "lay" in "layers".
_TOKEN = re.compile(r"\w+|[^\w\s]")
# What joins two words into one when nothing else stands between them: hyphens (not the dashes
# that stand between words, "managers—who"), apostrophes and the single quote marks that stand
# for them, and characters nobody sees (a soft hyphen, U+034F).
_HYPHENS = "-\u2010\u2011"
_APOSTROPHES = "‘’‚‛′´`'"
_ENDS_SENTENCE = re.compile(r"[.?!]['\")\]]*$")
_ENDS_CLAUSE = re.compile(r"[.?!:;,]['\")\]]*$")
HEADING_WORDS = 12
# Headings of structured abstracts, found where they start a sentence ("Results Drawing upon").
ABSTRACT_HEADINGS = (
    "Background",
    "Objective",
    "Objectives",
    "Aim",
    "Aims",
    "Context",
    "Design",
    "Setting",
    "Settings",
    "Participants",
    "Interventions",
    "Methods",
    "Main outcome measures",
    "Primary and secondary outcome measures",
    "Results",
    "Findings",
    "Conclusion",
    "Conclusions",
    "Implications",
    "Limitations",
    "Discussion",
)
# Where several places hold a short quote, this many are looked at for the one its locator names.
MAX_TEXT_BYTES = 16 * 1024 * 1024  # a stored text is read up to this size
MAX_PLACES = 1000
# Occurrences looked at for one quote, whole words or not: a text of "a-a-a-..." holds the quote
# "a" 450,000 times inside words, and each quote would scan them all.
MAX_LOOKED_AT = 20 * MAX_PLACES
# How many places of each word the search for the passage closest to a wrong quote looks at.
_CLOSEST_PER_WORD = 200


def normalised(text: str) -> str:
    """Composed characters, one quote mark and one dash, spacing folded; nothing else."""
    return " ".join(unicodedata.normalize("NFC", text).translate(_NORMAL).split())


def words(text: str) -> list[str]:
    """The words and marks of a text, as quotes are matched."""
    return _TOKEN.findall(normalised(text))


def spans(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The text normalised, and where each of its words and marks stands in it."""
    normal = normalised(text)
    return normal, [m.span() for m in _TOKEN.finditer(normal)]


def _is_heading(line: str) -> bool:
    return bool(line) and len(line.split()) <= HEADING_WORDS and not _ENDS_CLAUSE.search(line)


@dataclass(frozen=True)
class Block:
    start: int  # its first word (an index into StoredText.tokens)
    end: int  # the word after its last
    number: int  # its paragraph number; 0 for the title, a label or a heading standing alone
    opening: str  # its first words, for messages


@dataclass(frozen=True)
class Heading:
    name: str  # as the text has it
    at: int  # the word it starts at
    paragraph: int  # the number of its section's first paragraph


@dataclass(frozen=True)
class _Index:
    normal: str  # the text normalised, its blocks joined by one space
    tokens: list[str]  # its words and marks
    starts: array  # where each starts in `normal`
    blocks: list[Block]
    headings: list[Heading]  # lines that are headings (structured abstracts' are found apart)
    block_offsets: list[int]  # where each block starts in `normal`
    breaks: list[int]  # the words a quote cannot run across to: each block's first, each heading's text's first
    joined: bytearray  # per word or mark: 1 if a quote may not start there, 2 if it may not end there (_joined)


def _index(text: str) -> _Index:
    raw = [b.strip() for b in _BLANK_LINE.split(text.replace("\r\n", "\n")) if b.strip()]
    normal_blocks = [normalised(b) for b in raw]
    normal = " ".join(normal_blocks)
    tokens, starts = [], array("q")
    for match in _TOKEN.finditer(normal):
        tokens.append(match.group())
        starts.append(match.start())
    alone = [len(b.split("\n")) == 1 and _is_heading(n) for b, n in zip(raw, normal_blocks, strict=True)]
    first = _first_paragraph(normal_blocks, alone)
    blocks, headings, offsets, breaks, offset, word, number = [], [], [], [], 0, 0, 0
    for i, (block, text) in enumerate(zip(raw, normal_blocks, strict=True)):
        end = bisect_right(starts, offset + len(text) - 1)
        numbered = first is not None and i >= first and not alone[i]
        number += numbered
        lines = block.split("\n")
        breaks.append(word)
        if i > 0 and (alone[i] or len(lines) > 1 and _is_heading(normalised(lines[0]))):
            headings.append(Heading(normalised(lines[0]), word, number if numbered else number + 1))
            breaks.append(word + len(_TOKEN.findall(normalised(lines[0]))))
        blocks.append(Block(word, end, number if numbered else 0, " ".join(text.split()[:6])))
        offsets.append(offset)
        offset += len(text) + 1
        word = end
    # The text as written, laid out as `normal` is (the same characters but for quote marks and
    # dashes, the same spacing): which hyphen or quote mark each "-" or "'" was.
    written = " ".join(" ".join(unicodedata.normalize("NFC", b).split()) for b in raw)
    return _Index(normal, tokens, starts, blocks, headings, offsets, breaks, _joined(tokens, starts, written))


def _joins(char: str) -> bool:
    return char in _HYPHENS or char in _APOSTROPHES or unicodedata.category(char) in ("Cf", "Mn", "Me")


def _joined(tokens: list[str], starts: array, written: str) -> bytearray:
    """For each word or mark: 1 if a quote starting there would start inside a word (it touches
    a word before it through nothing but joining marks: "compliant" in "non-compliant", "'t" in
    "didn't"), 2 if a quote ending there would end inside one. Two passes over the words."""
    count = len(tokens)
    touching = [n > 0 and starts[n] == starts[n - 1] + len(tokens[n - 1]) for n in range(count)]
    word = [t[0].isalnum() or t[0] == "_" for t in tokens]
    joins = [len(t) == 1 and _joins(written[starts[n]]) for n, t in enumerate(tokens)]
    joined = bytearray(count)
    reaches = False  # the word or mark before reaches a word through joining marks, touching
    for n in range(count):
        if touching[n] and reaches and (word[n] or joins[n]):
            joined[n] |= 1
        reaches = word[n] or joins[n] and touching[n] and reaches
    reaches = False  # the same, from the word or mark after
    for n in range(count - 1, -1, -1):
        if n + 1 < count and touching[n + 1] and reaches and (word[n] or joins[n]):
            joined[n] |= 2
        reaches = word[n] or joins[n] and n + 1 < count and touching[n + 1] and reaches
    return joined


def _first_paragraph(blocks: list[str], alone: list[bool]) -> int | None:
    """Which block is paragraph 1: the first after the title that ends a sentence; failing that,
    the first after the title that is not a heading; in a text of one block, that block."""
    if len(blocks) == 1:
        return 0
    ends = [i for i in range(1, len(blocks)) if _ENDS_SENTENCE.search(blocks[i])]
    rest = [i for i in range(1, len(blocks)) if not alone[i]]
    return (ends or rest or [None])[0]


@dataclass(frozen=True)
class StoredText:
    name: str
    text: str
    private: bool = False  # from a private folder (EVIDENCE_SOURCE_TEXTS): no passage of it is shown

    @cached_property
    def index(self) -> _Index:
        return _index(self.text)

    @cached_property
    def figures(self) -> figures.TheirFigures:
        return figures.theirs(self.text)

    @property
    def tokens(self) -> list[str]:
        return self.index.tokens

    @property
    def blocks(self) -> list[Block]:
        return self.index.blocks

    @cached_property
    def _canonical(self) -> tuple[str, array]:
        """The words joined by single spaces, with where each starts in that string: a quote's
        words, joined the same way, are found by one search. A line break stands at each break
        (builder/storedtext.py), which no quote's words can match across."""
        at, offsets, parts, breaks = 1, array("q"), [" "], set(self.index.breaks[1:])
        for n, token in enumerate(self.tokens):
            if n in breaks:
                parts.append("\n ")
                at += 2
            offsets.append(at)
            parts.append(token + " ")
            at += len(token) + 1
        return "".join(parts), offsets

    def places(self, quote: list[str]) -> list[tuple[int, int]]:
        """Where the quote's words stand as a run of whole words, within a block: (first word,
        word after the last)."""
        canonical, offsets = self._canonical
        needle = " " + " ".join(quote) + " "
        joined = self.index.joined
        found, at, looked = [], canonical.find(needle), 0
        while at >= 0 and len(found) < MAX_PLACES and looked < MAX_LOOKED_AT:
            looked += 1
            first = bisect_right(offsets, at + 1) - 1
            last = first + len(quote) - 1
            if not (joined[first] & 1 or joined[last] & 2):
                found.append((first, last + 1))
            at = canonical.find(needle, at + 1)
        return found

    def unbroken(self, quote: list[str]) -> tuple[int, int] | None:
        """Where the quote's words first stand in a row if blocks and joined words are not minded:
        to say why a quote that is there is not found (only for those a message explains)."""
        at = (" " + " ".join(self.tokens) + " ").find(" " + " ".join(quote) + " ") if quote else -1
        if at < 0:
            return None
        first = bisect_right(self._plain_offsets, at + 1) - 1
        return first, first + len(quote)

    @cached_property
    def _plain_offsets(self) -> array:
        at, offsets = 1, array("q")
        for token in self.tokens:
            offsets.append(at)
            at += len(token) + 1
        return offsets

    def why_not_whole(self, start: int, end: int) -> str:
        """Why words start..end, which stand in a row, are not a quote of the text: they cross a
        break, or start or end inside a word ('' if neither)."""
        if any(start < b < end for b in self.index.breaks):
            return "it runs from one block of the text (a title, a heading or a paragraph) into the next"
        joined = self.index.joined
        if joined[start] & 1 or joined[end - 1] & 2:
            at = start if joined[start] & 1 else end - 1
            first, last = at, at
            while first > max(0, at - 20) and joined[first] & 1:
                first -= 1
            while last < min(len(self.tokens) - 1, at + 20) and joined[last] & 2:
                last += 1
            where = "starts" if at == start else "ends"
            return f'it {where} inside the word "{self.passage(first, last + 1)}"'
        return ""

    def passage(self, start: int, end: int) -> str:
        """The words start..end as the text has them (normalised), marks and all."""
        index = self.index
        if start >= end or start >= len(index.tokens):
            return ""
        last = min(end, len(index.tokens)) - 1
        return index.normal[index.starts[start] : index.starts[last] + len(index.tokens[last])]

    @cached_property
    def _block_starts(self) -> list[int]:
        return [b.start for b in self.blocks]

    def block_of(self, word: int) -> int:
        return max(0, bisect_right(self._block_starts, word) - 1)

    @cached_property
    def _next_numbers(self) -> list[int]:
        """For each block, the number of the paragraph at or after it (one past the last, if none)."""
        numbers, following = [], self.paragraphs + 1
        for block in reversed(self.blocks):
            following = block.number or following
            numbers.append(following)
        return numbers[::-1]

    @cached_property
    def paragraphs(self) -> int:
        return max((b.number for b in self.blocks), default=0)

    @cached_property
    def first_paragraph(self) -> Block | None:
        return next((b for b in self.blocks if b.number == 1), None)

    @cached_property
    def headings(self) -> list[Heading]:
        """Every heading, in order: lines of their own, and structured abstracts' section names."""
        return sorted(self.index.headings + self._inline(ABSTRACT_HEADINGS), key=lambda h: h.at)

    @cached_property
    def _heading_starts(self) -> list[int]:
        return [h.at for h in self.headings]

    @cached_property
    def _named(self) -> dict[str, Heading]:
        named: dict[str, Heading] = {}
        for heading in self.headings:
            named.setdefault(heading.name.casefold(), heading)
        return named

    def heading_named(self, name: str) -> Heading | None:
        """The first heading with this name: a line of its own, or a structured abstract's
        section name where it starts a sentence. One lookup: a locator of a thousand unknown
        names ran a search of the whole text for each."""
        return self._named.get(name.casefold())

    def heading_before(self, word: int) -> Heading | None:
        """The last heading at or before a word."""
        at = bisect_right(self._heading_starts, word) - 1
        return self.headings[at] if at >= 0 else None

    def heading_after(self, word: int) -> int:
        """Where the first heading after a word starts (the end of the text, if none)."""
        at = bisect_right(self._heading_starts, word)
        return self.headings[at].at if at < len(self.headings) else len(self.tokens)

    def _inline(self, names: tuple[str, ...]) -> list[Heading]:
        """Where these names start a sentence, capitalised and followed by a capital or a digit."""
        index = self.index
        pattern = re.compile(r"(?<!\S)(?:" + "|".join(re.escape(n) for n in names) + r")(?=:? \w)", re.IGNORECASE)
        block_starts, found = set(index.block_offsets), []
        for match in pattern.finditer(index.normal):
            at = match.start()
            after = index.normal[match.end() : match.end() + 3].lstrip(": ")[:1]
            starts_sentence = at in block_starts or _ENDS_SENTENCE.search(index.normal[max(0, at - 4) : at - 1])
            if starts_sentence and match.group()[0].isupper() and (after.isupper() or after.isdigit()):
                word = bisect_right(index.starts, at) - 1
                found.append(Heading(match.group(), word, self._next_numbers[self.block_of(word)]))
        return found

    @cached_property
    def _positions(self) -> dict[str, list[int]]:
        """Where each word stands (its first places only), for the passage closest to a quote."""
        at: dict[str, list[int]] = {}
        for n, token in enumerate(self.tokens):
            places = at.setdefault(token, [])
            if len(places) < _CLOSEST_PER_WORD:
                places.append(n)
        return at

    def closest(self, quote: list[str]) -> int:
        """Where the passage most like the quote starts: the start most of its words agree on."""
        votes: dict[int, int] = {}
        for k, token in enumerate(quote):
            for n in self._positions.get(token, ()):
                votes[n - k] = votes.get(n - k, 0) + 1
        if not votes:
            return 0
        best = max(votes, key=lambda start: (votes[start], -start))
        return max(0, min(best, len(self.tokens) - len(quote)))
