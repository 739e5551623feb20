"""`evidence new KEY`: start an evidence file from a BibTeX entry."""

from __future__ import annotations

import datetime as dt
import re
import sys
import unicodedata
from pathlib import Path

from builder.bib import Reference, read_bib
from builder.check import load_yaml
from builder.cite import author_date_labels
from builder.files import read_text
from builder.problems import did_you_mean
from builder.settings import Settings
from builder.storedtext import MAX_TEXT_BYTES
from builder.texts import refused_folder

TEMPLATE = """\
# yaml-language-server: $schema=../schema/evidence.schema.json
# {label}: {title}
# Authors: {authors}. Year: {year}. (From references.bib; edit them there, not here.)
# Fill in every empty field, then run `evidence check`. Leave out what the source does not
# give rather than guess it: the optional fields below are commented out (remove the '# '
# to use one).
id: {id}
cite: {key}
# One of: study, review, report, commentary, blog, news.
type: ""
# e.g. qualitative case study, mixed methods, survey, opinion.
design: ""
# Where and when, as the source says.
# setting: ""
# Numbers the source gives, as digits. Other fields: observations, participants, gps,
# population, notes.
# sample:
#   interviews: 0
#   organisations: 0
# 80 to 200 words, in our own words. Cite other works with [@key] or [@key, p. 12].
summary: >
  Replace this line with the summary.
# At least three findings, each on one theme. The themes' ids: {themes}.
findings:
  - id: ""
    theme: ""
    # In our own words.
    statement: ""
    # Optional: a short quote (at most 40 words), word for word, and where it is.
    # quote:
    #   text: ""
    #   locator: ""
# What kind of evidence this is, and what it cannot show.
limitations:
  - ""
# What it means for {readers}.
implications:
  - ""
added: {today}
# What you read, and where it came from: kind is full-text, abstract or summary (someone
# else's: then give its title and who made it, 'by'); url is where you copied the text from,
# copied the date you did. Leave out what you do not know.
# read:
#   kind: full-text
#   url: ""
#   copied: {today}
{text}"""
NO_TEXT = """\
# The stored text of what you read (abstract, article, post), a .txt or .md file in the source
# texts folder: quotes and figures are checked against it. `evidence new KEY --text FILE` puts it there.
# source_text: ""
"""


def slugify(text: str) -> str:
    """Lower-case ASCII letters and digits, joined by single hyphens: 'Colin-Thomé' -> 'colin-thome'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80]


# Words that say little about a source, skipped when its id is made from its title.
_SMALL_WORDS = frozenset(
    (  # noqa: SIM905 (a list of 37 words, one a line, would be longer than the code it serves)
        "a an and are as at be being by can do does for from has have how in into is it its of on or our the their "
        "this to what when where which who why with"
    ).split()
)


def id_for(ref: Reference) -> str:
    """An id in the style of the shipped sources, author-year-topic ('thornley-2010-key-players'):
    the first author's family name (or, with none, the first editor's or who published it), the
    year, and the first two telling words of the title; what the entry does not give is left out."""
    people = ref.authors or ref.editors
    who = people[0].family if people else ref.corporate_author
    words = [w for w in slugify(ref.get("title")).split("-") if w not in _SMALL_WORDS][:2]
    made = slugify(" ".join([who, ref.year, *words]))
    return made if made and made != slugify(who) else slugify(ref.key)


def _theme_ids(settings: Settings) -> list[str]:
    problems: list = []
    doc = load_yaml(settings, settings.options.themes_file, problems)
    themes = doc.data.get("themes") if doc and isinstance(doc.data, dict) else None
    return [t["id"] for t in themes or [] if isinstance(t, dict) and isinstance(t.get("id"), str)]


def _readers(settings: Settings) -> str:
    """Who the implications are for, as briefing.yaml names them (in the scaffold's comment only)."""
    problems: list = []
    doc = load_yaml(settings, settings.options.briefing_file, problems)
    named = doc.data.get("implications_for") if doc and isinstance(doc.data, dict) else None
    return " ".join(named.split()) if isinstance(named, str) and named.strip() else "the briefing's readers"


def new_source(settings: Settings, key: str, source_id: str | None = None, text_file: Path | None = None) -> int:
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
    chosen = source_id or id_for(references[key])
    path = settings.path(options.evidence_dir) / f"{chosen}.yaml"
    if path.exists() or path.is_symlink():
        print(
            f"evidence new: {settings.shown(path)} already exists; not overwriting it"
            + ("" if source_id else " (give the new source another id with --id)"),
            file=sys.stderr,
        )
        return 1
    stored = _store_text(settings, chosen, text_file) if text_file else None
    if stored == "":
        return 1
    ref = references[key]
    authors = "; ".join(f"{p.family}, {p.given}".strip(", ") for p in ref.authors) or "not given"
    themes = _theme_ids(settings)
    text = TEMPLATE.format(
        themes=", ".join(themes) if themes else "see evidence/themes.yaml",
        readers=_readers(settings),
        label=author_date_labels(references.values())[key],
        title=ref.get("title") or "(no title)",
        authors=authors + (" and others" if ref.et_al else ""),
        year=ref.year or "not given",
        id=chosen,
        key=key,
        today=dt.date.today().isoformat(),
        text=f"# What was read, checked against quotes and figures.\nsource_text: {stored}\n" if stored else NO_TEXT,
    )
    path.write_text(text, encoding="utf-8")
    print(f"wrote {settings.shown(path)}; fill it in, then run `evidence check`", file=sys.stderr)
    return 0


def _store_text(settings: Settings, source_id: str, text_file: Path) -> str:
    """Copy what was read into the source texts folder as <id>.txt or .md; its name, or ''."""
    suffix = text_file.suffix.lower() if text_file.suffix.lower() in (".txt", ".md") else ".txt"
    text, problems = read_text(text_file, str(text_file), MAX_TEXT_BYTES)
    if text is None:
        print(f"evidence new: {problems[0].message}: {text_file}", file=sys.stderr)
        return ""
    # Into the first private folder if EVIDENCE_SOURCE_TEXTS names one (never republished by
    # mistake), else into the project's own; never through a link (builder/texts.py).
    folder = next((f.path for f in settings.texts_folders if f.private), settings.texts_folders[0].path)
    refused = refused_folder(settings)
    if refused and folder == settings.texts_folders[0].path:
        print(f"evidence new: {refused.text()}", file=sys.stderr)
        return ""
    target = folder / f"{source_id}{suffix}"
    if target.exists():
        print(f"evidence new: {target} already exists; not overwriting it", file=sys.stderr)
        return ""
    folder.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"stored what was read as {target}", file=sys.stderr)
    return target.name
