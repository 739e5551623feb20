"""One error type for every problem the check finds, and the ways to print it."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """A located problem: file, 1-based line and column, key path, what and how to fix."""

    file: str
    line: int
    col: int
    path: str
    message: str
    hint: str = ""
    severity: Severity = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def text(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}"
        what = f"{self.path}: {self.message}" if self.path else self.message
        out = f"{where}: {self.severity}: {what}"
        return out + (f"\n    hint: {self.hint}" if self.hint else "")

    def github(self) -> str:
        # Workflow commands must escape %, CR and LF in the message.
        msg = self.message if not self.path else f"{self.path}: {self.message}"
        if self.hint:
            msg += f" (hint: {self.hint})"
        msg = msg.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{self.severity} file={self.file},line={self.line},col={self.col}::{msg}"


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


def format_problems(problems: Iterable[Problem], fmt: str = "text") -> str:
    ordered = sorted(problems, key=lambda p: (p.file, p.line, p.col, p.message))
    if fmt == "json":
        return json.dumps([asdict(p) for p in ordered], indent=2, ensure_ascii=False)
    render = Problem.github if fmt == "github" else Problem.text
    return "\n".join(render(p) for p in ordered)


def summary(problems: Iterable[Problem]) -> str:
    problems = list(problems)
    n_err = len(errors(problems))
    n_warn = len(problems) - n_err
    return f"{n_err} error{'s' * (n_err != 1)}, {n_warn} warning{'s' * (n_warn != 1)}"


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a close match exists, else ''."""
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
