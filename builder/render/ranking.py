"""Every number that ranks search results, in one place.

The index builder (builder/render/searchindex.py) scores each page's words with them, and
writes those the browser needs into search/meta.js (`for_browser`), so that
builder/assets/evidence-search.js holds no ranking number of its own. Change a number here,
build, and both sides follow.

A page's score for a word is BM25's: the word's weighted count in the page (each field's words
weighted as FIELD_WEIGHTS says), damped by K1 and by the page's length against LENGTH (B), times
how rare the word is (BM25's idf, worked out in the browser from how many pages have the word).
A word of the page's title adds TITLE_BONUS to its score. The browser ranks the pages with the
most of the words typed first, then by the sum of their scores (and of TOGETHER's share for words
typed next to each other and found so).
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

# What a word of a page's title adds to its score besides, as a share of the most the rest of
# the page can give it (K1 + 1): a long page's words saturate, so a field's weight alone cannot
# put the page titled with the words typed before a long page that merely has them.
TITLE_BONUS = 1.0

# Two words typed next to each other and found so in a page add this share of the lesser of
# their two scores there ("practice managers" before a page with "practice" and "manager" apart).
TOGETHER = 0.5

# A word that only starts with the word still being typed counts this share of its score:
# "networks" typed is not outranked by a rarer "networking".
STARTS_ONLY = 0.5

# A word found nowhere is read as the nearest word of the index one edit away if it has at
# least MISSPELT[0] letters, two edits away if at least MISSPELT[1]; shorter words as typed.
MISSPELT = (4, 8)

# A word still being typed (the last of the query) stands for at most this many words that
# start with it.
PREFIX_WORDS = 200

# "Did you mean": a word found on at most COMMONER[0] pages (a misspelling an example quotes,
# say) is searched as typed, and the nearest word on at least COMMONER[1] times as many pages
# offered beside the results.
COMMONER = (2, 3)


def for_browser() -> dict[str, object]:
    """The numbers the browser ranks with, as search/meta.js gives them."""
    return {
        "misspelt": list(MISSPELT),
        "prefixWords": PREFIX_WORDS,
        "startsOnly": STARTS_ONLY,
        "together": TOGETHER,
        "commoner": list(COMMONER),
    }
