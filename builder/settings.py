"""The one definition of the project's settings, and how they are read from mkdocs.yml.

`Options` lists the `evidence` plugin's options with their defaults: the MkDocs plugin's
config class is made from it (builder/mkdocs_plugin.py), and every `evidence` command reads
mkdocs.yml as MkDocs does (builder/config.py `load_settings`, at the edge) and judges the
options here, so the check and the build always agree.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field, fields
from pathlib import Path, PurePosixPath
from typing import Any

from builder.problems import Problem, did_you_mean, quoted

TEXTS_ENV = "EVIDENCE_SOURCE_TEXTS"


@dataclass(frozen=True)
class Options:
    """The `evidence` plugin's options in mkdocs.yml. Paths are relative to mkdocs.yml."""

    evidence_dir: str = "evidence"
    themes_file: str = "evidence/themes.yaml"
    # The briefing's title, question, scope and methods, and editors' notes of changes.
    briefing_file: str = "evidence/briefing.yaml"
    bib_file: str = "references.bib"
    # Where stored source texts that may be republished are (quotes and figures are checked
    # against them); the folders EVIDENCE_SOURCE_TEXTS names, for texts kept privately, are
    # searched after it (Settings.texts_folders).
    source_texts: str = "source-texts"
    # The editors' record of the stored texts they reviewed (CODEOWNERS gives it to them).
    text_reviews: str = "evidence/text-reviews.yaml"
    # The editors' appraisals of sources and ratings of findings (CODEOWNERS gives it to them).
    appraisals: str = "evidence/appraisals.yaml"
    # Fail when a source's named stored text cannot be found (`--require-texts`), so that a
    # site published without its texts cannot silently show its quotes as unchecked.
    require_texts: bool = False
    # e.g. https://github.com/ORG/REPO/edit/main/ ; empty: pages name the file without a link.
    edit_url: str = ""
    # Repository files published as pages, e.g. {contributing.md: CONTRIBUTING.md}.
    extra_pages: dict = field(default_factory=dict)
    # Theme pages, the source list and the references split into parts of this many items.
    page_size: int = 200
    # A theme whose sources are all older than this (in years) has a gap.
    max_age_years: int = 10
    # The size limit of one evidence file, and of references.bib.
    max_file_bytes: int = 1024 * 1024
    # A reference manager's export of 4,000 entries with their abstracts is 5.5 MB (read in 1.3 s).
    max_bib_bytes: int = 8 * 1024 * 1024
    # A .csl style file to format references with; empty: the built-in Harvard style.
    csl_style: str = ""
    # Typeset the briefing as downloads/briefing.pdf (needs the Pango library).
    pdf: bool = True


OPTION_TYPES: dict[str, type] = {f.name: type(getattr(Options(), f.name)) for f in fields(Options)}
# The options that name a file or folder: each must stay inside the project's folder, since
# what they name is read, and may be published (extra_pages' files; a source text's quotes).
PATH_OPTIONS = (
    "evidence_dir",
    "themes_file",
    "briefing_file",
    "bib_file",
    "source_texts",
    "text_reviews",
    "appraisals",
    "csl_style",
)


@dataclass(frozen=True)
class TextsFolder:
    """A folder searched for stored texts, and its name as the user knows it."""

    path: Path
    shown: str  # e.g. "source-texts/", or "../shared/sources/" as written in EVIDENCE_SOURCE_TEXTS
    private: bool  # named by EVIDENCE_SOURCE_TEXTS: the operator's choice, which a contribution cannot reach


@dataclass(frozen=True)
class Settings:
    """Everything the core reads about a project: the plugin's options and a few site settings."""

    root: Path
    options: Options = Options()
    site_name: str = "Evidence briefing"
    site_url: str = ""
    use_directory_urls: bool = True  # MkDocs' default, as builder/config.py reads mkdocs.yml
    docs_dir: str = "docs"
    # Where the site is built (relative to root), only for the check that it is no link: no
    # page depends on it, so it is left out of the memo's keys (repr) and of comparisons.
    site_dir: str = field(default="site", repr=False, compare=False)
    custom_dir: str = ""  # the theme's own folder of templates and files (theme.custom_dir), if any

    def path(self, relative: str) -> Path:
        return self.root / relative

    @property
    def texts_folders(self) -> tuple[TextsFolder, ...]:
        """Where stored texts are looked for, in this order, the first folder that has a text
        winning: the source_texts option (relative to mkdocs.yml), then each folder of
        EVIDENCE_SOURCE_TEXTS (a list separated by os.pathsep, as PATH is; relative to the
        current folder, as a shell user means it). The repository's own folder comes first so
        that a committed text is checked alike on every machine, whatever folders it has."""
        own = self.root / self.options.source_texts
        folders = [TextsFolder(own, self.shown(own) + "/", private=False)]
        for entry in os.environ.get(TEXTS_ENV, "").split(os.pathsep):
            if entry:
                folders.append(TextsFolder(Path(entry).resolve(), entry.rstrip("/") + "/", private=True))
        return tuple(folders)

    def shown(self, path: Path | str) -> str:
        """A path as problems show it: relative to the project root."""
        text, root = str(path), str(self.root) + os.sep
        return text[len(root) :].replace(os.sep, "/") if text.startswith(root) else Path(text).as_posix()


def options_from(raw: dict[str, Any], where: str = "mkdocs.yml") -> tuple[Options, list[Problem]]:
    """The plugin's options from their mkdocs.yml mapping, with a problem for each wrong one
    (at line 1: builder/config.py puts it at the option's line)."""
    problems, given = [], {}
    for name, value in raw.items():
        if name not in OPTION_TYPES:
            hint = "the evidence plugin's options are: " + ", ".join(OPTION_TYPES)
            message = f"unknown option '{name}'{did_you_mean(name, OPTION_TYPES)}"
            problems.append(Problem(where, 1, 1, f"plugins.evidence.{name}", message, hint))
        elif type(value) is not OPTION_TYPES[name]:  # not isinstance: true is not a whole number
            expected, example = _EXPECTED[OPTION_TYPES[name]]
            message = f"must be {expected}, not {quoted(value) if isinstance(value, str) else _said(value)}"
            problems.append(Problem(where, 1, 1, f"plugins.evidence.{name}", message, f"write it as {example}"))
        elif _outside(name, value):
            problems.append(Problem(where, 1, 1, f"plugins.evidence.{name}", _outside(name, value), INSIDE_HINT))
        else:
            given[name] = value
    return dataclasses.replace(Options(), **given), problems


INSIDE_HINT = "give it relative to mkdocs.yml, without '..'"


def outside_project(path: str) -> bool:
    """Whether a configured path could name something outside the project's folder."""
    pure = PurePosixPath(path.replace("\\", "/"))
    return pure.is_absolute() or ".." in pure.parts or path.startswith("~")


def _outside(name: str, value: Any) -> str:
    """What is wrong with a path option's value, if it could leave the project's folder ('')."""
    if name in PATH_OPTIONS:
        return f"must name a file or folder inside the project's folder, not {quoted(value)}" * outside_project(value)
    if name == "extra_pages":
        for page, file in value.items():
            plain = isinstance(page, str) and isinstance(file, str)
            if not plain or outside_project(page) or not page.endswith(".md") or outside_project(file):
                return (
                    "each page is a name ending in .md and a file inside the project's folder, "
                    f"not {quoted(page)}: {quoted(file)}"
                )
    return ""


_EXPECTED = {
    str: ("text", "text, in quotes if it holds ': '"),
    int: ("a whole number", "digits only, e.g. 200"),
    bool: ("true or false", "true or false, without quotes"),
    dict: ("a mapping", "'name: value' lines indented under the option"),
}


def _said(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return str(value).lower()
    return {list: "a list", dict: "a mapping"}.get(type(value), str(value))
