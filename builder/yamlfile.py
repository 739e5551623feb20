"""Read one YAML file into plain Python data, with the line and column of any value on demand.

PyYAML's C composer does the parsing (12x faster than the pure-Python loader); we build
values from its node tree ourselves so that we can refuse duplicate keys, aliases and
tags, and never run a Python tag.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from builder.problems import Problem

Key = tuple[str | int, ...]
DEFAULT_MAX_BYTES = 1024 * 1024
MAX_DEPTH = 40

_CONSTRUCTOR = yaml.constructor.SafeConstructor()
# Plain text (tag str) is returned as it is, before this table is consulted.
_SCALAR_BUILDERS = {
    "tag:yaml.org,2002:null": lambda node: None,
    "tag:yaml.org,2002:bool": lambda node: _CONSTRUCTOR.construct_yaml_bool(node),
    "tag:yaml.org,2002:int": lambda node: _CONSTRUCTOR.construct_yaml_int(node),
    "tag:yaml.org,2002:float": lambda node: _CONSTRUCTOR.construct_yaml_float(node),
    "tag:yaml.org,2002:timestamp": lambda node: _CONSTRUCTOR.construct_yaml_timestamp(node),
}
_COLLECTION_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
_STR = "tag:yaml.org,2002:str"


class _Loader(yaml.CSafeLoader):
    """libyaml's composer with a faster answer to "what type is this node?".

    The C composer calls back into Python to resolve the tag of every node, and PyYAML's
    resolver tries regular expressions chosen by the scalar's first character. A quoted or
    folded scalar, or a plain one whose first character starts no resolver's pattern, is
    text whatever it says (safe loading has no wildcard or path resolvers), which is most
    of an evidence file: answered here without a regular expression, loading takes a fifth
    less time. Everything else gets PyYAML's own answer.
    """

    _MAY_NOT_BE_TEXT = frozenset(k for k in yaml.CSafeLoader.yaml_implicit_resolvers if k)
    _COLLECTIONS = {yaml.SequenceNode: "tag:yaml.org,2002:seq", yaml.MappingNode: "tag:yaml.org,2002:map"}

    def resolve(self, kind: type, value: str | None, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if not implicit[0] or (value and value[0] not in self._MAY_NOT_BE_TEXT):
                return _STR
            return yaml.CSafeLoader.resolve(self, kind, value, implicit)
        return self._COLLECTIONS[kind]


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    col: int  # 1-based


@dataclass
class YamlDoc:
    """The data of one file, and how to find where a value stands when one is wrong.

    Positions are looked up only for problems, by composing the text again: the happy
    path of 10,000 files then builds no position objects at all. A file known from the
    cache is not even read: its text is None, and read from `path` if a problem needs it.
    """

    file: str
    text: str | None
    data: Any = None
    digest: bytes = b""  # cache.digest("source", text), when builder.pipeline read it
    path: Path | str | None = None

    @cached_property
    def _root(self) -> yaml.Node:
        text = self.text
        if text is None and self.path is not None:
            text = read_text(self.path, self.file, max_bytes=2**62)[0]
        return yaml.compose(text or "", Loader=_Loader)

    def where(self, path: Key, *, key: bool = False) -> Position:
        """Where `path` stands (its key, if asked and it has one), or its nearest ancestor."""
        node, key_node = self._root, None
        for depth, part in enumerate(path):
            child, key_node = _child(node, part)
            if child is None:
                return _pos(node)
            node = child
            if depth < len(path) - 1:
                key_node = None
        return _pos(key_node if key and key_node is not None else node)

    def problem(
        self, path: Key, message: str, hint: str = "", *, key: bool = False, severity: str = "error"
    ) -> Problem:
        pos = self.where(path, key=key)
        return Problem(self.file, pos.line, pos.col, format_path(path), message, hint, severity)


def _child(node: yaml.Node, part: str | int) -> tuple[yaml.Node | None, yaml.Node | None]:
    """The value node under `part`, and its key node; the first one when a key repeats."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == part:
                return value_node, key_node
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part], None
    return None, None


def format_path(path: Key) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _pos(node: yaml.Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


def _refused(shown: str, line: int, col: int, message: str, hint: str) -> tuple[None, list[Problem]]:
    """No data from this file, and why: a problem with the whole file, not one field."""
    return None, [Problem(shown, line, col, "", message, hint)]


def read_text(path: Path | str, shown: str, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str | None, list[Problem]]:
    """The file's text, or a located problem saying why it cannot be read as UTF-8 text."""
    try:
        with open(path, "rb") as file:
            raw = file.read()
    except OSError as exc:  # missing, a folder, unreadable
        return _refused(shown, 1, 1, f"cannot read the file: {exc.strerror or exc}", "check that the file exists")
    if len(raw) > max_bytes:
        return _refused(
            shown,
            1,
            1,
            f"file is {len(raw):,} bytes, over the limit of {max_bytes:,}",
            "split it, or raise max_file_bytes in mkdocs.yml if it really must be this large",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode("utf-8")  # valid up to the bad byte
        line, col = _line_col(before, len(before))
        return _refused(
            shown,
            line,
            col,
            f"file is not UTF-8 text (byte 0x{raw[exc.start]:02x})",
            "save the file with UTF-8 encoding",
        )
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
            return _refused(
                shown,
                alias.line + 1,
                alias.column + 1,
                "YAML aliases (*name) are not allowed",
                "write the value out in full",
            )
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, text, shown)]
    except yaml.reader.ReaderError as exc:  # a control character such as NUL
        line, col = _line_col(text, exc.position)
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        return _refused(
            shown,
            line,
            col,
            f"control character U+{char:04X} is not allowed",
            "remove the invisible character (retype the text around it)",
        )
    if root is None:
        return _refused(shown, 1, 1, "file is empty", "copy an existing evidence file as a start")
    builder = _Builder(shown)
    data = builder.build(root, ())
    return (None if builder.problems else YamlDoc(shown, text, data)), builder.problems


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
    """Turns a composed node tree into Python values, collecting problems."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def fail(self, node: yaml.Node, path: Key, message: str, hint: str = "") -> None:
        pos = _pos(node)
        self.problems.append(Problem(self.file, pos.line, pos.col, format_path(path), message, hint))

    def build(self, node: yaml.Node, path: Key) -> Any:
        if type(node) is yaml.ScalarNode:
            return self.scalar(node, path)
        if len(path) > MAX_DEPTH:
            self.fail(node, path, f"nesting deeper than {MAX_DEPTH} levels")
            return None
        if node.tag not in _COLLECTION_TAGS:
            self.fail(node, path, f"unsupported YAML tag '{node.tag}'", "remove the '!' tag")
            return None
        if type(node) is yaml.MappingNode:
            return self.mapping(node, path)
        return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]

    def mapping(self, node: yaml.MappingNode, path: Key) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if type(key_node) is not yaml.ScalarNode:
                self.fail(key_node, path, "a key must be a plain word, not a list or mapping")
                continue
            key = key_node.value
            if key in out:
                first = next(k for k, _ in node.value if getattr(k, "value", None) == key)
                self.fail(
                    key_node,
                    (*path, key),
                    f"duplicate key '{key}' (first given on line {_pos(first).line})",
                    "merge the two entries into one; YAML would otherwise keep only the last",
                )
                continue
            out[key] = self.build(value_node, (*path, key))
        return out

    def scalar(self, node: yaml.ScalarNode, path: Key) -> Any:
        if node.tag == _STR:
            return node.value
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
