"""Derived judgements: how strong a finding is. Derived from data, never typed by hand."""

from __future__ import annotations

from builder.model import Finding, Source

# The documented rule (docs/how-to-read.md): the kind of source sets the default strength.
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
TYPE_NAMES = {
    "review": "Reviews",
    "study": "Studies",
    "report": "Reports",
    "commentary": "Commentaries",
    "blog": "Blog posts",
    "news": "News reports",
}


def strength(source: Source, finding: Finding) -> tuple[str, str]:
    """(level, why) for a finding: its override if given, else the rule for its source type."""
    if finding.strength:
        return finding.strength.level, finding.strength.reason
    return STRENGTH_BY_TYPE[source.type], f"default for a {source.type}"
