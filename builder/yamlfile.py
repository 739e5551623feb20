"""Read one YAML file into plain Python data, with the line and column of any value on demand.

libyaml's C parser makes the events; the values are built from them here, not by PyYAML's
constructor, so that nothing is taken on trust: nesting is bounded while parsing (a deep
file cannot exhaust the stack), duplicate keys, aliases, anchors and tags are refused,
and plain values are read by YAML 1.2's core rules plus dates, with bounded numbers
(no base-60, hexadecimal or octal integers to make a huge number from a small file).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import yaml

from builder.files import bad_character, character_problem, invisible_message, line_at, line_col, line_start
from builder.problems import Problem, quoted, shown_text
from builder.yamlsyntax import syntax_problem

Key = tuple[str | int, ...]
MAX_DEPTH = 40
MAX_DIGITS = 15

_NULL = frozenset(("", "~", "null", "Null", "NULL"))
_TRUE = frozenset(("true", "True", "TRUE"))
_FALSE = frozenset(("false", "False", "FALSE"))
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_OTHER_BASE = re.compile(r"[-+]?0[xXoObB][0-9a-fA-F_]+")
# ' #' then a word: a comment to YAML, but most likely words a contributor meant ("#1 priority").
_WORDS_AS_COMMENT = re.compile(r"[ \t]+#\S")
_FIELD_LINE = re.compile(r"\s*(?:-\s+)?[A-Za-z_][\w-]*:(?:\s|$)")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


@dataclass(frozen=True)
class Position:
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

    def locate(self, path: Key, needle: str) -> Position | None:
        """Where `needle` first stands, as a word, in the value at `path` or after it."""
        at = self.where(path)
        lines = self.text.split("\n")
        start = sum(len(line) + 1 for line in lines[: at.line - 1]) + at.col - 1
        found = re.compile(r"(?<![\w.,-])" + re.escape(needle) + r"(?![\w-])").search(self.text, start)
        return Position(*line_col(self.text, found.start())) if found else None

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


class _Unindented(Exception):
    """A block's text is not indented under its field: what follows would be misread."""


class _Refused(Exception):
    """A value that is not read: why, and how to fix it."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


def _plain(text: str) -> Any:
    """A plain (unquoted) value as YAML 1.2's core schema reads it, plus dates."""
    if text in _NULL:
        return None
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    first = text[0]
    if not (first.isdigit() or first in "+-."):
        return text  # most values: text, decided without a regular expression
    if _INT.fullmatch(text):
        if len(text.lstrip("+-")) > MAX_DIGITS:
            raise _Refused(f"the number {quoted(text)} is too long", "give the figure the source gives")
        return int(text)
    if _OTHER_BASE.fullmatch(text):
        raise _Refused(f"{quoted(text)} is a number in another base", "write the number in ordinary digits, e.g. 41")
    if _FLOAT.fullmatch(text):
        if len(text) > 2 * MAX_DIGITS:
            raise _Refused(f"the number {quoted(text)} is too long", "give the figure the source gives")
        return float(text)
    if date := _DATE.fullmatch(text):
        return _date(text, *(int(part) for part in date.groups()))
    return text


def _date(text: str, year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        why = f"there is no month {month}" if not 1 <= month <= 12 else f"that month has no day {day}"
        raise _Refused(f"{text} is not a real date: {why}", "write the date as YYYY-MM-DD, e.g. 2026-11-24") from None


@dataclass
class _Frame:
    value: dict | list
    path: Key
    key: Any = None  # a mapping's key waiting for its value; _SKIP when the value is not kept
    keys: dict[str, int] | None = None  # a mapping's keys, and the line each was given on


_SKIP = object()
_STOP = object()


class _Builder:
    """Values from libyaml's events, with a problem for everything refused."""

    def __init__(self, text: str, file: str) -> None:
        self.text, self.file = text, file
        self.problems: list[Problem] = []
        self.said: set[str] = set()  # the kinds of problem reported once per file
        self.fields: dict[str, tuple[Position, Position]] = {}  # top-level: value's and key's place
        self._field_at: Position | None = None  # where the top-level key waiting for its value is

    def once(self, kind: str) -> bool:
        """True the first time: one mistake repeated through a file is one problem."""
        first = kind not in self.said
        self.said.add(kind)
        return first

    def fail(self, mark: yaml.Mark, path: Key, message: str, hint: str = "") -> None:
        pos = _pos(mark)
        excerpt = line_at(self.text, pos.line)
        self.problems.append(Problem(self.file, pos.line, pos.col, format_path(path), message, hint, excerpt=excerpt))

    def build(self) -> Any:
        stack: list[_Frame] = []
        root: Any = _SKIP
        documents = 0
        loader = yaml.CSafeLoader(self.text)
        try:
            for event in iter(loader.get_event, None):  # the C parser's events, with no generator between
                kind = type(event)
                wants_key = bool(stack) and stack[-1].keys is not None and stack[-1].key is None
                if len(stack) == 1 and not wants_key and self._field_at and isinstance(stack[0].key, str):
                    self.fields.setdefault(stack[0].key, (_pos(event.start_mark), self._field_at))
                    self._field_at = None
                if kind is yaml.ScalarEvent:
                    if wants_key:
                        self.take_key(stack[-1], event)
                    else:
                        value = self.scalar(event, stack)
                        root = self.attach(stack, value) if stack else value
                    continue
                if kind is yaml.StreamEndEvent:
                    break
                documents += kind is yaml.DocumentStartEvent
                if documents > 1:
                    self.fail(
                        event.start_mark, (), "a line '---' starts a second document in this file", "delete the line"
                    )
                    return _SKIP
                root = self.structure(event, kind, stack, wants_key, root)
                if root is _STOP:
                    return _SKIP
        finally:
            loader.dispose()
        return root

    def structure(self, event: yaml.Event, kind: type, stack: list[_Frame], wants_key: bool, root: Any) -> Any:
        """A mapping or list that opens or closes, or an alias: the root so far, or _STOP."""
        if kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            path = self.child_path(stack)
            if wants_key:
                self.fail(event.start_mark, path, "a field name must be a plain word, not a list or mapping")
                return _STOP
            if len(stack) >= MAX_DEPTH:
                self.fail(
                    event.start_mark,
                    (),
                    f"the file is nested more than {MAX_DEPTH} levels deep",
                    "an evidence file needs a few levels only: check the '- ' and the indentation here",
                )
                return _STOP
            self.refuse_marks(event, path)
            mapping = kind is yaml.MappingStartEvent
            stack.append(_Frame({} if mapping else [], path, keys={} if mapping else None))
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            frame = stack.pop()
            return self.attach(stack, frame.value) if stack else frame.value
        elif kind is yaml.AliasEvent:
            if self.once("alias"):
                self.fail(
                    event.start_mark,
                    self.child_path(stack),
                    "a value that starts with '*' is read by YAML as a reference to another value",
                    "put the text in quotes, or write the value out in full",
                )
            if wants_key:
                return _STOP
            return self.attach(stack, None) if stack else None
        return root

    def child_path(self, stack: list[_Frame]) -> Key:
        if not stack:
            return ()
        frame = stack[-1]
        if frame.keys is None:
            return (*frame.path, len(frame.value))
        return (*frame.path, frame.key) if frame.key is not None and frame.key is not _SKIP else frame.path

    def attach(self, stack: list[_Frame], value: Any) -> Any:
        frame = stack[-1]
        if frame.keys is None:
            frame.value.append(value)  # type: ignore[union-attr]
        else:
            if frame.key is not _SKIP:
                frame.value[frame.key] = value  # type: ignore[index]
            frame.key = None
        return _SKIP

    def take_key(self, frame: _Frame, event: yaml.ScalarEvent) -> None:
        assert frame.keys is not None
        name = event.value
        path = (*frame.path, name)
        # Only a double-quoted name's escapes can make an invisible character (the file was searched).
        invisible = event.style == '"' and bad_character(name) is not None
        if self.refuse_marks(event, path) or invisible:
            if invisible:
                self.fail(event.start_mark, frame.path, "this field name holds an invisible character", "retype it")
            frame.key = _SKIP
            return
        if name in frame.keys:
            self.fail(
                event.start_mark,
                path,
                f"the field '{shown_text(name)}' is given twice (first on line {frame.keys[name]})",
                "merge the two into one; otherwise one of them would be lost",
            )
            frame.key = _SKIP
            return
        frame.keys[name] = event.start_mark.line + 1
        frame.key = name
        if not frame.path:
            self._field_at = _pos(event.start_mark)

    def refuse_marks(self, event: yaml.NodeEvent, path: Key) -> bool:
        """Anchors (&name) and tags (!name) change how YAML reads a value: refused."""
        if event.anchor is not None:
            if not self.once("anchor"):
                return True
            self.fail(
                event.start_mark,
                path,
                f"'&{shown_text(event.anchor)}' at the start of a value is read by YAML as a name for it, "
                "and is dropped from the text",
                "put the whole text in quotes",
            )
            return True
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!":
            if not self.once("tag"):
                return True
            written = "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag
            self.fail(
                event.start_mark,
                path,
                f"'{shown_text(written)}' at the start of a value is read by YAML as a type, "
                "and is dropped from the text",
                "put the whole text in quotes",
            )
            return True
        return False

    def scalar(self, event: yaml.ScalarEvent, stack: list[_Frame]) -> Any:
        if (event.anchor is not None or event.tag is not None) and self.refuse_marks(event, self.child_path(stack)):
            return None
        value = event.value
        # The file was searched for invisible characters before parsing; only the escapes of
        # double-quoted text (\x80, \e, \u202e) can make more.
        bad = bad_character(value) if event.style == '"' and "\\" in self.text else None
        if bad is not None:
            path = self.child_path(stack)
            self.fail(
                event.start_mark,
                path,
                invisible_message(value, bad, f"character {bad + 1} of the text that starts here"),
                "delete it (retype the words around it); a \\x or \\u escape in quotes makes such characters too",
            )
            return None
        if event.style in ("|", ">") and not value and self.text_not_indented(event):
            raise _Unindented
        if event.style:  # quoted, or a literal (|) or folded (>) block: text
            return value
        if self.loses_words(event, stack):
            return None
        try:
            return _plain(value)
        except _Refused as refused:
            self.fail(event.start_mark, self.child_path(stack), refused.message, refused.hint)
            return None

    def text_not_indented(self, event: yaml.ScalarEvent) -> bool:
        """A '>' or '|' with nothing under it, then a line not indented: text meant to be under it."""
        number, following = self.next_content(event.end_mark.index, event.end_mark.line + 1)
        key_line = line_at(self.text, event.start_mark.line + 1)
        key_indent = len(key_line) - len(key_line.lstrip(" -"))
        if not following or len(following) - len(following.lstrip()) > key_indent or _FIELD_LINE.match(following):
            return False  # the block is empty, and the next field follows: "is empty", said later
        name = key_line.split(":")[0].strip(" -")
        self.problems = [
            Problem(
                self.file,
                number,
                1,
                "",
                f"the text under '{name}: {event.style}' must be indented further than '{name}:'",
                f"indent each line of the text by {key_indent + 2} spaces",
                excerpt=following,
            )
        ]
        return True

    def next_content(self, index: int, line: int) -> tuple[int, str]:
        """The first line from `index` (on 1-based line `line`) that is neither blank nor a comment:
        its number and text ((0, '') if none). Looked at line by line, never by splitting the rest
        of the file: 40,000 empty blocks in a row each split it once (84 s for 389 KB)."""
        text = self.text[index : line_start(self.text, line + 1)].rstrip("\r\n")
        while True:
            if text.strip() and not text.lstrip().startswith("#"):
                return line, text
            line += 1
            if line_start(self.text, line) >= len(self.text):
                return 0, ""
            text = line_at(self.text, line)

    def loses_words(self, event: yaml.ScalarEvent, stack: list[_Frame]) -> bool:
        """Two ways YAML quietly drops or merges what a contributor meant as text."""
        end = event.end_mark.index
        # Matched where the value ends, not on a copy of the rest of its line: a flow list on one
        # long line would copy the line once per value.
        if _WORDS_AS_COMMENT.match(self.text, end):
            self.fail(
                event.start_mark,
                self.child_path(stack),
                "YAML reads ' #' and what follows it as a comment, and drops it from the text",
                "put the whole text in quotes",
            )
            return True
        if event.start_mark.line != event.end_mark.line:
            lines = self.text[event.start_mark.index : end].split("\n")
            for number, line in enumerate(lines[1:], event.start_mark.line + 2):
                if line.lstrip().startswith("- "):
                    self.fail(
                        event.start_mark,
                        self.child_path(stack),
                        f"line {number} starts with '- ' but is indented further than this item, so YAML joined it "
                        "to this text instead of making it an item of its own",
                        "line its '- ' up with the '- ' of the item above",
                    )
                    return True
        return False


def parse_yaml(text: str, shown: str) -> tuple[YamlDoc | None, list[Problem]]:
    bad = bad_character(text)
    if bad is not None:
        return None, [character_problem(text, shown, bad)]
    builder = _Builder(text, shown)
    try:
        data = builder.build()
    except _Unindented:
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
