"""references.bib parsed piece by piece from the cache: always what a whole parse finds."""

from __future__ import annotations

from pathlib import Path

import bibtexparser
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import builder.bibfile
from builder.bib import parse_bib
from builder.bibfile import pieces, read_bib
from builder.cache import Store

# Pieces of a library, the tricky ones included: macros, comments, parentheses, an @ at the
# start of a line within a value, a block started mid-line, a key given twice, a block left open.
BITS = [
    "@article{a, author = {Smith, J. and others}, title = {One}, year = {2011}}\n",
    "@misc{b,\n  title = {Two},\n  year = {20x1}\n}\n",
    "@string{nhs = {National Health Service}}\n",
    "@book{c,\n  title = nhs,\n  year = {2012}\n}\n",
    "@report{k, institution = nhs}\n",
    "@STRING{nhs = {NHS England}}\n",
    "% a line of comment\n\n",
    "@comment{whatever}\n",
    "@misc(d, title = {Parentheses})\n",
    "@misc{e, title = {An @ sign},\n  note = {a line\n@ starting with one}}\n",
    "  @misc{f, title = {Indented}, doi = {not a doi}}\n",
    "@misc{a, title = {Again}}\n",
    "@misc{g, title = {Left open}\n",
    "@misc{h, title = {T}} @misc{i, title = {Started mid-line}}\n",
    "@misc{j,\n  url = {ftp://x},\n  title = {Three}\n}\n",
]
LIBRARY = st.lists(st.sampled_from(BITS), min_size=1, max_size=8)
EDIT = st.tuples(st.integers(0, 8), st.sampled_from(["replace", "insert", "delete"]), st.sampled_from(BITS) | st.text())


def _stores(folder: Path) -> tuple[Store, Store]:
    return Store(folder / "references.pickle", batched=False), Store(folder / "bib-pieces.pickle")


def _read(path: Path, stores: tuple[Store, Store], text: str) -> tuple[dict, list]:
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return read_bib(path, "r.bib", 2**20, *stores)


@given(LIBRARY, EDIT)
@example(bits=BITS[2:4], edit=(2, "insert", BITS[4]))  # a macro used by a new entry
@example(bits=BITS[2:4], edit=(0, "replace", BITS[5]))  # a macro redefined
def test_a_library_read_after_an_edit_is_the_library_parsed_whole(
    tmp_path_factory: pytest.TempPathFactory, bits: list[str], edit: tuple[int, str, str]
) -> None:
    folder = tmp_path_factory.mktemp("bib")
    store = _stores(folder)
    _read(folder / "r.bib", store, "".join(bits))
    at, how, bit = edit
    at %= len(bits) + (how == "insert")
    edited = bits[:at] + ([] if how == "delete" else [bit]) + bits[at + (how != "insert") :]
    refs, problems = _read(folder / "r.bib", store, "".join(edited))
    whole_refs, whole_problems = parse_bib("".join(edited), "r.bib")
    assert list(refs.items()) == list(whole_refs.items())
    assert problems == whole_problems


def test_an_edit_to_one_reference_parses_that_reference_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    entries = [f"@misc{{k{i},\n  title = {{Title {i}}},\n  year = {{2011}}\n}}\n\n" for i in range(50)]
    store = _stores(tmp_path)
    _read(tmp_path / "r.bib", store, "".join(entries))
    parsed: list[int] = []
    parse_string = bibtexparser.parse_string

    def counting(text: str) -> bibtexparser.Library:
        library = parse_string(text)
        parsed.append(len(library.entries))
        return library

    monkeypatch.setattr(builder.bibfile.bibtexparser, "parse_string", counting)
    entries[30] = entries[30].replace("Title 30", "Title thirty")
    entries.insert(10, "@misc{new,\n  title = {New},\n  note = {moves the entries below it down a line}\n}\n")
    refs, problems = _read(tmp_path / "r.bib", store, "".join(entries))
    assert parsed == [2]  # the edited entry and the new one
    assert problems == [] and refs["k30"].get("title") == "Title thirty"
    assert [ref.line for ref in refs.values()] == [ref.line for ref in parse_bib("".join(entries), "r.bib")[0].values()]


def test_pieces_are_cut_where_blocks_start_and_keep_their_lines() -> None:
    text = "% head\n@misc{a, title = {A}}\n  @misc{b,\n title = {@ not a start}}\n@misc{c, title = {C}}"
    assert [(p.text[:9], p.line) for p in pieces(text)] == [
        ("% head\n", 0),
        ("@misc{a, ", 1),
        ("  @misc{b", 2),
        ("@misc{c, ", 4),
    ]


def test_a_library_kept_is_the_same_in_the_next_build_whatever_store_was_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One piece in 200 edited: too few for the store of pieces to be saved.
    text = "".join(f"@misc{{k{i},\n  title = {{Title {i}}},\n  doi = {{{i}}}\n}}\n" for i in range(200))
    edited = text.replace("{Title 3}", "{Title three}")
    whole, edited_whole = parse_bib(text, "r.bib"), parse_bib(edited, "r.bib")
    parsed: list[int] = []
    parse_string = bibtexparser.parse_string
    monkeypatch.setattr(builder.bibfile.bibtexparser, "parse_string", lambda t: parsed.append(1) or parse_string(t))
    stores = _stores(tmp_path)
    assert _read(tmp_path / "r.bib", stores, text) == whole
    for store in stores:
        store.save()
    assert _read(tmp_path / "r.bib", _stores(tmp_path), text) == whole  # put together from its pieces
    assert len(parsed) == 1
    stores = _stores(tmp_path)
    assert _read(tmp_path / "r.bib", stores, edited) == edited_whole
    assert len(parsed) == 2
    stores[0].save()  # the store of pieces waits for more changes: the edited piece is only in the other
    assert _read(tmp_path / "r.bib", _stores(tmp_path), edited) == edited_whole
    assert len(parsed) == 2
    (tmp_path / "bib-pieces.pickle").unlink()  # lost: parsed again
    assert _read(tmp_path / "r.bib", _stores(tmp_path), edited) == edited_whole
    assert len(parsed) == 3


def test_a_library_that_fails_to_parse_is_parsed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "@misc{a, title = {A}}\n@misc{b, title = {Left open}\n@misc{c, title = {C}}\n"
    whole = parse_bib(text, "r.bib")
    parsed: list[int] = []
    parse_string = bibtexparser.parse_string
    monkeypatch.setattr(builder.bibfile.bibtexparser, "parse_string", lambda t: parsed.append(1) or parse_string(t))
    assert _read(tmp_path / "r.bib", _stores(tmp_path), text) == whole
    assert whole[1] and parsed == [1]  # a problem found, by the one parse
