"""Read one YAML file into plain Python data, with the line and column of any value on demand.

libyaml's C parser makes the events; the values are built from them here, not by PyYAML's
constructor, so that nothing is taken on trust: nesting is bounded while parsing (a deep
file cannot exhaust the stack); duplicate keys, aliases, anchors, tags and a second
document are refused. What each scalar says is `yamlscalar`'s to decide.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

import yaml

from builder.files import bad_character, character_problem, line_at
from builder.problems import Problem, shown_text
from builder.yamlscalar import Refused, scalar_value, unindented_block
from builder.yamlsyntax import syntax_problem

Key = tuple[str | int, ...]
MAX_DEPTH = 40


# A tuple: two for each top-level field of each file are held while the site is built
# (YamlDoc.fields), and a preview keeps them between runs (builder/memo.py), where a tuple is
# read back three times as fast as a dataclass with slots.
class Position(NamedTuple):
    line: int  # 1-based
    col: int  # 1-based


@dataclass
class YamlDoc:
    """The data of one file, and where each value stands, looked up only for a problem."""

    file: str
    text: str
    data: Any = None
    # Where each top-level field's value and key stand, noted while parsing: a note on a whole
    # source (at its id) then costs no second parse of its file.
    fields: dict[str, tuple[Position, Position]] = field(default_factory=dict)

    @cached_property
    def _positions(self) -> dict[Key, tuple[Position, Position | None]]:
        return _positions(self.text)

    def paths(self) -> Iterable[Key]:
        """The path of every value in the file."""
        return self._positions.keys()

    def where(self, path: Key, *, key: bool = False) -> Position:
        """Where `path` stands (its key, if asked and it has one), or its nearest ancestor."""
        if len(path) == 1 and path[0] in self.fields:
            value, key_at = self.fields[path[0]]  # type: ignore[index]
            return key_at if key else value
        for end in range(len(path), -1, -1):
            found = self._positions.get(path[:end])
            if found:
                value, key_at = found
                return key_at if key and key_at and end == len(path) else value
        return Position(1, 1)

    def problem(
        self, path: Key, message: str, hint: str = "", *, key: bool = False, severity: str = "error"
    ) -> Problem:
        pos = self.where(path, key=key)
        excerpt = line_at(self.text, pos.line)
        return Problem(self.file, pos.line, pos.col, format_path(path), message, hint, severity, excerpt)  # type: ignore[arg-type]


def format_path(path: Key) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _pos(mark: yaml.Mark) -> Position:
    return Position(mark.line + 1, mark.column + 1)


_SKIP = object()  # a mapping's key whose value is not kept; no document yet


class _Stop(Exception):
    """What follows would be misread, or is past a limit: the problems so far say why."""


@dataclass
class _Frame:
    """A mapping or list being read."""

    value: dict | list
    path: Key
    key: Any = None  # a mapping's key waiting for its value; _SKIP when the value is not kept
    keys: dict[str, int] | None = None  # a mapping's keys, and the line each was given on

    @property
    def wants_key(self) -> bool:
        return self.keys is not None and self.key is None

    def child_path(self) -> Key:
        if self.keys is None:
            return (*self.path, len(self.value))
        return (*self.path, self.key) if self.key is not None and self.key is not _SKIP else self.path

    def attach(self, value: Any) -> None:
        if self.keys is None:
            self.value.append(value)  # type: ignore[union-attr]
            return
        if self.key is not _SKIP:
            self.value[self.key] = value  # type: ignore[index]
        self.key = None


class _Builder:
    """Values from libyaml's events, with a problem for everything refused."""

    def __init__(self, text: str, file: str) -> None:
        self.text, self.file = text, file
        # Only escapes in quotes can make characters the file was searched for; whether it has any
        # is asked once (asked per quoted value, 1 MB of empty quotes took 6 s).
        self.escapes = "\\" in text
        self.problems: list[Problem] = []
        self.said: set[str] = set()  # the kinds of problem reported once per file
        self.fields: dict[str, tuple[Position, Position]] = {}  # top-level: value's and key's place
        self.stack: list[_Frame] = []
        self.root: Any = _SKIP  # the document's value, once read
        self._field_at: Position | None = None  # where the top-level key waiting for its value is
        self._documents = 0

    def once(self, kind: str) -> bool:
        """True the first time: one mistake repeated through a file is one problem."""
        first = kind not in self.said
        self.said.add(kind)
        return first

    def fail(self, mark: yaml.Mark, path: Key, message: str, hint: str = "") -> None:
        pos = _pos(mark)
        excerpt = line_at(self.text, pos.line)
        self.problems.append(Problem(self.file, pos.line, pos.col, format_path(path), message, hint, excerpt=excerpt))

    def child_path(self) -> Key:
        return self.stack[-1].child_path() if self.stack else ()

    def build(self) -> Any:
        """The file's one document as plain data (_SKIP if none); raises _Stop."""
        loader = yaml.CSafeLoader(self.text)
        try:
            for event in iter(loader.get_event, None):  # the C parser's events, with no generator between
                kind = type(event)
                if kind is yaml.StreamEndEvent:
                    break
                self.take(event, kind)
        finally:
            loader.dispose()
        return self.root

    def take(self, event: yaml.Event, kind: type) -> None:
        """One event: a mapping or list ends, a document starts, or a key or a value comes."""
        if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            self.put(self.stack.pop().value)
        elif kind is yaml.DocumentStartEvent:
            self._documents += 1
            if self._documents > 1:
                self.fail(event.start_mark, (), "a line '---' starts a second document in this file", "delete the line")
                raise _Stop
        elif self.stack and self.stack[-1].wants_key:
            if kind is yaml.ScalarEvent:
                self.key(self.stack[-1], event)  # type: ignore[arg-type]
                return
            if kind is yaml.AliasEvent:
                self.alias(event)
            else:
                self.fail(
                    event.start_mark, self.stack[-1].path, "a field name must be a plain word, not a list or mapping"
                )
            raise _Stop
        else:
            self.note_field(event)
            if kind is yaml.ScalarEvent:
                self.put(self.scalar(event))  # type: ignore[arg-type]
            elif kind is yaml.AliasEvent:
                self.alias(event)
                self.put(None)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                self.open(event, kind)

    def put(self, value: Any) -> None:
        if self.stack:
            self.stack[-1].attach(value)
        else:
            self.root = value

    def note_field(self, event: yaml.Event) -> None:
        """Where a top-level field's value starts, beside where its key is."""
        if len(self.stack) == 1 and self._field_at and isinstance(self.stack[0].key, str):
            self.fields.setdefault(self.stack[0].key, (_pos(event.start_mark), self._field_at))
            self._field_at = None

    def open(self, event: yaml.Event, kind: type) -> None:
        """A mapping or list starts: bounded in depth, so a deep file cannot exhaust the stack."""
        path = self.child_path()
        if len(self.stack) >= MAX_DEPTH:
            self.fail(
                event.start_mark,
                (),
                f"the file is nested more than {MAX_DEPTH} levels deep",
                "an evidence file needs a few levels only: check the '- ' and the indentation here",
            )
            raise _Stop
        self.refuse_marks(event, path)  # type: ignore[arg-type]
        mapping = kind is yaml.MappingStartEvent
        self.stack.append(_Frame({} if mapping else [], path, keys={} if mapping else None))

    def alias(self, event: yaml.Event) -> None:
        if self.once("alias"):
            self.fail(
                event.start_mark,
                self.child_path(),
                "a value that starts with '*' is read by YAML as a reference to another value",
                "put the text in quotes, or write the value out in full",
            )

    def key(self, frame: _Frame, event: yaml.ScalarEvent) -> None:
        """A mapping's key: a plain name, given once; else its value is not kept."""
        # One string for a field's name in all files, rather than one in each (YamlDoc.fields holds them).
        name, seen = sys.intern(event.value), frame.keys
        assert seen is not None
        path = (*frame.path, name)
        refused = self.refuse_marks(event, path)
        # Only a double-quoted name's escapes can make an invisible character (the file was searched).
        invisible = event.style == '"' and bad_character(name) is not None
        if invisible:
            self.fail(event.start_mark, frame.path, "this field name holds an invisible character", "retype it")
        elif name in seen and not refused:
            self.fail(
                event.start_mark,
                path,
                f"the field '{shown_text(name)}' is given twice (first on line {seen[name]})",
                "merge the two into one; otherwise one of them would be lost",
            )
        if refused or invisible or name in seen:
            frame.key = _SKIP
            return
        seen[name] = event.start_mark.line + 1
        frame.key = name
        if not frame.path:
            self._field_at = _pos(event.start_mark)

    def refuse_marks(self, event: yaml.NodeEvent, path: Key) -> bool:
        """Anchors (&name) and tags (!name) change how YAML reads a value: refused."""
        mark = _mark(event)
        if mark and self.once(mark[0]):
            self.fail(event.start_mark, path, mark[1], "put the whole text in quotes")
        return mark is not None

    def scalar(self, event: yaml.ScalarEvent) -> Any:
        """The value, or None with a problem."""
        if (event.anchor is not None or event.tag is not None) and self.refuse_marks(event, self.child_path()):
            return None
        if event.style in ("|", ">") and not event.value:
            unindented = unindented_block(event, self.text, self.file)
            if unindented:
                self.problems = [unindented]
                raise _Stop
        try:
            return scalar_value(event, self.text, self.escapes)
        except Refused as refused:
            self.fail(event.start_mark, self.child_path(), refused.message, refused.hint)
            return None


def _mark(event: yaml.NodeEvent) -> tuple[str, str] | None:
    """The anchor or tag a value starts with, if any: its kind, and what YAML does with it."""
    tag = getattr(event, "tag", None)
    if event.anchor is not None:
        shown, means = "&" + shown_text(event.anchor), "a name for it"
    elif tag is not None and tag != "!":
        written = "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag
        shown, means = shown_text(written), "a type"
    else:
        return None
    kind = "anchor" if event.anchor is not None else "tag"
    return kind, f"'{shown}' at the start of a value is read by YAML as {means}, and is dropped from the text"


def parse_yaml(text: str, shown: str) -> tuple[YamlDoc | None, list[Problem]]:
    bad = bad_character(text)
    if bad is not None:
        return None, [character_problem(text, shown, bad)]
    builder = _Builder(text, shown)
    try:
        data = builder.build()
    except _Stop:
        return None, builder.problems
    except yaml.MarkedYAMLError as exc:
        return None, [syntax_problem(exc, text, shown)]
    except yaml.reader.ReaderError as exc:  # characters YAML does not allow
        return None, [character_problem(text, shown, min(exc.position, len(text) - 1))]
    if builder.problems:
        return None, builder.problems
    if data is _SKIP or data is None:
        return None, [Problem(shown, 1, 1, "", "the file is empty", "copy an existing file as a start")]
    return YamlDoc(shown, text, data, builder.fields), []


def _positions(text: str) -> dict[Key, tuple[Position, Position | None]]:
    """Where each value stands (and its key, for a mapping's values), by path."""
    found: dict[Key, tuple[Position, Position | None]] = {}
    # Each open mapping or list: [its path, is a mapping, its next key or index, that key's position].
    stack: list[list[Any]] = []
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            kind = type(event)
            starts = kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent
            if starts or kind is yaml.ScalarEvent or kind is yaml.AliasEvent:
                frame = stack[-1] if stack else None
                if frame and frame[1] and frame[2] is None:  # a key
                    frame[2], frame[3] = getattr(event, "value", None), _pos(event.start_mark)
                    continue
                path = (*frame[0], frame[2]) if frame else ()
                found.setdefault(path, (_pos(event.start_mark), frame[3] if frame and frame[1] else None))
                if starts:
                    mapping = kind is yaml.MappingStartEvent
                    stack.append([path, mapping, None if mapping else 0, None])
                elif frame:
                    _advance(frame)
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                stack.pop()
                if stack:
                    _advance(stack[-1])
    except yaml.YAMLError:
        pass
    return found


def _advance(frame: list[Any]) -> None:
    if frame[1]:
        frame[2], frame[3] = None, None
    else:
        frame[2] += 1
