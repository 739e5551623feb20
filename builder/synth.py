"""What follows from the data, never typed by hand: backing, the period of the evidence, gaps."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from builder.corpus import Corpus
from builder.model import Finding, KeyMessage, Scope, Source

# The levels an editor may rate one finding's strength at (`strength:` in an evidence file). No
# strength follows from the kind of source: a rule may prompt an editor, never speak for one, and
# the kind of source is shown as what it is.
STRENGTH_ORDER = ("high", "moderate", "low", "very-low")
# The kinds of source in the order pages list them: research, then reports, opinion and news.
TYPE_ORDER = ("review", "study", "report", "commentary", "blog", "news")
TYPE_RANK = {t: i for i, t in enumerate(TYPE_ORDER)}  # sort key: kinds of source in TYPE_ORDER
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


def count(n: int, word: str, plural: str = "") -> str:
    """'1 source', '2 sources', '3 studies' (with the plural given)."""
    return f"{n} {word if n == 1 else plural or word + 's'}"


EMPIRICAL = ("review", "study", "report")
NO_EVIDENCE, ONLY_OPINION = "no evidence", "only opinion and news"


def evidence_gap(kinds: Iterable[str]) -> str:
    """Whether a question is an evidence gap, as evidence and gap maps mean it, from the kinds of
    the sources that speak to it: no source at all, or no study, review or report (only opinion
    and news); '' where research speaks to it. A kind of source a question lacks is no gap."""
    kinds = set(kinds)
    if not kinds:
        return NO_EVIDENCE
    return "" if kinds & set(EMPIRICAL) else ONLY_OPINION


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


@dataclass(frozen=True)
class Period:
    """When a set of sources was published: the years of those that give one, and how many do not."""

    years: tuple[int, ...]  # sorted
    undated: int

    @property
    def said(self) -> str:
        """'published from 2010 to 2013; 1 of 5 sources gives no date'."""
        years, parts = self.years, []
        if years:
            parts.append(
                f"published in {years[0]}" if years[0] == years[-1] else f"published from {years[0]} to {years[-1]}"
            )
        if self.undated:
            parts.append(self.undated_said)
        return "; ".join(parts)

    @property
    def undated_said(self) -> str:
        total = len(self.years) + self.undated
        return f"{self.undated} of {total} source{'s' * (total != 1)} give{'s' * (self.undated == 1)} no date"

    def before(self, year: int | None) -> bool:
        """Every dated source is older than `year` (and at least one is dated)."""
        return bool(year and self.years) and self.years[-1] < year


def period(corpus: Corpus, sources: Iterable[Source]) -> Period:
    years = [corpus.references[s.cite].year for s in sources]
    return Period(tuple(sorted(int(y) for y in years if y)), sum(1 for y in years if not y))


def scope_said(scope: Scope) -> str:
    """The period a briefing speaks for, in words: '2022 onwards', '2010 to 2013'."""
    if scope.from_year and scope.to_year:
        return f"{scope.from_year} to {scope.to_year}" if scope.from_year != scope.to_year else str(scope.from_year)
    if scope.from_year:
        return f"{scope.from_year} onwards"
    return f"up to {scope.to_year}" if scope.to_year else ""


# What gaps() looks for, as "How to read this briefing" and the PDF say it ({years}: max_age_years).
GAP_RULES = (
    "it has no evidence at all",
    "it has no empirical study, review or report, only opinion and news",
    "it has only one source",
    "every dated source is older than the period the briefing speaks for, or else more than {years} years "
    "older than the evidence base's latest update",
    "a source gives no date",
)


def gap_rules_said(max_age_years: int) -> str:
    """GAP_RULES as one sentence: 'A theme has a gap when: it has ...; or a source gives no date.'"""
    rules = [rule.format(years=max_age_years) for rule in GAP_RULES]
    return f"A theme has a gap when: {'; '.join(rules[:-1])}; or {rules[-1]}."


def gaps(corpus: Corpus, theme_id: str, max_age_years: int = 10) -> list[str]:
    """What the evidence base lacks on a theme, by GAP_RULES, from its findings' sources."""
    sources = {s.id: s for s, _ in corpus.findings_on(theme_id)}.values()
    if not sources:
        return ["No evidence at all on this theme yet."]
    found = []
    if not any(s.type in EMPIRICAL for s in sources):
        found.append("No empirical study, review or report: only opinion and news.")
    if len(sources) == 1:
        found.append("Only one source.")
    when = period(corpus, sources)
    every = "All sources are" if not when.undated else "Every dated source is"
    scope = corpus.briefing.scope if corpus.briefing else None
    if scope and scope.from_year and when.before(scope.from_year):
        found.append(
            f"{every} older than the period in scope, {scope_said(scope)} (the newest is from {when.years[-1]})."
        )
    elif when.before(corpus.latest_date.year - max_age_years):
        found.append(f"{every} more than {max_age_years} years old (the newest is from {when.years[-1]}).")
    if when.undated:
        found.append(when.undated_said.capitalize() + ".")
    return found
