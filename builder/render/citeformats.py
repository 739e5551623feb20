"""A reference as BibTeX, RIS and CSL-JSON, for "Cite this" and the library downloads."""

from __future__ import annotations

import re

from builder.bib import Reference

CSL_TYPES = {
    "article": "article-journal",
    "online": "webpage",
    "book": "book",
    "incollection": "chapter",
    "inproceedings": "paper-conference",
    "report": "report",
    "techreport": "report",
    "thesis": "thesis",
    "phdthesis": "thesis",
    "misc": "document",
}
RIS_TYPES = {
    "article": "JOUR",
    "online": "ELEC",
    "book": "BOOK",
    "incollection": "CHAP",
    "inproceedings": "CONF",
    "report": "RPRT",
    "techreport": "RPRT",
    "thesis": "THES",
    "misc": "GEN",
}
# BibTeX field -> CSL-JSON variable, for plain text fields.
CSL_FIELDS = {
    "title": "title",
    "journal": "container-title",
    "journaltitle": "container-title",
    "booktitle": "container-title",
    "volume": "volume",
    "number": "issue",
    "eid": "number",
    "pages": "page",
    "doi": "DOI",
    "url": "URL",
    "publisher": "publisher",
    "organization": "publisher",
    "institution": "publisher",
    "note": "note",
}
RIS_FIELDS = (
    ("title", "TI"),
    ("journal", "JO"),
    ("booktitle", "T2"),
    ("volume", "VL"),
    ("number", "IS"),
    ("publisher", "PB"),
    ("organization", "PB"),
    ("doi", "DO"),
    ("url", "UR"),
    ("note", "N1"),
)


def csl_item(ref: Reference) -> dict[str, object]:
    item: dict[str, object] = {"id": ref.key, "type": CSL_TYPES.get(ref.entry_type, "document")}
    if ref.authors:
        item["author"] = [{"family": p.family, **({"given": p.given} if p.given else {})} for p in ref.authors]
    for field, variable in CSL_FIELDS.items():
        if ref.get(field) and variable not in item:
            item[variable] = ref.get(field).replace("--", "–") if field == "pages" else ref.get(field)
    date = ref.get("date") or ref.year
    if date:
        item["issued"] = {"date-parts": [[int(part) for part in date.split("-")]]}
    if ref.et_al:
        item["note"] = "; ".join(filter(None, [str(item.get("note", "")), "more authors than are named"]))
    return item


def ris(ref: Reference) -> str:
    lines = [f"TY  - {RIS_TYPES.get(ref.entry_type, 'GEN')}"]
    lines += [f"AU  - {p.family}, {p.given}".rstrip(", ") for p in ref.authors]
    if ref.year:
        lines.append(f"PY  - {ref.year}")
    if ref.get("date"):
        lines.append(f"DA  - {ref.get('date').replace('-', '/')}")
    pages = ref.get("pages").replace("--", "-").split("-")
    if pages[0]:
        lines.append(f"SP  - {pages[0]}")
    if len(pages) > 1 and pages[-1]:
        lines.append(f"EP  - {pages[-1]}")
    seen: set[str] = set()
    for field, tag in RIS_FIELDS:
        if ref.get(field) and tag not in seen:
            lines.append(f"{tag}  - {' '.join(ref.get(field).split())}")
            seen.add(tag)
    lines.append("ER  - ")
    return "\n".join(lines) + "\n"


# Characters that are text in a BibTeX value but stop a reader's LaTeX run unless escaped.
_BARE = re.compile(r"(?<!\\)([#&%$])")


def _escaped(value: str) -> str:
    return _BARE.sub(r"\\\1", value)


def bibtex(ref: Reference) -> str:
    """The entry as readers' reference managers and LaTeX take it: only the fields the site
    reads, their LaTeX checked safe (builder/latex.py); never an @preamble or an @string."""
    width = max((len(name) for name, _ in ref.latex), default=0)
    fields = "".join(f"  {name:<{width}} = {{{_escaped(value)}}},\n" for name, value in ref.latex)
    return f"@{ref.entry_type}{{{ref.key},\n{fields}}}\n"
