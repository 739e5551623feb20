"""The editors' judgements of sources and findings, each bound to what it judged.

An appraisal of a source's methods and a rating of a finding's strength are an editor's, so
they are recorded in evidence/appraisals.yaml, a file CODEOWNERS gives to the editors, never in
the source's own file, where any contributor could write them in an editor's name (one written
there is an error: builder/validate.py). Each names what it judges and the SHA-256 digest of it
as judged: an appraisal, the source's cite key and its BibTeX entry, kind (`type`), design,
setting, sample, `read:` block and stored text's name; a rating, the finding's statement, quote
and theme, and all that of its source. (The stored text's content is bound
by its review, builder/reviews.py, not here: it is not stored everywhere the site is built.) When
those change, the judgement is of an earlier version: the site shows it as such, not as current,
and the check notes it for the editors.
`evidence appraise SOURCE-ID [--finding ID]` binds one again to what it judges now.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from builder.bib import Reference
from builder.corpus import Corpus, Entry
from builder.model import Appraisal, AppraisalRecord, AppraisalsFile, Finding, Source, StrengthRating, StrengthRecord
from builder.problems import Problem, did_you_mean
from builder.reviews import cited_as, digest_of
from builder.validate import validate
from builder.yamlfile import YamlDoc, parse_yaml

HOW = "CONTRIBUTING.md, 'Appraisals and strength ratings'"


def appraised_as(source: Source, reference: Reference | None) -> str:
    """The digest of what an appraisal of a source's methods judges (reference: its cite key's entry)."""
    return digest_of(_work_as(source, reference))


def rated_as(finding: Finding, source: Source, reference: Reference | None) -> str:
    """The digest of what a rating of a finding's strength judges: the finding, and the work it is from."""
    return digest_of(finding_as(finding, source, reference))


def finding_as(finding: Finding, source: Source, reference: Reference | None) -> dict:
    """What a judgement of a finding (a rating; a key message's confidence) judges of it: the
    finding, and all an appraisal judges of its source, since how strong a finding is rests on
    how it was found (a rating "from a single interview" must lapse when the sample grows)."""
    return _work_as(source, reference) | {
        "statement": finding.statement,
        "quote": finding.quote.model_dump(mode="json") if finding.quote else None,
        "theme": finding.theme,
    }


def _work_as(source: Source, reference: Reference | None) -> dict:
    """What a source is and how it was done and read, as a judgement of it sees them."""
    return {
        "cite": source.cite,
        "reference": cited_as(reference),
        "type": source.type,
        "source_text": source.source_text,
        "design": source.design,
        "setting": source.setting,
        "sample": source.sample.model_dump(mode="json") if source.sample else None,
        "read": source.read.model_dump(mode="json") if source.read else None,
    }


def judged(
    entries: list[Entry],
    recorded: AppraisalsFile | None,
    doc: YamlDoc | None,
    unread: set[str],
    references: Mapping[str, Reference],
) -> tuple[list[Entry], list[Problem]]:
    """The sources with the editors' judgements of them, and the problems of the record: a
    judgement of one thing recorded twice; and notes for the editors at each made on an earlier
    version and at each of a source or finding there is not (removed, or its file unread). None at
    a source in `unread` (its file or its BibTeX entry could not be read: that is the problem)."""
    if recorded is None or doc is None:
        return entries, []
    by_id = {e.source.id: e for e in entries}
    problems: list[Problem] = []
    appraisals: dict[str, tuple[AppraisalRecord, bool]] = {}  # each with whether it is current
    for i, record in enumerate(recorded.appraisals):
        entry = by_id.get(record.source)
        said = f"the appraisal of {record.source}"
        if _unknown(doc, ("appraisals", i), record.source, entry, unread, problems, by_id):
            continue
        if record.source in appraisals:
            problems.append(_twice(doc, ("appraisals", i, "source"), said))
            continue
        current = record.about == appraised_as(entry.source, references.get(entry.source.cite))
        appraisals[record.source] = record, current
        if not current and record.source not in unread:
            why = "its cite key or BibTeX entry, kind, design, setting, sample, what was read or stored text"
            why += " has changed since"
            problems.append(_earlier(doc, ("appraisals", i, "about"), said, why, record.source))
    strengths: dict[tuple[str, str], tuple[StrengthRecord, bool]] = {}
    for i, record in enumerate(recorded.strengths):
        entry = by_id.get(record.source)
        if _unknown(doc, ("strengths", i), record.source, entry, unread, problems, by_id):
            continue
        findings = {f.id: f for f in entry.source.findings}
        said = f"the rating of {record.source}/{record.finding}"
        if record.finding not in findings:
            message = f"{entry.file} has no finding '{record.finding}'{did_you_mean(record.finding, findings)}"
            message += ", so this judges nothing"
            problems.append(doc.problem(("strengths", i, "finding"), message, _GONE, severity="note"))
        elif (record.source, record.finding) in strengths:
            problems.append(_twice(doc, ("strengths", i, "finding"), said))
        else:
            reference = references.get(entry.source.cite)
            current = record.about == rated_as(findings[record.finding], entry.source, reference)
            strengths[(record.source, record.finding)] = record, current
            if not current and record.source not in unread:
                why = "its statement, quote or theme, or what its source is or how it was done or read, changed since"
                problems.append(_earlier(doc, ("strengths", i, "about"), said, why, record.source, record.finding))
    return [_with_judgements(e, appraisals.get(e.source.id), strengths) for e in entries], problems


def _unknown(
    doc: YamlDoc,
    path: tuple,
    source_id: str,
    entry: Entry | None,
    unread: set[str],
    problems: list[Problem],
    by_id: dict[str, Entry],
) -> bool:
    """Whether the source judged is not there; a problem for it, unless its file could not be read."""
    if entry is not None:
        return False
    if source_id not in unread:  # removed, or renamed: the judgement is shown nowhere, which misleads nobody
        message = f"there is no source '{source_id}'{did_you_mean(source_id, by_id)}, so this judges nothing"
        problems.append(doc.problem((*path, "source"), message, _GONE, severity="note"))
    return True


_GONE = "an editor gives the id of what it judges, or removes the judgement"


def _twice(doc: YamlDoc, path: tuple, said: str) -> Problem:
    return doc.problem(path, f"{said} is recorded twice", "keep one: change it where it is, rather than add another")


def _earlier(doc: YamlDoc, path: tuple, said: str, why: str, source_id: str, finding_id: str = "") -> Problem:
    command = f"evidence appraise {source_id}" + (f" --finding {finding_id}" if finding_id else "")
    return doc.problem(
        path,
        f"{said} was made on an earlier version: {why}, so the site shows it as made on an earlier version",
        f"an editor judges it again, changes it if need be, and runs `{command}` to bind it to what it now judges "
        f"({HOW})",
        severity="note",
    )


def _with_judgements(entry: Entry, appraisal: tuple[AppraisalRecord, bool] | None, strengths: dict) -> Entry:
    """The source with its judgements, each as current or as of an earlier version (as `judged` found it)."""
    source = entry.source
    findings = []
    for finding in source.findings:
        rating, current = strengths.get((source.id, finding.id), (None, False))
        rated = StrengthRating(level=rating.level, reason=rating.reason) if rating else None
        findings.append(
            finding.model_copy(
                update={"strength": rated if current else None, "earlier_strength": None if current else rated}
            )
        )
    update: dict = {"findings": findings}
    if appraisal is not None:
        record, current = appraisal
        said = Appraisal(**record.model_dump(include=set(Appraisal.model_fields)))
        update |= {"appraisal": said if current else None, "earlier_appraisal": None if current else said}
    return replace(entry, source=source.model_copy(update=update))


def judgements_of(source: Source) -> tuple:
    """Everything the editors' record gives a source: for the keys of what a page or download
    made of it is kept under, as its file's text does not hold them."""
    ratings = tuple((f.strength, f.earlier_strength) for f in source.findings)
    return source.appraisal, source.earlier_appraisal, ratings


def rebound(corpus: Corpus, text: str, shown: str, source_id: str, finding_id: str | None) -> tuple[str | None, str]:
    """The editors' record with one judgement's `about:` set to the digest of what it now judges,
    and what was done, in words; None (and why) where there is nothing to bind. Only that digest
    changes: the judgement itself is the editor's to change, by hand, before binding it."""
    entry = corpus.by_id.get(source_id)
    if entry is None:
        return None, f"there is no source '{source_id}'{did_you_mean(source_id, corpus.by_id)}"
    findings = {f.id: f for f in entry.source.findings}
    if finding_id is not None and finding_id not in findings:
        return None, f"{entry.file} has no finding '{finding_id}'{did_you_mean(finding_id, findings)}"
    reference = corpus.references.get(entry.source.cite)
    kind, about, said = (
        (
            "strengths",
            rated_as(findings[finding_id], entry.source, reference),
            f"the rating of {source_id}/{finding_id}",
        )
        if finding_id
        else ("appraisals", appraised_as(entry.source, reference), f"the appraisal of {source_id}")
    )
    doc, _ = parse_yaml(text, shown) if text else (None, [])
    recorded, _ = validate(doc, AppraisalsFile) if doc is not None else (None, [])
    records = getattr(recorded, kind) if recorded else []
    at = [i for i, r in enumerate(records) if r.source == source_id and getattr(r, "finding", None) == finding_id]
    if not at or doc is None:
        example = f"  - source: {source_id}\n" + (f"    finding: {finding_id}\n" if finding_id else "")
        return None, (
            f"{said} is not recorded in {shown}: add it under '{kind}:', with these lines first and then the "
            f"judgement ({HOW}):\n{example}    about: {about}"
        )
    if records[at[0]].about == about:
        return text, f"{said} is bound to what it now judges already: nothing to do"
    after = set_about(text, doc, (kind, at[0]), records[at[0]].about, about)
    if after is None:
        return None, f"cannot bind {said} as {shown} is written: set its `about:` to {about} by hand"
    return after, f"bound {said} to what it now judges, in {shown}: commit the file"


def set_about(text: str, doc: YamlDoc, path: tuple, old: str | None, new: str) -> str | None:
    """The text with the judgement at `path` bound to `new`: its `about:` value replaced (only
    that line changes), or, where it has none, a line `about: NEW` added before its
    `assessed_by:`. None if the file is not written so (then an editor edits it by hand)."""
    lines = text.split("\n")
    if old is not None:
        where = doc.where((*path, "about"))
        line = lines[where.line - 1]
        lines[where.line - 1] = line[: where.col - 1] + line[where.col - 1 :].replace(old, new, 1)
    else:
        where = doc.where((*path, "assessed_by"), key=True)
        lines.insert(where.line - 1, " " * (where.col - 1) + f"about: {new}")
    after = "\n".join(lines)
    written, _ = parse_yaml(after, doc.file)
    value = written.data if written is not None else None
    for part in (*path, "about"):
        ok = isinstance(value, dict) and part in value or isinstance(value, list) and isinstance(part, int)
        value = value[part] if ok and (not isinstance(value, list) or part < len(value)) else None
    return after if value == new else None
