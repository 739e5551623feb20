"""The linked evidence base: themes, sources and references, checked against each other."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from builder.bib import Reference
from builder.cache import digest
from builder.cite import author_date_labels, cited_keys
from builder.model import Source, StrengthOverride, Theme
from builder.problems import Problem, did_you_mean
from builder.yamlfile import YamlDoc


class FindingCard(NamedTuple):
    id: str
    theme: str
    strength: StrengthOverride | None  # as the source gives it; synth.strength derives the level


class Card(NamedTuple):
    """A source as the checks across files and the pages listing many sources see it.

    Small, and a named tuple, so that a build after one edit takes 10,000 of them from the
    cache in a few hundredths of a second (full sources take twenty times longer to read
    back): the full source is wanted only to render the source's own parts.
    """

    id: str
    cite: str
    type: str
    added: dt.date
    reviewed: dt.date | None
    findings: tuple[FindingCard, ...]
    cited: tuple[str, ...]  # every BibTeX key it cites (cite, references, [@key]s), once each, in order
    # Of all the above: the pages that list many sources are kept in the cache under their
    # cards' digests (builder/render/__init__.py), worked out once when the file is read.
    digest: bytes = b""

    @classmethod
    def of(cls, source: Source, digested: bool = True) -> Card:
        """The source's card; with its digest unless no cache will keep it."""
        findings = tuple(FindingCard(f.id, f.theme, f.strength) for f in source.findings)
        cited = tuple(dict.fromkeys(key for _, _, key in citations(source)))
        fields = (source.id, source.cite, source.type, source.added, source.reviewed, findings, cited)
        return cls(*fields, digest=digest("card", repr(fields)) if digested else b"")


def citations(source: Source) -> list[tuple[str, tuple, str]]:
    """(what, where, BibTeX key) of every key a source cites: its cite, references and [@key]s."""
    found = [("cite key", ("cite",), source.cite)]
    found += [("reference", ("references", i), key) for i, key in enumerate(source.references)]
    return found + [("citation", path, key) for path, text in _texts(source) for key in cited_keys(text)]


@dataclass(frozen=True)
class Entry:
    """A source's card, the file it came from (positions, for later checks) and the full source.

    The full source may arrive as JSON (from the cache, or from a forked child); it is
    validated again from that when first asked for: pydantic-core writes and reads it in
    a third of the time pickle takes for a model.
    """

    card: Card
    full: Source | str = field(repr=False, compare=False)  # the source, or the source as JSON
    doc: YamlDoc = field(repr=False, compare=False, kw_only=True)

    @property
    def file(self) -> str:
        return self.doc.file

    @cached_property
    def source(self) -> Source:
        return Source.model_validate_json(self.full) if isinstance(self.full, str) else self.full

    def __reduce__(self) -> tuple:
        # Sent to another process (builder/parallel.py), the source goes as JSON, to be read
        # only by the process that renders its page.
        full = self.full if isinstance(self.full, str) else source_json(self.full)
        return (_entry, (self.card, full, self.doc))


def source_json(source: Source) -> str:
    """The source as compact JSON, without empty optional fields: as evidence.json holds it,
    and as the cache and forked children keep it (every optional field defaults to None)."""
    return source.model_dump_json(exclude_none=True)


def _entry(card: Card, full: str, doc: YamlDoc) -> Entry:
    return Entry(card, full, doc=doc)


@dataclass(frozen=True)
class Corpus:
    themes: tuple[Theme, ...]
    entries: tuple[Entry, ...]  # sorted by source id
    references: dict[str, Reference]
    labels: dict[str, str]  # bib key -> "Checkland et al., 2012"
    cited_by: dict[str, tuple[str, ...]]  # bib key -> ids of the sources that cite it
    cites: dict[str, tuple[str, ...]] = field(default_factory=dict)  # source id -> the bib keys it cites

    @cached_property
    def cards(self) -> tuple[Card, ...]:
        return tuple(e.card for e in self.entries)

    @cached_property
    def _by_theme(self) -> dict[str, list[tuple[Card, FindingCard]]]:
        index: dict[str, list[tuple[Card, FindingCard]]] = {}
        for card in self.cards:
            for finding in card.findings:
                index.setdefault(finding.theme, []).append((card, finding))
        return index

    @cached_property
    def latest_date(self) -> dt.date:
        """The latest added or reviewed date of any source (1970-01-01 when there is none)."""
        dates = [d for c in self.cards for d in (c.added, c.reviewed) if d]
        return max(dates, default=dt.date(1970, 1, 1))

    @cached_property
    def findings_by_ref(self) -> dict[str, tuple[Card, FindingCard]]:
        """Every finding under its "source-id/finding-id"."""
        return {f"{c.id}/{f.id}": (c, f) for c in self.cards for f in c.findings}

    def findings_on(self, theme_id: str) -> list[tuple[Card, FindingCard]]:
        return self._by_theme.get(theme_id, [])

    def finding(self, ref: str) -> tuple[Card, FindingCard] | None:
        """Look up 'source-id/finding-id'."""
        return self.findings_by_ref.get(ref)


def _texts(source: Source) -> list[tuple[tuple, str]]:
    """Every free-text field of a source that may carry [@key] citations, with its path."""
    texts: list[tuple[tuple, str]] = [(("summary",), source.summary), (("design",), source.design)]
    if source.setting:
        texts.append((("setting",), source.setting))
    texts += [(("findings", i, "statement"), f.statement) for i, f in enumerate(source.findings)]
    texts += [(("limitations", i), t) for i, t in enumerate(source.limitations)]
    texts += [(("implications", i), t) for i, t in enumerate(source.implications)]
    return texts


def link(
    themes: list[Theme],
    themes_doc: YamlDoc | None,
    entries: list[Entry],
    references: dict[str, Reference],
    bib_file: str,
    labels: dict[str, str] | None = None,  # author_date_labels(references), if worked out already
) -> tuple[Corpus, list[Problem]]:
    problems: list[Problem] = []
    theme_ids = [t.id for t in themes]
    seen_ids: dict[str, Entry] = {}
    seen_cites: dict[str, Entry] = {}
    cited_by: dict[str, list[str]] = {}
    cites: dict[str, tuple[str, ...]] = {}

    def resolve(entry: Entry) -> None:
        known = [key for key in entry.card.cited if key in references]
        cites[entry.card.id] = tuple(known)
        for key in known:
            cited_by.setdefault(key, []).append(entry.card.id)
        if len(known) < len(entry.card.cited):  # where each unknown key stands: from the full source
            for what, path, key in citations(entry.source):
                if key not in references:
                    message = f"{what} '{key}' is not in {bib_file}{did_you_mean(key, references)}"
                    problems.append(entry.doc.problem(path, message, f"add a BibTeX entry with this key to {bib_file}"))

    for entry in sorted(entries, key=lambda e: e.file):
        source, doc = entry.card, entry.doc
        stem = doc.file.rsplit("/", 1)[-1].removesuffix(".yaml")
        if source.id != stem:
            problems.append(
                doc.problem(
                    ("id",),
                    f"id '{source.id}' differs from the file name '{stem}.yaml'",
                    f"rename the file to {source.id}.yaml, or set id: {stem}",
                )
            )
        if source.id in seen_ids:
            problems.append(doc.problem(("id",), f"id '{source.id}' is also used by {seen_ids[source.id].file}"))
        seen_ids.setdefault(source.id, entry)
        if source.cite in seen_cites:
            other = seen_cites[source.cite]
            problems.append(
                doc.problem(
                    ("cite",),
                    f"cite key '{source.cite}' is also used by {other.file}",
                    "each reference is written up in one evidence file",
                )
            )
        seen_cites.setdefault(source.cite, entry)
        resolve(entry)
        problems += _check_findings(entry, theme_ids)

    ordered = tuple(sorted(entries, key=lambda e: e.card.id))
    corpus = Corpus(
        tuple(themes),
        ordered,
        references,
        author_date_labels(references.values()) if labels is None else labels,
        {k: tuple(v) for k, v in cited_by.items()},
        cites,
    )
    if themes_doc is not None:
        problems += _check_key_messages(corpus, themes_doc)
    problems += _unused(corpus, bib_file)
    return corpus, problems


def _check_findings(entry: Entry, theme_ids: list[str]) -> list[Problem]:
    problems = []
    doc, source = entry.doc, entry.card
    if not source.findings:
        problems.append(
            doc.problem(
                ("findings",),
                "this source has no findings yet",
                "add at least one finding so it appears on a theme page",
                severity="warning",
            )
        )
    seen: set[str] = set()
    for i, finding in enumerate(source.findings):
        if finding.id in seen:
            problems.append(
                doc.problem(
                    ("findings", i, "id"),
                    f"finding id '{finding.id}' is used twice in this file",
                    "give each finding its own id",
                )
            )
        seen.add(finding.id)
        if finding.theme not in theme_ids:
            problems.append(
                doc.problem(
                    ("findings", i, "theme"),
                    f"unknown theme '{finding.theme}'{did_you_mean(finding.theme, theme_ids)}",
                    "themes are defined in evidence/themes.yaml: " + ", ".join(theme_ids),
                )
            )
    return problems


def _check_key_messages(corpus: Corpus, doc: YamlDoc) -> list[Problem]:
    problems = []
    for t, theme in enumerate(corpus.themes):
        for m, message in enumerate(theme.key_messages):
            for field_name in ("supported_by", "qualified_by"):
                for i, ref in enumerate(getattr(message, field_name)):
                    if corpus.finding(ref) is None:
                        path = ("themes", t, "key_messages", m, field_name, i)
                        problems.append(
                            doc.problem(
                                path,
                                f"no finding '{ref}'{did_you_mean(ref, list(corpus.findings_by_ref))}",
                                "write 'source-id/finding-id' of an existing finding",
                            )
                        )
    return problems


def _unused(corpus: Corpus, bib_file: str) -> list[Problem]:
    return [
        Problem(
            bib_file,
            ref.line,
            1,
            key,
            "no evidence file cites this reference",
            "cite it from an evidence file, or remove it",
            "warning",
        )
        for key, ref in corpus.references.items()
        if key not in corpus.cited_by
    ]
