"""Machine-readable downloads, regenerated every build: findings, the corpus, references to cite."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from builder.corpus import Corpus
from builder.model import SCHEMA_VERSION, Source
from builder.render.common import Page
from builder.synth import strength

if TYPE_CHECKING:  # parts.py renders a source's rows with csv_rows, so it imports this module
    from builder.render.parts import ReferenceParts, SourceParts

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
    # A cell starting with = + - @ is a formula to a spreadsheet: neutralise it (CSV injection).
    text = " ".join(str(value).split())
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_rows(source: Source, citation: str) -> str:
    """A source's rows of findings.csv: one per finding."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for finding in source.findings:
        quote = finding.quote
        row = (
            source.id,
            finding.id,
            finding.theme,
            source.type,
            strength(source, finding)[0],
            citation,
            finding.statement,
            quote.text if quote else "",
            quote.locator if quote else "",
        )
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()


def downloads(corpus: Corpus, parts: Sequence[SourceParts], references: Mapping[str, ReferenceParts]) -> list[Page]:
    """The whole-base downloads, put together from each source's and reference's parts."""
    header = ",".join(CSV_COLUMNS) + "\n"
    head = json.dumps(
        {"schema_version": SCHEMA_VERSION, "themes": [t.model_dump(mode="json") for t in corpus.themes]},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    fields = json.dumps(
        {key: ref.fields for key, ref in sorted(corpus.references.items())}, ensure_ascii=False, separators=(",", ":")
    )
    # The same text as json.dumps of the whole, compact: its items' own compact dumps, joined.
    evidence = head[:-1] + ',"sources":[' + ",".join(p.json for p in parts) + '],"references":' + fields + "}\n"
    files = [
        Page("downloads/findings.csv", header + "".join(p.csv_rows for p in parts)),
        Page("downloads/evidence.json", evidence),
        Page("downloads/references.json", "[" + ",".join(r.csl for r in references.values()) + "]\n"),
    ]
    for p in parts:
        files += p.downloads
    return files
