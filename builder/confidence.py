"""Confidence in each key message, GRADE-CERQual style.

Four components, each judged as no or very minor, minor, moderate or serious concerns, and an
overall confidence of high, moderate, low or very low. An editor's judgement in themes.yaml
(with its reason) stands; where there is none, a component is derived from the data by the
rules below, which "How to read this briefing" prints, and where the data cannot defend a
judgement the component is "not assessed". Nothing shown is a judgement nobody made.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from builder.corpus import Corpus
from builder.model import Assessment, KeyMessage, Scope, Source
from builder.synth import EMPIRICAL, Backing, backing

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
LEVELS = ("high", "moderate", "low", "very-low")
DERIVED, EDITOR = "derived from the data", "editor's judgement"

# The rules, as "How to read this briefing" states them (builder/render/about.py prints these).
RULES = {
    "methodological_limitations": "from the kinds of the backing sources: minor concerns when all are studies, "
    "reviews or reports (their methods are not appraised here), moderate when some are opinion or news, serious "
    "when all are",
    "coherence": "from the findings that qualify the message: no or very minor concerns when two or more sources "
    "back it and none qualifies it, minor when one finding qualifies it, moderate when more do; not assessed "
    "when one source backs it",
    "adequacy": "from how many sources back it and how rich their data are: serious concerns for one source, "
    "moderate for two, minor for three or more when at least half of the backing findings carry a quote or come "
    "with sample figures (moderate otherwise)",
    "relevance": "from the backing sources' settings and years against the briefing's scope (the methods page): "
    "no or very minor concerns when all are in scope, minor when at least half are, moderate when fewer are, "
    "serious when none is; not assessed when the scope names no places or years",
    "overall": "starts at high, and goes down one level for each component with moderate concerns and two for "
    "each with serious concerns; minor concerns alone do not lower it; not assessed unless all four components are",
}


@dataclass(frozen=True)
class Component:
    key: str
    concerns: str | None  # None: not assessed
    reason: str
    by: str  # DERIVED or EDITOR ("" when not assessed)

    @property
    def name(self) -> str:
        return COMPONENTS[self.key]

    @property
    def said(self) -> str:
        return CONCERNS[self.concerns] if self.concerns else "not assessed"


@dataclass(frozen=True)
class Confidence:
    components: tuple[Component, ...]
    level: str | None  # None: not assessed
    reason: str
    by: str
    assessed_by: str = ""
    assessed: str = ""

    @property
    def said(self) -> str:
        return f"{self.level.replace('-', ' ')} confidence" if self.level else "confidence not assessed"


def assess(corpus: Corpus, message: KeyMessage, scope: Scope | None) -> Confidence:
    back = backing(corpus, message)
    editor = message.confidence or Assessment()
    derived = {
        "methodological_limitations": _limitations(back),
        "coherence": _coherence(back),
        "adequacy": _adequacy(back),
        "relevance": _relevance(back, scope, corpus),
    }
    components = []
    for key, (concerns, reason) in derived.items():
        given = getattr(editor, key)
        if given is not None:
            components.append(Component(key, given.concerns, given.reason, EDITOR))
        else:
            components.append(Component(key, concerns, reason, DERIVED if concerns else ""))
    who = editor.assessed_by or ""
    when = editor.assessed.isoformat() if editor.assessed else ""
    if editor.overall is not None:
        return Confidence(tuple(components), editor.overall.level, editor.overall.reason, EDITOR, who, when)
    level, reason = _overall(components)
    return Confidence(tuple(components), level, reason, DERIVED if level else "", who, when)


def _limitations(back: Backing) -> tuple[str | None, str]:
    sources = back.sources
    opinion = [s for s in sources if s.type not in EMPIRICAL]
    if not opinion:
        return "minor", "every backing source is a study, review or report; their methods are not appraised here"
    if len(opinion) == len(sources):
        return "serious", "every backing source is opinion or news"
    verb = "is" if len(opinion) == 1 else "are"
    return "moderate", f"{len(opinion)} of the {len(sources)} backing sources {verb} opinion or news"


def _coherence(back: Backing) -> tuple[str | None, str]:
    sources, qualifying = back.sources, len(back.qualifying)
    if len(sources) < 2 and not qualifying:
        return None, "one source backs it, so how well sources agree cannot be judged"
    if not qualifying:
        return "no-or-very-minor", f"{len(sources)} sources back it and no finding qualifies it"
    if qualifying == 1:
        return "minor", "one finding qualifies or contradicts it"
    return "moderate", f"{qualifying} findings qualify or contradict it"


def _adequacy(back: Backing) -> tuple[str | None, str]:
    sources = back.sources
    if len(sources) == 1:
        return "serious", "one source backs it"
    if len(sources) == 2:
        return "moderate", "two sources back it"
    rich = sum(1 for s, f in back.supporting if f.quote or s.sample)
    said = f"{len(sources)} sources back it; {rich} of its {len(back.supporting)} findings carry a quote or figures"
    return ("minor" if 2 * rich >= len(back.supporting) else "moderate"), said


def _relevance(back: Backing, scope: Scope | None, corpus: Corpus) -> tuple[str | None, str]:
    if scope is None or not (scope.places or scope.from_year or scope.to_year):
        return None, "the briefing's scope names no places or years to judge against"
    sources = back.sources
    inside = [s for s in sources if _in_scope(s, corpus.references[s.cite].year, scope)]
    verb = "is" if len(inside) == 1 else "are"
    said = f"{len(inside)} of the {len(sources)} backing sources {verb} in the briefing's scope"
    if len(inside) == len(sources):
        return "no-or-very-minor", said
    if 2 * len(inside) >= len(sources):
        return "minor", said
    return ("moderate" if inside else "serious"), said


def _in_scope(source: Source, year: str, scope: Scope) -> bool:
    """A source is in scope if its setting or summary names a place in scope, and the years of
    its setting (or else the year it was published) are in the scope's years. A year not known
    is not in scope: it cannot be shown to be."""
    text = f"{source.setting or ''} {source.summary}"
    if scope.places and not any(re.search(rf"\b{re.escape(place)}\b", text, re.IGNORECASE) for place in scope.places):
        return False
    if not (scope.from_year or scope.to_year):
        return True
    years = [int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", source.setting or "")] or ([int(year)] if year else [])
    return bool(years) and all((scope.from_year or 0) <= y <= (scope.to_year or 9999) for y in years)


def _overall(components: list[Component]) -> tuple[str | None, str]:
    unassessed = [c.name.lower() for c in components if c.concerns is None]
    if unassessed:
        verb = "is" if len(unassessed) == 1 else "are"
        return None, "needs all four components, and " + " and ".join(unassessed) + f" {verb} not assessed"
    down = sum({"moderate": 1, "serious": 2}.get(c.concerns or "", 0) for c in components)
    level = LEVELS[min(down, len(LEVELS) - 1)]
    lowered = [f"{c.name.lower()} ({c.said})" for c in components if c.concerns in ("moderate", "serious")]
    why = (
        "from high, lowered for " + " and ".join(lowered)
        if lowered
        else "high: no component raises more than minor concerns"
    )
    return level, why
