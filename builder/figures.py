"""Figures: those our text gives, wherever they stand, and those a stored text has.

Ours are every run of digits, whatever is next to it: `40-60%` gives 40 and 60, `3-fold` 3,
`£12m` 12; and numbers in words, read as a stored text's are (`Ninety-five` is 95). A run with
an invisible character inside (`4\u200b7`) is refused, not read as two figures; so is a figure
written with anything but the digits 0-9 (`¹²³`, `⅘`, `②⓪⓪`, `１２`) or with letters that look
like them (`lOO%`, `1O`), which no check could find in the text (`disguised`). A stored text's
figures are found as digits (`1,662,000`, `1 662 000` and `1662000` are one figure) or in words
(`forty-one` is 41).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from functools import cached_property

# A run of digits, with the separators and invisible characters that may stand inside it.
_INVISIBLE = "\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff"
# Digits 0-9 only: any other digit is refused apart (`disguised`), not read as a figure.
_OURS = re.compile(rf"\d(?:\d|[.,](?=\d)|[{_INVISIBLE}](?=[\d{_INVISIBLE}]))*", re.ASCII)
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", re.ASCII)
# In a stored text: digits with thousands separators (a comma or a space), or plain, or decimal.
_THEIRS = re.compile(r"\d{1,3}(?:(?:,|[^\S\n])\d{3}){1,4}(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?")
_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_WORD_NUMBER = re.compile(
    r"\b(" + "|".join(_TENS) + r")(?:[\s-]+(" + "|".join(_UNITS[1:10]) + r"))?\b|\b(" + "|".join(_UNITS) + r")\b",
    re.IGNORECASE,
)


# Letters that pass for digits (O for 0; l and I for 1) in a word with a digit, or before a %.
_LOOKALIKE = re.compile(r"\b(?=[0-9OoIl]*[0-9])(?=[0-9OoIl]*[OoIl])[0-9OoIl]+\b|\b[OoIl]+(?=\s?%)")


@dataclass(frozen=True)
class Figure:
    written: str  # as our text has it
    value: str  # digits only, with a decimal point if it has one: "1,662,000" -> "1662000"
    hidden: str = ""  # an invisible character inside it, if it has one


def ours(text: str) -> list[Figure]:
    """Every figure of a text of ours, each once, in order; not one written with letters for
    digits (`1O`), which is a problem of its own (`disguised`), not a figure 1."""
    found: dict[str, Figure] = {}
    text = _LOOKALIKE.sub(" ", text)
    for match in _OURS.finditer(text):
        written = match.group()
        hidden = next((c for c in written if unicodedata.category(c) == "Cf"), "")
        if hidden:
            found.setdefault(written, Figure(written, "", hidden))
            continue
        if _NUMBER.fullmatch(written):
            found.setdefault(written, Figure(written, written.replace(",", "")))
        else:  # "3.5.1", "1,2": a list of figures, each checked
            for part in re.split(r"[.,]", written):
                found.setdefault(part, Figure(part, part))
    for match in _WORD_NUMBER.finditer(text):
        found.setdefault(match.group(), Figure(match.group(), str(_word_value(match))))
    return list(found.values())


def _word_value(match: re.Match) -> int:
    tens, unit, alone = match.groups()
    return _TENS[tens.lower()] + (_UNITS.index(unit.lower()) if unit else 0) if tens else _UNITS.index(alone.lower())


def disguised(text: str) -> list[tuple[str, str]]:
    """Each figure of a text of ours that no check could find, as written: a digit other than 0-9
    (superscripts, fractions, circled digits, other scripts' digits) or a letter that passes for
    one; with what is wrong with it, in words. A bounded search: one pass, and one expression."""
    found: dict[str, str] = {}
    if not text.isascii():
        run = ""  # other digits in a row are one figure: ②⓪⓪
        for char in text + " ":
            if unicodedata.category(char) in ("Nd", "No") and not "0" <= char <= "9":
                run += char
                continue
            if run:
                found.setdefault(run, f"{unicodedata.name(run[0], 'a digit')} (U+{ord(run[0]):04X}) is not one of 0-9")
            run = ""
    for match in _LOOKALIKE.finditer(text):
        found.setdefault(match.group(), "it is written with letters for digits (O for 0, l or I for 1)")
    return list(found.items())


@dataclass(frozen=True)
class TheirFigures:
    values: frozenset[str]  # every value the text gives a figure of
    written: dict[str, str]  # each whole figure's value -> as the text writes it

    @cached_property
    def _ordered(self) -> list[tuple[float, str]]:
        return sorted((float(value), shown) for value, shown in self.written.items())

    def closest(self, value: str, n: int = 5) -> list[str]:
        """The n figures of the text nearest to `value`, as the text writes them."""
        ordered, target = self._ordered, float(value)
        at = bisect_left(ordered, (target, ""))
        low, high, chosen = at - 1, at, []
        while len(chosen) < n and (low >= 0 or high < len(ordered)):
            below = target - ordered[low][0] if low >= 0 else float("inf")
            above = ordered[high][0] - target if high < len(ordered) else float("inf")
            if below <= above:
                chosen.append(ordered[low][1])
                low -= 1
            else:
                chosen.append(ordered[high][1])
                high += 1
        return list(dict.fromkeys(chosen))


def theirs(text: str) -> TheirFigures:
    """The figures a stored text gives. Groups separated by spaces may also be figures of their
    own ("in 5 100 cases" may be 5 and 100); groups separated by commas are one figure only."""
    written: dict[str, str] = {}
    parts: set[str] = set()
    for figure in _THEIRS.findall(text):
        if figure.isdigit() or "." in figure and figure.replace(".", "", 1).isdigit():
            written.setdefault(figure, figure)
            continue
        written.setdefault(re.sub(r"[,\s]", "", figure), " ".join(figure.split()))
        if "," not in figure:
            parts.update(figure.split())
    for match in _WORD_NUMBER.finditer(text):
        written.setdefault(str(_word_value(match)), match.group())
    return TheirFigures(frozenset(written.keys() | parts), written)
