"""What a preview parsed is kept for the next one (builder/memo.py `keep`, `load_kept`). A check
made from it must be the check a cold run makes: after random edits, the two are equal; a kept
piece is used only for the very file it was made from, and only by the code that made it; a
damaged store is parsed again."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import builder.check
import builder.memo
import builder.validate
from builder.build import check_project
from builder.check import CheckResult
from builder.memo import Memo, keep, load_kept
from builder.store import Store
from tests.conftest import FIXTURES, examples, replacing, settings_of
from tests.test_preview import EDITS
from tests.test_store import kept_is_cold


def _checked(root: Path, store: Store) -> CheckResult:
    """A preview's first check: from what the last one kept, then kept for the next."""
    memo = Memo()
    load_kept(memo, store)
    result = check_project(settings_of(root), memo)
    memo.end_build()
    keep(memo, store)
    return result


@settings(max_examples=examples(0.5))
@given(st.lists(st.sampled_from(EDITS), min_size=1, max_size=5))
def test_a_check_from_what_an_earlier_preview_parsed_is_a_cold_check(
    tmp_path_factory: pytest.TempPathFactory, edits: list
) -> None:
    kept_is_cold(tmp_path_factory.mktemp("kept"), edits, _checked)


def _made(value: str):
    made: list[str] = []

    def make() -> str:
        made.append(value)
        return value

    return make, made


def test_a_kept_piece_is_used_only_for_the_file_it_was_made_from(tmp_path: Path) -> None:
    store = Store(tmp_path)
    first = Memo()
    first.get("source", ("a.yaml", "text"), lambda: "parsed")
    first.get("rows", ("a.yaml", "text"), lambda: "rows made")  # a kind not kept between previews
    first.end_build()
    keep(first, store)
    memo = Memo()
    load_kept(memo, store)
    make, made = _made("parsed again")
    assert memo.get("source", ("a.yaml", "text"), make) == "parsed"
    assert memo.get("source", ("a.yaml", "text "), make) == "parsed again"  # another text
    assert memo.get("source", ("b.yaml", "text"), make) == "parsed again"  # another file
    assert memo.get("rows", ("a.yaml", "text"), make) == "parsed again"
    assert made == ["parsed again"] * 3


@pytest.mark.parametrize("spoiled", ["other code", "not a pickle", "not what keep wrote"])
def test_a_store_not_kept_by_this_code_or_damaged_is_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spoiled: str
) -> None:
    store = Store(tmp_path)
    first = Memo()
    first.get("source", ("a.yaml", "text"), lambda: "parsed")
    first.end_build()
    keep(first, store)
    if spoiled == "other code":
        monkeypatch.setattr(builder.memo, "_code_key", lambda: "another version of the generator")
    else:
        [kept] = (tmp_path / "memo").iterdir()
        content = b"\x80\x05junk" if spoiled == "not a pickle" else b"\x80\x05K\x01."  # the number 1
        store.put("memo", kept.name, content)
    memo = Memo()
    load_kept(memo, store)
    make, made = _made("parsed again")
    assert memo.get("source", ("a.yaml", "text"), make) == "parsed again"
    assert made == ["parsed again"]


def test_a_date_after_today_is_judged_again_on_the_day_it_is_reached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A source's parse says whether its dates are after today: one kept yesterday must not say
    so today (the key holds the day)."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "mini", root)
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    replacing("evidence/alpha-study.yaml", "copied: 2026-01-02", f"copied: {tomorrow}")(root)
    store = Store(tmp_path / "store")
    after_today = lambda result: [p for p in result.problems if "after today" in p.message]  # noqa: E731
    assert after_today(_checked(root, store))

    class Tomorrow(dt.date):
        @classmethod
        def today(cls) -> dt.date:
            return tomorrow

    for module in (builder.check, builder.validate):
        monkeypatch.setattr(module, "dt", SimpleNamespace(date=Tomorrow), raising=False)
    assert not after_today(_checked(root, store))
