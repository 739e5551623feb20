"""The editors' confidence assessments of key messages, each bound to what it judged.

A key message's GRADE-CERQual assessment (themes.yaml, `confidence:`) judges the findings it
lists, which live in the sources' own files, where any contributor can rewrite them without
touching themes.yaml. So an assessment names, in `about:`, the SHA-256 digest of what it judged:
the message's statement and, for each finding it lists as backing or qualifying it, the finding's
statement, quote and theme and all an appraisal judges of its source (its cite key, BibTeX entry,
kind, design, setting, sample, stored text's name and what was read), on which the adequacy and
relevance of the data rest. When any of them changes (or a finding is added to or taken from the lists), or
`about:` is missing, the assessment is of an earlier version: the site shows its level as judged
on an earlier version, never as current, and the check notes it for the editors.
`evidence appraise --message ID` binds it again to what it now judges.
"""

from __future__ import annotations

from dataclasses import replace

from builder.appraisals import HOW, finding_as, set_about
from builder.corpus import Corpus
from builder.model import Finding, KeyMessage, Source
from builder.problems import Problem, did_you_mean
from builder.reviews import digest_of
from builder.yamlfile import YamlDoc, parse_yaml


def assessed_as(corpus: Corpus, message: KeyMessage) -> str:
    """The digest of what an assessment of a key message's confidence judges."""

    def findings(refs: list[str]) -> dict[str, dict | None]:
        found = {ref: corpus.finding(ref) for ref in refs}
        return {ref: _finding(corpus, *pair) if pair else None for ref, pair in found.items()}

    judged = {
        "statement": message.statement,
        "supported_by": findings(message.supported_by),
        "qualified_by": findings(message.qualified_by),
    }
    return digest_of(judged)


def _finding(corpus: Corpus, source: Source, finding: Finding) -> dict:
    return finding_as(finding, source, corpus.references.get(source.cite))


def bound(corpus: Corpus, doc: YamlDoc | None, unread: set[str]) -> tuple[Corpus, list[Problem]]:
    """The corpus with each assessment not bound to what its message now stands on moved aside
    (as of an earlier version), and a note for the editors at each, but at none that lists a
    finding of a source whose file could not be read (that file's problem is the one to report)."""
    problems: list[Problem] = []
    themes = []
    for t, theme in enumerate(corpus.themes):
        messages = []
        for m, message in enumerate(theme.key_messages):
            editor = message.confidence
            if editor is not None and editor.about != assessed_as(corpus, message):
                if doc is not None and not unread & {ref.split("/")[0] for ref in _refs(message)}:
                    problems.append(_earlier(doc, ("themes", t, "key_messages", m, "confidence"), theme.id, message))
                message = message.model_copy(update={"confidence": None, "earlier_confidence": editor})
            messages.append(message)
        themes.append(theme.model_copy(update={"key_messages": messages}))
    return replace(corpus, themes=tuple(themes)), problems


def _refs(message: KeyMessage) -> list[str]:
    return [*message.supported_by, *message.qualified_by]


def _earlier(doc: YamlDoc, path: tuple, theme_id: str, message: KeyMessage) -> Problem:
    assert message.confidence is not None
    if message.confidence.about is None:
        path, why = (*path, "assessed_by"), "it does not say what it judged (it has no `about:`)"
    else:
        path, why = (*path, "about"), "the message or a finding it lists, or a finding's source, has changed since"
    return doc.problem(
        path,
        f"the confidence in key message '{message.id}' was judged on an earlier version: {why}, so the site shows "
        "it as judged on an earlier version",
        "an editor judges it again, changes it if need be, and runs "
        f"`evidence appraise --message {theme_id}/{message.id}` to bind it to what it now judges ({HOW})",
        severity="note",
    )


def rebound_message(corpus: Corpus, text: str, shown: str, named: str) -> tuple[str | None, str]:
    """themes.yaml with one key message's `about:` set to the digest of what its assessment now
    judges (added before `assessed_by:` when missing), and what was done; None (and why) where
    there is nothing to bind. The assessment itself is the editor's to change, by hand."""
    found = [
        (t, m, theme, message)
        for t, theme in enumerate(corpus.themes)
        for m, message in enumerate(theme.key_messages)
        if named in (message.id, f"{theme.id}/{message.id}")
    ]
    names = {f"{theme.id}/{message.id}": None for theme in corpus.themes for message in theme.key_messages}
    if not found:
        return None, f"there is no key message '{named}'{did_you_mean(named, names)}"
    if len(found) > 1:
        return None, f"more than one theme has a key message '{named}': name it as THEME-ID/{named}"
    t, m, theme, message = found[0]
    said = f"the confidence in key message {theme.id}/{message.id}"
    editor = message.confidence or message.earlier_confidence
    if editor is None:
        return None, f"{said} is not assessed in {shown}: nothing to bind"
    about = assessed_as(corpus, message)
    if editor.about == about:
        return text, f"{said} is bound to what it now judges already: nothing to do"
    doc, _ = parse_yaml(text, shown)
    path = ("themes", t, "key_messages", m, "confidence")
    after = set_about(text, doc, path, editor.about, about) if doc is not None else None
    if after is None:
        return None, f"cannot bind {said} as {shown} is written: add `about: {about}` to its `confidence:` by hand"
    return after, f"bound {said} to what it now judges, in {shown}: commit the file"
