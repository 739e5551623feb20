"""`evidence new KEY`: start an evidence file from a BibTeX entry."""

from __future__ import annotations

import datetime as dt
import re
import sys

from builder.bib import read_bib
from builder.cite import author_date_labels
from builder.problems import did_you_mean
from builder.settings import Settings

TEMPLATE = """\
# yaml-language-server: $schema=../schema/evidence.schema.json
# {label}: {title}
# Authors: {authors}. Year: {year}. (From references.bib; edit them there, not here.)
# Fill in every empty field, then run `evidence check`. Leave out a field the source
# does not give rather than guess it (setting, sample, reviewed and quotes are optional).
id: {id}
cite: {key}
# One of: study, review, report, commentary, blog, news.
type: ""
# e.g. qualitative case study, mixed methods, survey, opinion.
design: ""
# Where and when, as the source says.
setting: ""
# Numbers the source gives: uncomment the lines it gives and fill them in. Other fields:
# observations, participants, gps, population, notes.
# sample:
#   interviews:
#   observation_hours:
#   survey_respondents:
#   organisations:
# 80-200 words in our own words. Cite other works with [@key] or [@key, p. 12].
summary: ""
# At least three if the source supports them; each on one theme from evidence/themes.yaml.
findings:
  - id: ""
    theme: ""
    # In our own words.
    statement: ""
    # Optional: a short verbatim quote and where it is in the source.
    quote:
      text: ""
      locator: ""
# What kind of evidence this is, and what it cannot show.
limitations:
  - ""
# What it means for commissioners.
implications:
  - ""
added: {today}
"""


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80]


def new_source(settings: Settings, key: str, source_id: str | None = None) -> int:
    options = settings.options
    library = read_bib(settings.path(options.bib_file), options.bib_file, options.max_bib_bytes, settings.root)
    references = library.references
    if key not in references:
        print(
            f"evidence new: '{key}' is not a key in {options.bib_file}{did_you_mean(key, references)}; "
            "add the BibTeX entry first",
            file=sys.stderr,
        )
        return 1
    source_id = source_id or slugify(key)
    path = settings.path(options.evidence_dir) / f"{source_id}.yaml"
    if path.exists() or path.is_symlink():
        print(f"evidence new: {settings.shown(path)} already exists; not overwriting it", file=sys.stderr)
        return 1
    ref = references[key]
    authors = "; ".join(f"{p.family}, {p.given}".strip(", ") for p in ref.authors) or "not given"
    text = TEMPLATE.format(
        label=author_date_labels(references.values())[key],
        title=ref.get("title") or "(no title)",
        authors=authors + (" and others" if ref.et_al else ""),
        year=ref.year or "not given",
        id=source_id,
        key=key,
        today=dt.date.today().isoformat(),
    )
    path.write_text(text, encoding="utf-8")
    print(f"wrote {settings.shown(path)}; fill it in, then run `evidence check`", file=sys.stderr)
    return 0
