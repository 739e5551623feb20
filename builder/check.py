"""load -> validate -> link: the whole check of a project, as one plain function."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from builder.appraisals import judged
from builder.assessments import bound
from builder.bib import Library, parse_bib
from builder.corpus import Checked, Corpus, Entry, Failed, file_stem, link
from builder.files import link_on_the_way, read_text
from builder.gcpause import paused_gc
from builder.memo import Memo
from builder.model import AppraisalsFile, BriefingFile, Source, TextReview, TextReviewsFile, ThemesFile
from builder.problems import Problem, fails, quoted
from builder.reviews import digest, review_of, reviewed_as
from builder.settings import Settings, TextsFolder
from builder.texts import find_text, not_found, refused_folder, searched
from builder.validate import M, validate
from builder.verify import verify, written_figures
from builder.yamlfile import YamlDoc, parse_yaml

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class CheckResult:
    corpus: Corpus | None  # None when anything fails the check
    problems: tuple[Problem, ...]
    # What could be read and linked, even when the check fails (`evidence diff` shows what it can).
    linked: Corpus | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.corpus is not None


def load_source(shown: str, text: str) -> tuple[YamlDoc | None, Source | None, list[Problem]]:
    """A source's file read: what was read is kept for locating problems, its parsed values only
    until validated (a preview keeps this between runs: builder/memo.py)."""
    doc, problems = parse_yaml(text, shown)
    if doc is None:
        return None, None, problems
    source, problems = validate(doc, Source)
    return dataclasses.replace(doc, data=None), source, problems


def _read_source(shown: str, text: str) -> tuple[dict | None, Source | None, list[Problem]]:
    """load_source, with where the file's fields stand rather than the file (its text is in the
    memo's key: a preview keeps this between runs, and would keep each text twice)."""
    doc, source, problems = load_source(shown, text)
    return (doc.fields if doc is not None else None), source, problems


def check(settings: Settings, memo: Memo | None = None) -> CheckResult:
    with paused_gc():
        return _check(settings, memo or Memo(keeps=False))


def _check(settings: Settings, memo: Memo) -> CheckResult:
    problems: list[Problem] = []
    themes_doc, themes = _themes(settings, problems)
    options = settings.options
    text, found = read_text(settings.path(options.bib_file), options.bib_file, options.max_bib_bytes, settings.root)
    library = (
        memo.get("bib", (options.bib_file, text), lambda: parse_bib(text, options.bib_file))
        if text is not None
        else None
    )
    library = library or Library({}, found)
    problems += library.problems
    entries, broken = _evidence(settings, problems, memo)
    failed = Failed(broken, themes_doc is None or themes is None, not library.references and bool(library.problems))
    corpus, found = link(themes or [], themes_doc, entries, library, options.bib_file, failed, memo)
    problems += found
    reviews, _ = _optional(settings, settings.options.text_reviews, TextReviewsFile, problems)
    found, checked = _verify(settings, entries, memo, reviews.reviews if reviews else (), library)
    problems += found
    recorded, doc = _optional(settings, settings.options.appraisals, AppraisalsFile, problems)
    # Sources whose file or BibTeX entry could not be read: that problem is reported, not its judgements'.
    unread = set(failed.evidence) | {
        e.source.id for e in corpus.entries if failed.library or e.source.cite in library.unreadable
    }
    judged_entries, found = judged(list(corpus.entries), recorded, doc, unread, library.references)
    problems += found
    briefing, _ = _optional(settings, settings.options.briefing_file, BriefingFile, problems)
    corpus = dataclasses.replace(corpus, entries=tuple(judged_entries), checked=checked, briefing=briefing)
    corpus, found = bound(corpus, themes_doc, unread)
    problems += found
    return CheckResult(None if fails(problems) else corpus, tuple(problems), corpus)


def _themes(settings: Settings, problems: list[Problem]) -> tuple[YamlDoc | None, list | None]:
    options = settings.options
    doc = load_yaml(settings, options.themes_file, problems)
    if doc is None:
        return None, None
    themes_file, found = validate(doc, ThemesFile)
    problems += found
    return doc, list(themes_file.themes) if themes_file else None


def _optional(
    settings: Settings, relative: str, model: type[M], problems: list[Problem]
) -> tuple[M | None, YamlDoc | None]:
    """An editors' file a project may not have (evidence/briefing.yaml: without it the methods
    page says what is not recorded; evidence/text-reviews.yaml: no stored text is reviewed yet;
    evidence/appraisals.yaml: no source is appraised, no finding rated), and where it was read from."""
    if not settings.path(relative).exists() and not settings.path(relative).is_symlink():
        return None, None
    doc = load_yaml(settings, relative, problems)
    if doc is None:
        return None, None
    found, invalid = validate(doc, model)
    problems += invalid
    return found, doc


def load_yaml(settings: Settings, relative: str, problems: list[Problem]) -> YamlDoc | None:
    text = read(settings, relative, problems, settings.root)
    if text is None:
        return None
    doc, found = parse_yaml(text, relative)
    problems += found
    return doc


def read(settings: Settings, relative: str, problems: list[Problem], root: Path | None = None) -> str | None:
    """A YAML file's text (parse_yaml looks for invisible characters, in its values too).
    No link on the way to it is followed (root: where to start looking; None: at the file)."""
    options = settings.options
    text, found = read_text(settings.path(relative), relative, options.max_file_bytes, root, check_characters=False)
    problems += found
    return text


def evidence_files(settings: Settings, problems: list[Problem]) -> list[str]:
    """The evidence files' paths as shown (evidence/<slug>.yaml); a problem for any other file.
    The folder is checked for links on the way to it; each file is opened without following one."""
    folder = settings.path(settings.options.evidence_dir)
    shown = settings.options.evidence_dir
    if link_on_the_way(settings.root, folder):
        problems.append(Problem(shown, 1, 1, "", "this folder is a symbolic link, which the check does not follow"))
        return []
    if not folder.is_dir():
        return []
    options = settings.options
    reserved = {options.themes_file, options.briefing_file, options.text_reviews, options.appraisals}
    found = []
    for item in sorted(os.scandir(folder), key=lambda item: item.name):
        where = f"{shown}/{item.name}"
        stem, dot, suffix = item.name.rpartition(".")
        if not dot or suffix.lower() not in ("yaml", "yml") or where in reserved or item.is_dir(follow_symlinks=False):
            continue
        if suffix != "yaml":
            problems.append(Problem(where, 1, 1, "", "evidence files end in .yaml", f"rename it to {stem}.yaml"))
        elif not _SLUG.fullmatch(stem):
            problems.append(
                Problem(
                    where,
                    1,
                    1,
                    "",
                    f"the file name {quoted(item.name, 80)} is not a slug followed by .yaml",
                    "name it after the source's id (lower-case letters, digits and single hyphens), "
                    "e.g. smith-2024.yaml",
                )
            )
        else:
            found.append(where)
    return found


def _verify(
    settings: Settings, entries: list[Entry], memo: Memo, reviews: tuple[TextReview, ...], library: Library
) -> tuple[list[Problem], dict[str, Checked]]:
    """Each source's quotes and figures against its stored text, where the text is there
    (builder/texts.py says where it is looked for). A stored text belongs to one source: another
    naming it is an error, and is not checked."""
    refused = refused_folder(settings)
    problems, checked, folders = [refused] if refused else [], {}, searched(settings)
    named_by: dict[str, Entry] = {}
    for entry in entries:
        problems += memo.get("figures", (entry.file, entry.doc.text), lambda entry=entry: written_figures(entry))
        name = entry.source.source_text
        if name and name in named_by:
            problems.append(_shared(entry, name, named_by[name]))
            continue
        if name:
            named_by[name] = entry
        stored, found = find_text(name, folders, settings.root) if name else (None, [])
        problems += found
        if stored is None:
            # A text that is there but refused, or perhaps in a refused folder, is reported once.
            if not found and not (name and refused):
                problems.append(_unverified(settings, entry, name, folders))
            continue
        key = (entry.file, entry.doc.text, name, stored.text)
        found = memo.get("verify", key, lambda entry=entry, stored=stored: verify(entry, stored))
        problems += found
        if not found:
            sha, about = digest(stored.text), reviewed_as(entry.source, library.references.get(entry.source.cite))
            review = review_of(reviews, entry.source.id, stored.name, sha, about)
            checked[entry.source.id] = Checked(stored.name, sha, about, review)
    return problems, checked


def _shared(entry: Entry, name: str, first: Entry) -> Problem:
    return entry.doc.problem(
        ("source_text",),
        f"the stored text {name} is named by {first.file} too; a stored text belongs to one source",
        "store what was read for this source as a file of its own, and name that",
    )


def _unverified(settings: Settings, entry: Entry, name: str | None, folders: tuple[TextsFolder, ...]) -> Problem:
    if name:
        missing, hint = not_found(settings, name, folders)
        if settings.options.require_texts:
            message = f"{missing}, and every stored text is required (--require-texts)"
            return entry.doc.problem(("source_text",), message, hint)
        message = f"its quotes and figures are unverified: {missing}"
        return entry.doc.problem(("source_text",), message, hint, severity="note")
    return entry.doc.problem(
        ("id",),
        "its quotes and figures are unverified: no stored text of what was read is named",
        "save what you read as a .txt file (CONTRIBUTING.md says where) and name it with 'source_text:'",
        severity="note",
    )


def _evidence(settings: Settings, problems: list[Problem], memo: Memo) -> tuple[list[Entry], dict[str, str | None]]:
    """The valid sources, and the files that could not be read (by stem, with their text)."""
    entries, broken = [], {}
    today = dt.date.today().isoformat()
    for shown in evidence_files(settings, problems):
        text = read(settings, shown, problems)
        where, source, found = (
            # Today is in the key: a date after today is refused, so the same text may pass tomorrow.
            memo.get("source", (shown, text, today), lambda shown=shown, text=text: _read_source(shown, text))
            if text is not None
            else (None, None, [])
        )
        problems += found
        if source is None or where is None or text is None:
            broken[file_stem(shown)] = text
        else:
            # The same YamlDoc while its text is the same: where its values stand is worked out once.
            doc = memo.get(
                "doc", (shown, text), lambda shown=shown, text=text, where=where: YamlDoc(shown, text, fields=where)
            )
            entries.append(Entry(source, doc))
    return entries, broken
