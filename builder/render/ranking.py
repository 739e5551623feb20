"""Every number that ranks search results, in one place.

The index builder (builder/render/searchindex.py) scores each page's words with them, and
writes those the browser needs into search/meta.js (`for_browser`), so that
builder/assets/evidence-search.js holds no ranking number of its own. Change a number here,
build, and both sides follow.

A page's score for a word is BM25's: the word's weighted count in the page (each field's words
weighted as FIELD_WEIGHTS says), damped by K1 and by the page's length against LENGTH (B), times
how rare the word is (BM25's idf, worked out in the browser from how many pages have the word).
The browser ranks the pages with the most of the words typed first, then by the sum of their
scores.
"""

from __future__ import annotations

# How much a word counts where it stands: a page is found first by its title and authors.
FIELD_WEIGHTS = {
    "title": 8.0,
    "people": 6.0,
    "ids": 5.0,
    "themes": 3.0,
    "heading": 3.0,
    "statements": 1.5,
    "text": 1.0,
}

# A work the sources cite is not evidence: its best score stays below what any page of the
# evidence scores for a word it has once, so a reader finds the evidence first.
WORKS_CITED_WEIGHT = 0.1

# BM25's term part: K1 (how soon more of a word stops counting) and B (how much a long page's
# words count less), against the weighted words of a typical source's page.
K1 = 1.2
B = 0.5
LENGTH = 600.0
SCALE = 100  # a score is stored as a whole number: its BM25 term part times this

# A word found nowhere is read as the nearest word of the index one edit away if it has at
# least MISSPELT[0] letters, two edits away if at least MISSPELT[1]; shorter words as typed.
MISSPELT = (4, 8)

# A word still being typed (the last of the query) stands for at most this many words that
# start with it.
PREFIX_WORDS = 200


def for_browser() -> dict[str, object]:
    """The numbers the browser ranks with, as search/meta.js gives them."""
    return {"misspelt": list(MISSPELT), "prefixWords": PREFIX_WORDS}
