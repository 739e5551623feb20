"""Figures: those our text gives, wherever they stand, and those a stored text has.

Ours are every run of digits, whatever is next to it: `40-60%` gives 40 and 60, `3-fold` 3,
`£12m` 12; and numbers in words, read as a stored text's are (`Ninety-five` is 95). A run with
an invisible character inside (`4\u200b7`) is refused, not read as two figures; so is a figure
written with anything but the digits 0-9 (`¹²³`, `⅘`, `②⓪⓪`, `１２`) or with letters that look
like them (`lOO%`, `1O`), which no check could find in the text (`disguised`). A stored text's
figures are found as digits (`1,662,000`, `1662000` and, typeset with narrow spaces, `1 662 000`
are one figure; an ordinary space never joins two: `£35 194pp`) or in words (`forty-one` is 41,
`fivefold` 5). Any run of white space reads as one space, so a unit or magnitude set apart by
two spaces, a thin space or a line break is still read (`208\u2009million`).

A figure is matched with what it counts: its magnitude (`£3bn`, `£3 billion`, `£3,000 million` and
`£3,000,000,000` are one figure, and not 3; `two hundred` is 200, `a million` 1,000,000) and, where
ours writes one, its unit: a percentage (`%`, `per cent`, `percent`) only matches a percentage, a
sum only a sum in the same currency (`£`, `pounds`; `$`, `dollars`; `€`, `euros`), pence (`21p`) and
percentage points only themselves. A comma followed by other than three digits is a decimal comma
(`€2,5 billion` is €2.5 billion). A bare number of ours is a count, and matches the same number
however the text writes it. Signs that look like others are read as what they show (`41％`,
`41٪`, `41pc` are 41%; `150‰` is per mille, its own kind); a minus sign (`−150`, or a hyphen that
starts a word: `by -150`) makes a signed figure, which only the same signed figure matches.
"""

from __future__ import annotations

import dataclasses
import operator
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
# In a stored text: digits with commas between thousands, or plain, or decimal (a point, or a
# comma followed by other than exactly three digits: "2,5"). A space never joins two figures:
# "£35 194pp" is £35 and 194.
_THEIRS = re.compile(r"\d{1,3}(?:,\d{3}){1,4}(?:\.\d+)?(?![,\d])|\d+(?:[.,]\d+)?")
# A typographic thousands separator in a stored text: a narrow space (four-per-em, six-per-em,
# punctuation, thin, narrow no-break) before exactly three digits, as a PDF sets "1 662 000". An
# ordinary or no-break space is not one: "£35 194pp" is a price and a page count.
_NARROW_GROUP = re.compile(r"(?<=\d)[\u2005\u2006\u2008\u2009\u202f](?=\d{3}(?!\d))")
# A decimal comma: a comma followed by other than exactly three digits ("2,5", "2,50", "1,2345").
_DECIMAL_COMMA = re.compile(r"\d+,(?!\d{3}\b)\d+", re.ASCII)
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
    r"\b(?:(" + "|".join(_TENS) + r")(?:[\s-]+(" + "|".join(_UNITS[1:10]) + r"))?|(" + "|".join(_UNITS) + r")"
    # "fivefold" is five; "a million" and "a hundred" are one of each.
    r"|(a)(?= (?:hundred|thousand|million|billion|trillion)\b))(?:\b|(?=fold\b))",
    re.IGNORECASE,
)


# Letters that pass for digits (O for 0; l and I for 1) in a word with a digit, or before a %.
_LOOKALIKE = re.compile(r"\b(?=[0-9OoIl]*[0-9])(?=[0-9OoIl]*[OoIl])[0-9OoIl]+\b|\b[OoIl]+(?=\s?%)")


# What a figure counts, read from the characters around it: a currency sign before it, then a
# magnitude and a unit after it. Each is one anchored match of a few characters, never a search.
# A one-letter magnitude (`12m`, `5k`) stands against its digits, or one space from them after a
# currency sign (`£3 m`): `5 m` alone may be metres, and `3 months` is not 3 million. `bn`, `mn`
# and the words (`3 bn`, `3 million`) may stand one space away.
_CURRENCIES = "£$€"
# A word may also be joined by a hyphen (`£3-million`); `b` (`$3B`) and `tn` (`£3tn`) are read too.
_MAGNITUDE = re.compile(r"([ -]?)(hundred|thousand|million|billion|trillion|bn|mn|tn|m|k|b)(?![^\W\d_])", re.IGNORECASE)
_ZEROS = {"hundred": 2, "thousand": 3, "k": 3, "million": 6, "mn": 6, "m": 6, "billion": 9, "bn": 9, "b": 9}
_ZEROS |= {"trillion": 12, "tn": 12}
# Pence are a unit of their own ("21p" is not £21, and not £0.21 either: the text may write either);
# percentage points too, never a percentage. A one-letter "p", and "pc" (per cent), stand against
# their digits. Per mille (`‰`, `per mille`) and per ten thousand (`‱`) are kinds of their own.
_KIND = re.compile(
    r"([ -]?)(%|‰|‱|percentage[ -]points?|per[ -]?cent|per[ -]?mille?|pounds?|pence|pc|p|dollars?|euros?)(?![^\W\d_])",
    re.IGNORECASE,
)
# Signs that look like others, read as what they show (as NFKC would, and ٪, the Arabic percent
# sign): one character for one, so that every position in the text stays where it was.
_SIGNS = str.maketrans({"\uff05": "%", "\ufe6a": "%", "\u066a": "%", "\u2030": "‰", "\u2031": "‱"})
# A stored text's full-width digits (`４１`) are its digits; ours are refused (`disguised`).
_THEIR_DIGITS = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)})
# A minus sign before a figure, or a hyphen or dash that starts a word ("fell by -150", "(–3%)"),
# makes it a negative figure; a hyphen after a figure and a space is a range ("40 -60%").
_MINUS = "\u2212"
_DASHES = "-\u2012\u2013"
# Between the two figures of a range ("40-60%", "£3 to £4 billion", "between 40 and 60 per cent"),
# whose unit and magnitude, written once, count for both.
# What a magnitude or a unit can start with, at most one space after the figure: a figure followed
# by anything else has neither. ("" is not in it: the end of the text.)
_MAY_FOLLOW = frozenset("%‰‱htmbkpdeHTMBKPDE")
_START = operator.attrgetter("start")
_RANGE = re.compile(r" ?(?:[-\u2010-\u2013\u2014]|to|and) ?", re.IGNORECASE)
KIND_NAMES = {
    "%": "a percentage",
    "pp": "percentage points",
    "p": "a sum in pence",
    "£": "a sum in pounds",
    "$": "a sum in dollars",
    "€": "a sum in euros",
    "‰": "per mille",
    "‱": "per ten thousand",
}


@dataclass(frozen=True)
class Figure:
    written: str  # its digits (or words) as our text has them
    value: str  # what it counts, its magnitude applied: "1,662,000" -> "1662000", "£3bn" -> "3000000000"
    hidden: str = ""  # an invisible character inside it, if it has one
    kind: str = ""  # "%", "pp", "£", "p", "$" or "€" where one is written; "" for a bare number (a count)
    shown: str = ""  # as written with its unit and magnitude ("£3 billion"), for messages
    number: str = ""  # its number without its magnitude ("3"), to say what the text has instead

    @property
    def said(self) -> str:
        return self.shown or self.written


@dataclass(slots=True)
class _Raw:
    start: int
    end: int
    number: str  # digits only, with a decimal point if it has one


@dataclass(slots=True)
class _Read:
    raw: _Raw
    begins: int  # where it starts, with its currency sign
    currency: str  # the sign before it
    zeros: int  # its magnitude, as a power of ten
    kind: str  # the unit after it ("%", "£"...)
    after: str  # its magnitude and unit as written ("bn", " per cent"), or its range's
    end: int  # where what is written after it ends
    minus: bool = False  # a minus sign before it (or before its currency sign)


def scaled(number: str, zeros: int) -> str:
    """A number with `zeros` more places, by moving its decimal point: exact, and linear in its
    length (a text may hold a run of a million digits). "2.50" and 6 give "2500000"."""
    if not zeros and number.isdigit() and number[0] != "0":
        return number  # most figures of a text: nothing to move or strip
    whole, _, fraction = number.partition(".")
    fraction += "0" * zeros
    whole, fraction = (whole + fraction[:zeros]).lstrip("0") or "0", fraction[zeros:].rstrip("0")
    return f"{whole}.{fraction}" if fraction else whole


def _kind_of(unit: str) -> str:
    unit = unit.lower()
    if unit in ("‰", "‱"):
        return unit
    if unit.startswith("per") and "mil" in unit:
        return "‰"
    if unit == "pc":
        return "%"
    if unit.startswith("percentage"):
        return "pp"
    if unit in ("p", "pence"):
        return "p"
    return "%" if unit == "%" or unit.startswith("per") else {"p": "£", "d": "$", "e": "€"}[unit[0]]


def spaced(text: str) -> str:
    """A text with each run of white space (two spaces, a thin space, a line break) one space, so
    that a figure's unit and magnitude are read however far apart they are set: linear, and the
    patterns beside a figure then need look at most one space away."""
    return " ".join(text.split())


def _read(text: str, raws: list[_Raw]) -> list[_Read]:
    """Each figure with its currency sign, magnitude and unit, as written beside it, in order."""
    found = []
    for raw in sorted(raws, key=_START):
        # A minus between a sign and its figure ("£-150", "£−150") is the figure's.
        inner = raw.start > 1 and text[raw.start - 1] in _MINUS + _DASHES and text[raw.start - 2] in _CURRENCIES
        start = raw.start - inner
        begins = start - (text[start - 1 : start] == " " and start > 1)  # "£ 21"
        currency = text[begins - 1] if begins and text[begins - 1] in _CURRENCIES else ""
        begins = begins - 1 if currency else raw.start
        minus = inner or _minus(text, begins)
        at, zeros, kind = raw.end, 0, ""
        if text[at : at + 1] not in _MAY_FOLLOW and text[at + 1 : at + 2] not in _MAY_FOLLOW:
            found.append(_Read(raw, begins, currency, 0, "", "", at, minus))  # most figures: nothing after them
            continue
        magnitude = _MAGNITUDE.match(text, at)
        if magnitude and _apart(magnitude, len(magnitude.group(2)) == 1 and not currency):
            zeros, at = _ZEROS[magnitude.group(2).lower()], magnitude.end()
        unit = _KIND.match(text, at)
        if unit and _apart(unit, unit.group(2).lower() in ("p", "pc")):
            kind, at = _kind_of(unit.group(2)), unit.end()
        found.append(_Read(raw, begins, currency, zeros, kind, text[raw.end : at], at, minus))
    return found


def _apart(match: re.Match, close: bool) -> bool:
    """Whether a magnitude or unit may stand as far from its figure as it does: a word (`bn`,
    `million`, `per cent`) or a sign (`%`) a space away, a word of three letters or more a hyphen
    away (`£3-million`); `close` ones (`m`, `p`, `pc`) only against their digits."""
    between, word = match.groups()
    if between == "-":
        return len(word) > 2
    return not between or not close


def _minus(text: str, at: int) -> bool:
    """Whether a minus sign stands just before `at`: U+2212, or a hyphen or dash that starts a word
    ("by -150", "(-3%)"), not one between two figures ("40-60", "40 -60")."""
    before = text[at - 1 : at] if at else ""
    if before == _MINUS:
        return True
    if not before or before not in _DASHES:
        return False
    previous = text[at - 2 : at - 1] if at > 1 else ""
    return previous in ("", "(", "[") or previous == " " and not text[at - 3 : at - 2].isdigit()


def ours(text: str) -> list[Figure]:
    """Every figure of a text of ours, each once, in order, with what it counts (its currency,
    magnitude and unit, those of a range written once for both: "40-60%"); not one written with
    letters for digits (`1O`), which is a problem of its own (`disguised`), not a figure 1."""
    found: dict[tuple[str, str, str], Figure] = {}
    text = spaced(_LOOKALIKE.sub(" ", text.translate(_SIGNS)))
    raws = []
    for match in _OURS.finditer(text):
        written = match.group()
        hidden = next((c for c in written if unicodedata.category(c) == "Cf"), "")
        if hidden:
            found.setdefault((written, "", ""), Figure(written, "", hidden))
        elif _NUMBER.fullmatch(written):
            raws.append(_Raw(match.start(), match.end(), written.replace(",", "")))
        elif _DECIMAL_COMMA.fullmatch(written):  # "€2,5 billion" is €2.5 billion, not 2 and 5
            raws.append(_Raw(match.start(), match.end(), written.replace(",", ".")))
        else:  # "3.5.1", "1,2": a list of figures, each checked as a count
            for part in re.split(r"[.,]", written):
                found.setdefault((part, scaled(part, 0), ""), Figure(part, scaled(part, 0), number=part))
    for read in _ranges(text, _read(text, raws + _words(text))):
        value, kind, shown = _counted(text, read)
        written = text[read.raw.start : read.raw.end]
        found.setdefault((written, value, kind), Figure(written, value, kind=kind, shown=shown, number=read.raw.number))
    return list(found.values())


def _counted(text: str, read: _Read) -> tuple[str, str, str]:
    """What a figure counts (its value, magnitude applied), its unit, and how it is written."""
    written = text[read.raw.start : read.raw.end]
    shown = " ".join((read.currency + written + read.after).split()) if read.currency or read.after else written
    value, kind = scaled(read.raw.number, read.zeros), read.currency or read.kind
    return ("-" + value, kind, _MINUS + shown) if read.minus else (value, kind, shown)


def _words(text: str) -> list[_Raw]:
    return [_Raw(m.start(), m.end(), str(_word_value(m))) for m in _WORD_NUMBER.finditer(text)]


def _ranges(text: str, reads: list[_Read]) -> list[_Read]:
    """The figures with a range's unit and magnitude, written once, given to both its ends:
    "40-60%" is 40% to 60%, "£3-4bn" £3bn to £4bn."""
    found = list(reads)
    for i in range(len(reads) - 1):
        first, second = reads[i], reads[i + 1]
        if not (second.zeros or second.kind or first.currency):
            continue  # nothing written once for both (most pairs of a text's figures)
        starts = second.begins
        if first.end > starts or not _RANGE.fullmatch(text, first.end, starts):
            continue
        if not (first.zeros or first.kind) and (second.zeros or second.kind):
            found[i] = dataclasses.replace(found[i], zeros=second.zeros, kind=second.kind, after=second.after)
        if first.currency and not second.currency:
            found[i + 1] = dataclasses.replace(found[i + 1], currency=first.currency)
    return found


def _word_value(match: re.Match) -> int:
    tens, unit, alone, one = match.groups()
    if one:
        return 1
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
    values: frozenset[str]  # every value the text gives a figure of, its magnitude applied
    counted: frozenset[tuple[str, str]]  # each value with its unit ("%", "£"...), where one is written
    written: dict[str, str]  # each whole figure's value -> as the text writes it, with its unit
    numbers: dict[str, list[str]]  # each figure's number without its magnitude -> a few ways the text writes it

    def has(self, figure: Figure) -> bool:
        """Whether the text has this figure: the same value, its magnitude applied, and the same
        unit where ours writes one (a bare number is a count, and matches any)."""
        return (figure.value, figure.kind) in self.counted if figure.kind else figure.value in self.values

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


_WAYS = 3  # ways of writing one number kept for a message ("3", "£3m", "3%")


def theirs(text: str) -> TheirFigures:
    """The figures a stored text gives, each with what it counts as written beside it, and as a
    range's end (either way: "3-4 billion" may be 3 and 4 billion, or 3 billion and 4 billion).
    Groups separated by commas are one figure ("1,662,000"); a comma followed by other than three
    digits is a decimal comma ("2,5" is 2.5), whose two sides may also be counts of their own (a
    list: "tables 1,2"); a space joins two groups only where it is a narrow one, as typeset
    ("1\u2009662\u2009000"), never an ordinary space ("£35 194pp" is £35 and 194)."""
    text = spaced(_NARROW_GROUP.sub(",", text.translate(_SIGNS).translate(_THEIR_DIGITS)))
    raws, parts = [], set()
    for match in _THEIRS.finditer(text):
        figure = match.group()
        if _DECIMAL_COMMA.fullmatch(figure):
            parts.update(figure.split(","))
            figure = figure.replace(",", ".")
        raws.append(_Raw(match.start(), match.end(), figure.replace(",", "")))
    reads = _read(text, raws + _words(text))
    counted, written, numbers = set(), {}, {}
    ranged = [r for r, read in zip(_ranges(text, reads), reads, strict=True) if r is not read]
    for read in [*reads, *ranged]:
        value, kind, shown = _counted(text, read)
        counted.add((value, kind))
        if read.minus:  # "fell by −150" also gives 150: only a signed figure of ours needs the sign
            counted.add((value[1:], kind))
        written.setdefault(value, shown)
        ways = numbers.setdefault(value if not read.zeros else scaled(read.raw.number, 0), [])
        if len(ways) < _WAYS and shown not in ways:
            ways.append(shown)
    values = {value for value, _ in counted} | {scaled(part, 0) for part in parts}
    return TheirFigures(frozenset(values), frozenset(counted), written, numbers)
