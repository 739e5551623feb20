"""The site's search index, built from what each page offers to search (builder/render/searchtext.py),
for a reader offline.

Readers open the site from a copied folder (file://), where a page cannot fetch() a file and
every page would load and index a whole index again. So the index is built here, ranked,
and cut into small scripts a page loads with <script> only when the reader searches:

- search/meta.js: how the rest is laid out (the first prefix of each file of each part, in
  order), and the numbers the browser ranks with (builder/render/ranking.py);
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
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from builder.memo import Memo
from builder.render import ranking
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
_SPLIT = re.compile(r"[\W_]+")


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
    fields: tuple[tuple[str, str], ...]  # (field, its text), fields named in ranking.FIELD_WEIGHTS
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


def _parts(documents: Iterable[Document], memo: Memo | None, heads: list[list[str]]) -> dict[str, Sized]:
    """The index's three parts: each word's postings, each pair's pages, each word of letters
    with how many pages have it; every key with its value (as _in_file writes it) and about what
    it takes in a file. Each document is read once and let go, its head (address, title, kind,
    snippet) noted in `heads`; page numbers and scores are kept as 32-bit integers in arrays (a
    score is at most a few hundred: builder/render/ranking.py). At 10,000 sources the documents
    held all at once, and a tuple of two Python integers per posting, took 130 MB while the index
    was made, and set a build's peak memory."""
    kept = (memo or Memo(keeps=False)).get
    found: dict[str, array[int]] = defaultdict(lambda: array("i"))  # word -> page number, score, page number, score...
    paired: dict[str, array[int]] = defaultdict(lambda: array("i"))  # pair -> page numbers
    for number, document in enumerate(documents):
        heads.append([document.url, document.title, document.kind, document.snippet])
        held = kept("terms", document, lambda document=document: terms(document))
        for word, score in held.scores.items():
            found[word].extend((number, score))
        for pair in held.pairs:
            paired[pair].append(number)
    return {
        "shards": {word: (got, _key_size(word) + 7 * (len(got) // 2)) for word, got in found.items()},
        "pairs": {pair: (numbers, _key_size(pair) + 3 * len(numbers)) for pair, numbers in paired.items()},
        "vocab": {word: (len(got) // 2, _key_size(word) + 8) for word, got in found.items() if word.isalpha()},
    }


def _in_file(part: str, value: Any) -> object:
    """A key's value as its file holds it: a word's pages, each with its score, and a pair's
    pages, as the gaps between the page numbers; a word's count as it is."""
    if part == "vocab":
        return value
    if part == "pairs":
        return _gaps(value.tolist())
    gaps, scores = _gaps(value[0::2].tolist()), value[1::2].tolist()
    return [n for posting in zip(gaps, scores, strict=True) for n in posting]


# Each part of the index: the letter its files start with, and what the browser loads it as.
PARTS = {"shards": ("t", "terms"), "pairs": ("p", "pairs"), "vocab": ("v", "vocab")}


def index_files(documents: Iterable[Document], memo: Memo | None = None) -> list[Download]:
    """The index as the scripts a page loads."""
    heads: list[list[str]] = []
    parts = _parts(documents, memo, heads)
    files, meta = [], {"docs": len(heads), "perChunk": DOCS_PER_CHUNK, "ranking": ranking.for_browser()}
    for part, entries in parts.items():
        letter, kind = PARTS[part]
        shards = _shards(dict(sorted(entries.items())))  # in order, whatever order the words were met in
        meta[part] = list(shards)  # in order
        files += [
            Download(
                f"search/{letter}-{shard_name(prefix)}.js",
                _script(kind, prefix, {key: _in_file(part, value) for key, value in group.items()}),
            )
            for prefix, group in shards.items()
        ]
    for start in range(0, len(heads), DOCS_PER_CHUNK):
        chunk = heads[start : start + DOCS_PER_CHUNK]
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
    and the length measured against a typical page's, and a bonus for a word of its title
    (builder/render/ranking.py), so that a document's scores
    depend on it alone (how rare a word is, BM25's idf, is worked out in the browser, from how
    many pages have it). And the pairs of words that stand next to each other in a part of a
    field (little words left out between them), as "first second": what a quoted phrase is
    looked up by. The words of each part are made once, for both."""
    found: Counter[str] = Counter()
    paired: set[str] = set()
    titled: set[str] = set()
    for field, text in document.fields:
        weight = ranking.FIELD_WEIGHTS[field]
        for part in text.split(PART):
            sequence = words(part)
            if field == "title":
                titled.update(sequence)
            for word in sequence:
                found[word] += weight
            if field != "ids":  # a list of identifiers, not words that follow each other
                paired.update(map(" ".join, zip(sequence, sequence[1:], strict=False)))
    k1, b = ranking.K1, ranking.B
    norm = k1 * (1 - b + b * (sum(found.values()) or 1.0) / ranking.LENGTH)
    scale = ranking.SCALE * document.weight
    bonus = ranking.TITLE_BONUS
    scores = {
        word: max(1, round(scale * (tf * (k1 + 1) / (tf + norm) + bonus * (word in titled))))
        for word, tf in found.items()
    }
    return Terms(scores, frozenset(paired))
