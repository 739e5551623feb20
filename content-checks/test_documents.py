"""This repository's own documents agree with its briefing and with the generator's rules."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from builder.build import check_project
from builder.config import load_settings
from builder.model import MIN_FINDINGS, QUOTE_WORDS, SUMMARY_WORDS

ROOT = Path(__file__).resolve().parent.parent


def test_contributing_lists_the_themes_of_themes_yaml() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8").split("<!-- theme ids:")[1].split("\n\n")[0]
    listed = re.findall(r"^\| `([a-z0-9-]+)` \| ([^|]+) \|$", text, flags=re.MULTILINE)
    themes = yaml.safe_load((ROOT / "evidence" / "themes.yaml").read_text(encoding="utf-8"))["themes"]
    assert listed == [(t["id"], t["title"]) for t in themes]


def test_contributing_states_the_rules_the_check_enforces() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert f"**{SUMMARY_WORDS[0]} to {SUMMARY_WORDS[1]} words**" in text
    assert f"**at least {['zero', 'one', 'two', 'three', 'four'][MIN_FINDINGS]}**" in text
    assert f"**at most {QUOTE_WORDS} words**" in text


def test_the_themes_the_briefing_was_asked_for_have_findings_from_two_sources() -> None:
    settings, problems = load_settings(ROOT / "mkdocs.yml")
    corpus = check_project(settings).corpus
    assert problems == [] and corpus is not None
    for theme in ("leadership", "practice-managers", "training-gaps"):
        sources = {s.id for s, _ in corpus.findings_on(theme)}
        assert len(sources) >= 2, (theme, sources)
