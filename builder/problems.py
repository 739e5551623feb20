"""One error type for every problem the check finds, the one rule that judges them, and the
ways to print them.

Everything a contributor wrote is shown through `shown_text`, which makes control
characters visible and shortens long values: a file can neither move the terminal's
cursor nor fill a pull request's annotations with a secret it points at.
"""

from __future__ import annotations

import difflib
import json
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

# An error stops the build; a warning fails it too (the build is strict, and so is the
# check, so the two always agree); a note is for information and fails nothing.
Severity = Literal["error", "warning", "note"]
FAILING = ("error", "warning")
MAX_PER_FILE = 20  # more than this in one file is noise: the rest are counted, not listed
EXCERPT_WIDTH = 100


@dataclass(frozen=True, order=True)
class Problem:
    """A located problem: file, 1-based line and column, key path, what and how to fix."""

    file: str
    line: int
    col: int
    key_path: str  # where in the file's data, e.g. "findings[0].quote.text" (not a file path)
    message: str
    hint: str = ""
    severity: Severity = "error"
    excerpt: str = ""  # the line of the file the problem is on, shown with a caret under `col`

    @property
    def fails(self) -> bool:
        return self.severity in FAILING

    def text(self) -> str:
        where = f"{shown_text(self.file, 200)}:{self.line}:{self.col}"
        what = f"{self.key_path}: {self.message}" if self.key_path else self.message
        out = f"{where}: {self.severity}: {what}"
        if self.excerpt.strip():
            out += "\n" + _caret(self.excerpt, self.col)
        return out + (f"\n    hint: {self.hint}" if self.hint else "")

    def github(self) -> str:
        msg = f"{self.key_path}: {self.message}" if self.key_path else self.message
        if self.hint:
            msg += f" (hint: {self.hint})"
        kind = "notice" if self.severity == "note" else self.severity
        file = _github_property(shown_text(self.file, 200))
        return f"::{kind} file={file},line={self.line},col={self.col}::{_github_data(msg)}"


def _github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    # A property value also ends at ',' or ':': escaped, a file name cannot add properties.
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def _caret(line: str, col: int) -> str:
    """The line (a window of it, if long) and a caret under column `col`."""
    start = max(0, col - 1 - EXCERPT_WIDTH // 2) if len(line) > EXCERPT_WIDTH else 0
    window = line[start : start + EXCERPT_WIDTH]
    before = window[: max(0, col - 1 - start)]
    lead = "…" if start else ""
    tail = "…" if start + EXCERPT_WIDTH < len(line) else ""
    shown = lead + _visible(window) + tail
    offset = len(lead) + sum(_width(c) for c in _visible(before))
    return f"    {shown}\n    {' ' * offset}^"


def _width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def _is_hidden(char: str) -> bool:
    """Control, format (e.g. right-to-left override) and unassigned or private characters."""
    return unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn") and char not in "\t\n"


def _visible(text: str) -> str:
    if text.isprintable():  # fast path: nothing to make visible
        return text
    out = []
    for char in text:
        if char == "\t":
            out.append("→")
        elif _is_hidden(char) or char == "\n":
            code = ord(char)
            out.append(f"\\U{code:08x}" if code > 0xFFFF else f"\\u{code:04x}" if code > 0xFF else f"\\x{code:02x}")
        else:
            out.append(char)
    return "".join(out)


def shown_text(value: object, limit: int = 40) -> str:
    """Contributor text as a message may quote it: hidden characters made visible, shortened."""
    text = _visible(" ".join(str(value).split()))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quoted(value: object, limit: int = 40) -> str:
    return f"'{shown_text(value, limit)}'"


def capped(problems: Iterable[Problem]) -> list[Problem]:
    """At most MAX_PER_FILE problems of each file, whatever found them (the check applies this
    once, to all of them: builder/build.py); one more line says how many are not listed. The
    failing ones are kept first, and the line is as severe as the worst it stands for."""
    by_file: dict[str, list[Problem]] = {}
    for problem in problems:
        by_file.setdefault(problem.file, []).append(problem)
    out: list[Problem] = []
    for found in by_file.values():
        if len(found) <= MAX_PER_FILE:
            out += found
            continue
        found.sort(key=lambda p: (not p.fails, p.line, p.col, p.message))
        kept, rest = found[:MAX_PER_FILE], found[MAX_PER_FILE:]
        worst = next(s for s in ("error", "warning", "note") if any(p.severity == s for p in rest))
        first = rest[0]
        message = f"{len(rest)} more problems in this file are not listed"
        out += [*kept, Problem(first.file, first.line, first.col, "", message, "fix the ones above first", worst)]
    return out


def fails(problems: Iterable[Problem]) -> bool:
    """The verdict, for `evidence check` and the build alike."""
    return any(p.fails for p in problems)


def ordered(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.file, p.line, p.col, p.message))


def format_problems(problems: Iterable[Problem], fmt: str = "text") -> str:
    found = ordered(problems)
    if fmt == "json":
        # The JSON keeps the name "path" for the key path, as 0.1 wrote it: tools read it.
        rows = [{("path" if k == "key_path" else k): v for k, v in asdict(p).items()} for p in found]
        return json.dumps(rows, indent=2, ensure_ascii=False)
    render = Problem.github if fmt == "github" else Problem.text
    return "\n".join(render(p) for p in found)


def summary(problems: Iterable[Problem]) -> str:
    problems = list(problems)
    counts = {s: sum(p.severity == s for p in problems) for s in ("error", "warning", "note")}
    parts = [f"{n} {s}{'s' * (n != 1)}" for s, n in counts.items() if n or s != "note"]
    return ", ".join(parts)


def did_you_mean(word: object, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when one choice is a close match (a typo away), else ''."""
    close = close_match(word, choices)
    return f" (did you mean '{close}'?)" if close else ""


def close_match(word: object, choices: Iterable[str]) -> str | None:
    """The choice `word` is a typo of (the same but for case, or a close match), if one is."""
    word = str(word)
    options = list(choices)
    folded = {c.casefold(): c for c in options}
    if word.casefold() in folded:
        return folded[word.casefold()]
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.8)
    return close[0] if close else None
