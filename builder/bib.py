"""Parse BibTeX (bibtexparser 2.x) into frozen References with located problems."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import cached_property

import bibtexparser
from bibtexparser import model as bibmodel
from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names
from pylatexenc.latex2text import LatexNodes2Text

from builder.cache import digest
from builder.problems import Problem

DOI = re.compile(r"^10\.\d{4,9}/\S+$")
URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
YEAR = re.compile(r"^\d{4}$")
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
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

    def get(self, name: str) -> str:
        return self.fields.get(name, "")

    @property
    def container(self) -> str:
        return self.get("journal") or self.get("journaltitle") or self.get("booktitle")

    @property
    def corporate_author(self) -> str:
        """Who stands as author when no person is named: the periodical or organisation."""
        if self.authors:
            return ""
        return self.get("journal") or self.get("journaltitle") or self.get("organization")

    @cached_property
    def digest(self) -> bytes:
        """Of all of the reference that anything renders (not its line in the .bib file).

        Worked out before the cache keeps the reference, so it is kept with it.
        """
        people = [(p.family, p.given) for p in self.authors]
        return digest("reference", repr((self.key, self.entry_type, self.fields, self.raw, self.et_al, people)))

    @cached_property  # asked for often (labels, gaps, browsing by year); kept on the frozen instance
    def year(self) -> str:
        year = self.get("year") or self.get("date")[:4]
        return year if YEAR.match(year) else ""


def latex_to_text(value: str) -> str:
    """Decode LaTeX accents and drop protective braces: {\\'e} -> é, {NHS} -> NHS."""
    if not any(c in value for c in "\\{}$~"):
        return " ".join(value.split())
    return " ".join(_LATEX.latex_to_text(value).split())


def parse_bib(text: str, shown: str) -> tuple[dict[str, Reference], list[Problem]]:
    return library_references(bibtexparser.parse_string(text), shown)


def library_references(library: bibtexparser.Library, shown: str) -> tuple[dict[str, Reference], list[Problem]]:
    """The references of a library bibtexparser parsed, and its problems."""
    problems: list[Problem] = []
    for block in library.failed_blocks:
        problems.append(_failed(block, shown))
    refs: dict[str, Reference] = {}
    for entry in library.entries:
        ref, entry_problems = reference(entry, shown)
        refs[ref.key] = ref
        problems += entry_problems
    return refs, problems


def _failed(block: bibmodel.Block, shown: str) -> Problem:
    line = (block.start_line or 0) + 1
    if isinstance(block, bibmodel.DuplicateBlockKeyBlock):
        return Problem(
            shown,
            line,
            1,
            block.key,
            f"duplicate BibTeX key '{block.key}'",
            "give each entry its own key, or merge the two entries",
        )
    error = getattr(block, "error", None)
    reason = getattr(error, "abort_reason", "") or str(error or "") or "could not parse this entry"
    detail = " ".join(reason.split())
    return Problem(
        shown,
        line,
        1,
        "",
        f"BibTeX syntax error: {detail}",
        "check the braces and the commas between fields of this entry",
    )


def reference(entry: bibmodel.Entry, shown: str) -> tuple[Reference, list[Problem]]:
    line = entry.start_line + 1
    fields: list[tuple[str, str]] = []
    problems: list[Problem] = []
    people: tuple[Person, ...] = ()
    et_al = False
    for field in entry.fields:
        name, raw = field.key.lower(), str(field.value)
        if name == "author":
            people, et_al = _people(raw)
        value = latex_to_text(raw)
        fields.append((name, value))
        problem = _check_field(name, value)
        if problem:
            field_line = (field.start_line or entry.start_line) + 1
            problems.append(Problem(shown, field_line, 1, f"{entry.key}.{name}", *problem))
    ref = Reference(entry.key, entry.entry_type.lower(), line, dict(fields), people, et_al, entry.raw)
    return ref, problems


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
    if name == "doi" and not DOI.match(value):
        return f"'{value}' is not a DOI", "write the bare DOI, e.g. 10.1136/bmjopen-2012-002112 (no https://doi.org/)"
    if name == "url" and not URL.match(value):
        return f"'{value}' is not an http(s) URL", "give the full address starting with https://"
    if name == "year" and not YEAR.match(value):
        return f"'{value}' is not a year", "write four digits, e.g. 2012; leave the field out if unknown"
    if name in ("date", "urldate") and not DATE.match(value):
        return f"'{value}' is not a date", "write YYYY, YYYY-MM or YYYY-MM-DD"
    return None
