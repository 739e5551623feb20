"""What a reader must know before the key messages, on the home page and the PDF's first page:
who publishes the briefing, when, under which licence, how to cite it, how it was made, and
how current its evidence is beside the policy context the editors record. Made only from what
evidence/briefing.yaml records: what it does not record is said to be "not recorded", and left
out of the suggested citation, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from builder.confidence import NOT_RECORDED
from builder.model import Source
from builder.render.html import escape, ul
from builder.render.site import Site, text
from builder.synth import count, gaps, period, scope_said

# (a page of the site, its label as plain text) -> a link to it, as HTML ('' where there is none)
Link = Callable[[str, str], str]


def front_matter(site: Site, link: Link) -> str:
    """The briefing's particulars, the kind of review it is, the currency of its evidence and a
    suggested citation."""
    briefing = site.corpus.briefing
    changes = link("changes", "what changed")
    changed = f" ({changes})" if changes else ""
    rows = [
        ("Published by", text(briefing.publisher) if briefing and briefing.publisher else NOT_RECORDED),
        ("Editors", text(", ".join(briefing.editors)) if briefing and briefing.editors else NOT_RECORDED),
        ("Published", briefing.published.isoformat() if briefing and briefing.published else NOT_RECORDED),
        ("Updated", f"{site.updated.isoformat()} · version {escape(site.version)}{changed}"),
        ("Licence", text(briefing.licence) if briefing and briefing.licence else NOT_RECORDED),
    ]
    particulars = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in rows)
    methods = link("methods", "Methods and scope")
    if briefing is None:
        made = f"<p>How the evidence was gathered is {NOT_RECORDED} ({methods}).</p>"
    else:
        kind = SYSTEMATIC if briefing.methods.systematic_review else NOT_SYSTEMATIC
        how = first_sentence(briefing.methods.statement, besides=kind)
        made = f"<p><strong>{kind}</strong> {text(how) + ' ' if how else ''}{methods} says more.</p>"
    return (
        f'<dl class="evidence-front">{particulars}</dl>{made}{currency(site, site.corpus.sources)}'
        f'<p class="evidence-citation"><strong>Suggested citation:</strong> {citation(site)}</p>'
    )


SYSTEMATIC = "The evidence was gathered by a systematic review."
NOT_SYSTEMATIC = "This is not a systematic review."
# Where one sentence ends and the next begins: after . ! or ? and a space, before a capital.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“‘\"'(])")


def first_sentence(statement: str, besides: str = "") -> str:
    """The editors' first sentence of how the evidence was gathered ("No search was made: ..."),
    skipping one that only says `besides` (page 1 says that already)."""
    said = (s for s in _SENTENCE_END.split(" ".join(statement.split())) if s)
    return next((s for s in said if s.casefold() != besides.casefold()), "")


def currency(site: Site, sources: Iterable[Source], of: str = "") -> str:
    """How current the evidence is: when its sources were published, beside the period the
    briefing speaks for and the changes of policy since (`of`: ' on this theme', say)."""
    sources = list(sources)
    when = period(site.corpus, sources)
    said = f"<p><strong>The evidence{escape(of)}:</strong> {count(len(sources), 'source')}"
    said += f", {when.said}." if sources else "."
    briefing = site.corpus.briefing
    scope = scope_said(briefing.scope) if briefing else ""
    if not scope:
        said += f" The period in scope is {NOT_RECORDED}."
    elif briefing and when.before(briefing.scope.from_year):
        every = "All of it is" if not when.undated else "Every dated source is"
        said += f" {every} older than the period in scope, {escape(scope)}."
    else:
        said += f" The period in scope: {escape(scope)}."
    changes = briefing.scope.policy_context if briefing else []
    if not changes:
        return said + f" The policy context is {NOT_RECORDED}.</p>"
    listed = [f"{c.date.isoformat()}: {text(c.change)}" for c in sorted(changes, key=lambda c: c.date)]
    return said + " The policy context, as the editors record it:</p>" + ul(listed, "evidence-policy")


def citation(site: Site) -> str:
    """A suggested citation, Harvard style, made only from what is recorded."""
    briefing = site.corpus.briefing
    editors = [" ".join(e.split()) for e in briefing.editors] if briefing else []
    publisher = " ".join(briefing.publisher.split()) if briefing and briefing.publisher else ""
    if editors:
        names = editors[0] if len(editors) == 1 else ", ".join(editors[:-1]) + " and " + editors[-1]
        author = f"{names} ({'ed.' if len(editors) == 1 else 'eds'})"
    else:
        author = publisher
    # No publication date is invented: without one, the date the briefing was last updated, said so.
    year = str(briefing.published.year) if briefing and briefing.published else f"updated {site.updated.isoformat()}"
    title = f"<em>{text(site.settings.site_name)}</em>"
    parts = [f"{escape(author)} ({year}) {title}." if author else f"{title} ({year})."]
    if briefing and briefing.version:
        parts.append(f"Version {text(briefing.version)}.")
    if publisher and editors:
        parts.append(f"{escape(publisher)}.")
    url = site.settings.site_url
    if url:
        parts.append(f'Available at: <a class="evidence-address" href="{escape(url)}">{escape(url)}</a>.')
    return " ".join(parts)


def thin(site: Site, theme_href: Callable[[str], str]) -> str:
    """Where the evidence is thin: each theme's gaps by the rules (builder/synth.py GAP_RULES), as
    the home page and the briefing list them."""
    found = []
    for theme in site.corpus.themes:
        lacks = gaps(site.corpus, theme.id, site.settings.options.max_age_years)
        if lacks:
            title = f'<a href="{escape(theme_href(theme.id))}">{escape(theme.title)}</a>'
            found.append(f"{title}: {escape(' '.join(lacks))}")
    return ul(found) if found else "<p>No gap found by the rules.</p>"
