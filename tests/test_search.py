"""Search: what a reader types finds the page they want (a relevance set, run in Chromium
from file://), and the browser makes the same words of a text as the index does."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.render.search import Document, fold, index_files, shard_name, words
from tests.conftest import BRIEFING, ROOT, examples, search_in, search_index

# What a reader types, and the page of the briefing fixture (tests/fixtures/briefing) that must
# be among the first three results. Title words next to punctuation, plurals, co-authors,
# accented names with and without the accent, DOIs, phrases, theme names: facts of its
# references.bib, themes.yaml and hand-written pages. Words of the write-ups are queried by
# test_each_source_is_found_by_a_word_only_it_has, whatever the evidence says.
RELEVANCE = [
    ("animateurs", "sources/checkland-2012-animateurs.html"),
    ("Animateurs", "sources/checkland-2012-animateurs.html"),
    ("'animateurs'", "sources/checkland-2012-animateurs.html"),
    ("animateur", "sources/checkland-2012-animateurs.html"),
    ("animat", "sources/checkland-2012-animateurs.html"),
    ("Checkland 2012", "sources/checkland-2012-animateurs.html"),
    ("10.1258/jhsrp.2011.011010", "sources/checkland-2012-animateurs.html"),
    ("Oborn", "sources/zachariadis-2013-ccg-networks.html"),
    ("Zollinger-Read", "sources/zachariadis-2013-ccg-networks.html"),
    ("Barrett", "sources/zachariadis-2013-ccg-networks.html"),
    ("10.1136/bmjopen-2012-002112", "sources/zachariadis-2013-ccg-networks.html"),
    ("BMJ Open", "sources/zachariadis-2013-ccg-networks.html"),
    ("mixed-methods", "sources/zachariadis-2013-ccg-networks.html"),
    ("Colin-Thomé", "sources/colin-thome-2011-fresh-approach.html"),
    ("Colin-Thome", "sources/colin-thome-2011-fresh-approach.html"),
    ("colin thome", "sources/colin-thome-2011-fresh-approach.html"),
    ("Nuffield Trust", "sources/colin-thome-2011-fresh-approach.html"),
    ("fresh approach", "sources/colin-thome-2011-fresh-approach.html"),
    ("Thornley", "sources/thornley-2010-key-players.html"),
    ("key players", "sources/thornley-2010-key-players.html"),
    ("set up to fail", "sources/pulse-gp-commissioners-set-up-to-fail.html"),
    ("Pulse", "sources/pulse-gp-commissioners-set-up-to-fail.html"),
    ("practice managers", "themes/practice-managers.html"),
    ("practice manager", "themes/practice-managers.html"),
    ("leadership", "themes/leadership.html"),
    ("training gaps", "themes/training-gaps.html"),
    ("clinical engagement", "themes/clinical-engagement.html"),
    ("what is commissioning for", "themes/purpose-of-commissioning.html"),
    ("Goodwin", "references.html#ref-goodwin2008networks"),
    ("how to read", "how-to-read.html"),
    ("contributing a source", "contributing.html"),
]


@pytest.fixture(scope="module")
def search_page(browser, briefing_site: Path):
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto((briefing_site / "themes" / "leadership.html").as_uri())
    yield page
    assert [url for url in requests if not url.startswith("file://")] == []
    context.close()


@pytest.mark.parametrize(("typed", "wanted"), RELEVANCE, ids=[q for q, _ in RELEVANCE])
def test_a_reader_finds_the_page_in_the_first_three(search_page, typed: str, wanted: str) -> None:
    found = search_in(search_page, typed)[:3]
    assert any(href.endswith(wanted) for href in found), found


def _derived(briefing) -> list[tuple[str, str]]:
    """For each source: the longest word of its findings that no other file the site is made
    from has, and each figure of its sample as the source writes it (1,662,000)."""
    others = [BRIEFING / "evidence" / "themes.yaml", BRIEFING / "references.bib", BRIEFING / "CONTRIBUTING.md"]
    others += sorted((BRIEFING / "docs").rglob("*.md"))
    texts = {e.source.id: e.doc.text for e in briefing.corpus.entries}
    shared = set(words(" ".join(p.read_text(encoding="utf-8") for p in others)))
    queries = []
    for entry in briefing.corpus.entries:
        source = entry.source
        elsewhere = shared.union(*(set(words(t)) for i, t in texts.items() if i != source.id))
        own = {w for f in source.findings for w in words(f.statement) if w.isalpha() and w not in elsewhere}
        page = f"sources/{source.id}.html"
        if own:
            queries.append((max(sorted(own), key=len), page))
        figures = (
            [v for v in source.sample.model_dump().values() if isinstance(v, int) and v >= 1000]
            if source.sample
            else []
        )
        queries += [(f"{v:,}", page) for v in figures]
    return queries


def test_each_source_is_found_by_a_word_only_it_has(search_page, briefing) -> None:
    queries = _derived(briefing)
    assert {page for _, page in queries} >= {f"sources/{s.id}.html" for s in briefing.corpus.sources}
    missed = [
        (typed, wanted)
        for typed, wanted in queries
        if not any(h.endswith(wanted) for h in search_in(search_page, typed)[:3])
    ]
    assert missed == []


# ---- What readers type: drawn from the fixture's titles, names and statements, by rules ----

_WORD = re.compile(r"[^\W\d_]+")


def _answers(page, queries: list[str], as_typed: bool = False) -> list[dict]:
    return page.evaluate(
        "async ([queries, asTyped]) => { const out = []; for (const q of queries) "
        "out.push(await evidenceSearch.search(q, asTyped)); return out; }",
        [queries, as_typed],
    )


def _urls(answer: dict) -> list[str]:
    return [result["url"] for result in answer["results"]]


def _titles_and_names(briefing) -> list[str]:
    """The titles of the sources and of the themes, and the sources' authors' names."""
    corpus = briefing.corpus
    refs = [corpus.references[source.cite] for source in corpus.sources]
    return [
        *(ref.get("title") for ref in refs),
        *(person.family for ref in refs for person in ref.authors),
        *(theme.title for theme in corpus.themes),
    ]


def _misspellings(word: str) -> list[str]:
    """What a reader's fingers do to a word: two letters swapped, one dropped, one doubled."""
    mid = len(word) // 2
    swapped = word[: mid - 1] + word[mid] + word[mid - 1] + word[mid + 1 :]
    return [
        typo for typo in (swapped, word[:mid] + word[mid + 1 :], word[:mid] + word[mid] + word[mid:]) if typo != word
    ]


def test_a_misspelt_word_is_read_as_the_word_it_was_meant_to_be(search_page, briefing, briefing_site) -> None:
    """Each word of eight letters or more of the titles and names, misspelt by each rule, finds
    what the word finds, and the answer says which word it was read as."""
    _, postings = search_index(briefing_site)
    cases = [
        (word, typo)
        for text in _titles_and_names(briefing)
        for word in _WORD.findall(text)
        if len(word) >= 8
        for typo in _misspellings(word)
        if words(typo)[0] not in postings  # a misspelling that makes another word is no misspelling
    ]
    assert len(cases) >= 30
    typed = _answers(search_page, [typo + " " for _, typo in cases])
    meant = _answers(search_page, [word + " " for word, _ in cases])
    wrong = [
        (typo, answer["read"], _urls(answer)[:3])
        for (word, typo), answer, right in zip(cases, typed, meant, strict=True)
        if answer["read"].strip() != fold(word) or _urls(answer) != _urls(right) or not right["results"]
    ]
    assert wrong == [], wrong
    as_typed = _answers(search_page, [typo + " " for _, typo in cases], as_typed=True)
    assert all(answer["results"] == [] and answer["read"] == "" for answer in as_typed)  # found nowhere, as typed


def _other_number(word: str) -> str | None:
    """The plural of a singular, the singular of a plural, by the regular rules of English;
    None for a word those rules do not reach (a plural in -es, a singular in -s)."""
    lower = word.lower()
    if lower.endswith(("ss", "us", "is", "ies")) or re.search(r"(s|x|z|ch|sh)es$", lower):
        return None
    if lower.endswith("s"):
        return word[:-1]
    if re.search(r"(s|x|z|ch|sh)$", lower):
        return None
    if re.search(r"[^aeiou]y$", lower):
        return word[:-1] + "ies"
    return word + "s"


def test_plural_and_singular_find_the_same_pages(search_page, briefing) -> None:
    """Each word of the titles and names, in the other number (GP and GPs, network and networks),
    finds the same pages in the same order."""
    cases = sorted(
        {
            (word, other)
            for text in _titles_and_names(briefing)
            for word in _WORD.findall(text)
            if words(word) and (other := _other_number(word))
        }
    )
    assert ("GP", "GPs") in cases and len(cases) >= 40
    found = _answers(search_page, [word + " " for word, _ in cases])
    swapped = _answers(search_page, [other + " " for _, other in cases])
    differ = [
        case for case, a, b in zip(cases, found, swapped, strict=True) if _urls(a) != _urls(b) or not a["results"]
    ]
    assert differ == []


def _statements(briefing) -> list[tuple[str, str]]:
    """Every finding's statement, with its source's page, and every key message, with its theme's."""
    corpus = briefing.corpus
    found = [(f.statement, f"sources/{s.id}.html") for s in corpus.sources for f in s.findings]
    return found + [(m.statement, f"themes/{t.id}.html") for t in corpus.themes for m in t.key_messages]


def _phrase(statement: str) -> list[str] | None:
    """The first three words in a row of a statement with nothing but spaces between them."""
    tokens = statement.split()
    for at in range(len(tokens) - 2):
        window = tokens[at : at + 3]
        if all(re.fullmatch(r"[A-Za-z]+", token) for token in window) and words(" ".join(window)):
            return window
    return None


def _page_words(site: Path, url: str) -> list[str]:
    page = (site / url.split("#")[0]).read_text(encoding="utf-8")
    article = page[page.index("<article") : page.index("</article>")]
    return words(html.unescape(re.sub(r"<[^>]*>", " ", article)))


def _has_run(haystack: list[str], run: list[str]) -> bool:
    return any(haystack[i : i + len(run)] == run for i in range(len(haystack) - len(run) + 1))


def test_a_quoted_phrase_finds_the_pages_that_have_it_as_written(search_page, briefing, briefing_site) -> None:
    """Three words in a row from each statement, quoted, find its page, and only pages that have
    them in that order; the same words in the reverse order find only pages with that order."""
    phrases = [(window, page) for statement, page in _statements(briefing) if (window := _phrase(statement))]
    assert len(phrases) >= 25
    quoted = _answers(search_page, [f'"{" ".join(window)}"' for window, _ in phrases])
    backwards = _answers(search_page, [f'"{" ".join(reversed(window))}"' for window, _ in phrases])
    for (window, page), answer, reverse in zip(phrases, quoted, backwards, strict=True):
        assert answer["all"] and page in _urls(answer), (window, _urls(answer))
        run = words(" ".join(window))
        assert all(_has_run(_page_words(briefing_site, url), run) for url in _urls(answer)), window
        if reverse["all"]:
            assert all(_has_run(_page_words(briefing_site, url), run[::-1]) for url in _urls(reverse)), window


def test_the_relevance_set_is_large_enough() -> None:
    assert len(RELEVANCE) >= 25


# Characters this Python's Unicode tables do not know yet (the browser's may be newer) are left out.
KNOWN = st.characters(exclude_categories=("Cn", "Cs"))


@settings(max_examples=examples(0.4))
@given(st.text(KNOWN, max_size=40) | st.sampled_from(["Colin-Thomé", "ŒUVRE ﬁnal", "naïve café", "x²", "İstanbul"]))
def test_the_browser_makes_the_same_words_as_the_index(search_page, text: str) -> None:
    assert search_page.evaluate("text => evidenceSearch.words(text)", text) == words(text)


def test_words_are_folded_split_and_stemmed() -> None:
    assert words("The 'Animateurs': Colin-Thomé's networks, 1,662,000!") == [
        "animateur",
        "colin",
        "thome",
        "s",
        "network",
        "1",
        "662",
        "000",
    ]
    assert words("studies classes boxes analysis status") == ["study", "class", "box", "analysis", "status"]


PARTS = {"shards": "t", "pairs": "p", "vocab": "v"}  # meta.js's list of files of each part, and their letter


def _meta_and_shards(files: dict[str, str], part: str = "shards") -> tuple[dict, dict[str, dict]]:
    def data(text: str):
        return json.loads(text[text.index(",", text.index(",") + 1) + 1 : text.rindex(")")])

    letter = f"search/{PARTS[part]}-"
    shards = {p.removeprefix(letter).removesuffix(".js"): data(c) for p, c in files.items() if p.startswith(letter)}
    return data(files["search/meta.js"]), shards


def _pairs_of(text: str) -> set[str]:
    found = words(text)
    return {f"{first} {second}" for first, second in zip(found, found[1:], strict=False)}


def test_each_part_holds_every_key_where_its_prefix_says(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("builder.render.search.SHARD_BYTES", 10_000)
    many = [
        Document(f"p{i}", "t", "Page", "", (("text", f"common word{i} rare{i % 7} é{i % 5} Rare"),))
        for i in range(3000)
    ]
    files = {f.path: f.content for f in index_files(many)}
    assert all(len(content) < 100_000 for content in files.values())
    expected = {
        "shards": {w for d in many for w in words(d.fields[0][1])},
        "pairs": set().union(*(_pairs_of(d.fields[0][1]) for d in many)),
        "vocab": {"common", "rare"},  # words of letters only: the ones a misspelling may be meant for
    }
    for part, keys in expected.items():
        meta, shards = _meta_and_shards(files, part)
        assert [shard_name(name) for name in meta[part]] == list(shards)
        order = [name.encode("utf-16-be") for name in meta[part]]
        assert order == sorted(order)  # as JavaScript's < compares them
        for name, shard in zip(meta[part], shards.values(), strict=True):
            for key in shard:  # the browser's rule: a key is in the last file whose name is not after it
                assert max(n for n in meta[part] if n.encode("utf-16-be") <= key.encode("utf-16-be")) == name
        assert {key for shard in shards.values() for key in shard} == keys
    meta, shards = _meta_and_shards(files)
    assert any(len(name) > 2 for name in meta["shards"])  # "wo" was too large: cut by more letters
    common = next(shard["common"] for shard in shards.values() if "common" in shard)
    assert common[::2] == [0] + [1] * 2999  # page 0 first, then each page as the gap from the one before
    vocabulary = _meta_and_shards(files, "vocab")[1]
    assert next(shard["rare"] for shard in vocabulary.values() if "rare" in shard) == 3000  # how many pages have it
    assert shard_name("ab") == "ab" and shard_name("é1") == "ue9-31"


def test_rare_prefixes_are_grouped_so_files_stay_few(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("builder.render.search.MAX_SHARDS", 50)
    # Every two-character word a prefix of its own: 20,000 prefixes, and as many pairs.
    text = " ".join(chr(0x4E00 + i // 100) + chr(0x4E00 + i % 100) for i in range(20_000))
    files = {f.path: f.content for f in index_files([Document("p", "t", "Page", "", (("text", text),))])}
    for part, wanted in (("shards", 20_000), ("pairs", 19_999), ("vocab", 20_000)):
        meta, shards = _meta_and_shards(files, part)
        assert 1 < len(shards) <= 51
        assert sum(len(shard) for shard in shards.values()) == wanted
    assert len(files["search/meta.js"]) < 4_000  # three parts' names, of at most 51 files each


def test_a_word_is_found_among_many_distinct_words(browser, tmp_path: Path) -> None:
    """141,330 distinct two-character words (993 KB of text) once made 141,330 files and a 2 MB
    meta.js; grouped, the browser still finds each word, and a prefix, in the right file."""
    cjk = [chr(0x4E00 + i // 40) + chr(0x4E00 + i % 40) for i in range(141_330)]
    documents = [
        Document("cjk.html", "Words", "Page", "", (("text", " ".join(cjk)),)),
        Document("plain.html", "Plain", "Page", "", (("text", "commissioning animateurs"),)),
    ]
    files = {f.path: f.content for f in index_files(documents)}
    shards = [path for path in files if path.startswith("search/t-")]
    assert len(shards) <= 1_001 and len(files["search/meta.js"]) < 20_000
    for path, content in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(content, encoding="utf-8")
    script = tmp_path / "assets" / "evidence" / "evidence-search.js"
    script.parent.mkdir(parents=True)
    script.write_text((ROOT / "builder" / "assets" / "evidence-search.js").read_text(encoding="utf-8"))
    (tmp_path / "index.html").write_text('<!doctype html><script src="assets/evidence/evidence-search.js"></script>')
    page = browser.new_page()
    page.goto((tmp_path / "index.html").as_uri())
    found = page.evaluate(
        "async queries => { const out = []; for (const q of queries) "
        "out.push((await evidenceSearch.search(q)).results.map(r => r.url)); return out; }",
        [cjk[0] + " ", cjk[70_000] + " ", cjk[-1] + " ", cjk[12_345], "animat", "commissioning "],
    )
    page.close()
    assert found[:3] == [["cjk.html"]] * 3  # whole words, each in its own part of the index
    assert found[3] == ["cjk.html"]  # a word still being typed: the words that start so
    assert found[4:] == [["plain.html"], ["plain.html"]]
