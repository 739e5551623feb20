"""Machine-readable downloads: findings, the whole evidence base, the references to cite."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from builder import fields
from builder.appraisals import judgements_of
from builder.bib import Reference
from builder.corpus import CHECK_STATES, Corpus, Entry
from builder.model import SCHEMA_VERSION, Source, Theme
from builder.render.citeformats import bibtex, csl_item, ris
from builder.render.provenance import what_was_read
from builder.render.site import Site

# The columns of downloads/findings.csv, in order: those a finding's fields fill
# (builder/fields.py names them), and beside them those worked out from what the tool knows.
# A field the table gives a new column is added at the end.
COLUMN_ORDER = (
    "source_id",
    "finding_id",
    "theme",
    "source_type",
    "citation",  # the source's author-date label
    "statement",
    "quote",
    "locator",
    "what_was_read",  # what the locator counts in: the source itself, its abstract, or someone else's summary
    "quote_checked",
    "strength_rated_by_editor",  # empty where no editor rated the finding: no strength follows from the kind
    "strength_reason",
)
WORKED_OUT = ("citation", "what_was_read", "quote_checked")
CSV_COLUMNS = COLUMN_ORDER + tuple(column for column in fields.column_names() if column not in COLUMN_ORDER)

# The start of a piece of a cell that a spreadsheet would run as a formula: the cell's start,
# or after a ';', ',' or tab, where a spreadsheet that splits on it (Excel does on ';' in
# much of Europe) starts a cell of its own.
_FORMULA = re.compile(r"(^|[;,\t])( ?)(?=[=+\-@\t\r])")


def cell(value: str) -> str:
    """Free text as one CSV cell: white space folded, quoted (RFC 4180: its quote marks doubled),
    and every piece a spreadsheet could read as a formula (= + - @ first) begun with a ' (CSV
    injection), wherever a spreadsheet may split the cell."""
    text = _FORMULA.sub(r"\1\2'", " ".join(value.split()))
    return '"' + text.replace('"', '""') + '"'


def csv_rows(source: Source, citation: str, checked: str) -> str:
    """A row per finding (`checked`: how the source's quotes were checked, in words)."""
    rows = []
    read = what_was_read(source, as_html=False) or "not recorded"
    for finding in source.findings:
        quoted = {"what_was_read": read, "quote_checked": checked} if finding.quote else {}
        row = fields.columns(source, finding) | quoted | {"citation": citation}
        rows.append(",".join(cell(row.get(column, "")) for column in CSV_COLUMNS) + "\n")
    return "".join(rows)


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def evidence_json(site: Site) -> str:
    """The whole evidence base as JSON. Each source is written by pydantic-core, the same compact
    JSON json.dumps writes, four times as fast; the parts are joined once."""
    corpus = site.corpus
    head = _json({"schema_version": SCHEMA_VERSION, "themes": [_theme(site, t) for t in corpus.themes]})
    sources = ",".join(
        site.memo.get(
            "json",
            (e.file, e.doc.text, judgements_of(e.source)),
            lambda e=e: e.source.model_dump_json(exclude_none=True),
        )[:-1]
        + f',"checked_against_stored_text":{"true" if e.source.id in corpus.checked else "false"}'
        + f',"stored_text_check":{_json(_check(corpus, e.source.id))}}}'
        for e in corpus.entries
    )
    references = _json({key: ref.fields for key, ref in sorted(corpus.references.items())})
    return "".join([head[:-1], ',"sources":[', sources, '],"references":', references, "}\n"])


def _check(corpus: Corpus, source_id: str) -> dict[str, str]:
    """How the source's quotes were checked: the state, in words, and who reviewed the text."""
    state = corpus.check_state(source_id)
    said = {"state": state, "said": CHECK_STATES[state]}
    review = corpus.checked[source_id].review if state == "reviewed" else None
    if review is not None:
        said |= {"reviewed_by": review.reviewed_by, "reviewed": review.reviewed.isoformat()}
    return said


def _theme(site: Site, theme: Theme) -> dict:
    """A theme as themes.yaml has it, and each key message's overall confidence as the pages show
    it: the level an editor recorded, or 'not assessed'."""
    data = theme.model_dump(mode="json", exclude={"key_messages": {"__all__": {"earlier_confidence"}}})
    for message, dumped in zip(theme.key_messages, data["key_messages"], strict=True):
        dumped["overall_confidence"] = site.confidence(message).level or "not assessed"
    return data


def _said(site: Site, entry: Entry) -> str:
    return CHECK_STATES[site.corpus.check_state(entry.source.id)]


def downloads(site: Site) -> dict[str, Callable[[], str]]:
    """Each download by its path, made when called: one at a time, so that a build holds one
    (at 10,000 sources evidence.json alone is 40 MB, findings.csv 19 MB)."""
    return {
        "downloads/findings.csv": lambda: findings_csv(site),
        "downloads/evidence.json": lambda: evidence_json(site),
        "downloads/references.json": lambda: _json([csl_item(r, kind) for r, kind in _with_kinds(site)]) + "\n",
        "downloads/references.ris": lambda: "\n".join(ris(r, kind) for r, kind in _with_kinds(site)),
        "downloads/references.bib": lambda: "\n".join(bibtex(ref) for ref in site.corpus.references.values()),
    }


def _with_kinds(site: Site) -> list[tuple[Reference, str]]:
    """Each reference, with the kind of the source it is the reference of ('' for a work cited)."""
    kinds = {s.cite: s.type for s in site.corpus.sources}
    return [(r, kinds.get(r.key, "")) for r in site.corpus.references.values()]


def findings_csv(site: Site) -> str:
    corpus, kept = site.corpus, site.memo.get
    rows = "".join(
        kept("rows", site.source_key(e), lambda e=e: csv_rows(e.source, corpus.labels[e.source.cite], _said(site, e)))
        for e in corpus.entries
    )
    return ",".join(CSV_COLUMNS) + "\n" + rows
