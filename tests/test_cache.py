"""The cache (builder/cache.py): a build from it is the build without it, after any edit."""

from __future__ import annotations

import os
import pickle
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

import builder.cache
import builder.pipeline
import builder.render.listing
import builder.render.parts
import builder.render.shelf
from builder.pipeline import Project, build_pages, check
from builder.render import Page, RenderOptions
from builder.render.shelf import Shelf

# And blocks-<theme>.
STORES = ("sources", "references", "bib-pieces", "pages", "parts", "rows", "references-shown", "source-keys", "within")


def build(project: Project, options: RenderOptions) -> list[tuple[str, str]]:
    built = build_pages(project, options)
    assert built.pages is not None, built.problems
    return [(p.src_uri, p.text()) for p in built.pages]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


EDITS: dict[str, Callable[[Path], None]] = {
    "a source's summary": lambda root: edit(root / "evidence/alpha-study.yaml", "A study of", "A new study of"),
    # Also a theme page, findings.csv and the briefing.
    "a finding's statement": lambda root: edit(
        root / "evidence/alpha-study.yaml", "Leaders bring people together.", "Leaders bring teams together."
    ),
    "a reference's title": lambda root: edit(root / "references.bib", "A blog about managers", "A blog on managers"),
    # The label "Delta et al., 2019" changes on every page that cites it, not only its own.
    "a cited work's author": lambda root: edit(root / "references.bib", "Delta, Dan", "Epsilon, Eve"),
    "a theme's title": lambda root: edit(root / "evidence/themes.yaml", "title: Leadership", "title: Leaders"),
    # Shown on its own pages only; on the home page and the briefing too; on its pages and the briefing.
    "a theme's description": lambda root: edit(root / "evidence/themes.yaml", "Leading commissioning.", "Leading."),
    "a theme's question": lambda root: edit(root / "evidence/themes.yaml", "Who leads?", "Who leads them?"),
    "a key message": lambda root: edit(root / "evidence/themes.yaml", "Leaders convene people", "Leaders convene"),
    "a source added": lambda root: (root / "evidence/delta-work.yaml").write_text(
        (root / "evidence/gamma-blog.yaml")
        .read_text()
        .replace("gamma-blog", "delta-work")
        .replace("gamma2021", "cited2019")
    ),
}


@pytest.mark.parametrize("page_size", [200, 1])  # 1: every list split, each part kept on its own
@pytest.mark.parametrize("name", EDITS)
def test_a_warm_build_after_an_edit_is_the_cold_build(mini: Path, name: str, page_size: int) -> None:
    cached, uncached = Project(mini, cache_dir=".cache/evidence"), Project(mini)
    options = RenderOptions(page_size=page_size)
    assert build(cached, options) == build(uncached, options)  # cold, filling the cache
    EDITS[name](mini)
    assert build(cached, options) == build(uncached, options)


# Edits that reach a page through what surrounds what it shows: (the project before, the edit).
SURROUNDINGS: dict[str, tuple[Callable[[Path], None], Callable[[Path], None]]] = {
    # The label of a work no source's findings cite: shown in a key message all the same.
    "a label shown only in a key message": (
        lambda root: edit(
            root / "evidence/themes.yaml", "people [@alpha2020].", "people [@alpha2020], as [@cited2019]."
        ),
        EDITS["a cited work's author"],
    ),
    # By kind: delta-work, gamma-blog, both blog posts. As news, gamma-blog stays second, but
    # delta-work now ends its section, with a blank line, on a page of its own.
    "the section after a part": (
        EDITS["a source added"],
        lambda root: edit(root / "evidence/gamma-blog.yaml", "type: blog", "type: news"),
    ),
}


@pytest.mark.parametrize("name", SURROUNDINGS)
def test_a_part_is_made_again_when_what_surrounds_it_changes(mini: Path, name: str) -> None:
    before, edited = SURROUNDINGS[name]
    before(mini)
    cached, uncached = Project(mini, cache_dir=".cache/evidence"), Project(mini)
    options = RenderOptions(page_size=1)
    assert build(cached, options) == build(uncached, options)
    edited(mini)
    assert build(cached, options) == build(uncached, options)


def test_a_title_edit_makes_again_only_the_parts_of_lists_that_show_it(
    mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[str] = []
    real = builder.render.listing.page
    monkeypatch.setattr(builder.render.listing, "page", lambda uri, *a, **k: made.append(uri) or real(uri, *a, **k))
    cached, options = Project(mini, cache_dir=".cache/evidence"), RenderOptions(page_size=1)
    build(cached, options)
    assert any(uri.startswith("themes/") for uri in made)
    made.clear()
    build(cached, options)  # every list found whole: its parts must still be kept, for the edit
    assert made == []
    EDITS["a reference's title"](mini)
    build(cached, options)
    # One part of each list of sources and of the references; no theme page shows titles.
    assert sorted(uri.rsplit("-", 1)[0].removesuffix(".md") for uri in made) == [
        "browse/types",
        "browse/years",
        "references",
        "sources/index",
    ]


def test_options_are_part_of_every_key(mini: Path) -> None:
    cached = Project(mini, cache_dir=".cache/evidence")
    build(cached, RenderOptions())
    options = RenderOptions(edit_url="https://example.org/edit/", page_size=1)
    assert build(cached, options) == build(Project(mini), options)


def test_only_what_changed_is_rendered_again(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rendered: list[str] = []
    real = builder.render.parts._render_source
    monkeypatch.setattr(
        builder.render.parts, "_render_source", lambda site, e: rendered.append(e.source.id) or real(site, e)
    )
    cached = Project(mini, cache_dir=".cache/evidence")
    build(cached, RenderOptions())
    assert rendered == ["alpha-study", "gamma-blog"]
    rendered.clear()
    build(cached, RenderOptions())
    assert rendered == []
    EDITS["a source's summary"](mini)
    build(cached, RenderOptions())
    assert rendered == ["alpha-study"]


def test_problems_are_found_again_every_time(mini: Path) -> None:
    cached = Project(mini, cache_dir=".cache/evidence")
    edit(mini / "evidence/alpha-study.yaml", "type: study", "type: stdy")
    first = check(cached).problems
    assert first and first == check(cached).problems


def test_an_unreadable_or_foreign_cache_is_ignored(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cached = Project(mini, cache_dir=".cache/evidence")
    cold = build(Project(mini), RenderOptions())
    build(cached, RenderOptions())
    for store in (mini / ".cache/evidence").glob("*.pickle"):
        store.write_bytes(b"not a pickle")
    assert build(cached, RenderOptions()) == cold
    # Written by other builder code (or other library versions): the whole store is ignored.
    EDITS["a source's summary"](mini)
    monkeypatch.setattr(builder.cache, "code_fingerprint", lambda: "other code")
    assert build(cached, RenderOptions()) == build(Project(mini), RenderOptions())


class _Planted:
    """Unpickling this creates a file: the proof that a store was read."""

    def __init__(self, proof: Path) -> None:
        self.proof = proof

    def __reduce__(self) -> tuple:
        return (Path.touch, (self.proof,))


def test_a_store_not_signed_here_is_never_unpickled(mini: Path, tmp_path: Path) -> None:
    # A pull request could commit .cache/: it must never run code, whatever its header says.
    proof = tmp_path / "unpickled"
    body = pickle.dumps({b"key": _Planted(proof)})
    folder = mini / ".cache" / "evidence"
    folder.mkdir(parents=True)
    for name in (*STORES, "blocks-leadership"):
        (folder / f"{name}.pickle").write_bytes(builder.cache._header(1) + body + bytes(32))
    assert build(Project(mini, cache_dir=".cache/evidence"), RenderOptions()) == build(Project(mini), RenderOptions())
    assert not proof.exists()
    pickle.loads(body)  # the payload works: unpickled, it leaves its proof
    assert proof.exists()


def test_the_cache_can_be_deleted_or_put_anywhere(mini: Path, tmp_path: Path) -> None:
    cold = build(Project(mini), RenderOptions())
    elsewhere = replace(Project(mini), cache_dir=str(tmp_path / "cache"))
    build(elsewhere, RenderOptions())
    kept = {p.name for p in (tmp_path / "cache").iterdir()}
    themes = {"blocks-leadership.pickle", "blocks-practice-managers.pickle"}
    assert kept == {f"{name}.pickle" for name in STORES} | themes | {"pages"}
    shutil.rmtree(tmp_path / "cache")
    assert build(elsewhere, RenderOptions()) == cold


def test_pages_in_a_pack_gone_from_the_cache_are_made_again(mini: Path) -> None:
    cached = Project(mini, cache_dir=".cache/evidence")
    cold = build(cached, RenderOptions())
    packs = list((mini / ".cache/evidence/pages").iterdir())
    assert len(packs) == 1  # every page of a build in one process, in one pack
    packs[0].unlink()
    assert build(cached, RenderOptions()) == cold


def _shelf(folder: Path) -> Shelf:
    return Shelf(builder.cache.Store(folder / "pages.pickle", batched=False), folder / "pages")


def test_packs_mostly_of_pages_no_longer_named_are_repacked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(builder.render.shelf, "REPACK_SLACK", 0)
    monkeypatch.setattr(builder.render.shelf, "UNUSED_PACK_AGE_S", 0)
    shelf = _shelf(tmp_path)
    shelf.put(b"big", [Page("a.md", "a" * 1000)])
    shelf.put(b"small", [Page("b.md", "b")])
    shelf.save()
    (old,) = (tmp_path / "pages").iterdir()
    # The next build no longer names the big page: the small one is copied to a new pack.
    shelf = _shelf(tmp_path)
    assert [p.text() for p in shelf.get(b"small") or ()] == ["b"]
    shelf.put(b"new", [Page("c.md", "c")])
    shelf.save()
    assert all(place[0] != str(old) for page in _shelf(tmp_path).get(b"small") or () for place in [page.kept])
    # The old pack goes with the next build (this one's pages were read from it after saving).
    shelf = _shelf(tmp_path)
    assert [p.text() for p in shelf.get(b"small") or ()] == ["b"] and shelf.get(b"big") is None
    shelf.save()
    assert not old.exists() and len(list((tmp_path / "pages").iterdir())) == 1


def test_parts_lost_from_their_stores_are_made_again(mini: Path) -> None:
    # Blocks and rows are read only when a theme page or findings.csv is made again, and
    # their stores are saved only every so often: one may lack what the others have.
    cached = Project(mini, cache_dir=".cache/evidence")
    build(cached, RenderOptions())
    for store in (mini / ".cache/evidence").glob("*.pickle"):
        if store.name.startswith(("blocks-", "rows")):
            store.unlink()
    EDITS["a finding's statement"](mini)
    assert build(cached, RenderOptions()) == build(Project(mini), RenderOptions())


def test_a_batched_store_waits_for_many_changes_and_an_unbatched_one_does_not(tmp_path: Path) -> None:
    for batched, saved in ((True, False), (False, True)):
        path = tmp_path / f"{batched}.pickle"
        store = builder.cache.Store(path, batched)
        for i in range(200):
            store.put(bytes([i]), i)
        store.save()
        again = builder.cache.Store(path, batched)
        for i in range(200):
            assert again.get(bytes([i])) == i
        again.put(b"new", 0)
        again.save()
        assert (builder.cache.Store(path).get(b"new") == 0) is saved


def test_packs_of_older_builds_are_deleted_once_no_other_build_may_read_them(
    mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cached = Project(mini, cache_dir=".cache/evidence")
    build(cached, RenderOptions())
    pages = mini / ".cache/evidence/pages"
    before = {p.name for p in pages.iterdir()}
    EDITS["a theme's title"](mini)  # every page shows the themes' titles
    build(cached, RenderOptions())
    assert before < {p.name for p in pages.iterdir()}  # too new to delete
    monkeypatch.setattr(builder.render.shelf, "UNUSED_PACK_AGE_S", 0)
    EDITS["a source's summary"](mini)
    build(cached, RenderOptions())
    after = {p.name for p in pages.iterdir()}
    assert after and not before & after


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files count as settled at once (the fixture's files are seconds old), so stamps are kept."""
    monkeypatch.setattr(builder.cache, "SETTLED_NS", 0)


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    read: list[str] = []
    real = builder.pipeline.read_text
    monkeypatch.setattr(builder.pipeline, "read_text", lambda path, *a: read.append(Path(path).name) or real(path, *a))
    return read


def test_a_file_known_by_its_stamp_is_not_read(mini: Path, settled: None, monkeypatch: pytest.MonkeyPatch) -> None:
    cached = Project(mini, cache_dir=".cache/evidence")
    check(cached)
    read = _reads(monkeypatch)
    assert check(cached).ok and read == []
    EDITS["a source's summary"](mini)
    assert check(cached).ok and read == ["alpha-study.yaml"]


def test_an_edit_that_keeps_size_and_times_is_seen(mini: Path, settled: None) -> None:
    # Only the ctime tells this edit apart, and no program can set it back.
    cached = Project(mini, cache_dir=".cache/evidence")
    path = mini / "evidence/alpha-study.yaml"
    before = os.stat(path)
    assert check(cached).ok
    edit(path, "type: study", "type: stdy!")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(path).st_size == before.st_size and os.stat(path).st_mtime_ns == before.st_mtime_ns
    problems = check(cached).problems
    assert any(p.path == "type" and "'stdy!' is not allowed" in p.message for p in problems)
    assert problems == check(Project(mini)).problems


def test_a_file_written_just_now_is_not_trusted_by_its_stamp(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Written twice within one tick of the clock, a file could keep its size and all its times.
    cached = Project(mini, cache_dir=".cache/evidence")
    check(cached)
    read = _reads(monkeypatch)
    check(cached)
    assert sorted(read) == ["alpha-study.yaml", "gamma-blog.yaml"]


def test_a_problem_in_an_unread_file_is_still_located(mini: Path, settled: None) -> None:
    cached = Project(mini, cache_dir=".cache/evidence")
    assert check(cached).ok
    edit(mini / "references.bib", "@misc{cited2019,", "@misc{other2019,")
    problems = check(cached).problems
    assert ("evidence/alpha-study.yaml", 26, "references[0]") in [(p.file, p.line, p.path) for p in problems]
    assert problems == check(Project(mini)).problems
