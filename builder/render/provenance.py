"""What was read of a source, and how its quotes were checked, as the source's page, its quotes,
its findings, the PDF and the downloads say it (`read:` in builder/model.py; CHECK_STATES in
builder/corpus.py).
"""

from __future__ import annotations

from builder.corpus import CHECK_STATES, Corpus
from builder.model import Finding, Source
from builder.render.html import a, escape
from builder.render.site import text
from builder.synth import TYPE_SINGULAR


def kind_said(source: Source) -> str:
    """What a finding comes from, as plain text: "study, read only through the National Elf
    Service summary", "blog post". Shown where a grade by kind of source once stood: the kind is a
    fact, and how much of the source was read is the fact that most qualifies it."""
    kind = TYPE_SINGULAR[source.type]
    read = source.read
    if read is None or read.kind == "full-text":
        return kind
    if read.kind == "abstract":
        return f"{kind}, read only as its abstract"
    by = " ".join(read.by.split()) if read.by else ""
    return f"{kind}, read only through the {by} summary" if by else f"{kind}, read only through a summary"


# What is said of an editor's judgement made on an earlier version of what it judged.
EARLIER = "An editor's judgement made on an earlier version, not on this one"


def rating_said(finding: Finding) -> str:
    """An editor's rating of the finding's strength with its reason, as plain text ('' for none):
    "strength, as an editor rated it: low (based on a single interview)"; a rating of an earlier
    version of the finding (its statement or quote has changed since) is said to be so."""
    rated = finding.strength or finding.earlier_strength
    if rated is None:
        return ""
    reason = " ".join(rated.reason.split())
    said = f"{rated.level.replace('-', ' ')} ({reason.rstrip('.')})"
    if finding.strength is None:
        return f"not rated as it now stands (an editor rated an earlier version of it: {said})"
    return f"strength, as an editor rated it: {said}"


def quoted_from(source: Source, locator: str = "") -> str:
    """Beside a quote, when it is not the source's own full text: "quoted from the National Elf
    Service summary of the study" (nothing where its locator already says "Abstract, ...")."""
    read, noun = source.read, TYPE_SINGULAR[source.type]
    if read is None or read.kind == "full-text":
        return ""
    if read.kind == "abstract":
        if locator.lower().startswith("abstract"):
            return ""
        return f"quoted from the abstract of the {noun}"
    return f"quoted from the {read.by} summary of the {noun}" if read.by else f"quoted from a summary of the {noun}"


def what_was_read(source: Source, as_html: bool = True) -> str:
    """What was read: its kind, title (linked to its address), who made it, when copied ('' if it
    is not recorded). As HTML, or as plain text with the address in brackets (the downloads)."""
    read, noun = source.read, TYPE_SINGULAR[source.type]
    if read is None:
        return ""
    shown = text if as_html else lambda value: " ".join(value.split())
    said = {
        "full-text": f"The full text of the {noun}",
        "abstract": f"Only the abstract of the {noun}",
        "summary": f"A summary of the {noun}",
    }[read.kind]
    if read.by:
        said += f" by {shown(read.by)}"
    if read.title:
        title = f"“{shown(read.title)}”"
        if read.url:
            title = a(read.url, title) if as_html else f"{title} ({read.url})"
        said += ": " + title
    elif read.url:
        said += ", at " + (a(read.url, escape(read.url)) if as_html else read.url)
    if read.copied:
        said += f"; the stored text was copied on {read.copied.isoformat()}"
    return said + "."


def check_said(corpus: Corpus, source_id: str) -> str:
    """How the source's quotes and figures were checked, in a sentence."""
    state = corpus.check_state(source_id)
    said = f"Its quotes and figures are {CHECK_STATES[state]}"
    review = corpus.checked[source_id].review if state != "not checked" else None
    if review is not None:
        said += f" ({text(review.reviewed_by)}, {review.reviewed.isoformat()})"
    elif state == "supplied":
        said += "; no editor has reviewed that text yet"
    return said + "."
