"""Read references.bib (bibtexparser 2.x) into frozen References, with located problems."""

from __future__ import annotations

import dataclasses
import functools
import logging
import re
from dataclasses import dataclass
from pathlib import Path

import bibtexparser
from bibtexparser import model as bibmodel
from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names
from pylatexenc.latex2text import LatexNodes2Text

from builder.files import bad_character, character_problem, line_at, line_col, line_start, read_text
from builder.latex import refused_latex
from builder.model import BIBKEY
from builder.problems import Problem, quoted, shown_text

DOI = re.compile(r"10\.\d{4,9}/\S+")
URL = re.compile(r"https?://[^\s/$.?#][^\s]*", re.IGNORECASE)
YEAR = re.compile(r"\d{4}")
DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
# A line inside a value that looks like the next field: the comma before it is missing.
_SWALLOWED = re.compile(r"\n[ \t]*([A-Za-z][\w-]*)[ \t]*=")
_KEY_OF_BLOCK = re.compile(r"@\w+[ \t]*[{(][ \t]*([^,\s{}()]+)")
_FIELD_OPENS = re.compile(r"^[ \t]*([A-Za-z][\w-]*)[ \t]*=[ \t]*\{")
MAX_BRACE_DEPTH = 20
# Decoding LaTeX costs about half a millisecond a name and 7 microseconds a character, where a
# plain value costs nothing: a 1 MB library of 90,000 accented names took 40 s and 2.4 GB. So
# only the fields the site shows are decoded, an author list names at most MAX_NAMES people
# (more: "and others"), and the library holds at most MAX_LATEX characters of values with LaTeX
# in them (a real library: a few per entry; the shipped one 300 in 30 entries).
MAX_NAMES = 100
MAX_LATEX = 300_000
_OVER_BUDGET = f"the library holds more than {MAX_LATEX:,} characters of values written in LaTeX"
_KEY = re.compile(BIBKEY)
# The fields the site reads (reference.py, citeformats.py, cite.py, the checks below): the
# only ones written back out for readers ("Cite this", downloads/references.bib).
UNDERSTOOD_FIELDS = (
    "author",
    "editor",
    "title",
    "journal",
    "journaltitle",
    "booktitle",
    "year",
    "date",
    "volume",
    "number",
    "eid",
    "pages",
    "doi",
    "url",
    "urldate",
    "publisher",
    "organization",
    "institution",
    "howpublished",
    "note",
)
# bibtexparser also logs each failed block; we report them ourselves, with the line.
logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
_LATEX = LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True)


@dataclass(frozen=True)
class Person:
    family: str
    given: str = ""


@dataclass(frozen=True)
class Reference:
    key: str
    entry_type: str
    line: int
    fields: dict[str, str]  # decoded to Unicode, in file order
    authors: tuple[Person, ...] = ()
    et_al: bool = False  # BibTeX "and others": more authors exist than are named
    raw: str = ""  # the entry exactly as written in the .bib file
    latex: tuple[tuple[str, str], ...] = ()  # the understood fields as written (LaTeX), checked safe
    editors: tuple[Person, ...] = ()
    editors_et_al: bool = False

    def get(self, name: str) -> str:
        return self.fields.get(name, "")

    @property
    def container(self) -> str:
        return self.get("journal") or self.get("journaltitle") or self.get("booktitle")

    @property
    def corporate_author(self) -> str:
        """Who stands as author when no person is named: the periodical or organisation."""
        if self.authors or self.editors:
            return ""
        return self.get("journal") or self.get("journaltitle") or self.get("organization")

    @functools.cached_property  # asked for each finding of each page that lists the source
    def year(self) -> str:
        year = self.get("year") or self.get("date")[:4]
        return year if YEAR.fullmatch(year) else ""


@dataclass(frozen=True)
class Library:
    """The references by key, the problems, and the keys of entries that could not be read
    (so that a citation of one is not reported as a problem of its own)."""

    references: dict[str, Reference]
    problems: list[Problem]
    unreadable: frozenset[str] = frozenset()

    @functools.cached_property  # once for each text of the library: a preview keeps it (builder/memo.py)
    def labels(self) -> dict[str, str]:
        """Each reference's author-date label, as a citation shows it."""
        from builder.cite import author_date_labels  # builder/cite.py reads this module's Reference

        return author_date_labels(self.references.values())


class _Unreadable(Exception):
    pass


def latex_to_text(value: str) -> str:
    """Decode LaTeX accents and drop protective braces: {\\'e} -> é, {WHO} -> WHO. A % stays a %."""
    if not any(c in value for c in "\\{}$~%"):
        return " ".join(value.split())
    depth = deepest = 0
    for char in value:
        depth += (char == "{") - (char == "}")
        deepest = max(deepest, depth)
    if deepest > MAX_BRACE_DEPTH:
        raise _Unreadable(f"its braces are nested more than {MAX_BRACE_DEPTH} deep")
    # In a BibTeX value a % is text, but to LaTeX it starts a comment that would drop the rest.
    value = re.sub(r"(?<!\\)%", r"\\%", value)
    try:
        return " ".join(_LATEX.latex_to_text(value).split())
    except (IndexError, KeyError, ValueError, RecursionError) as exc:
        raise _Unreadable("it holds LaTeX the site cannot turn into text") from exc


def read_bib(path: Path, shown: str, max_bytes: int, root: Path | None = None) -> Library:
    text, problems = read_text(path, shown, max_bytes, root)
    if text is None:
        return Library({}, problems)
    return parse_bib(text, shown)


def parse_bib(text: str, shown: str) -> Library:
    library = bibtexparser.parse_string(text)
    problems = [_failed(block, shown) for block in library.failed_blocks]
    problems += [_preamble(block, shown) for block in library.preambles]
    unreadable = {m.group(1) for b in library.failed_blocks if (m := _KEY_OF_BLOCK.search(b.raw or ""))}
    hidden = _hidden_characters(library, text, shown)  # read_text refused controls; format characters here
    problems += hidden.values()
    refs: dict[str, Reference] = {}
    budget = [MAX_LATEX]
    for entry in library.entries:
        if id(entry) in hidden:
            unreadable.add(entry.key)
            continue
        ref, found = reference(entry, shown, text, budget)
        if found:
            problems += found
            unreadable.add(entry.key)
        else:
            refs[ref.key] = ref
    # Past the budget, each value with LaTeX is refused (its entry unreadable): said once.
    over = [p for p in problems if p.message == _OVER_BUDGET]
    problems = [p for p in problems if p not in over[1:]]
    return Library(refs, problems, frozenset(unreadable))


def _hidden_characters(library: bibtexparser.Library, text: str, shown: str) -> dict[int, Problem]:
    """The first invisible character of each block that has one, by the block's id()."""
    found = {}
    for block in library.blocks:
        bad = bad_character(block.raw or "")
        if bad is not None:
            line, col, excerpt = _position(text, (block.start_line or 0) + 1, block.raw, bad)
            problem = character_problem(block.raw, shown, bad)
            found[id(block)] = dataclasses.replace(problem, line=line, col=col, excerpt=excerpt or problem.excerpt)
    return found


def _position(text: str, line: int, written: str, index: int) -> tuple[int, int, str]:
    """Line, column and the line's text of `written`[index], looked for in `text` from `line` on
    (a value from an @string is not there: then the line given, column 1)."""
    found = text.find(written, line_start(text, line)) if written else -1
    if found < 0:
        return line, 1, ""
    line, col = line_col(text, found + index)
    return line, col, line_at(text, line)


def _preamble(block: bibmodel.Preamble, shown: str) -> Problem:
    return Problem(
        shown,
        (block.start_line or 0) + 1,
        1,
        "",
        "@preamble is not allowed: readers who cite from the site's BibTeX would run its LaTeX",
        "delete the @preamble block; the site does not need it",
    )


def _failed(block: bibmodel.Block, shown: str) -> Problem:
    line = (block.start_line or 0) + 1
    raw = block.raw or ""
    if isinstance(block, bibmodel.DuplicateBlockKeyBlock):
        return Problem(
            shown, line, 1, block.key, f"the key '{block.key}' is given to two entries", "give each entry its own key"
        )
    lines = raw.split("\n")
    key = _KEY_OF_BLOCK.search(raw)
    for offset, text in enumerate(lines):
        field = _FIELD_OPENS.match(text)
        if field and text.count("{") > text.count("}") and _next_is_field(lines, offset):
            return Problem(
                shown,
                line + offset,
                field.end(),
                f"{shown_text(key.group(1), 60)}.{shown_text(field.group(1), 30)}"
                if key
                else shown_text(field.group(1), 30),
                f"the '{{' that opens the value of '{field.group(1)}' is not closed on this line",
                "add the closing '}' at the end of the value, before the comma",
                excerpt=text,
            )
    return Problem(
        shown,
        line,
        1,
        "",
        "BibTeX cannot read this entry: a brace, a comma or an '=' is missing or extra",
        "each field is written 'name = {value},' and the entry ends with '}'",
        excerpt=lines[0] if lines else "",
    )


def _next_is_field(lines: list[str], offset: int) -> bool:
    following = [text for text in lines[offset + 1 :] if text.strip()]
    return not following or bool(re.match(r"[ \t]*[A-Za-z][\w-]*[ \t]*=|[ \t]*@", following[0]))


def reference(
    entry: bibmodel.Entry, shown: str, text: str = "", budget: list[int] | None = None
) -> tuple[Reference, list[Problem]]:
    """One entry's fields decoded to Unicode, or the problems of those that cannot be (`text`:
    the whole file, to say where in it a refused LaTeX command stands; `budget`: how many
    characters of LaTeX the library may still have decoded, shared by its entries)."""
    budget = budget if budget is not None else [MAX_LATEX]
    line = entry.start_line + 1
    fields: dict[str, str] = {}
    problems: list[Problem] = []
    people: dict[str, tuple[tuple[Person, ...], bool]] = {}  # author and editor: names, and "and others"
    if not _KEY.fullmatch(entry.key):
        problems.append(
            Problem(
                shown,
                line,
                1,
                "",
                f"the key {quoted(entry.key)} is not a plain BibTeX key",
                "use letters, digits and _ : . + - only, starting with a letter or digit, e.g. smith2024",
            )
        )
    for field in entry.fields:
        name, raw = field.key.lower(), str(field.value)
        field_line = (field.start_line or entry.start_line) + 1
        where = f"{shown_text(entry.key, 60)}.{shown_text(name, 30)}"  # as messages name it: shortened
        problem = _unreadable_field(where, raw, field_line, shown, text) or _too_much(where, raw, budget)
        if problem:
            problems.append(Problem(shown, field_line, 1, where, *problem) if isinstance(problem, tuple) else problem)
            continue
        if name not in UNDERSTOOD_FIELDS:
            continue  # never shown nor written out (an abstract, keywords): not decoded
        try:
            value = latex_to_text(raw)
            if name in ("author", "editor"):
                people[name] = _people(raw)
        except _Unreadable as exc:
            problems.append(
                Problem(shown, field_line, 1, where, f"this value cannot be read: {exc}", "write it as plain text")
            )
            continue
        fields[name] = value
        problem = _check_field(name, value)
        if problem:
            problems.append(Problem(shown, field_line, 1, where, *problem))
    latex = tuple((f.key.lower(), str(f.value)) for f in entry.fields if f.key.lower() in UNDERSTOOD_FIELDS)
    authors, et_al = people.get("author", ((), False))
    editors, editors_et_al = people.get("editor", ((), False))
    kind = entry.entry_type.lower()
    ref = Reference(entry.key, kind, line, fields, authors, et_al, entry.raw, latex, editors, editors_et_al)
    return ref, problems


def _unreadable_field(where: str, raw: str, field_line: int, shown: str, text: str) -> Problem | None:
    """A value that swallowed the next field (a missing comma), or holds LaTeX a reader's
    LaTeX would run."""
    swallowed = _SWALLOWED.search(raw)
    if swallowed:
        at = field_line + raw.count("\n", 0, swallowed.start() + 1)
        return Problem(
            shown,
            at,
            1,
            where,
            f"'{swallowed.group(1)}' was read as part of '{where.rsplit('.', 1)[1]}': "
            "the line before it does not end with a comma",
            f"add a comma at the end of line {at - 1}",
        )
    refused = refused_latex(raw)
    if refused is None:
        return None
    line, col, excerpt = _position(text, field_line, raw, refused.at)
    return Problem(shown, line, col, where, refused.message, refused.hint, excerpt=excerpt)


def _too_much(where: str, raw: str, budget: list[int]) -> tuple[str, str] | None:
    """A value whose decoding the library cannot afford: an author list of more than MAX_NAMES
    people, or LaTeX past the library's budget (counted once per value that has any)."""
    name = where.rsplit(".", 1)[1]
    if name in ("author", "editor") and raw.count(" and ") >= MAX_NAMES:
        return (
            f"this list names {raw.count(' and ') + 1:,} people; the site shows at most {MAX_NAMES}",
            f"keep the first authors and end the list with 'and others' (at most {MAX_NAMES} names)",
        )
    if any(c in raw for c in "\\{}$~"):
        budget[0] -= len(raw)
        if budget[0] < 0:
            return (
                _OVER_BUDGET,
                "write accented letters and symbols as themselves (é, not {\\'e}): the file is UTF-8",
            )
    return None


def _people(raw: str) -> tuple[tuple[Person, ...], bool]:
    names = split_multiple_persons_names(raw)
    et_al = bool(names) and names[-1].strip().lower() == "others"
    if et_al:
        names = names[:-1]
    people = []
    for name in names:
        parts = parse_single_name_into_parts(name, strict=False)
        family = " ".join(parts.von + parts.last)
        given = " ".join(parts.first)
        people.append(Person(latex_to_text(family), latex_to_text(given)))
    return tuple(people), et_al


def _check_field(name: str, value: str) -> tuple[str, str] | None:
    if name == "doi" and not DOI.fullmatch(value):
        return (
            f"{quoted(value)} is not a DOI",
            "write the bare DOI, e.g. 10.1136/bmjopen-2012-002112 (no https://doi.org/)",
        )
    if name == "url" and not URL.fullmatch(value):
        return f"{quoted(value)} is not an http(s) address", "give the full address starting with https://"
    if name == "year" and not YEAR.fullmatch(value):
        return f"{quoted(value)} is not a year", "write four digits, e.g. 2012; leave the field out if unknown"
    if name in ("date", "urldate") and not DATE.fullmatch(value):
        return f"{quoted(value)} is not a date", "write YYYY, YYYY-MM or YYYY-MM-DD"
    return None
