"""mkdocs.yml read as MkDocs reads it, for every `evidence` command (an edge module: it imports
MkDocs; the core gets plain Settings).

MkDocs' own loader reads the file (`MkDocsConfig.load_file`: `INHERIT`, `!ENV`, `!relative`
and the Python tags its users write), and MkDocs' own parser takes `plugins:` apart, whether a
list or a mapping (`Plugins._parse_configs`), so the check reads the options the build will.
builder/settings.py `options_from`, the one definition of the options, judges them, and each
problem is put at the line that gives the option, in whichever file of the `INHERIT` chain.

`Plugins._parse_configs` is not public (builder/compat.py): another version of MkDocs than
the one it was checked with is refused rather than guessed at.
"""

from __future__ import annotations

import copy
import dataclasses
import os
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config.config_options import ValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError
from mkdocs.utils.yaml import get_yaml_loader, yaml_load

from builder.compat import parse_plugin_configs, unchecked_said
from builder.files import line_at, read_text
from builder.problems import Problem, quoted, shown_text
from builder.settings import INSIDE_HINT, Options, Settings, options_from, outside_project
from builder.yamlfile import Key, YamlDoc
from builder.yamlsyntax import syntax_problem

PLUGIN = "evidence"
_NOT_PLUGINS = (
    "the plugins cannot be read: 'plugins:' must be a list (or a mapping) of plugins and their options",
    "write 'plugins:', and under it '  - evidence:' with the plugin's options indented below it",
)


def load_settings(config_file: Path) -> tuple[Settings, list[Problem]]:
    """The settings in mkdocs.yml, read as the build reads them; defaults where there is no file.
    mkdocs.yml and the files it inherits are the project's own: a link, or a file outside the
    project's folder, is refused before MkDocs' loader would follow it."""
    root = config_file.parent.resolve()
    config_file = root / config_file.name  # never resolved: a link is refused, not followed
    if not os.path.lexists(config_file):
        return Settings(root), []
    _, refused = _chain(config_file)
    if refused is not None:
        return Settings(root), [refused]
    try:
        config = loaded(config_file)
    except ConfigurationError as exc:
        return Settings(root), [_unreadable(config_file, exc)]
    raw, problems = _evidence_options(config.get("plugins"), config_file.name)
    options, found = options_from(raw, config_file.name)
    theme = config.get("theme")
    custom_dir = theme.get("custom_dir") if isinstance(theme, dict) else None
    # MkDocs' defaults where mkdocs.yml is silent: said once, in Settings.
    settings = Settings(
        root,
        options,
        site_name=str(config.get("site_name") or Settings.site_name),
        site_url=str(config.get("site_url") or ""),
        use_directory_urls=bool(config.get("use_directory_urls", Settings.use_directory_urls)),
        docs_dir=str(config.get("docs_dir") or Settings.docs_dir),
        site_dir=str(config.get("site_dir") or Settings.site_dir),
        custom_dir=str(custom_dir or ""),
    )
    problems += [_located(config_file, p) for p in found]
    return settings, problems + _outside(config_file, settings)


def _outside(config_file: Path, settings: Settings) -> list[Problem]:
    """MkDocs' own settings that name a folder the build publishes from: inside the project."""
    problems = []
    for key, value in ((("docs_dir",), settings.docs_dir), (("theme", "custom_dir"), settings.custom_dir)):
        if value and outside_project(value):
            message = f"must name a folder inside the project's folder, not {quoted(value)}"
            problem = Problem(config_file.name, 1, 1, ".".join(key), message, INSIDE_HINT)
            at = next(((doc, key) for doc in _docs(config_file) if key in doc.paths()), None)
            problems.append(_at(problem, *at) if at else problem)
    return problems


def loaded(config_file: Path) -> MkDocsConfig:
    """The config as MkDocs loads it (INHERIT merged, tags resolved), not validated: validating
    would load the theme and every plugin, which the check does not need."""
    if refused := unchecked_said("reading mkdocs.yml"):
        raise RuntimeError(refused)
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
        parsed = parse_plugin_configs(copy.deepcopy(plugins))
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


def _docs(config_file: Path) -> list[YamlDoc]:
    """mkdocs.yml and the files it inherits, nearest first, for the lines of their settings."""
    chain, _ = _chain(config_file)
    return [YamlDoc(_shown(config_file, p), p.read_text(encoding="utf-8", errors="replace")) for p in chain]


def _located(config_file: Path, problem: Problem) -> Problem:
    """A problem of an option, at the line that gives it: in mkdocs.yml or a file it inherits
    (the nearest that gives the option), else at the plugin's entry in the nearest file."""
    option = problem.key_path.removeprefix(f"plugins.{PLUGIN}.")
    entries: list[tuple[YamlDoc, Key]] = []
    for doc in _docs(config_file):
        entry = next((p for p in doc.paths() if p[:1] == ("plugins",) and p[-1] == PLUGIN and len(p) <= 3), None)
        if entry is not None and (*entry, option) in doc.paths():
            return _at(problem, doc, (*entry, option))
        if entry is not None:
            entries.append((doc, entry))
    return _at(problem, *entries[0]) if entries else problem


def _at(problem: Problem, doc: YamlDoc, where: Key) -> Problem:
    at = doc.where(where, key=True)
    return dataclasses.replace(problem, file=doc.file, line=at.line, col=at.col, excerpt=line_at(doc.text, at.line))


def _chain(config_file: Path) -> tuple[list[Path], Problem | None]:
    """mkdocs.yml and the files it inherits, nearest first, found as MkDocs finds them; or the
    problem of the first that is a link, is on the way through one, or is outside the project's
    folder (MkDocs would read it, and its lines could be shown in a message)."""
    root, chain = config_file.parent, [config_file]
    loader = get_yaml_loader(config=MkDocsConfig(config_file_path=str(config_file)))
    while len(chain) <= 20:  # MkDocs would follow a loop for ever; the build would not get here
        shown = _shown(config_file, chain[-1])
        text, problems = read_text(chain[-1], shown, Options().max_file_bytes, root, check_characters=False)
        if text is None:
            return chain, problems[0]
        try:
            data = yaml_load(text, loader)  # text: INHERIT not followed
        except (yaml.YAMLError, ConfigurationError):
            break  # said by MkDocs' loader, next
        parent = data.get("INHERIT") if isinstance(data, dict) else None
        if not isinstance(parent, str):
            break
        inherited = Path(os.path.normpath(chain[-1].parent / parent))
        if not inherited.is_relative_to(root):
            message = f"the file it inherits from, {quoted(parent)}, is outside the project's folder"
            problem = Problem(shown, 1, 1, "INHERIT", message, "keep the files mkdocs.yml inherits beside it")
            return chain, _at(problem, YamlDoc(shown, text), ("INHERIT",))
        chain.append(inherited)
    return chain, None


def _shown(config_file: Path, path: Path) -> str:
    """A file as problems name it: relative to mkdocs.yml's folder where it is inside it."""
    try:
        return Path(os.path.abspath(path)).relative_to(config_file.parent).as_posix()
    except ValueError:
        return path.as_posix()
