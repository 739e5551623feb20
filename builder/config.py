"""mkdocs.yml read as MkDocs reads it, for every `evidence` command (an edge module: it imports
MkDocs; the core gets plain Settings).

MkDocs' own loader reads the file (`MkDocsConfig.load_file`: `INHERIT`, `!ENV`, `!relative`
and the Python tags its users write), and MkDocs' own parser takes `plugins:` apart, whether a
list or a mapping (`Plugins._parse_configs`), so the check reads the options the build will.
builder/settings.py `options_from`, the one definition of the options, judges them, and each
problem is put at the line that gives the option, in whichever file of the `INHERIT` chain.

`Plugins._parse_configs` is not public: it was checked against MkDocs 1.6.1 (the version
pinned), and another version is refused rather than guessed at (CHECKED_WITH).
"""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path
from typing import Any

import mkdocs
import yaml
from mkdocs.config.config_options import Plugins, ValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError
from mkdocs.utils.yaml import get_yaml_loader, yaml_load

from builder.files import line_at
from builder.problems import Problem, shown_text
from builder.settings import Settings, options_from
from builder.yamlfile import Key, YamlDoc
from builder.yamlsyntax import syntax_problem

CHECKED_WITH = ("1.6.",)  # MkDocs versions whose private plugin parser was checked
PLUGIN = "evidence"
_NOT_PLUGINS = (
    "the plugins cannot be read: 'plugins:' must be a list (or a mapping) of plugins and their options",
    "write 'plugins:', and under it '  - evidence:' with the plugin's options indented below it",
)


def load_settings(config_file: Path) -> tuple[Settings, list[Problem]]:
    """The settings in mkdocs.yml, read as the build reads them; defaults where there is no file."""
    root = config_file.resolve().parent
    if not config_file.exists():
        return Settings(root), []
    try:
        config = loaded(config_file)
    except ConfigurationError as exc:
        return Settings(root), [_unreadable(config_file, exc)]
    raw, problems = _evidence_options(config.get("plugins"), config_file.name)
    options, found = options_from(raw, config_file.name)
    settings = Settings(
        root,
        options,
        site_name=str(config.get("site_name") or "Evidence briefing"),
        site_url=str(config.get("site_url") or ""),
        use_directory_urls=bool(config.get("use_directory_urls", True)),
        docs_dir=str(config.get("docs_dir") or "docs"),
    )
    return settings, problems + [_located(config_file, p) for p in found]


def loaded(config_file: Path) -> MkDocsConfig:
    """The config as MkDocs loads it (INHERIT merged, tags resolved), not validated: validating
    would load the theme and every plugin, which the check does not need."""
    if not mkdocs.__version__.startswith(CHECKED_WITH):
        raise RuntimeError(
            f"builder/config.py calls MkDocs' plugin parser as MkDocs {CHECKED_WITH[0]}x has it, but MkDocs "
            f"{mkdocs.__version__} is installed: check Plugins._parse_configs there, then CHECKED_WITH"
        )
    config = MkDocsConfig(config_file_path=str(config_file))
    with open(config_file, "rb") as fd:
        config.load_file(fd)
    return config


def _evidence_options(plugins: Any, shown: str) -> tuple[dict[str, Any], list[Problem]]:
    """The evidence plugin's options, from `plugins:` as MkDocs parses it (a list or a mapping)."""
    if plugins is None:
        return {}, []
    try:
        if not isinstance(plugins, (list, dict)):
            raise ValidationError("not a list")
        parsed = list(Plugins._parse_configs(copy.deepcopy(plugins)))
    except ValidationError:
        return {}, [Problem(shown, 1, 1, "plugins", *_NOT_PLUGINS)]
    options = next((given for name, given in parsed if name.lstrip("/") == PLUGIN), None) or {}
    if not isinstance(options, dict):
        return {}, [Problem(shown, 1, 1, f"plugins.{PLUGIN}", *_NOT_PLUGINS)]
    # MkDocs' own switch for a plugin that has no option of that name: not one of ours.
    return {k: v for k, v in options.items() if k != "enabled"}, []


def _unreadable(config_file: Path, exc: ConfigurationError) -> Problem:
    """mkdocs.yml that MkDocs cannot load: in plain words, at the line YAML stopped at."""
    cause = exc.__context__
    if isinstance(cause, yaml.MarkedYAMLError) and cause.problem_mark is not None:
        named = Path(cause.problem_mark.name)
        path = named if named.is_file() else config_file
        text = path.read_text(encoding="utf-8", errors="replace")
        if not isinstance(cause, yaml.constructor.ConstructorError):
            return syntax_problem(cause, text, _shown(config_file, path))
        line, col = cause.problem_mark.line + 1, cause.problem_mark.column + 1
        message = f"MkDocs cannot read this value: {cause.problem}"
        hint = "write it as the MkDocs documentation shows (e.g. !ENV [NAME, default])"
        return Problem(_shown(config_file, path), line, col, "", message, hint, excerpt=line_at(text, line))
    return Problem(config_file.name, 1, 1, "", f"MkDocs cannot read this file: {shown_text(str(exc), 300)}")


def _located(config_file: Path, problem: Problem) -> Problem:
    """A problem of an option, at the line that gives it: in mkdocs.yml or a file it inherits
    (the nearest that gives the option), else at the plugin's entry in the nearest file."""
    option = problem.path.removeprefix(f"plugins.{PLUGIN}.")
    entries: list[tuple[YamlDoc, Key]] = []
    for path in _chain(config_file):
        doc = YamlDoc(_shown(config_file, path), path.read_text(encoding="utf-8", errors="replace"))
        entry = next((p for p in doc.paths() if p[:1] == ("plugins",) and p[-1] == PLUGIN and len(p) <= 3), None)
        if entry is not None and (*entry, option) in doc.paths():
            return _at(problem, doc, (*entry, option))
        if entry is not None:
            entries.append((doc, entry))
    return _at(problem, *entries[0]) if entries else problem


def _at(problem: Problem, doc: YamlDoc, where: Key) -> Problem:
    at = doc.where(where, key=True)
    return dataclasses.replace(problem, file=doc.file, line=at.line, col=at.col, excerpt=line_at(doc.text, at.line))


def _chain(config_file: Path) -> list[Path]:
    """mkdocs.yml and the files it inherits, nearest first, found as MkDocs finds them."""
    chain = [config_file]
    loader = get_yaml_loader(config=MkDocsConfig(config_file_path=str(config_file)))
    while len(chain) <= 20:  # MkDocs would follow a loop for ever; the build would not get here
        data = yaml_load(chain[-1].read_text(encoding="utf-8"), loader)  # text: INHERIT not followed
        parent = data.get("INHERIT") if isinstance(data, dict) else None
        if not isinstance(parent, str):
            break
        chain.append((chain[-1].parent / parent).resolve())
    return chain


def _shown(config_file: Path, path: Path) -> str:
    """A file as problems name it: relative to mkdocs.yml's folder where it is inside it."""
    try:
        return path.resolve().relative_to(config_file.resolve().parent).as_posix()
    except ValueError:
        return path.as_posix()
