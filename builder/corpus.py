"""The linked evidence base: themes, sources and references, checked against each other.

A problem that follows from another is not reported: when an evidence file cannot be read,
neither the references only it cites nor the key messages naming its findings are problems
of their own; nor are citations of a BibTeX entry that could not be read, nor findings'
themes when themes.yaml could not be read.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from builder import fields
from builder.bib import Library, Reference
from builder.cite import MAX_CITATIONS, cited_keys, wrong_locators
from builder.memo import Memo
from builder.model import BriefingFile, Finding, Source, TextReview, Theme
from builder.problems import Problem, close_match, did_you_mean, quoted
from builder.yamlfile import Key, YamlDoc

# Names a source or theme cannot have: a generated page has it, or Windows cannot check it out.
_WINDOWS = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def file_stem(shown: str) -> str:
    """evidence/smith-2024.yaml -> smith-2024: the id its source must have."""
    return shown.rsplit("/", 1)[-1].removesuffix(".yaml")


def reserved(name: str) -> str:
    """Why `name` cannot be an id ('' when it can)."""
    if name == "index":
        return "'index' is the name of a generated page (the list of sources)"
    if name in _WINDOWS:
        return f"'{name}' is a name Windows keeps for a device, so the repository could not be checked out there"
    return ""


@dataclass(frozen=True)
class Entry:
    """A valid source and the file it came from (for the positions of later problems)."""

    source: Source
    doc: YamlDoc = field(repr=False, compare=False)

    @property
    def file(self) -> str:
        return self.doc.file


@dataclass(frozen=True)
class Failed:
    """What could not be read, so that what follows from it is not reported again."""

    evidence: dict[str, str | None] = field(default_factory=dict)  # file stem -> its text (None: unread)
    themes: bool = False
    library: bool = False  # references.bib as a whole


@dataclass(frozen=True)
class Checked:
    """A source whose quotes, figures and locators were all found in its stored text."""

    text: str  # the stored text's file name
    sha256: str  # the digest of its content
    about: str  # the digest of what the source says the text is (builder/reviews.py reviewed_as)
    review: TextReview | None = None  # an editor's review of this very text, as this, if one is recorded


# How a source's quotes and figures were checked, as every page, download and count says it.
CHECK_STATES = {
    "reviewed": "checked against the text an editor reviewed",
    "supplied": "checked against the text supplied with the contribution",
    "not checked": "not checked against a stored text",
}


@dataclass(frozen=True)
class Corpus:
    themes: tuple[Theme, ...]
    entries: tuple[Entry, ...]  # sorted by source id
    references: dict[str, Reference]
    labels: dict[str, str]  # bib key -> "Checkland et al., 2012"
    cited_by: dict[str, tuple[str, ...]]  # bib key -> ids of the sources that cite it
    cited: dict[str, tuple[str, ...]]  # source id -> the keys it cites, once each, in order
    checked: dict[str, Checked] = field(default_factory=dict)  # source id -> how it was checked, if it was
    briefing: BriefingFile | None = None  # evidence/briefing.yaml: question, scope, methods, changes

    def check_state(self, source_id: str) -> str:
        """One of CHECK_STATES: whether the source's stored text checked it, and whether an editor
        reviewed that text."""
        checked = self.checked.get(source_id)
        return "not checked" if checked is None else "reviewed" if checked.review else "supplied"

    @cached_property
    def sources(self) -> tuple[Source, ...]:
        return tuple(e.source for e in self.entries)

    @cached_property
    def works_cited(self) -> frozenset[str]:
        """The references no evidence file has as its cite: works the sources cite, which are
        not evidence themselves and are never counted as evidence."""
        cites = {s.cite for s in self.sources}
        return frozenset(key for key in self.references if key not in cites)

    @cached_property
    def by_id(self) -> dict[str, Entry]:
        return {e.source.id: e for e in self.entries}

    @cached_property
    def findings_by_ref(self) -> dict[str, tuple[Source, Finding]]:
        """Every finding under its "source-id/finding-id"."""
        return {f"{s.id}/{f.id}": (s, f) for s in self.sources for f in s.findings}

    @cached_property
    def _by_theme(self) -> dict[str, list[tuple[Source, Finding]]]:
        index: dict[str, list[tuple[Source, Finding]]] = {}
        for source in self.sources:
            for finding in source.findings:
                index.setdefault(finding.theme, []).append((source, finding))
        return index

    def findings_on(self, theme_id: str) -> list[tuple[Source, Finding]]:
        return self._by_theme.get(theme_id, [])

    def finding(self, ref: str) -> tuple[Source, Finding] | None:
        """Look up 'source-id/finding-id'."""
        return self.findings_by_ref.get(ref)

    @cached_property
    def latest_date(self) -> dt.date:
        """The latest added or reviewed date of any source: the date the briefing speaks for.
        From the data, not the clock, so the same input builds the same site."""
        dates = [d for s in self.sources for d in (s.added, s.reviewed) if d]
        return max(dates, default=dt.date(1970, 1, 1))


def _citations(entry: Entry) -> tuple[list[tuple[str, Key, str]], list[Problem]]:
    """(what, where, BibTeX key) of every key a source cites (its cite, references and [@key]s),
    and the problems its file alone shows in its [@key]s."""
    source, texts = entry.source, fields.citable(entry.source)
    found: list[tuple[str, Key, str]] = [("cite key", ("cite",), source.cite)]
    found += [("reference", ("references", i), key) for i, key in enumerate(source.references)]
    cited = [(path, key) for path, text in texts for key in cited_keys(text)]
    found += [("citation", path, key) for path, key in cited]
    return found, _too_many_citations(entry.doc, cited) + _wrong_locators(entry.doc, texts)


def link(
    themes: list[Theme],
    themes_doc: YamlDoc | None,
    entries: list[Entry],
    library: Library,
    bib_file: str,
    failed: Failed,
    memo: Memo | None = None,
) -> tuple[Corpus, list[Problem]]:
    references = library.references
    kept = (memo or Memo(keeps=False)).get
    problems: list[Problem] = []
    cited_by: dict[str, list[str]] = {}
    cited: dict[str, tuple[str, ...]] = {}
    seen_ids: dict[str, Entry] = {}
    seen_cites: dict[str, Entry] = {}
    meant: set[str] = set()  # references a key not in the library is a typo of
    for entry in sorted(entries, key=lambda e: e.file):
        problems += _identity(entry, seen_ids, seen_cites)
        found, written = kept("citations", (entry.file, entry.doc.text), lambda entry=entry: _citations(entry))
        cited[entry.source.id] = tuple(dict.fromkeys(key for _, _, key in found))
        for key in cited[entry.source.id]:
            if key in references:
                cited_by.setdefault(key, []).append(entry.source.id)
        problems += written
        for what, path, key in found:
            if key not in references and key not in library.unreadable and not failed.library:
                meant.add(close_match(key, references) or "")
                problems.append(_not_in_library(entry.doc, path, what, key, references, bib_file))
        if not failed.themes:
            problems += _themes_of_findings(entry, themes)
    corpus = Corpus(
        tuple(themes),
        tuple(sorted(entries, key=lambda e: e.source.id)),
        references,
        library.labels,
        {k: tuple(v) for k, v in cited_by.items()},
        cited,
    )
    if themes_doc is not None:
        problems += _key_messages(corpus, themes_doc, failed)
        problems += _theme_citations(corpus, themes_doc, library, bib_file, failed)
    return corpus, problems + _unused(corpus, bib_file, failed, meant)


def _too_many_citations(doc: YamlDoc, cited: list[tuple[Key, str]]) -> list[Problem]:
    """A problem for each text with more than MAX_CITATIONS citations (of the texts' paths and keys)."""
    counts = Counter(path for path, _ in cited)
    return [
        doc.problem(
            path,
            f"this text has {count:,} citations; a text may have at most {MAX_CITATIONS}",
            "cite each work once, where it supports what is said",
        )
        for path, count in counts.items()
        if count > MAX_CITATIONS
    ]


def _wrong_locators(doc: YamlDoc, cited: list[tuple[Key, str]]) -> list[Problem]:
    """A problem for each citation whose locator is not a place in the cited work (builder/cite.py)."""
    return [
        doc.problem(
            path,
            f"the citation's locator {quoted(locator)} is not a place in the cited work",
            "after the key, give only where in that work: p. 3, pp. 3-4, para 2, ch. 1, sec. 2; "
            "say anything else, figures too, outside the brackets",
        )
        for path, text in cited
        for locator in wrong_locators(text)
    ]


def _identity(entry: Entry, seen_ids: dict[str, Entry], seen_cites: dict[str, Entry]) -> list[Problem]:
    source, doc, problems = entry.source, entry.doc, []
    stem = file_stem(doc.file)
    if source.id != stem:
        problems.append(
            doc.problem(
                ("id",),
                f"the id {quoted(source.id)} differs from the file name {quoted(stem + '.yaml')}",
                f"rename the file to {source.id}.yaml, or set id: {stem}",
            )
        )
    if reserved(source.id):
        problems.append(doc.problem(("id",), reserved(source.id), "choose another id, and name the file after it"))
    for seen, value, what in ((seen_ids, source.id, "id"), (seen_cites, source.cite, "cite")):
        if value in seen:
            problems.append(
                doc.problem(
                    (what,), f"the {what} '{value}' is also used by {seen[value].file}", "each source has its own"
                )
            )
        seen.setdefault(value, entry)
    return problems


def _themes_of_findings(entry: Entry, themes: list[Theme]) -> list[Problem]:
    ids = [t.id for t in themes]
    by_title = {t.title.casefold(): t.id for t in themes}
    problems, seen = [], set()
    for i, finding in enumerate(entry.source.findings):
        if finding.id in seen:
            problems.append(
                entry.doc.problem(
                    ("findings", i, "id"),
                    f"the finding id '{finding.id}' is used twice in this file",
                    "give each its own",
                )
            )
        seen.add(finding.id)
        if finding.theme in ids:
            continue
        titled = by_title.get(" ".join(finding.theme.split()).casefold())
        suggestion = (
            f" (did you mean '{titled}', the id of that theme?)" if titled else did_you_mean(finding.theme, ids)
        )
        problems.append(
            entry.doc.problem(
                ("findings", i, "theme"),
                f"there is no theme {quoted(finding.theme)}{suggestion}",
                "write a theme id from evidence/themes.yaml: " + ", ".join(ids),
            )
        )
    return problems


def _key_messages(corpus: Corpus, doc: YamlDoc, failed: Failed) -> list[Problem]:
    problems, seen = [], set()
    for t, theme in enumerate(corpus.themes):
        if theme.id in seen:
            problems.append(
                doc.problem(("themes", t, "id"), f"the theme id '{theme.id}' is given twice", "give each theme its own")
            )
        if reserved(theme.id):
            problems.append(doc.problem(("themes", t, "id"), reserved(theme.id), "choose another id"))
        seen.add(theme.id)
        for m, message in enumerate(theme.key_messages):
            path = ("themes", t, "key_messages", m, "statement")
            problems += _too_many_citations(doc, [(path, key) for key in cited_keys(message.statement)])
            problems += _wrong_locators(doc, [(path, message.statement)])
            for field_name in ("supported_by", "qualified_by"):
                for i, ref in enumerate(getattr(message, field_name)):
                    if corpus.finding(ref) is not None or ref.split("/")[0] in failed.evidence:
                        continue
                    problems.append(
                        doc.problem(
                            ("themes", t, "key_messages", m, field_name, i),
                            f"there is no finding '{ref}'{did_you_mean(ref, corpus.findings_by_ref)}",
                            "write 'source-id/finding-id' of an existing finding",
                        )
                    )
    return problems


def _theme_citations(corpus: Corpus, doc: YamlDoc, library: Library, bib_file: str, failed: Failed) -> list[Problem]:
    """A [@key] in a theme's description or a key message that is not in the library: the page
    would show a citation of nothing."""
    if failed.library:
        return []
    texts = []
    for t, theme in enumerate(corpus.themes):
        texts.append((("themes", t, "description"), theme.description))
        texts += [
            (("themes", t, "key_messages", m, "statement"), k.statement) for m, k in enumerate(theme.key_messages)
        ]
    return [
        _not_in_library(doc, path, "citation", key, corpus.references, bib_file, ", or cite one that is there")
        for path, text in texts
        for key in dict.fromkeys(cited_keys(text))
        if key not in corpus.references and key not in library.unreadable
    ]


def _not_in_library(
    doc: YamlDoc, path: Key, what: str, key: str, references: dict[str, Reference], bib_file: str, also: str = ""
) -> Problem:
    """A key cited as `what` (a citation, a reference, the cite key) that the library does not have."""
    return doc.problem(
        path,
        f"{what} '{key}' is not in {bib_file}{did_you_mean(key, references)}",
        f"add a BibTeX entry with this key to {bib_file}{also}",
    )


def _unused(corpus: Corpus, bib_file: str, failed: Failed, meant: set[str]) -> list[Problem]:
    """References nothing cites; not those a mistyped key was meant for: the typo is the problem."""
    broken = list(failed.evidence.values())
    if any(text is None or not text.strip() for text in broken):
        return []  # a file that could not be read at all (or is empty, half-saved) may cite any of them
    return [
        Problem(
            bib_file,
            ref.line,
            1,
            key,
            "no evidence file cites this reference",
            "cite it from the evidence file of the source that cites it (under 'references:'); "
            "if no source in the evidence base needs it, it does not belong in the library",
            "warning",
        )
        for key, ref in corpus.references.items()
        if key not in corpus.cited_by and key not in meant and not any(key in text for text in broken if text)
    ]
