"""Machine-readable downloads, regenerated every build: findings, the corpus, references to cite."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from builder.corpus import source_json
from builder.model import SCHEMA_VERSION, Source
from builder.render.common import Page, Site
from builder.synth import strength

if TYPE_CHECKING:  # parts.py renders a source's rows with csv_rows, so it imports this module
    from builder.render.parts import SourceParts

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


def _cell(value: str) -> str:
    """Free text as one CSV cell: white space folded, a formula neutralised, quoted if it must be.

    A cell starting with = + - @ is a formula to a spreadsheet, so it gets a leading ' (CSV
    injection). Quoting is RFC 4180 as the csv module's QUOTE_MINIMAL writes it (a cell with a
    comma or a quote mark is quoted, its quote marks doubled; folded text has no line breaks),
    done here because the csv module costs 9 microseconds a row: half a second at 10,000
    sources. tests/test_render.py checks the two agree on any text.
    """
    text = " ".join(value.split())
    if text[:1] in _FORMULA_STARTS:
        text = "'" + text
    return '"' + text.replace('"', '""') + '"' if "," in text or '"' in text else text


_FORMULA_STARTS = ("=", "+", "-", "@")


def csv_rows(source: Source, citation: str) -> str:
    """A source's rows of findings.csv: one per finding.

    Ids, themes, kinds and strengths are slugs or fixed words: only the free text needs _cell.
    """
    cite = _cell(citation)
    rows = []
    for finding in source.findings:
        quote = finding.quote
        text, locator = (_cell(quote.text), _cell(quote.locator)) if quote else ("", "")
        level = strength(source, finding)[0]
        statement = _cell(finding.statement)
        rows.append(
            f"{source.id},{finding.id},{finding.theme},{source.type},{level},{cite},{statement},{text},{locator}\n"
        )
    return "".join(rows)


def downloads(site: Site, parts: Sequence[SourceParts], rows: Callable[[], list[str]]) -> list[Page]:
    """The whole-base downloads, put together from each source's and reference's parts.

    rows: every source's rows of findings.csv, asked for only if findings.csv is made again.
    """
    corpus, references = site.corpus, site.reference_parts
    header = ",".join(CSV_COLUMNS) + "\n"
    head = json.dumps(
        {"schema_version": SCHEMA_VERSION, "themes": [t.model_dump(mode="json") for t in corpus.themes]},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    fields = (
        "{"
        + ",".join(f"{json.dumps(key, ensure_ascii=False)}:{references[key].fields}" for key in sorted(references))
        + "}"
    )
    # The same text as json.dumps of the whole, compact: its items' own compact dumps, joined.
    # One join: each + would copy the whole text (tens of MB at 10,000 sources) again.
    # pydantic-core writes the same compact JSON as json.dumps(ensure_ascii=False), 4x faster;
    # a source read back from JSON (from the cache, or a forked child) is written already.
    sources = ",".join(e.full if isinstance(e.full, str) else source_json(e.full) for e in corpus.entries)
    evidence = "".join([head[:-1], ',"sources":[', sources, '],"references":', fields, "}\n"])
    files = [
        *site.kept(
            "findings.csv",
            lambda: [Page("downloads/findings.csv", header + "".join(rows()))],
            *(p.rows_digest for p in parts),
        ),
        Page("downloads/evidence.json", evidence),
        *site.kept(
            "references.json",
            lambda: [Page("downloads/references.json", "[" + ",".join(r.csl for r in references.values()) + "]\n")],
            site.references_digest,
        ),
    ]
    for p in parts:
        files += p.downloads
    return files
