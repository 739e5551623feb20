"""Read one YAML file into plain Python data plus the line and column of every node.

PyYAML's C composer does the parsing (12x faster than the pure-Python loader);
we build values from its node tree ourselves so that we can keep positions,
refuse duplicate keys and aliases, and never run a Python tag.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from builder.problems import Problem

Key = tuple[str | int, ...]
DEFAULT_MAX_BYTES = 1024 * 1024
MAX_DEPTH = 40

_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_SCALAR_BUILDERS = {
    "tag:yaml.org,2002:str": lambda node: node.value,
    "tag:yaml.org,2002:null": lambda node: None,
    "tag:yaml.org,2002:bool": lambda node: _CONSTRUCTOR.construct_yaml_bool(node),
    "tag:yaml.org,2002:int": lambda node: _CONSTRUCTOR.construct_yaml_int(node),
    "tag:yaml.org,2002:float": lambda node: _CONSTRUCTOR.construct_yaml_float(node),
    "tag:yaml.org,2002:timestamp": lambda node: _CONSTRUCTOR.construct_yaml_timestamp(node),
}
_COLLECTION_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    col: int  # 1-based


@dataclass
class YamlDoc:
    """The data of one file and where each value (and each mapping key) stands."""

    file: str
    data: Any = None
    values: dict[Key, Position] = field(default_factory=dict)
    keys: dict[Key, Position] = field(default_factory=dict)

    def where(self, path: Key, *, key: bool = False) -> Position:
        """The position of `path`, or of its nearest located ancestor."""
        table = self.keys if key else self.values
        for cut in range(len(path), -1, -1):
            pos = table.get(path[:cut]) or self.values.get(path[:cut])
            if pos:
                return pos
        return Position(1, 1)

    def problem(
        self, path: Key, message: str, hint: str = "", *, key: bool = False, severity: str = "error"
    ) -> Problem:
        pos = self.where(path, key=key)
        return Problem(self.file, pos.line, pos.col, format_path(path), message, hint, severity)


def format_path(path: Key) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _pos(node: yaml.Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


def read_text(path: Path, shown: str, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str | None, list[Problem]]:
    """The file's text, or a located problem saying why it cannot be read as UTF-8 text."""
    raw = path.read_bytes()
    if len(raw) > max_bytes:
        return None, [
            Problem(
                shown,
                1,
                1,
                "",
                f"file is {len(raw):,} bytes, over the limit of {max_bytes:,}",
                "split it, or raise max_file_bytes in mkdocs.yml if it really must be this large",
            )
        ]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            Problem(
                shown,
                line,
                col,
                "",
                f"file is not UTF-8 text (byte 0x{raw[exc.start]:02x})",
                "save the file with UTF-8 encoding",
            )
        ]
    # A byte-order mark is what some Windows editors write; it carries no content, so drop it.
    return text.removeprefix("\ufeff"), []


def load_yaml(path: Path, shown: str, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[YamlDoc | None, list[Problem]]:
    text, problems = read_text(path, shown, max_bytes)
    if text is None:
        return None, problems
    return parse_yaml(text, shown)


def parse_yaml(text: str, shown: str) -> tuple[YamlDoc | None, list[Problem]]:
    try:
        if "*" in text and (alias := _first_alias(text)):
            # Refused before composing: an alias bomb ("billion laughs") never expands.
            return None, [
                Problem(
                    shown,
                    alias.line + 1,
                    alias.column + 1,
                    "",
                    "YAML aliases (*name) are not allowed",
                    "write the value out in full",
                )
            ]
        root = yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, text, shown)]
    except yaml.reader.ReaderError as exc:  # a control character such as NUL
        line, col = _line_col(text, exc.position)
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        return None, [
            Problem(
                shown,
                line,
                col,
                "",
                f"control character U+{char:04X} is not allowed",
                "remove the invisible character (retype the text around it)",
            )
        ]
    if root is None:
        return None, [Problem(shown, 1, 1, "", "file is empty", "copy an existing evidence file as a start")]
    doc = YamlDoc(shown)
    builder = _Builder(doc)
    doc.data = builder.build(root, ())
    return (None if builder.problems else doc), builder.problems


def _first_alias(text: str) -> yaml.Mark | None:
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, yaml.AliasEvent):
            return event.start_mark
    return None


def _line_col(text: str, position: int) -> tuple[int, int]:
    line = text.count("\n", 0, position) + 1
    return line, position - (text.rfind("\n", 0, position) + 1) + 1


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, shown: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = mark.line + 1, mark.column + 1
    lines = text.splitlines()
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    message = f"YAML syntax error: {exc.problem}"
    if exc.context:
        started = exc.context_mark.line + 1 if exc.context_mark else line
        message += f" ({exc.context}" + (f" that starts on line {started})" if started != line else ")")
    hint = "indent with spaces, never tabs" if "\t" in source else "check indentation and quoting near here"
    caret = f"\n        {source}\n        {' ' * (col - 1)}^" if source.strip() else ""
    return Problem(shown, line, col, "", message + caret, hint)


class _Builder:
    """Turns a composed node tree into Python values, recording positions and problems."""

    def __init__(self, doc: YamlDoc) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def fail(self, node: yaml.Node, path: Key, message: str, hint: str = "") -> None:
        pos = _pos(node)
        self.problems.append(Problem(self.doc.file, pos.line, pos.col, format_path(path), message, hint))

    def build(self, node: yaml.Node, path: Key) -> Any:
        self.doc.values[path] = _pos(node)
        if len(path) > MAX_DEPTH:
            self.fail(node, path, f"nesting deeper than {MAX_DEPTH} levels")
            return None
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _COLLECTION_TAGS:
            self.fail(node, path, f"unsupported YAML tag '{node.tag}'", "remove the '!' tag")
            return None
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self.scalar(node, path)

    def mapping(self, node: yaml.MappingNode, path: Key) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(key_node, path, "a key must be a plain word, not a list or mapping")
                continue
            key = key_node.value
            if key in out:
                first = self.doc.keys[(*path, key)]
                self.fail(
                    key_node,
                    (*path, key),
                    f"duplicate key '{key}' (first given on line {first.line})",
                    "merge the two entries into one; YAML would otherwise keep only the last",
                )
                continue
            self.doc.keys[(*path, key)] = _pos(key_node)
            out[key] = self.build(value_node, (*path, key))
        return out

    def scalar(self, node: yaml.ScalarNode, path: Key) -> Any:
        builder = _SCALAR_BUILDERS.get(node.tag)
        if builder is None:
            self.fail(node, path, f"unsupported YAML tag '{node.tag}'", "remove the '!' tag and write plain text")
            return None
        try:
            return builder(node)
        except (ValueError, TypeError, OverflowError):
            self.fail(
                node,
                path,
                f"'{node.value}' is not a valid {node.tag.rsplit(':', 1)[-1]}",
                "dates are written YYYY-MM-DD; quote the value to make it text",
            )
            return None
