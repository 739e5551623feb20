"""The site's search index, built from the evidence's structure, for a reader offline.

Readers open the site from a copied folder (file://), where a page cannot fetch() a file and
every page would load and index a whole index again. So the index is built here, ranked,
and cut into small scripts a page loads with <script> only when the reader searches:

- search/meta.js: how the rest is laid out: the first prefix of each file of each part, in order;
- search/t-XX.js: the postings of the words from prefix XX up to the next file's first prefix:
  each word's pages, in order, and its score in each (a page's number is written as the gap
  from the one before, which keeps the numbers short);
- search/p-XX.js: the pairs of words that stand next to each other in a page ("set up",
  "up fail": little words such as "to" are left out), each with its pages, for "quoted phrases";
- search/v-XX.js: the vocabulary: each word of letters and how many pages have it, from which
  the browser picks the word a misspelt one was meant to be ("comissioning": commissioning);
- search/d-N.js: the titles, addresses and snippets of pages N*500 to N*500+499.

Each part is cut the same way: its keys are grouped by their first two characters, a group
over SHARD_BYTES is cut again by three, and so on, and groups are put together, in order, until
a file holds about GROUP_BYTES: so however many distinct words a text has (a file of 141,330
two-character words once made as many files), each part has at most about MAX_SHARDS files,
and meta.js stays small. A search loads the few files of the words typed (and, for a phrase,
of its pairs; for a word found nowhere, of the vocabulary under its first letter), whatever the
size of the evidence base. Prefixes are ordered as JavaScript compares strings (by UTF-16 code
unit), so that the browser finds a key's file by comparing it with the first prefixes. Words
are made the same way here and in builder/assets/evidence-search.js (keep the two `words`
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
MAX_SHARDS = 1_000  # of each part
LONGEST_PREFIX = 40
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
# Between the parts of a field that a page shows apart (a summary and a quote), which a phrase
# does not run across.
PART = "\u2029"
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
    """A light English stemmer (plurals only), the same as the browser's: managers -> manager,
    GPs -> gp (words of three letters too, so that "GP" finds "GPs")."""
    if word.isdigit() or len(word) < 3:
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


def _key_size(key: str) -> int:
    """What a key takes in a file (a character not ASCII is written \\uXXXX)."""
    return len(key) if key.isascii() else 6 * len(key.encode("utf-16-le")) // 2


def _js_order(prefix: str) -> bytes:
    """The order of JavaScript's string comparison: by UTF-16 code unit."""
    return prefix.encode("utf-16-be")


Sized = dict[str, tuple[object, int]]  # key -> (its value in the file, about what it takes there)


def _units(entries: Sized) -> list[tuple[str, Sized, int]]:
    """Keys by their first two characters, or by more where two make too large a group (the
    pairs of one common word are cut by the word after it); with each group's size, in order."""
    units: dict[str, Sized] = {}
    waiting: list[tuple[int, Sized]] = [(2, entries)]
    while waiting:
        length, group = waiting.pop()
        by_prefix: dict[str, Sized] = defaultdict(dict)
        for key, entry in group.items():
            by_prefix[key[:length]][key] = entry
        for prefix, found in by_prefix.items():
            size = sum(size for _, size in found.values())
            if size > SHARD_BYTES and length < LONGEST_PREFIX and any(len(key) > length for key in found):
                waiting.append((length + 1, found))  # a key as short as the prefix stays under it
            else:
                units[prefix] = found
    ordered = sorted(units, key=_js_order)
    return [(p, units[p], sum(size for _, size in units[p].values())) for p in ordered]


def _shards(entries: Sized) -> dict[str, dict[str, object]]:
    """The groups of keys put together, in order, into files of about GROUP_BYTES (more, if
    that would make more than MAX_SHARDS files), each named by its first prefix."""
    units = _units(entries)
    target = max(GROUP_BYTES, 2 * sum(size for *_, size in units) // MAX_SHARDS)
    shards: dict[str, dict[str, object]] = {}
    name, size = "", 0
    for prefix, group, group_size in units:
        if not shards or size + group_size > target:
            name, size = prefix, 0
            shards[name] = {}
        shards[name].update((key, value) for key, (value, _) in group.items())
        size += group_size
    return shards


def _gaps(numbers: list[int]) -> list[int]:
    """Ascending page numbers as the gaps between them (small numbers make a small file)."""
    return [n - before for before, n in zip([0, *numbers], numbers, strict=False)]


def _parts(documents: list[Document], memo: Memo | None) -> dict[str, Sized]:
    """The index's three parts: each word's postings, each pair's pages, each word of letters
    with how many pages have it; every key with its value in a file and about what it takes."""
    kept = (memo or Memo(keeps=False)).get
    found: dict[str, list[tuple[int, int]]] = defaultdict(list)  # word -> (-score, page number)
    paired: dict[str, list[int]] = defaultdict(list)
    for number, document in enumerate(documents):
        held = kept("terms", document, lambda document=document: terms(document))
        for word, score in held.scores.items():
            found[word].append((-score, number))
        for pair in held.pairs:
            paired[pair].append(number)
    words_found: Sized = {}
    for word, ranked in found.items():
        numbers = [number for _, number in ranked]  # in order, as the documents were read
        postings = [n for gap, (score, _) in zip(_gaps(numbers), ranked, strict=True) for n in (gap, -score)]
        words_found[word] = (postings, _key_size(word) + 7 * len(ranked))
    return {
        "shards": words_found,
        "pairs": {pair: (_gaps(numbers), _key_size(pair) + 3 * len(numbers)) for pair, numbers in paired.items()},
        "vocab": {word: (len(ranked), _key_size(word) + 8) for word, ranked in found.items() if word.isalpha()},
    }


# Each part of the index: the letter its files start with, and what the browser loads it as.
PARTS = {"shards": ("t", "terms"), "pairs": ("p", "pairs"), "vocab": ("v", "vocab")}


def index_files(documents: list[Document], memo: Memo | None = None) -> list[Download]:
    """The index as the scripts a page loads."""
    files, meta = [], {"docs": len(documents), "perChunk": DOCS_PER_CHUNK}
    for part, entries in _parts(documents, memo).items():
        letter, kind = PARTS[part]
        shards = _shards(dict(sorted(entries.items())))  # in order, whatever order the words were met in
        meta[part] = list(shards)  # in order
        files += [
            Download(f"search/{letter}-{shard_name(prefix)}.js", _script(kind, prefix, group))
            for prefix, group in shards.items()
        ]
    for start in range(0, len(documents), DOCS_PER_CHUNK):
        chunk = [[d.url, d.title, d.kind, d.snippet] for d in documents[start : start + DOCS_PER_CHUNK]]
        files.append(
            Download(f"search/d-{start // DOCS_PER_CHUNK}.js", _script("docs", start // DOCS_PER_CHUNK, chunk))
        )
    files.append(Download("search/meta.js", _script("meta", "", meta)))
    return files


def _script(kind: str, name: object, data: object) -> str:
    payload = json.dumps(data, ensure_ascii=True, separators=(",", ":")).replace("</", "<\\/")
    return f"evidenceSearch.load({json.dumps(kind)},{json.dumps(name)},{payload});\n"


@dataclass(frozen=True)
class Terms:
    """What the index holds of one document: each word's score, and the pairs of words in it."""

    scores: dict[str, int]
    pairs: frozenset[str]


def terms(document: Document) -> Terms:
    """Each word's score in one document: BM25's term part, with each field's words weighted
    and the length measured against a typical page's (LENGTH), so that a document's scores
    depend on it alone (how rare a word is, BM25's idf, is worked out in the browser, from how
    many pages have it). And the pairs of words that stand next to each other in a part of a
    field (little words left out between them), as "first second": what a quoted phrase is
    looked up by. The words of each part are made once, for both."""
    found: Counter[str] = Counter()
    paired: set[str] = set()
    for field, text in document.fields:
        weight = WEIGHTS[field]
        for part in text.split(PART):
            sequence = words(part)
            for word in sequence:
                found[word] += weight
            if field != "ids":  # a list of identifiers, not words that follow each other
                paired.update(map(" ".join, zip(sequence, sequence[1:], strict=False)))
    norm = _K1 * (1 - _B + _B * (sum(found.values()) or 1.0) / LENGTH)
    scale = 100 * document.weight
    scores = {word: max(1, round(scale * tf * (_K1 + 1) / (tf + norm))) for word, tf in found.items()}
    return Terms(scores, frozenset(paired))
