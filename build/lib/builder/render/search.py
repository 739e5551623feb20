"""The site's search index, built from the evidence's structure, for a reader offline.

Readers open the site from a copied folder (file://), where a page cannot fetch() a file and
every page would load and index a whole index again. So the index is built here, ranked,
and cut into small scripts a page loads with <script> only when the reader searches:

- search/meta.js: how the rest is laid out: the first prefix of each shard, in order;
- search/t-XX.js: the postings (each word's pages and their scores, best first) of the words
  from prefix XX up to the next shard's first prefix. Words are grouped by their first two
  characters, a group over SHARD_BYTES is cut again by three (t-XXY.js), and groups are put
  together, in order, until a file holds about GROUP_BYTES: so however many distinct words a
  text has (a file of 141,330 two-character words once made as many files), there are at
  most about MAX_SHARDS files, and meta.js stays small;
- search/d-N.js: the titles, addresses and snippets of pages N*500 to N*500+499.

A search for three words loads at most three or four small files, whatever the size of the
evidence base. Prefixes are ordered as JavaScript compares strings (by UTF-16 code unit), so
that the browser finds a word's shard by comparing it with the first prefixes. Words are
made the same way here and in builder/assets/evidence-search.js (keep the two `words`
functions in step; tests/test_search.py checks them against each other).
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass

from builder.memo import Memo
from builder.render.html import Download

DOCS_PER_CHUNK = 500
SHARD_BYTES = 120_000
GROUP_BYTES = 16_000
MAX_SHARDS = 1_000
SNIPPET = 220
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "their",
        "this",
        "to",
        "was",
        "were",
        "which",
        "with",
    ]
)
# How much a word counts where it stands: a page is found first by its title and authors.
WEIGHTS = {"title": 8.0, "people": 6.0, "ids": 5.0, "themes": 3.0, "heading": 3.0, "statements": 1.5, "text": 1.0}
_SPLIT = re.compile(r"[\W_]+")
_K1, _B = 1.2, 0.5
LENGTH = 600.0  # the weighted words of a typical source's page


def fold(text: str) -> str:
    """Lower case, accents dropped: 'Colin-Thomé' -> 'colin-thome' (the marks dropped are those
    the browser's \\p{Mn} matches)."""
    text = text.lower()
    if text.isascii():
        return text
    return _NOT_ASCII.sub(_without_marks, unicodedata.normalize("NFKD", text))


def _without_marks(run: re.Match[str]) -> str:
    return "".join(c for c in run.group() if unicodedata.category(c) != "Mn")


_NOT_ASCII = re.compile(r"[^\x00-\x7f]+")


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light English stemmer (plurals only), the same as the browser's: managers -> manager."""
    if word.isdigit() or len(word) < 4:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """The words of a text as the index holds them: folded, split on anything not a letter or
    digit, stemmed, stop words left out."""
    return [stem(w) for w in _SPLIT.split(fold(text)) if w and w not in STOP_WORDS]


@dataclass(frozen=True)
class Document:
    url: str  # relative to the site's root
    title: str
    kind: str  # "Source · study · 2012", "Theme", "Page"
    snippet: str
    fields: tuple[tuple[str, str], ...]  # (field, its text), fields named in WEIGHTS
    weight: float = 1.0  # of all its words: below 1, found after the pages that have the words at 1


def shard_name(prefix: str) -> str:
    """A prefix as a file name: itself if plain letters and digits, else its code points."""
    return prefix if re.fullmatch(r"[a-z0-9]+", prefix) else "u" + "-".join(f"{ord(c):x}" for c in prefix)


def _size(word: str, found: list[int]) -> int:
    """About what a word's postings take in a shard (a character not ASCII is written \\uXXXX)."""
    return len(found) * 5 + (len(word) if word.isascii() else 6 * len(word.encode("utf-16-le")) // 2)


def _js_order(prefix: str) -> bytes:
    """The order of JavaScript's string comparison: by UTF-16 code unit."""
    return prefix.encode("utf-16-be")


def _units(postings: dict[str, list[int]]) -> list[tuple[str, dict[str, list[int]], int]]:
    """Words by the first two characters, or three where two make too large a group; with each
    group's size, in order."""
    by_two: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for word, found in postings.items():
        by_two[word[:2]][word] = found
    units: dict[str, dict[str, list[int]]] = {}
    for prefix, group in by_two.items():
        if sum(_size(word, found) for word, found in group.items()) <= SHARD_BYTES:
            units[prefix] = group
            continue
        for word, found in group.items():  # words of two letters stay under the two
            units.setdefault(word[:3], {})[word] = found
    ordered = sorted(units, key=_js_order)
    return [(p, units[p], sum(_size(w, f) for w, f in units[p].items())) for p in ordered]


def _shards(postings: dict[str, list[int]]) -> dict[str, dict[str, list[int]]]:
    """The groups of words put together, in order, into files of about GROUP_BYTES (more, if
    that would make more than MAX_SHARDS files), each named by its first prefix."""
    units = _units(postings)
    target = max(GROUP_BYTES, 2 * sum(size for *_, size in units) // MAX_SHARDS)
    shards: dict[str, dict[str, list[int]]] = {}
    name, size = "", 0
    for prefix, group, group_size in units:
        if not shards or size + group_size > target:
            name, size = prefix, 0
            shards[name] = {}
        shards[name].update(group)
        size += group_size
    return shards


def index_files(documents: list[Document], memo: Memo | None = None) -> list[Download]:
    """The index as the scripts a page loads."""
    kept = (memo or Memo(keeps=False)).get
    found: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for number, document in enumerate(documents):
        for word, score in kept("scores", document, lambda document=document: scores(document)).items():
            found[word].append((-score, number))
    postings = {}
    for word in sorted(found):
        ranked = sorted(found[word])
        postings[word] = [n for score, number in ranked for n in (number, -score)]
    shards = _shards(postings)
    files = [
        Download(f"search/t-{shard_name(prefix)}.js", _script("terms", prefix, group))
        for prefix, group in shards.items()
    ]
    for start in range(0, len(documents), DOCS_PER_CHUNK):
        chunk = [[d.url, d.title, d.kind, d.snippet] for d in documents[start : start + DOCS_PER_CHUNK]]
        files.append(
            Download(f"search/d-{start // DOCS_PER_CHUNK}.js", _script("docs", start // DOCS_PER_CHUNK, chunk))
        )
    meta = {"docs": len(documents), "perChunk": DOCS_PER_CHUNK, "shards": list(shards)}  # in order
    files.append(Download("search/meta.js", _script("meta", "", meta)))
    return files


def _script(kind: str, name: object, data: object) -> str:
    payload = json.dumps(data, ensure_ascii=True, separators=(",", ":")).replace("</", "<\\/")
    return f"evidenceSearch.load({json.dumps(kind)},{json.dumps(name)},{payload});\n"


def scores(document: Document) -> dict[str, int]:
    """Each word's score in one document: BM25's term part, with each field's words weighted
    and the length measured against a typical page's (LENGTH), so that a document's scores
    depend on it alone. How rare a word is (BM25's idf) is worked out in the browser, from how
    many pages have it."""
    found: Counter[str] = Counter()
    for field, text in document.fields:
        weight = WEIGHTS[field]
        for word in words(text):
            found[word] += weight
    norm = _K1 * (1 - _B + _B * (sum(found.values()) or 1.0) / LENGTH)
    scale = 100 * document.weight
    return {word: max(1, round(scale * tf * (_K1 + 1) / (tf + norm))) for word, tf in found.items()}
