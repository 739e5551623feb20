"""A synthetic evidence base of N sources, deterministic for a seed.

Realistic in shape: about five findings per source, summaries of about 150 words, quotes
with locators on most findings, one BibTeX entry per source, eight themes. The words are
random, so nothing here is evidence of anything.
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

WORDS = (
    "commissioning",
    "leadership",
    "practice",
    "managers",
    "network",
    "clinical",
    "engagement",
    "providers",
    "patients",
    "local",
    "authority",
    "board",
    "meeting",
    "contract",
    "procurement",
    "training",
    "skills",
    "knowledge",
    "relationships",
    "integration",
    "outcomes",
    "quality",
    "productivity",
    "governance",
    "accountability",
    "population",
    "general",
    "practitioner",
    "primary",
    "care",
    "trust",
    "group",
    "locality",
    "pathway",
    "service",
    "redesign",
    "budget",
    "evidence",
)
THEMES = (
    "leadership",
    "practice-managers",
    "training-gaps",
    "relationships-and-networks",
    "clinical-engagement",
    "organisational-barriers",
    "purpose-of-commissioning",
    "patient-voice",
)
TYPES = ("study", "study", "review", "report", "commentary", "blog", "news")
MKDOCS_YML = """site_name: Benchmark briefing
use_directory_urls: false
theme:
  name: material
  font: false
plugins:
  - evidence
"""


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def _source_yaml(rng: random.Random, i: int) -> str:
    findings = []
    for f in range(rng.randint(4, 6)):
        finding = f"  - id: finding-{f + 1}\n    theme: {rng.choice(THEMES)}\n    statement: {_sentence(rng, 18)}\n"
        if rng.random() < 0.7:
            finding += f"    quote:\n      text: {_sentence(rng, 10)}\n      locator: para {rng.randint(1, 20)}\n"
        findings.append(finding)
    summary = " ".join(_sentence(rng, 15) for _ in range(10))
    return (
        f"id: source-{i:05d}\ncite: ref{i:05d}\ntype: {rng.choice(TYPES)}\ndesign: {_sentence(rng, 4)}\n"
        f"setting: {_sentence(rng, 8)}\nsample:\n  interviews: {rng.randint(5, 80)}\n"
        f"  organisations: {rng.randint(1, 12)}\nsummary: >\n  {summary}\n"
        f"findings:\n{''.join(findings)}limitations:\n  - {_sentence(rng, 12)}\n"
        f"implications:\n  - {_sentence(rng, 12)}\nadded: 2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\n"
    )


def _bib_entry(rng: random.Random, i: int) -> str:
    family = rng.choice(WORDS).capitalize() + rng.choice(WORDS)
    return (
        f"@article{{ref{i:05d},\n  author = {{{family}, A. and {rng.choice(WORDS).capitalize()}, B.}},\n"
        f"  title = {{{_sentence(rng, 9)[:-1]}}},\n  journal = {{Journal of {rng.choice(WORDS).capitalize()}}},\n"
        f"  year = {{{rng.randint(1995, 2026)}}},\n  volume = {{{rng.randint(1, 40)}}},\n"
        f"  doi = {{10.9999/bench.{i:05d}}},\n}}\n"
    )


BRIEFING = """question: What does the synthetic evidence say about commissioning?
version: "1.0"
publisher: The Benchmark Unit
editors: [A. Editor]
licence: CC BY 4.0
published: 2026-12-01
scope:
  description: Random words, in the shape of an evidence base, for measuring the tools.
  places: [England]
  from_year: 2010
methods:
  systematic_review: false
  statement: No search was made; the sources are generated.
changes:
  - date: 2026-12-01
    note: First edition.
"""
ABOUT = "# About this briefing\n\nA hand-written page, as a team adds them in docs/.\n"


def generate(root: Path, n: int, seed: int = 2026) -> Path:
    """Write an evidence base of n sources under root (emptied first); return root."""
    rng = random.Random(seed)
    shutil.rmtree(root, ignore_errors=True)
    (root / "evidence").mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "mkdocs.yml").write_text(MKDOCS_YML)
    (root / "docs" / "about.md").write_text(ABOUT)
    (root / "evidence" / "briefing.yaml").write_text(BRIEFING)
    bib, on_theme = [], {t: [] for t in THEMES}
    for i in range(n):
        text = _source_yaml(rng, i)
        (root / "evidence" / f"source-{i:05d}.yaml").write_text(text)
        for finding, theme in re.findall(r"- id: (finding-[0-9]+)\n    theme: (\S+)", text):
            on_theme[theme].append(f"source-{i:05d}/{finding}")
        bib.append(_bib_entry(rng, i))
    (root / "references.bib").write_text("\n".join(bib))
    themes = "".join(_theme_yaml(rng, t, on_theme[t]) for t in THEMES)
    (root / "evidence" / "themes.yaml").write_text("themes:\n" + themes)
    return root


def _theme_yaml(rng: random.Random, theme: str, findings: list[str]) -> str:
    """A theme, and two key messages, each supported by up to three of its findings."""
    messages = "".join(
        f"      - id: message-{m + 1}\n        statement: {_sentence(rng, 14)}\n"
        f"        supported_by: [{', '.join(findings[m * 3 : m * 3 + 3])}]\n"
        for m in range(2)
        if findings[m * 3 : m * 3 + 3]
    )
    return (
        f"  - id: {theme}\n    title: {theme.replace('-', ' ').capitalize()}\n    question: What about {theme}?\n"
        f"    description: {_sentence(rng, 20)}\n" + (f"    key_messages:\n{messages}" if messages else "")
    )
