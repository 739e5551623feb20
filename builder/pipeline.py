"""load -> validate -> link: the whole check, as one plain function over a project folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from builder.bib import DEFAULT_MAX_BIB_BYTES, read_bib
from builder.corpus import Corpus, Entry, link
from builder.gcpause import paused_gc
from builder.model import Source, ThemesFile
from builder.problems import Problem, errors
from builder.validate import validate
from builder.yamlfile import DEFAULT_MAX_BYTES, YamlDoc, load_yaml


@dataclass(frozen=True)
class Project:
    """Where the evidence base lives. Paths are relative to `root`, and shown that way in errors."""

    root: Path
    evidence_dir: str = "evidence"
    themes_file: str = "evidence/themes.yaml"
    bib_file: str = "references.bib"
    max_file_bytes: int = DEFAULT_MAX_BYTES
    max_bib_bytes: int = DEFAULT_MAX_BIB_BYTES

    def evidence_files(self) -> list[Path]:
        folder = self.root / self.evidence_dir
        if not folder.is_dir():
            return []
        files = [p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p != self.root / self.themes_file]
        return sorted(files)

    def shown(self, path: Path) -> str:
        """The path as errors show it: relative to the project root."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            try:
                return path.resolve().relative_to(self.root.resolve()).as_posix()
            except ValueError:
                return path.as_posix()


@dataclass(frozen=True)
class CheckResult:
    corpus: Corpus | None  # None when any error was found
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return self.corpus is not None


def check(project: Project) -> CheckResult:
    with paused_gc():
        return _check(project)


def _check(project: Project) -> CheckResult:
    problems: list[Problem] = []
    themes_doc, found = load_yaml(project.root / project.themes_file, project.themes_file, project.max_file_bytes)
    problems += found
    themes_file = None
    if themes_doc is not None:
        themes_file, found = validate(themes_doc, ThemesFile)
        problems += found
        problems += _duplicate_theme_ids(themes_file, themes_doc) if themes_file else []
    references, found = read_bib(project.root / project.bib_file, project.bib_file, project.max_bib_bytes)
    problems += found
    entries = []
    for path in project.evidence_files():
        entry, found = load_source(project, path)
        problems += found
        if entry is not None:
            entries.append(entry)
    themes = list(themes_file.themes) if themes_file else []
    corpus, found = link(themes, themes_doc, entries, references, project.bib_file)
    problems += found
    return CheckResult(None if errors(problems) else corpus, tuple(problems))


def load_source(project: Project, path: Path) -> tuple[Entry | None, list[Problem]]:
    shown = project.shown(path)
    if path.suffix != ".yaml":
        return None, [Problem(shown, 1, 1, "", "evidence files end in .yaml", f"rename it to {path.stem}.yaml")]
    doc, problems = load_yaml(path, shown, project.max_file_bytes)
    if doc is None:
        return None, problems
    source, problems = validate(doc, Source)
    return (Entry(source, doc) if source else None), problems


def _duplicate_theme_ids(themes_file: ThemesFile, doc: YamlDoc) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for i, theme in enumerate(themes_file.themes):
        if theme.id in seen:
            problems.append(doc.problem(("themes", i, "id"), f"theme id '{theme.id}' is defined twice"))
        seen.add(theme.id)
    return problems
