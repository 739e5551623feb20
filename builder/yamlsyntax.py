"""A YAML syntax error in plain words, at the place the contributor must edit.

libyaml says where it gave up, in parser words ("did not find expected key"), often lines
after the real mistake. For the mistakes contributors make (an unclosed quote, ': ' in
text, a line indented wrongly, a tab), this works out which it was, from the error and
the lines before it, and says what to do about it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

import yaml

from builder.files import line_at
from builder.problems import Problem, shown_text

_QUOTE_OPENS = re.compile(r"^\s*(?:-\s+)*(?:[\w.-]+:\s+)?(?:-\s+)?([\"'])")
_FIELD = re.compile(r"^(\s*)(?:-\s+)?([\w.-]+):(?:\s|$)")
_KEY_AT = re.compile(r"^(\s*)((?:-\s+)*)([\w.-]+):(?:\s+|$)")
_NO_SPACE_AFTER_COLON = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][\w-]*):(?![\s/])\S")
_NO_SPACE_AFTER_DASH = re.compile(r"^\s*-(?=[A-Za-z\"'])")
_BLOCK_START = re.compile(r":\s*[>|][-+0-9]*\s*(?:#.*)?$")


@dataclass(frozen=True)
class _Found:
    line: int
    col: int
    message: str
    hint: str


class _Error:
    """libyaml's error, with the file's lines."""

    def __init__(self, exc: yaml.MarkedYAMLError, text: str) -> None:
        self.lines = text.split("\n")
        mark = exc.problem_mark or exc.context_mark
        self.line, self.col = mark.line + 1, mark.column + 1
        self.problem = exc.problem or ""
        self.context = exc.context or ""
        self.context_line = exc.context_mark.line + 1 if exc.context_mark else self.line
        self.context_col = exc.context_mark.column + 1 if exc.context_mark else self.col

    def text(self, line: int) -> str:
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""

    def char(self, line: int, col: int) -> str:
        text = self.text(line)
        return text[col - 1] if 0 < col <= len(text) else ""


def syntax_problem(exc: yaml.MarkedYAMLError, text: str, shown: str) -> Problem:
    error = _Error(exc, text)
    found = None
    for diagnose in _DIAGNOSES:
        found = diagnose(error)
        if found:
            break
    if found is None:
        found = _Found(
            error.line,
            error.col,
            "YAML cannot read the file from here: the layout of this line does not fit the lines before it "
            f"(YAML's own words: {error.problem})",
            "check the indentation, quote marks and colons on this line and the one before",
        )
    return Problem(shown, found.line, found.col, "", found.message, found.hint, excerpt=line_at(text, found.line))


def _closes(line: str, start: int, quote: str) -> bool:
    """Whether the quote that opens at `start` closes later on the same line."""
    i = start + 1
    while i < len(line):
        if quote == '"' and line[i] == "\\":
            i += 2
            continue
        if line[i] == quote:
            if quote == "'" and line[i + 1 : i + 2] == "'":
                i += 2
                continue
            return True
        i += 1
    return False


def _unclosed_quote(error: _Error) -> _Found | None:
    hint = (
        "add the closing quote mark where the text ends; for text over several lines, write the "
        "field name and '>' (e.g. 'summary: >'), then the text on the lines below, indented"
    )
    if error.context.startswith("while scanning a quoted scalar") and "escape" not in error.problem:
        quote = error.char(error.context_line, error.context_col)
        return _Found(
            error.context_line, error.context_col, f"the quote mark ({quote}) that opens here is never closed", hint
        )
    # The least indented field on each line after a line, up to the error's: worked out once,
    # backwards, so that no line is looked at again for each quote that opens before it.
    least_after, least = [0] * (error.line + 2), 10**9
    for number in range(error.line, 0, -1):
        least_after[number] = least
        field = _FIELD.match(error.text(number))
        least = min(least, len(field.group(1))) if field else least
    for number in range(1, error.line + 1):
        line = error.text(number)
        match = _QUOTE_OPENS.match(line)
        if not match or _closes(line, match.start(1), match.group(1)):
            continue
        indent = len(line) - len(line.lstrip())
        if least_after[number] <= indent:  # a field of its own, or one above, is swallowed
            quote = match.group(1)
            message = f"the quote mark ({quote}) that opens here is not closed on this line"
            return _Found(number, match.start(1) + 1, message, hint)
    return None


def _tab(error: _Error) -> _Found | None:
    if "tab" not in error.problem and error.char(error.line, error.col) != "\t":
        return None
    line = error.text(error.line)
    col = line.index("\t") + 1 if "\t" in line else error.col
    return _Found(
        error.line, col, "a tab is used here to indent; YAML allows only spaces", "replace the tab with spaces"
    )


def _bad_escape(error: _Error) -> _Found | None:
    if "escape" not in error.problem and "hexdecimal" not in error.problem:
        return None
    backslash = error.text(error.line).rfind("\\", 0, error.col)
    return _Found(
        error.line,
        backslash + 1 if backslash >= 0 else error.col,
        "inside double quotes a backslash (\\) starts a special character, and this one is not one",
        "use single quotes around the text instead ('...'), or write each backslash twice (\\\\)",
    )


def _missing_space(error: _Error) -> _Found | None:
    for number in range(error.line, 0, -1):
        line = error.text(number)
        if _NO_SPACE_AFTER_DASH.match(line):
            col = line.index("-") + 1
            return _Found(number, col, "a '-' that starts a list item must be followed by a space", "write '- ' here")
        match = _NO_SPACE_AFTER_COLON.match(line)
        if match and number >= error.context_line:
            col = match.end(1) + 1
            return _Found(
                number, col, f"'{match.group(1)}:' must be followed by a space", f"write '{match.group(1)}: ' here"
            )
    return None


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False) if '"' not in text else "'" + text.replace("'", "''") + "'"


def _colon_in_text(error: _Error) -> _Found | None:
    if not error.problem.startswith("mapping values are not allowed"):
        return None
    line = error.text(error.line)
    key = _KEY_AT.match(line)
    value_start = key.end() if key else len(line) - len(line.lstrip(" -"))
    if error.col - 1 <= value_start:
        return None  # the colon of the line's own field name: a line in the wrong place
    value = line[value_start:].rstrip()
    fixed = f"{line[:value_start]}{_quoted(value)}"
    return _Found(
        error.line,
        value_start + 1,
        f"this text has a colon followed by a space (': ' at column {error.col}), which YAML reads as the start of "
        "a new field",
        f"put the whole text in quotes: {shown_text(fixed.strip(), 80)}",
    )


def _unindented_block(error: _Error) -> _Found | None:
    for number in (error.context_line, error.line):
        previous = number - 1
        while previous > 0 and not error.text(previous).strip():
            previous -= 1
        above = error.text(previous)
        if previous and _BLOCK_START.search(above):
            indent_above = len(above) - len(above.lstrip())
            line = error.text(number)
            if len(line) - len(line.lstrip()) <= indent_above and not _FIELD.match(line):
                name = above.split(":")[0].strip(" -")
                return _Found(
                    number,
                    1,
                    f"the text under '{name}:' must be indented further than '{name}:'",
                    f"indent each line of the text by {_spaces(indent_above + 2)}",
                )
    return None


def _text_after_quote(error: _Error) -> _Found | None:
    line = error.text(error.line)
    before = line[: error.col - 1].rstrip()
    if not before.endswith(('"', "'")) or "expected" not in error.problem:
        return None
    return _Found(
        error.line,
        error.col,
        "more text follows the closing quote mark",
        "put all of the text inside the quotes, or remove the quotes",
    )


def _starts_with_a_sign(error: _Error) -> _Found | None:
    line = error.text(error.line)
    key = _KEY_AT.match(line)
    start = key.end() if key else len(line) - len(line.lstrip(" -"))
    first = line[start : start + 1]
    signs = {"@": "'@'", "`": "'`'", "%": "'%'", "*": "'*'", "&": "'&'", "!": "'!'", "[": "'['", "{": "'{'"}
    if first not in signs or error.col - 1 < start:
        return None
    return _Found(
        error.line,
        start + 1,
        f"text that starts with {signs[first]} must be in quotes: YAML gives {signs[first]} a meaning of its own",
        f"put the whole text in quotes: {shown_text(line[:start] + _quoted(line[start:].rstrip()), 80).strip()}",
    )


def _key_columns(error: _Error, before: int) -> list[tuple[int, int, str, bool]]:
    """The levels open at line `before`: (line, column, field name, is a list's '-'), innermost first."""
    levels: list[tuple[int, int, str, bool]] = []
    smallest = 10**9
    for number in range(before - 1, 0, -1):
        line = error.text(number)
        match = _KEY_AT.match(line)
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = len(line) - len(line.lstrip())
        if match:
            key_col = len(match.group(1)) + len(match.group(2))
            if key_col < smallest:
                levels.append((number, key_col, match.group(3), False))
            if match.group(2) and indent < smallest:
                levels.append((number, indent, match.group(3), True))
            smallest = min(smallest, indent, key_col)
        elif indent < smallest:
            smallest = indent
        if smallest == 0:
            break
    return levels


def _indentation(error: _Error) -> _Found | None:
    number = error.context_line if error.problem.startswith("could not find expected ':'") else error.line
    line = error.text(number)
    match = _KEY_AT.match(line)
    if not match:
        return None
    indent = len(match.group(1))
    name = match.group(3)
    levels = [level for level in _key_columns(error, number) if not level[3]]
    if not levels or any(col == indent for _, col, _, _ in levels[:1]):
        return None
    above, col, sibling, _ = min(levels, key=lambda level: (abs(level[1] - indent), -level[1]))
    more_or_less = "more" if indent > col else "less"
    fix = f"indent '{name}:' by {_spaces(col)}" if col else f"start '{name}:' at the beginning of the line"
    return _Found(
        number,
        indent + 1,
        f"'{name}:' is indented by {_spaces(indent)}, {more_or_less} than '{sibling}:' on line {above} "
        f"({_spaces(col)}), so YAML cannot tell where it belongs",
        f"{fix}, like '{sibling}:'",
    )


def _spaces(n: int) -> str:
    return f"{n} space{'s' * (n != 1)}"


_DIAGNOSES: list[Callable[[_Error], _Found | None]] = [
    _bad_escape,
    _unclosed_quote,
    _tab,
    _missing_space,
    _unindented_block,
    _colon_in_text,
    _text_after_quote,
    _starts_with_a_sign,
    _indentation,
]
