"""Pages about the briefing itself, made from data: how to read it, its methods and scope, and
what changed when."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from builder.confidence import COMPONENTS, CONCERNS, GATHERED, NOT_RECORDED
from builder.corpus import CHECK_STATES
from builder.model import Source
from builder.render.front import NOT_SYSTEMATIC, currency
from builder.render.html import Body, Page, a, escape, table, ul
from builder.render.site import Site, text
from builder.synth import TYPE_NAMES, TYPE_ORDER, TYPE_SINGULAR, count, gap_rules_said, scope_said

KIND_SAID = {
    "review": "brings together several studies",
    "study": "empirical research in one or more settings",
    "report": "evidence gathered and published by an organisation",
    "commentary": "the informed opinion of its author",
    "blog": "the informed opinion of its author",
    "news": "a journalist's account, often of someone's opinion",
}
CERQUAL = (
    "Lewin, S., Booth, A., Glenton, C. et al. (2018) ‘Applying GRADE-CERQual to qualitative evidence synthesis "
    "findings: introduction to the series’, <em>Implementation Science</em>, 13(Suppl 1), 2. Available at: "
    '<a class="evidence-address" href="https://doi.org/10.1186/s13012-017-0688-3">https://doi.org/10.1186/s13012-017-0688-3</a>.'
)


@dataclass
class Update:
    """What changed on one day."""

    date: dt.date
    added: list[Source] = field(default_factory=list)
    reviewed: list[Source] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def updates(site: Site) -> list[Update]:
    """Each day something changed, newest first: sources added, write-ups checked against their
    sources (`reviewed:`, not an editor's review of a stored text), editors' notes."""
    days: dict[dt.date, Update] = {}
    for source in site.corpus.sources:
        days.setdefault(source.added, Update(source.added)).added.append(source)
        if source.reviewed and source.reviewed != source.added:
            days.setdefault(source.reviewed, Update(source.reviewed)).reviewed.append(source)
    for change in site.corpus.briefing.changes if site.corpus.briefing else []:
        days.setdefault(change.date, Update(change.date)).notes.append(change.note)
    return [days[day] for day in sorted(days, reverse=True)]


# The pages' titles, which the navigation shows (builder/render/__init__.py).
CHANGES_TITLE, METHODS_TITLE, HOW_TO_READ_TITLE = "What changed", "Methods and scope", "How to read this briefing"


def changes_page(site: Site) -> Page:
    uri = "changes"
    body = Body().add(
        "<p>Every update of the briefing, newest first: the sources added, the write-ups checked again against "
        "what was read of their sources, and the editors' notes. The "
        + a(site.file_href("feed.xml", uri), "Atom feed")
        + " carries the same.</p>"
    )
    for update in updates(site):
        body.heading(2, update.date.isoformat(), f"on-{update.date.isoformat()}")
        items = [f"Editors: {text(note)}" for note in update.notes]
        items += [f"Added: {site.source_link(s, uri)}, {escape(site.title_of(s))}" for s in update.added]
        items += [
            f"Write-up checked against what was read: {site.source_link(s, uri)}, {escape(site.title_of(s))}"
            for s in update.reviewed
        ]
        body.add(ul(items))
    return body.page(uri, CHANGES_TITLE)


def methods_page(site: Site) -> Page:
    uri, briefing = "methods", site.corpus.briefing
    body = Body()
    if briefing is None:
        body.add(
            "<p>The editors have not yet said what this briefing covers or how its evidence was gathered "
            "(<code>evidence/briefing.yaml</code>).</p>"
        )
    else:
        scope, methods = briefing.scope, briefing.methods
        body.heading(2, "The question").add(f"<p>{text(briefing.question)}</p>")
        body.heading(2, "Scope").add(f"<p>{text(scope.description)}</p>")
        body.add(f"<p>The period the briefing speaks for: {escape(scope_said(scope) or NOT_RECORDED)}.</p>")
        body.heading(2, "How the evidence was gathered")
        if not methods.systematic_review:
            body.add(f"<p><strong>{NOT_SYSTEMATIC}</strong></p>")
        body.add(f"<p>{text(methods.statement)}</p>")
        rows = [[text(s.what), text(s.where), text(s.when)] for s in methods.searches]
        body.add(table(["What was searched for", "Where", "When"], rows) if rows else "<p>No search is recorded.</p>")
        for title, given, none in (
            ("Included", methods.inclusion, "No inclusion criteria are recorded."),
            ("Left out", methods.exclusion, "Nothing is recorded as left out."),
            ("Who checked the write-ups", methods.reviewers, "Who checked the write-ups is not recorded."),
        ):
            body.heading(3, title).add(ul([text(x) for x in given]) if given else f"<p>{none}</p>")
    body.heading(2, "What the evidence base holds").add(_holdings(site, uri), currency(site, site.corpus.sources))
    body.heading(2, "How confidence is judged").add(
        "<p>The editors judge their confidence in each key message as GRADE-CERQual does: four components and an "
        "overall confidence, each with its reason, who judged it (a name or a role) and when. A key message nobody "
        "has judged says "
        "<em>confidence not assessed</em>. The generator never judges: it gathers facts from the evidence files "
        "(the sources and their kinds, how much data, the findings that qualify a message, each source's appraisal "
        "and what was read of it, sources outside the period and places in scope) and shows them as prompts for "
        f"the editors. {_places(site)}{a(site.href('how-to-read', uri, 'confidence'), 'How to read this briefing')} "
        "says more.</p>"
    )
    return body.page(uri, METHODS_TITLE)


def _places(site: Site) -> str:
    """How the prompts tell a source in the places in scope: by words, which are not a sentence a
    reader wants beside the scope, but are what the prompts match."""
    places = site.corpus.briefing.scope.places if site.corpus.briefing else []
    if not places:
        return ""
    words = ", ".join(f"<em>{text(p)}</em>" for p in places)
    return f"A source counts as naming a place in scope when its setting or summary has one of the words {words}. "


def _holdings(site: Site, uri: str) -> str:
    sources = site.corpus.sources
    kinds = Counter(s.type for s in sources)
    said = ", ".join(count(kinds[t], TYPE_SINGULAR[t], TYPE_NAMES[t].lower()) for t in TYPE_ORDER if kinds[t])
    states = Counter(site.corpus.check_state(s.id) for s in sources)
    checks = "; ".join(f"{states[state]} {words}" for state, words in CHECK_STATES.items())
    works = len(site.corpus.works_cited)
    references = a(site.href("references", uri), "the references")
    cite = f" The sources cite {count(works, 'other work')}: not evidence, and listed apart in {references}."
    cite = cite if works else ""
    return (
        f"<p>{len(sources)} sources ({said}). Their quotes and figures: {checks}. "
        f"{a(site.href('sources/index', uri), 'The list of sources')} has them all.{cite}</p>"
    )


def how_to_read(site: Site) -> Page:
    """The reading guide. What the prompts gather is printed from the code that gathers it."""
    uri = "how-to-read"
    body = Body()
    body.heading(2, "Themes, findings and key messages").add(
        "<p>Each theme page answers one question. It opens with key messages: what the evidence on the theme adds "
        "up to, written by the editors, each with its confidence and the findings behind it. Then come the findings "
        "from every source on the theme, grouped by the kind of source: research first, then reports, opinion and "
        "news. A finding is a statement in our own words, often with a short verbatim quote and where it is in what "
        "was read.</p>"
    )
    body.heading(2, "Confidence in a key message", "confidence").add(
        "<p>Confidence is judged as GRADE-CERQual does for the findings of qualitative evidence syntheses: four "
        "components, each with no or very minor, minor, moderate or serious concerns, and an overall confidence "
        "of high, moderate, low or very low. The overall confidence is a judgement the editors make, with an "
        "explanation; it is not worked out from the components by a rule. So a key message shows a confidence "
        "only where an editor recorded one, with the reason, who judged it and when; otherwise it says "
        "<em>confidence not assessed</em>, and so does any component nobody has judged. Each theme page and the "
        "whole briefing have a Summary of Qualitative Findings table, with each judgement and its reason.</p>",
        "<p>The generator only prompts the editors. On each theme page, after the findings, under <em>Prompts for "
        "the editor</em> (closed until opened, and left out of print), it "
        "lists for each component the facts it can gather from the evidence files; they are for the editors to "
        "weigh, and are not a judgement:</p>",
        table(
            ["Component", "What it asks", "What the prompts for the editor gather"],
            [
                [escape(name), escape(_ASKS[key]), escape(GATHERED[key].capitalize())]
                for key, name in COMPONENTS.items()
            ],
        ),
        "<p>Concerns are one of: " + escape(", ".join(CONCERNS.values())) + ". Methodological limitations rest on "
        "an appraisal of each source's methods that an editor records (the checklist used, the concerns, the "
        "reason, who and when); a source nobody has appraised is <em>not appraised</em>, and one read only as an "
        "abstract or through someone else's summary is said to be so. An appraisal is of the source as it stood "
        "when the editor appraised it: once its reference, kind, design, setting, sample or what was read "
        "changes, the appraisal is shown as made on an earlier version, not as the source's, until an editor "
        "appraises it again. A key message's confidence is likewise of the message and its findings as they stood "
        "when the editors judged it: once one of those findings, or its source's reference, kind or what was read "
        "of it, changes, the level is shown as judged on an earlier version, not as current, until the editors "
        "judge it again.</p>"
        f"<p>{CERQUAL}</p>",
    )
    rows = [[TYPE_NAMES[t], KIND_SAID[t]] for t in TYPE_ORDER]
    body.heading(2, "Kinds of source, and strength", "strength").add(
        "<p>Each finding says what kind of source it comes from, and whether that source was read only as its "
        "abstract or through someone else's summary. That is a fact about the source, not a grade: no finding is "
        "graded by its kind of source. Theme pages list findings by kind, in this order:</p>",
        table(["Kind of source", "What it is"], rows),
        "<p>A finding shows a strength (high, moderate, low or very low) only where an editor rated that one "
        "finding, with the reason beside it, for example a study's finding that rests on a single interview. "
        "A finding whose statement, quote or theme, or whose source's reference, kind, design, setting, sample or "
        "reading, has changed since it was "
        "rated is not rated as it now stands: its "
        "page says an editor rated an earlier version of it. "
        "A strength is not a confidence: confidence in a key message is judged separately, GRADE-CERQual style "
        "(above), and only by the editors.</p>",
    )
    body.heading(2, "Quotes").add(
        "<p>A quote is short, word for word, and says where it is in what was read: a paragraph, counted from the "
        "first paragraph below the headline (a date, a byline or a label standing alone is not counted), or a "
        "section by its heading, with its paragraphs counted from 1 again. A paragraph is a block of text between "
        "blank lines, so a list set without blank lines between its items counts as one paragraph. Where a source "
        "was read as an abstract or as someone else's summary, its quotes say so, and its page says what was "
        "read.</p>"
        "<p>Where a copy of what was read is stored, every quote, figure and locator is checked against it. "
        "Each quote says which of three things is true:</p>",
        ul(
            [
                f"<em>{CHECK_STATES['reviewed']}</em>: an editor compared the stored copy with what it says it is "
                "(its address and when it was copied) and recorded the review;",
                f"<em>{CHECK_STATES['supplied']}</em>: the copy came with the source's write-up and no editor has "
                "reviewed it yet, so the check shows only that the write-up agrees with the copy;",
                f"<em>{CHECK_STATES['not checked']}</em>: no copy is stored, so the tool did not check the quotes.",
            ]
        ),
    )
    years = site.settings.options.max_age_years
    body.heading(2, "How current the evidence is").add(
        "<p>The home page, the methods page, each theme page and the PDF's first page say when the evidence was "
        "published and how many sources give no date, beside the period the briefing speaks for and the changes "
        "of policy the editors record since. A source describes the world when it was written: read it against "
        "what has changed since.</p>"
    )
    body.heading(2, "Gaps").add(
        "<p>Each theme page ends with what the evidence base lacks on it, and the home page and the PDF list it "
        f"for every theme. {escape(gap_rules_said(years))}</p>"
        f"<p>The {a(site.href('evidence-map', uri), 'evidence map')} sets every question (theme) against the kinds "
        "of source that speak to it. As in an evidence and gap map, a question is an <em>evidence gap</em> when no "
        "source speaks to it, or only opinion and news do (no review, study or report); a kind of source a "
        "question lacks is an empty cell, not a gap.</p>"
    )
    body.heading(2, "Searching").add(
        "<p>The search box finds the pages that have every word typed, the best first (a page titled with the "
        "words before one that only has them); a plural finds its "
        "singular too (<em>reviews</em>, <em>review</em>). Put words in quotes to find them in that order: "
        '<em>"value for money"</em> (little words such as <em>for</em> and <em>the</em> are passed over). A word '
        "the briefing never uses is read as the word it uses that is nearest in spelling, and the results say "
        "so, with a link to search for the words as typed; a word only a page or two uses, near one the briefing "
        "uses often, is searched as typed, and the commoner word offered (<em>Did you mean</em>). The search is in "
        "the page's address, so a list of results can be bookmarked or shared, and Back undoes each search you "
        "paused on, as it undoes each filter of a list.</p>"
    )
    body.heading(2, "References").add(
        "<p>Citations are author-date (Harvard style): up to three authors are named, and four or more are shown "
        "as the first author followed by <em>et al.</em> A reference with no author is listed under the periodical "
        "or organisation that published it; one with no date shows <em>n.d.</em> in place of the year. Fields a "
        "source does not give are left out, never guessed. The references page lists the sources of the evidence "
        "first, then, apart, the works those sources cite: those are not evidence, and are counted nowhere as "
        "evidence.</p>"
    )
    return body.page(uri, HOW_TO_READ_TITLE)


_ASKS = {
    "methodological_limitations": "Were there problems in how the backing evidence was produced?",
    "coherence": "Do the findings behind the message fit together, with nothing against it?",
    "adequacy": "Is there enough evidence, and rich enough, behind it?",
    "relevance": "Does the evidence come from the settings and times the briefing is about?",
}
