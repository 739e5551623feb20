"""Confidence in each key message, GRADE-CERQual style: the editors' judgement, never the
generator's.

GRADE-CERQual (Lewin et al. 2018) makes the overall assessment of a finding the review team's
judgement, with an explanation; a tool can gather the components' facts, not decide a level.
So a level, and a component's concerns, are shown only as an editor recorded them in
themes.yaml, signed and dated; everything else is "not assessed". What the data can tell the
editor (the sources and their kinds, how much data, what qualifies the message, each source's
appraisal and what was read of it, sources outside the places and period in scope) is gathered
here as prompts for the editor: facts to weigh, labelled as such, never a judgement.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from builder.corpus import Corpus
from builder.model import KeyMessage, Scope, Source
from builder.synth import TYPE_NAMES, TYPE_ORDER, TYPE_SINGULAR, Backing, backing, count, scope_said

COMPONENTS = {
    "methodological_limitations": "Methodological limitations",
    "coherence": "Coherence",
    "adequacy": "Adequacy",
    "relevance": "Relevance",
}
CONCERNS = {
    "no-or-very-minor": "no or very minor concerns",
    "minor": "minor concerns",
    "moderate": "moderate concerns",
    "serious": "serious concerns",
}
# What each component's prompts gather ("How to read this briefing" prints these).
GATHERED = {
    "methodological_limitations": "each backing source's appraisal as an editor recorded it (the tool, the "
    "concerns, why, who and when), or that it was not appraised; and what was read of it, when only an abstract "
    "or someone else's summary",
    "coherence": "how many findings and sources back the message, and the findings recorded as qualifying or "
    "contradicting it",
    "adequacy": "how many sources back it and of which kinds, how many of its findings carry a verbatim quote, "
    "and the sample figures each source gives",
    "relevance": "the backing sources that name no place in the briefing's scope, those published outside its "
    "period or giving no date, and those published before a change of policy the editors record",
}
NOT_RECORDED = "not recorded"
READ_ONLY = {"abstract": "Read only as its abstract", "summary": "Read only through someone else's summary"}
SAMPLE_WORDS = {
    "interviews": "interviews",
    "observation_hours": "hours of observation",
    "observations": "meetings observed",
    "survey_respondents": "survey respondents",
    "participants": "participants",
    "organisations": "organisations",
    "gps": "GPs",
    "population": "population",
}


@dataclass(frozen=True)
class Component:
    key: str
    concerns: str | None  # as an editor recorded it; None: not assessed
    reason: str  # the editor's ('' when not assessed)
    prompts: tuple[str, ...]  # facts for the editor to weigh: never a judgement

    @property
    def name(self) -> str:
        return COMPONENTS[self.key]

    @property
    def said(self) -> str:
        return CONCERNS[self.concerns] if self.concerns else "not assessed"


@dataclass(frozen=True)
class Confidence:
    components: tuple[Component, ...]
    level: str | None  # as an editor recorded it; None: not assessed
    reason: str
    assessed_by: str = ""
    assessed: str = ""
    # An editor's overall judgement of an earlier version of what the message stands on, in words
    # ('' if none): shown as such, never as this version's (builder/assessments.py).
    earlier: str = ""

    @property
    def said(self) -> str:
        if self.level:
            return f"{self.level.replace('-', ' ')} confidence"
        return "confidence not assessed as it now stands" if self.earlier else "confidence not assessed"

    @property
    def signed(self) -> str:
        """'judged by A. Editor on 2026-12-01' ('' when nobody judged anything)."""
        return f"judged by {self.assessed_by} on {self.assessed}" if self.assessed_by else ""


def assess(corpus: Corpus, message: KeyMessage, scope: Scope | None) -> Confidence:
    """The editor's judgements of the message, and the prompts for the components."""
    back = backing(corpus, message)
    editor = message.confidence
    prompts = {
        "methodological_limitations": _limitations(corpus, back),
        "coherence": _coherence(corpus, back),
        "adequacy": _adequacy(corpus, back),
        "relevance": _relevance(corpus, back, scope),
    }
    components = []
    for key, gathered in prompts.items():
        given = getattr(editor, key) if editor else None
        concerns, reason = (given.concerns, given.reason) if given else (None, "")
        components.append(Component(key, concerns, reason, tuple(gathered)))
    if editor is None:
        return Confidence(tuple(components), None, "", earlier=_earlier(message))
    overall = editor.overall
    level, reason = (overall.level, overall.reason) if overall else (None, "")
    return Confidence(tuple(components), level, reason, editor.assessed_by, editor.assessed.isoformat())


def _earlier(message: KeyMessage) -> str:
    """'low confidence, judged by A. Editor on 2026-12-01', of an earlier version ('' if none)."""
    editor = message.earlier_confidence
    if editor is None:
        return ""
    level = f"{editor.overall.level.replace('-', ' ')} confidence" if editor.overall else "components only"
    return f"{level}, judged by {editor.assessed_by} on {editor.assessed.isoformat()}"


def _named(corpus: Corpus, source: Source) -> str:
    return f"{corpus.labels[source.cite]} ({TYPE_SINGULAR[source.type]})"


def _limitations(corpus: Corpus, back: Backing) -> list[str]:
    found = []
    for source in back.sources:
        appraisal = source.appraisal or source.earlier_appraisal
        said = (
            f"{CONCERNS[appraisal.concerns]}, appraised with {_clause(appraisal.tool)} by "
            f"{_clause(appraisal.appraised_by)} on {appraisal.appraised.isoformat()}. {_clause(appraisal.reason)}."
            if appraisal
            else "not appraised."
        )
        if source.earlier_appraisal and not source.appraisal:
            said = f"not appraised as it now stands (an earlier version of it was: {said[:-1]})."
        if source.read is None:
            said += " What was read of it is not recorded."
        elif source.read.kind in READ_ONLY:
            said += f" {READ_ONLY[source.read.kind]}."
        found.append(f"{_named(corpus, source)}: {said}")
    return found


def _coherence(corpus: Corpus, back: Backing) -> list[str]:
    sources = back.sources
    found = [f"Findings backing it: {len(back.supporting)}, from {count(len(sources), 'source')}."]
    if len(sources) == 1:
        found.append("With one source, whether sources agree cannot be seen.")
    qualifying = "; ".join(f"{corpus.labels[s.cite]} ({f.id})" for s, f in back.qualifying)
    found.append(f"Findings qualifying or contradicting it: {qualifying or 'none recorded'}.")
    return found


def _adequacy(corpus: Corpus, back: Backing) -> list[str]:
    kinds = Counter(s.type for s in back.sources)
    made = ", ".join(count(kinds[t], TYPE_SINGULAR[t], TYPE_NAMES[t].lower()) for t in TYPE_ORDER if kinds[t])
    quoted = sum(1 for _, f in back.supporting if f.quote)
    found = [
        f"Sources backing it: {len(back.sources)} ({made}).",
        f"Backing findings with a verbatim quote: {quoted} of {len(back.supporting)}.",
    ]
    return found + [f"{corpus.labels[s.cite]}: {_figures(s) or 'no sample figures given'}." for s in back.sources]


def _relevance(corpus: Corpus, back: Backing, scope: Scope | None) -> list[str]:
    if scope is None:
        return [f"The briefing's scope: {NOT_RECORDED} (evidence/briefing.yaml)."]
    sources = back.sources
    if scope.places:
        places = ", ".join(scope.places)
        unnamed = [s for s in sources if not _names_a_place(s, scope.places)]
        found = [_listed(corpus, sources, unnamed, f"Naming no place in scope ({places}) in setting or summary")]
    else:
        found = [f"Places in scope: {NOT_RECORDED}."]
    years = {s.id: corpus.references[s.cite].year for s in sources}
    if scope.from_year or scope.to_year:
        low, high = scope.from_year or 0, scope.to_year or 9999
        outside = [s for s in sources if years[s.id] and not low <= int(years[s.id]) <= high]
        found.append(_listed(corpus, sources, outside, f"Published outside the period in scope ({scope_said(scope)})"))
    else:
        found.append(f"Period in scope: {NOT_RECORDED}.")
    found.append(_listed(corpus, sources, [s for s in sources if not years[s.id]], "Giving no date"))
    for change in scope.policy_context:
        year = change.date.year
        older = [s for s in sources if years[s.id] and int(years[s.id]) < year]
        what = f"Published before {year}, the year of a change in policy ({_clause(change.change)})"
        found.append(_listed(corpus, sources, older, what))
    return found


def _listed(corpus: Corpus, sources: list[Source], these: list[Source], what: str) -> str:
    """'Giving no date: Pulse, n.d. (1 of 3 backing sources).', or 'Giving no date: none.'"""
    if not these:
        return f"{what}: none."
    labels = "; ".join(corpus.labels[s.cite] for s in these)
    return f"{what}: {labels} ({len(these)} of {count(len(sources), 'backing source')})."


def _names_a_place(source: Source, places: list[str]) -> bool:
    text = f"{source.setting or ''} {source.summary}"
    return any(re.search(rf"\b{re.escape(place)}\b", text, re.IGNORECASE) for place in places)


def _figures(source: Source) -> str:
    sample = source.sample
    if sample is None:
        return ""
    return ", ".join(
        f"{value:,} {words}" for name, words in SAMPLE_WORDS.items() if (value := getattr(sample, name)) is not None
    )


def _clause(text: str) -> str:
    """An editor's sentence inside ours: white space folded, its final full stop dropped."""
    return " ".join(text.split()).rstrip(".")
