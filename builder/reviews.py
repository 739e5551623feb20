"""The editors' record of the stored texts they reviewed, each bound to the text's content.

A stored text that comes with a contribution is only what its contributor says it is: anyone
can write a source, its BibTeX entry and a text that matches them. So its quotes show as
"checked against the text supplied with the contribution" until an editor has compared the text
with what the source's `read:` block says it is (its address, its title, when it was copied)
and recorded that in evidence/text-reviews.yaml, a file CODEOWNERS gives to the editors. A
review names the source, the text, the SHA-256 digest of the text's content and the digest of
what the text was reviewed as (the source's cite key, kind, `read:` block and BibTeX entry): a
text changed since, or a source made to claim another work or another copy, is unreviewed again.
`evidence review ID --by NAME` records one.
"""

from __future__ import annotations

import hashlib
import json

from builder.bib import Reference
from builder.corpus import CHECK_STATES, Corpus
from builder.model import Source, TextReview, TextReviewsFile
from builder.problems import Problem
from builder.validate import validate
from builder.yamlfile import parse_yaml

HEADER = """\
# yaml-language-server: $schema=../schema/text-reviews.schema.json
# The stored texts an editor has reviewed: each is what its source's `read:` says it is (the
# address it was copied from, its title, when it was copied). CODEOWNERS gives this file to the
# editors. `evidence review SOURCE-ID --by NAME` adds a review; a text changed since its review
# (another SHA-256 digest) shows as unreviewed again. CONTRIBUTING.md, "Reviewing a stored text".
reviews:
"""


def digest(text: str) -> str:
    """The SHA-256 digest of a text, as UTF-8 (what `sha256sum` gives for a file without a byte-order mark)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def digest_of(value: object) -> str:
    """The digest of a plain value as canonical JSON (keys sorted): what a judgement is bound to."""
    return digest(json.dumps(value, sort_keys=True, ensure_ascii=False))


def reviewed_as(source: Source, reference: Reference | None) -> str:
    """The digest of what an editor vouches a stored text is: the work the source cites (its key
    and BibTeX entry), the kind of source and what was read of it (`read:`)."""
    claim = {
        "cite": source.cite,
        "type": source.type,
        "read": source.read.model_dump(mode="json") if source.read else None,
        "reference": cited_as(reference),
    }
    return digest_of(claim)


def cited_as(reference: Reference | None) -> list | None:
    """A BibTeX entry as a digest binds it: its type and every field (None: no entry)."""
    return [reference.entry_type, sorted(reference.fields.items())] if reference else None


def review_of(reviews: tuple[TextReview, ...], source_id: str, name: str, sha: str, about: str) -> TextReview | None:
    """The latest review of this very text (by its digest), reviewed as what the source now says it
    is, if an editor recorded one."""
    matching = [r for r in reviews if (r.source, r.text, r.sha256, r.about) == (source_id, name, sha, about)]
    return max(matching, key=lambda r: r.reviewed, default=None)


def with_review(before: str, shown: str, review: TextReview) -> str | None:
    """The record's text with one more review at its end; None if it is not written so that
    lines can be added at its end (then an editor adds them by hand)."""
    lines = review_lines(review)
    after = (before or HEADER) + ("" if (before or HEADER).endswith("\n") else "\n") + lines
    count = len(_reviews_in(before, shown)) if before else 0
    return after if len(_reviews_in(after, shown)) == count + 1 else None


def review_lines(review: TextReview) -> str:
    return (
        f"  - source: {review.source}\n    text: {review.text}\n    sha256: {review.sha256}\n"
        f"    about: {review.about}\n"
        f"    reviewed_by: {json.dumps(review.reviewed_by, ensure_ascii=False)}\n"
        f"    reviewed: {review.reviewed.isoformat()}\n"
    )


def _reviews_in(text: str, shown: str) -> tuple[TextReview, ...]:
    doc, _ = parse_yaml(text, shown)
    found, _ = validate(doc, TextReviewsFile) if doc is not None and isinstance(doc.data, dict) else (None, [])
    return found.reviews if found else ()


def awaiting_review(corpus: Corpus) -> list[Problem]:
    """A note at each source whose stored text checked it but no editor has reviewed that text
    (added or changed since): for the check's summary and the pull request's annotations."""
    found = []
    for source_id, checked in corpus.checked.items():
        if checked.review is None:
            doc = corpus.by_id[source_id].doc
            message = f"the stored text {checked.text} awaits an editor's review: until then its quotes show as "
            message += CHECK_STATES["supplied"]
            found.append(doc.problem(("source_text",), message, _HOW, severity="note"))
    return sorted(found)


_HOW = (
    "an editor compares each text with the address it was copied from and records the review with "
    "`evidence review` (CONTRIBUTING.md, 'Reviewing a stored text')"
)


def awaiting_said(awaiting: list[Problem], shown: int = 5) -> str:
    """One line for the check's summary."""
    named = [p.file for p in awaiting[:shown]]
    more = f" and {len(awaiting) - shown} more" if len(awaiting) > shown else ""
    texts = "stored text awaits" if len(awaiting) == 1 else "stored texts await"
    return f"{len(awaiting)} {texts} an editor's review, of {', '.join(named)}{more}: {_HOW}"
