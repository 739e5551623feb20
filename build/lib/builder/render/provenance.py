"""What was read of a source, and how its quotes were checked, as the source's page, its quotes,
the PDF and the downloads say it (`read:` in builder/model.py; CHECK_STATES in builder/corpus.py).
"""

from __future__ import annotations

from builder.corpus import CHECK_STATES, Corpus
from builder.model import Source
from builder.render.html import a, escape
from builder.render.site import text
from builder.synth import TYPE_SINGULAR


def quoted_from(source: Source) -> str:
    """Beside a quote, when it is not the source's own full text: "quoted from the National Elf
    Service summary of the study"."""
    read, noun = source.read, TYPE_SINGULAR[source.type]
    if read is None or read.kind == "full-text":
        return ""
    if read.kind == "abstract":
        return f"quoted from the abstract of the {noun}"
    return f"quoted from the {read.by} summary of the {noun}" if read.by else f"quoted from a summary of the {noun}"


def what_was_read(source: Source) -> str:
    """What was read, as HTML: its kind, title (linked to its address), who made it, when copied
    ('' if it is not recorded)."""
    read, noun = source.read, TYPE_SINGULAR[source.type]
    if read is None:
        return ""
    said = {
        "full-text": f"The full text of the {noun}",
        "abstract": f"Only the abstract of the {noun}",
        "summary": f"A summary of the {noun}",
    }[read.kind]
    if read.by:
        said += f" by {text(read.by)}"
    if read.title:
        title = f"“{text(read.title)}”"
        said += ": " + (a(read.url, title) if read.url else title)
    elif read.url:
        said += ", at " + a(read.url, escape(read.url))
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
