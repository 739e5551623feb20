"""Machine-readable downloads: findings, the whole evidence base, the references to cite."""

from __future__ import annotations

import json

from builder.model import SCHEMA_VERSION, Source
from builder.render.citeformats import bibtex, csl_item, ris
from builder.render.html import Download
from builder.render.site import Site
from builder.synth import strength

CSV_COLUMNS = (
    "source_id",
    "finding_id",
    "theme",
    "source_type",
    "strength",
    "citation",
    "statement",
    "quote",
    "locator",
)
_FORMULA_STARTS = ("=", "+", "-", "@")


def cell(value: str) -> str:
    """Free text as one CSV cell: white space folded, a formula neutralised, quoted if it must be.

    A cell starting with = + - @ is a formula to a spreadsheet, so it gets a leading ' (CSV
    injection). Quoting is RFC 4180 as the csv module's QUOTE_MINIMAL writes it (a cell with a
    comma or a quote mark is quoted, its quote marks doubled; folded text has no line breaks).
    """
    text = " ".join(value.split())
    if text[:1] in _FORMULA_STARTS:
        text = "'" + text
    return '"' + text.replace('"', '""') + '"' if "," in text or '"' in text else text


def csv_rows(source: Source, citation: str) -> str:
    rows = []
    for finding in source.findings:
        quote = finding.quote
        quoted, locator = (cell(quote.text), cell(quote.locator)) if quote else ("", "")
        level = strength(source, finding)[0]
        fields = (
            source.id,
            finding.id,
            cell(finding.theme),
            source.type,
            level,
            cell(citation),
            cell(finding.statement),
        )
        rows.append(",".join((*fields, quoted, locator)) + "\n")
    return "".join(rows)


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def evidence_json(site: Site) -> str:
    """The whole evidence base as JSON. Each source is written by pydantic-core, the same compact
    JSON json.dumps writes, four times as fast; the parts are joined once."""
    corpus = site.corpus
    head = _json({"schema_version": SCHEMA_VERSION, "themes": [t.model_dump(mode="json") for t in corpus.themes]})
    sources = ",".join(
        site.memo.get("json", (e.file, e.doc.text), lambda e=e: e.source.model_dump_json(exclude_none=True))[:-1]
        + f',"checked_against_stored_text":{"true" if e.source.id in corpus.checked else "false"}}}'
        for e in corpus.entries
    )
    references = _json({key: ref.fields for key, ref in sorted(corpus.references.items())})
    return "".join([head[:-1], ',"sources":[', sources, '],"references":', references, "}\n"])


def downloads(site: Site) -> list[Download]:
    corpus, kept = site.corpus, site.memo.get
    rows = "".join(
        kept("rows", site.source_key(e), lambda e=e: csv_rows(e.source, corpus.labels[e.source.cite]))
        for e in corpus.entries
    )
    references = corpus.references.values()
    return [
        Download("downloads/findings.csv", ",".join(CSV_COLUMNS) + "\n" + rows),
        Download("downloads/evidence.json", evidence_json(site)),
        Download("downloads/references.json", _json([csl_item(ref) for ref in references]) + "\n"),
        Download("downloads/references.ris", "\n".join(ris(ref) for ref in references)),
        Download("downloads/references.bib", "\n".join(bibtex(ref) for ref in references)),
    ]
