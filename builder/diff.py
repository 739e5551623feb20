"""What a change does to the synthesis (`evidence diff`): a summary of a checked corpus, as
plain data, and the comparison of two summaries.

A reviewer sees the YAML a pull request changes; this says what that does to the briefing:
which sources are new, gone or changed, which themes gain or lose findings, which key messages
it backs or qualifies and whether their recorded judgements are now older than their backing,
which cells of the evidence map move, how the quotes of the sources it touches were checked,
and the problems it brings. builder/diffmarkdown.py says it in Markdown; builder/revisions.py
reads the two revisions from git.

A judgement is the editors' (builder/confidence.py): the diff only says that one was made
before its backing changed, never what it should now be.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from builder import fields, figures
from builder.check import CheckResult, evidence_files
from builder.cite import without_citations
from builder.confidence import Confidence
from builder.corpus import Corpus, Entry, file_stem
from builder.model import Assessment, KeyMessage
from builder.problems import Problem
from builder.reviews import digest
from builder.settings import Settings
from builder.synth import TYPE_ORDER
from builder.texts import find_text, searched

# What a source's record is compared by, besides its evidence file's fields.
REFERENCE, STORED_TEXT, CHECKED = "its reference", "its stored text", "how its quotes are checked"


@dataclass(frozen=True)
class Quoted:
    finding: str
    text: str
    locator: str


@dataclass(frozen=True)
class SourceFacts:
    id: str
    file: str
    title: str
    label: str  # "Alpha and Beta, 2020"
    kind: str  # its type: study, review...
    record: dict[str, str]  # each part of its record (its fields, its reference, its stored text), as text
    check: str  # one of builder.corpus.CHECK_STATES
    text: str  # the stored text's file name, if one is named
    reviewed: str  # "A. Editor on 2026-01-04", when an editor reviewed the stored text
    unchecked: str  # why its quotes were not checked against a stored text ('' when they were)
    quotes: tuple[Quoted, ...]
    figures: int


@dataclass(frozen=True)
class FindingFacts:
    ref: str  # "source-id/finding-id"
    theme: str
    kind: str  # its source's type
    strength: str  # as an editor rated it ('' when nobody did)
    statement: str
    quote: Quoted | None


@dataclass(frozen=True)
class MessageFacts:
    theme: str
    id: str
    statement: str
    refs: tuple[str, ...]  # the findings it names, supporting and qualifying
    sources: frozenset[str]  # the ids of the sources of those that exist
    confidence: str  # "low confidence", "confidence not assessed"
    signed: str  # "judged by A. Editor on 2026-02-01", or ''
    assessed: str  # the date of the editor's judgement, or ''


@dataclass(frozen=True)
class Summary:
    """What the synthesis of one revision is made of, as far as it could be read."""

    sources: dict[str, SourceFacts]
    findings: dict[str, FindingFacts]
    themes: dict[str, str]  # id -> title, in order
    messages: dict[tuple[str, str], MessageFacts]  # by (theme id, message id)
    cells: dict[tuple[str, str], tuple[int, int]]  # (theme id, kind) -> (sources, findings)
    problems: tuple[Problem, ...]
    unread: frozenset[str]  # ids of the evidence files that could not be read
    themes_read: bool = True


def summarise(settings: Settings, result: CheckResult) -> Summary:
    corpus, problems = result.linked, result.problems
    if corpus is None:
        return Summary({}, {}, {}, {}, {}, problems, frozenset(), False)
    sources = {e.source.id: _source(settings, corpus, e, problems) for e in corpus.entries}
    found = [file_stem(f) for f in evidence_files(settings, [])]
    return Summary(
        sources,
        _findings(corpus),
        {t.id: t.title for t in corpus.themes},
        {(t.id, m.id): _message(corpus, t.id, m) for t in corpus.themes for m in t.key_messages},
        _cells(corpus),
        problems,
        frozenset(stem for stem in found if stem not in sources),
        bool(corpus.themes),
    )


def _source(settings: Settings, corpus: Corpus, entry: Entry, problems: tuple[Problem, ...]) -> SourceFacts:
    source, reference = entry.source, corpus.references.get(entry.source.cite)
    checked = corpus.checked.get(source.id)
    review = checked.review if checked else None
    reviewed = f"{review.reviewed_by} on {review.reviewed.isoformat()}" if review else ""
    record = {name: json.dumps(value, sort_keys=True) for name, value in source.model_dump(mode="json").items()}
    record[REFERENCE] = reference.raw if reference else ""
    record[STORED_TEXT] = checked.sha256 if checked else _digest(settings, source.source_text)
    record[CHECKED] = f"{corpus.check_state(source.id)} {reviewed}"
    quotes = tuple(Quoted(f.id, f.quote.text, f.quote.locator) for f in source.findings if f.quote)
    return SourceFacts(
        source.id,
        entry.file,
        (reference.get("title") if reference else "") or source.id,
        corpus.labels.get(source.cite, source.cite),
        source.type,
        record,
        corpus.check_state(source.id),
        source.source_text or "",
        reviewed,
        "" if checked else _unchecked(entry, problems),
        quotes,
        sum(len(figures.ours(without_citations(text))) for _, text in fields.with_figures(entry.source)),
    )


def _digest(settings: Settings, name: str | None) -> str:
    """The digest of a stored text the check did not vouch for (its quotes failed), if it is there."""
    stored, _ = find_text(name, searched(settings), settings.root) if name else (None, [])
    return digest(stored.text) if stored else ""


def _unchecked(entry: Entry, problems: tuple[Problem, ...]) -> str:
    """Why a source's quotes were not checked: what the check said of its stored text."""
    name = entry.source.source_text
    said = next((p.message for p in problems if p.file == entry.file and p.key_path == "source_text"), "")
    if said or not name:
        return said or "no stored text of what was read is named"
    return f"they do not all agree with its stored text ({name}), or it could not be read: see the problems"


def _findings(corpus: Corpus) -> dict[str, FindingFacts]:
    found = {}
    for ref, (source, finding) in corpus.findings_by_ref.items():
        quote = Quoted(finding.id, finding.quote.text, finding.quote.locator) if finding.quote else None
        level = finding.strength.level if finding.strength else ""
        found[ref] = FindingFacts(ref, finding.theme, source.type, level, finding.statement, quote)
    return found


def _message(corpus: Corpus, theme: str, message: KeyMessage) -> MessageFacts:
    refs = (*message.supported_by, *message.qualified_by)
    backing = frozenset(ref.split("/")[0] for ref in refs if corpus.finding(ref))
    editor = message.confidence or message.earlier_confidence
    judged = _judged(editor)
    said = judged.said + (" (judged on an earlier version)" if editor and not message.confidence else "")
    assessed = editor.assessed.isoformat() if editor else ""
    return MessageFacts(theme, message.id, message.statement, refs, backing, said, judged.signed, assessed)


def _judged(editor: Assessment | None) -> Confidence:
    """The editor's overall judgement alone: the prompts are not the diff's to compare."""
    if editor is None:
        return Confidence((), None, "")
    level = editor.overall.level if editor.overall else None
    return Confidence((), level, "", editor.assessed_by, editor.assessed.isoformat())


def _cells(corpus: Corpus) -> dict[tuple[str, str], tuple[int, int]]:
    """The evidence map (builder/render/overview.py): sources and findings of each kind on each theme."""
    sources: dict[tuple[str, str], set[str]] = {}
    findings: Counter[tuple[str, str]] = Counter()
    for theme in corpus.themes:
        for source, _ in corpus.findings_on(theme.id):
            sources.setdefault((theme.id, source.type), set()).add(source.id)
            findings[theme.id, source.type] += 1
    return {cell: (len(ids), findings[cell]) for cell, ids in sources.items()}


# ---- the comparison ----


@dataclass(frozen=True)
class SourceChange:
    before: SourceFacts | None  # None: added
    after: SourceFacts | None  # None: removed
    changed: tuple[str, ...] = ()  # the parts of its record that changed
    quotes: tuple[Quoted, ...] = ()  # its quotes that are new or changed


@dataclass(frozen=True)
class ThemeChange:
    id: str
    title: str
    findings: tuple[int, int]  # before, after
    sources: tuple[int, int]
    added: tuple[str, ...]  # refs of the findings
    removed: tuple[str, ...]
    changed: tuple[str, ...]


@dataclass(frozen=True)
class MessageChange:
    theme: str  # its theme's title
    before: MessageFacts | None
    after: MessageFacts | None
    refs_added: tuple[str, ...] = ()
    refs_removed: tuple[str, ...] = ()
    sources_added: tuple[str, ...] = ()  # backing sources, by id
    sources_removed: tuple[str, ...] = ()
    sources_changed: tuple[str, ...] = ()

    @property
    def backing_changed(self) -> bool:
        return any((self.refs_added, self.refs_removed, self.sources_added, self.sources_removed, self.sources_changed))

    @property
    def stale(self) -> bool:
        """A judgement recorded before the change, with the same date after it, while its backing changed."""
        before, after = self.before, self.after
        same = bool(before and after and after.assessed and before.assessed == after.assessed)
        return same and self.backing_changed


@dataclass(frozen=True)
class CellChange:
    theme: str  # title
    kind: str
    before: tuple[int, int]  # sources, findings; (0, 0): a gap
    after: tuple[int, int]


@dataclass(frozen=True)
class Diff:
    sources: tuple[SourceChange, ...]
    themes: tuple[ThemeChange, ...]
    messages: tuple[MessageChange, ...]
    cells: tuple[CellChange, ...]
    problems: tuple[Problem, ...]  # the head's problems the base does not have
    unread: tuple[str, ...]  # evidence files of the head that could not be read
    themes_read: bool  # whether the head's themes could be read (else no theme, message or cell is compared)
    fails: bool  # the head does not pass the check

    @property
    def nothing(self) -> bool:
        return not any((self.sources, self.themes, self.messages, self.cells, self.problems, self.unread))


def compare(before: Summary, after: Summary) -> Diff:
    sources = _sources(before, after)
    changed = {c.after.id: c.changed for c in sources if c.before and c.after}
    read = after.themes_read
    return Diff(
        tuple(sources),
        tuple(_themes(before, after)) if read else (),
        tuple(_messages(before, after, changed)) if read else (),
        tuple(_cell_changes(before, after)) if read else (),
        tuple(_new_problems(before.problems, after.problems)),
        tuple(sorted(after.unread)),
        read,
        any(p.fails for p in after.problems),
    )


def _sources(before: Summary, after: Summary) -> list[SourceChange]:
    found = [SourceChange(None, s, quotes=s.quotes) for i, s in after.sources.items() if i not in before.sources]
    for i, was in before.sources.items():
        now = after.sources.get(i)
        if now is None:
            if i not in after.unread:  # a file that could not be read is not gone: its problems say why
                found.append(SourceChange(was, None))
            continue
        changed = tuple(part for part in now.record if now.record[part] != was.record.get(part))
        if changed:
            found.append(SourceChange(was, now, changed, tuple(q for q in now.quotes if q not in was.quotes)))
    return sorted(found, key=_source_order)


def _source_order(change: SourceChange) -> tuple[int, str]:
    facts = change.after or change.before
    assert facts is not None
    return (0 if change.before is None else 2 if change.after is None else 1), facts.id


def _themes(before: Summary, after: Summary) -> Iterable[ThemeChange]:
    for theme in dict.fromkeys([*after.themes, *before.themes]):
        was = {r: f for r, f in before.findings.items() if f.theme == theme}
        now = {r: f for r, f in after.findings.items() if f.theme == theme}
        changed = tuple(sorted(r for r in now.keys() & was.keys() if now[r] != was[r]))
        if was.keys() == now.keys() and not changed:
            continue
        yield ThemeChange(
            theme,
            after.themes.get(theme) or before.themes[theme],
            (len(was), len(now)),
            (len(_sources_of(was)), len(_sources_of(now))),
            tuple(sorted(now.keys() - was.keys())),
            tuple(sorted(was.keys() - now.keys())),
            changed,
        )


def _sources_of(refs: Iterable[str]) -> set[str]:
    return {ref.split("/")[0] for ref in refs}


def _messages(before: Summary, after: Summary, changed: dict[str, tuple[str, ...]]) -> Iterable[MessageChange]:
    for key in dict.fromkeys([*after.messages, *before.messages]):
        was, now = before.messages.get(key), after.messages.get(key)
        title = after.themes.get(key[0]) or before.themes.get(key[0], key[0])
        if was is None or now is None:
            yield MessageChange(title, was, now)
            continue
        change = MessageChange(
            title,
            was,
            now,
            tuple(r for r in now.refs if r not in was.refs),
            tuple(r for r in was.refs if r not in now.refs),
            tuple(sorted(now.sources - was.sources)),
            tuple(sorted(was.sources - now.sources)),
            tuple(sorted(s for s in now.sources & was.sources if s in changed)),
        )
        if change.backing_changed or was != now:
            yield change


def _cell_changes(before: Summary, after: Summary) -> Iterable[CellChange]:
    for theme in dict.fromkeys([*after.themes, *before.themes]):
        for kind in TYPE_ORDER:
            was, now = before.cells.get((theme, kind), (0, 0)), after.cells.get((theme, kind), (0, 0))
            if was != now:
                yield CellChange(after.themes.get(theme) or before.themes[theme], kind, was, now)


def _new_problems(before: tuple[Problem, ...], after: tuple[Problem, ...]) -> list[Problem]:
    """The head's problems the base does not have: the same problem moved to another line is not new."""
    seen = Counter(_what(p) for p in before)
    found = []
    for problem in sorted(after):
        if seen[_what(problem)]:
            seen[_what(problem)] -= 1
        else:
            found.append(problem)
    return found


def _what(problem: Problem) -> tuple[str, str, str, str]:
    return problem.file, problem.key_path, problem.message, problem.severity
