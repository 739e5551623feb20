"""The PDF briefing is kept between builds (builder/store.py, builder/pdf.py). A kept PDF must be
the PDF a cold build makes: after random edits, a build from the store and a build with an
empty store give the same bytes; a damaged store is noticed, and made again, never used."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import builder.pdf
from builder.build import PDF_PATH, build_core
from builder.site import build_site
from builder.store import Store
from tests.conftest import FIXTURES, examples, replacing, settings_of

# Edits the PDF shows (a statement, a title, the briefing's question, the site's name) and one
# it does not (a word in a summary), each followed by its undoing in the list, so that sequences
# come back to a PDF the store holds.
CHANGES = [
    ("evidence/alpha-study.yaml", "Leaders bring people together.", "Leaders convene."),
    ("evidence/alpha-study.yaml", "A study of leaders", "A study of many leaders"),
    ("evidence/themes.yaml", "title: Leadership", "title: Leading"),
    ("references.bib", "A blog about managers", "A blog about practice managers"),
    ("evidence/briefing.yaml", "question:", "question: Now,"),
    ("mkdocs.yml", "site_name: Mini briefing", "site_name: A mini briefing"),
]
EDITS = [replacing(path, *change) for path, old, new in CHANGES for change in ((old, new), (new, old))]


def _pdf(root: Path, store: Store) -> bytes:
    built = build_core(settings_of(root), store=store)
    assert built.pages is not None, [p.text() for p in built.problems]
    return next(d.content for d in built.extras if d.path == PDF_PATH)  # type: ignore[return-value]


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The titles of the PDFs WeasyPrint is asked to make."""
    made: list[str] = []
    typeset = builder.pdf.briefing_pdf

    def counting(body_html: str, title: str) -> tuple[bytes, int]:
        made.append(title)
        return typeset(body_html, title)

    monkeypatch.setattr(builder.pdf, "briefing_pdf", counting)
    return made


@settings(max_examples=examples(0.1))  # each step makes a PDF cold, about a second: 15 examples in CI
@given(st.lists(st.sampled_from(EDITS), min_size=1, max_size=5))
@example([EDITS[0], EDITS[1]])  # a PDF made, then the PDF before it again: from the store
@example([EDITS[2], EDITS[3]])  # a word the PDF does not show: the same PDF
def test_a_kept_pdf_is_the_pdf_a_cold_build_makes(tmp_path_factory: pytest.TempPathFactory, edits: list) -> None:
    kept_is_cold(tmp_path_factory.mktemp("kept"), edits, _pdf)


def kept_is_cold(folder: Path, edits: list, made: Callable[[Path, Store], object]) -> None:
    """After each of `edits` to the mini project, what `made` makes with a store kept through them
    is what it makes with an empty one."""
    root = folder / "mini"
    shutil.copytree(FIXTURES / "mini", root)
    kept = Store(folder / "store")
    made(root, kept)
    for number, edit in enumerate(edits):
        edit(root)
        cold = made(root, Store(folder / f"cold-{number}"))
        assert made(root, kept) == cold, [e.__name__ for e in edits[: number + 1]]


def test_a_pdf_whose_briefing_has_not_changed_is_not_made_again(mini: Path, tmp_path: Path, counted: list) -> None:
    store = Store(tmp_path / "store")
    first = _pdf(mini, store)
    EDITS[2](mini)  # a word in a summary, which the PDF does not show
    assert _pdf(mini, store) == first
    EDITS[0](mini)  # a finding's statement, which it shows
    changed = _pdf(mini, store)
    assert changed != first
    assert len(counted) == 2  # the first, and the one after the statement changed


@pytest.mark.parametrize("damage", ["cut short", "a byte changed", "empty"])
def test_a_damaged_store_is_made_again_and_never_used(mini: Path, tmp_path: Path, counted: list, damage: str) -> None:
    store = Store(tmp_path / "store")
    made = _pdf(mini, store)
    [kept] = (tmp_path / "store" / "pdf").iterdir()
    data = kept.read_bytes()
    spoiled = {"cut short": data[: len(data) // 2], "a byte changed": data[:-1] + bytes([data[-1] ^ 1]), "empty": b""}
    kept.write_bytes(spoiled[damage])
    assert _pdf(mini, store) == made
    assert len(counted) == 2  # made again
    assert _pdf(mini, store) == made
    assert len(counted) == 2  # and kept again, whole


def test_a_store_that_cannot_be_written_keeps_nothing_and_the_build_goes_on(mini: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    assert _pdf(mini, Store(blocked / "store")).startswith(b"%PDF")


def test_only_the_newest_pdfs_are_kept(mini: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    for n in range(6):
        replacing("mkdocs.yml", "site_name: ", f"site_name: {n}")(mini)
        _pdf(mini, store)
    assert len(list((tmp_path / "store" / "pdf").iterdir())) == 4


def _options(root: Path) -> None:
    config = root / "mkdocs.yml"  # no PDF: it is kept apart (above)
    config.write_text(config.read_text().replace("  - evidence", "  - evidence:\n      pdf: false"))


def _site(root: Path, folder: Path) -> dict[str, bytes]:
    site = build_site(root / "mkdocs.yml", folder)
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("damage", ["cut short", "a byte changed", "empty", "not writable"])
def test_compiled_templates_kept_damaged_or_not_kept_build_the_same_site(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    _options(mini)
    monkeypatch.setenv("EVIDENCE_CACHE", str(tmp_path / "store"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the two sites dated alike (the sitemap)
    cold = _site(mini, tmp_path / "cold")
    kept = sorted((tmp_path / "store" / "templates").iterdir())
    assert kept  # the theme's templates, compiled
    for path in kept:
        data = path.read_bytes()
        spoiled = {"cut short": data[: len(data) // 2], "a byte changed": data[:-1] + bytes([data[-1] ^ 1])}
        path.write_bytes(spoiled.get(damage, b""))
    if damage == "not writable":
        monkeypatch.setenv("EVIDENCE_CACHE", str(kept[0] / "store"))  # under a file: no folder can be made
    assert _site(mini, tmp_path / "again") == cold
