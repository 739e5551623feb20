"""A reference as BibTeX, RIS and CSL-JSON, for "Cite this" and the library downloads.

A source's kind, as its evidence file gives it (`type: news`), decides the type of its reference
where BibTeX has no such type: a news report is exported as a newspaper article, not as the
journal article its BibTeX entry may be written as. An author list that BibTeX ends with "and
others" is exported with the "et al." each format can hold, never as a complete list.
"""

from __future__ import annotations

from builder.bib import Person, Reference

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
# The evidence file's kind of source -> the type to export, where the kind decides it.
KIND_CSL_TYPES = {"news": "article-newspaper", "blog": "post-weblog", "report": "report"}
KIND_RIS_TYPES = {"news": "NEWS", "blog": "BLOG", "report": "RPRT"}
MORE_AUTHORS = "more authors than are named"
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


def csl_item(ref: Reference, kind: str = "") -> dict[str, object]:
    """The reference as CSL-JSON (`kind`: the source's type, if it is a source's reference)."""
    kind_type = KIND_CSL_TYPES.get(kind)
    item: dict[str, object] = {"id": ref.key, "type": kind_type or CSL_TYPES.get(ref.entry_type, "document")}
    for variable, people, et_al in (("author", ref.authors, ref.et_al), ("editor", ref.editors, ref.editors_et_al)):
        if people:
            item[variable] = _csl_names(people, et_al)
    for field, variable in CSL_FIELDS.items():
        if ref.get(field) and variable not in item:
            item[variable] = ref.get(field).replace("--", "–") if field == "pages" else ref.get(field)
    date = ref.get("date") or ref.year
    if date:
        item["issued"] = {"date-parts": [[int(part) for part in date.split("-")]]}
    if ref.et_al:
        item["note"] = "; ".join(filter(None, [str(item.get("note", "")), MORE_AUTHORS]))
    return item


def _csl_names(people: tuple[Person, ...], et_al: bool) -> list[dict[str, str]]:
    """CSL-JSON names; "and others" as the literal name "others", which is how pandoc converts
    it from BibTeX and which its citeproc prints as "et al." (a processor that does not know it
    prints "others", which is still true)."""
    names = [{"family": p.family, **({"given": p.given} if p.given else {})} for p in people]
    return names + [{"literal": "others"}] if et_al else names


def ris(ref: Reference, kind: str = "") -> str:
    """The reference as RIS (`kind`: the source's type, if it is a source's reference)."""
    lines = [f"TY  - {KIND_RIS_TYPES.get(kind) or RIS_TYPES.get(ref.entry_type, 'GEN')}"]
    for tag, people in (("AU", ref.authors), ("ED", ref.editors)):
        lines += [f"{tag}  - {p.family}, {p.given}".rstrip(", ") for p in people]
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
    # No "et al." person: Zotero and Mendeley import each AU line as one. A note (RIS repeats N1) says it.
    lines += [f"N1  - {MORE_AUTHORS.capitalize()}"] if ref.et_al else []
    lines += ["N1  - More editors than are named"] if ref.editors_et_al else []
    lines.append("ER  - ")
    return "\n".join(lines) + "\n"


def bibtex(ref: Reference) -> str:
    """The entry as readers' reference managers and LaTeX take it: only the fields the site
    reads, their LaTeX checked safe (builder/latex.py); never an @preamble or an @string."""
    width = max((len(name) for name, _ in ref.latex), default=0)
    fields = "".join(f"  {name:<{width}} = {{{value}}},\n" for name, value in ref.latex)
    return f"@{ref.entry_type}{{{ref.key},\n{fields}}}\n"
