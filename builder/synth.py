"""Derived judgements: strength, backing, gaps. Derived from data, never typed by hand."""

from __future__ import annotations

from dataclasses import dataclass

from builder.corpus import Corpus
from builder.model import Finding, KeyMessage, Source

# The documented rule ("How to read this briefing", builder/render/about.py): the kind of
# source sets the default strength.
# Peer-reviewed empirical work > reports > opinion (commentary, blog) > news of someone's opinion.
STRENGTH_BY_TYPE = {
    "review": "high",
    "study": "moderate",
    "report": "moderate",
    "commentary": "low",
    "blog": "low",
    "news": "very-low",
}
STRENGTH_ORDER = ("high", "moderate", "low", "very-low")
TYPE_ORDER = ("review", "study", "report", "commentary", "blog", "news")
TYPE_RANK = {t: i for i, t in enumerate(TYPE_ORDER)}  # sort key: strongest kinds of source first
TYPE_NAMES = {
    "review": "Reviews",
    "study": "Studies",
    "report": "Reports",
    "commentary": "Commentaries",
    "blog": "Blog posts",
    "news": "News reports",
}
TYPE_SINGULAR = {
    "review": "review",
    "study": "study",
    "report": "report",
    "commentary": "commentary",
    "blog": "blog post",
    "news": "news report",
}


def strength(source: Source, finding: Finding) -> tuple[str, str]:
    """(level, why) for a finding: its override if given, else the rule for its source type."""
    if finding.strength:
        return finding.strength.level, finding.strength.reason
    return STRENGTH_BY_TYPE[source.type], f"default for a {source.type}"


EMPIRICAL = ("review", "study", "report")


@dataclass(frozen=True)
class Backing:
    """What stands behind a key message, derived from the findings it lists."""

    supporting: tuple[tuple[Source, Finding], ...]
    qualifying: tuple[tuple[Source, Finding], ...]

    @property
    def sources(self) -> list[Source]:
        """The supporting sources, each once, in the order of their findings."""
        return list({s.id: s for s, _ in self.supporting}.values())


def backing(corpus: Corpus, message: KeyMessage) -> Backing:
    found = [corpus.finding(ref) for ref in message.supported_by]
    against = [corpus.finding(ref) for ref in message.qualified_by]
    return Backing(tuple(f for f in found if f), tuple(f for f in against if f))


def gaps(corpus: Corpus, theme_id: str, max_age_years: int = 10) -> list[str]:
    """What the evidence base lacks on a theme, derived from its findings' sources."""
    sources = {s.id: s for s, _ in corpus.findings_on(theme_id)}.values()
    if not sources:
        return ["No evidence at all on this theme yet."]
    found = []
    if not any(s.type in EMPIRICAL for s in sources):
        found.append("No empirical study, review or report: only opinion and news.")
    if len(sources) == 1:
        found.append("Only one source.")
    years = [int(y) for s in sources if (y := corpus.references[s.cite].year)]
    undated = len(sources) - len(years)
    if years and max(years) < corpus.latest_date.year - max_age_years:
        every = "All sources are" if not undated else "Every dated source is"
        found.append(f"{every} more than {max_age_years} years old (the newest is from {max(years)}).")
    if undated:
        found.append(f"{undated} of {len(sources)} sources {'gives' if undated == 1 else 'give'} no date.")
    return found
