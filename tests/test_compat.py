"""Other projects' internals (builder/compat.py): used only at the versions they were checked with."""

from __future__ import annotations

import html

from hypothesis import given, settings
from hypothesis import strategies as st

from builder import compat
from tests.conftest import examples


def test_the_installed_versions_are_those_the_internals_were_checked_with() -> None:
    # An upgrade of MkDocs or MarkupSafe fails here first: read what builder/compat.py uses in the
    # new version, then add it to compat.CHECKED.
    assert compat.unchecked() == []


def test_an_unchecked_version_is_refused_in_words(monkeypatch) -> None:
    monkeypatch.setattr(compat, "installed", lambda: {"mkdocs": "2.0.0", "markupsafe": "3.0.2"})
    said = compat.unchecked_said("the preview")
    assert said.startswith("the preview uses other projects' internals: mkdocs 2.0.0 is installed")
    assert "1.6.x" in said and "markupsafe" not in said


@settings(max_examples=examples(1))
@given(st.text())
def test_the_fallback_escapes_to_the_same_bytes(text: str) -> None:
    assert compat._escape_as_markupsafe(text) == compat.escape(text)
    assert html.unescape(compat.escape(text)) == text
