"""Reading a contributed file safely.

A pull request can put anything where a file is expected: a link to a secret elsewhere on
the machine, a device that never ends, a name that is not a name. So links are never
followed (nor any folder on the way that is a link), no more than the limit plus one byte
is read, and the text is refused if it holds characters nobody can see.
"""

from __future__ import annotations

import bisect
import errno
import functools
import os
import re
import stat
import unicodedata
from pathlib import Path

from builder.problems import Problem

# C0 controls but tab, line feed and carriage return; DEL and the C1 controls; the
# bidirectional overrides and isolates (they reorder what a reader sees); noncharacters.
# Characters beyond the first plane are looked at apart: a class listing them one by one
# makes the search ten times slower, and they are rare.
_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef\ufffe\uffff"
# Format characters (Unicode category Cf): zero-width spaces and joiners, the soft hyphen,
# direction marks, word joiners, a byte-order mark inside the text. Nobody sees them, yet they
# split a figure ("4\u200b7") or a word, and the tag characters beyond the first plane can
# carry whole hidden sentences.
_FORMATS = "".join(chr(c) for c in range(0x10000) if unicodedata.category(chr(c)) == "Cf")
_CONTROL = re.compile(f"[{_CONTROLS}]")
_CONTROL_OR_FORMAT = re.compile(f"[{_CONTROLS}{re.escape(_FORMATS)}]")
_BEYOND_FIRST_PLANE = re.compile("[\U00010000-\U0010ffff]")
# The one allowance: Arabic, Persian and the Indic scripts need the zero-width non-joiner and
# joiner to spell some words, so they may stand between two letters (or marks) of those scripts.
_JOINERS = "\u200c\u200d"
_JOINING_SCRIPTS = ("\u0600", "\u0dff")


def bad_character(text: str, *, formats: bool = True) -> int | None:
    """Where the first character nobody can see is in `text`, if there is one (format
    characters too, unless formats=False)."""
    if text.isascii():  # most values: the one search a plain text needs
        found = _CONTROL.search(text)
        return found.start() if found else None
    pattern = _CONTROL_OR_FORMAT if formats else _CONTROL
    first = None
    for found in pattern.finditer(text):
        if not (found.group() in _JOINERS and _joins(text, found.start())):
            first = found.start()
            break
    for beyond in _BEYOND_FIRST_PLANE.finditer(text, 0, len(text) if first is None else first):
        char = beyond.group()
        if ord(char) & 0xFFFE == 0xFFFE or formats and unicodedata.category(char) == "Cf":
            return beyond.start()  # U+1FFFE, U+1FFFF, ... U+10FFFF; tags U+E0001, U+E0020-U+E007F...
    return first


def _joins(text: str, index: int) -> bool:
    """A joiner between two letters or marks of a script that needs it."""
    low, high = _JOINING_SCRIPTS
    around = text[index - 1 : index] + text[index + 1 : index + 2] if index else ""
    return len(around) == 2 and all(low <= c <= high and not c.isdigit() for c in around)


def character_name(char: str) -> str:
    """'ZERO WIDTH SPACE (U+200B)'; a control character, which has no name: 'U+001B'."""
    name = unicodedata.name(char, "")
    return f"{name} (U+{ord(char):04X})" if name else f"U+{ord(char):04X}"


def hidden_run(text: str, index: int) -> int:
    """How many characters nobody can see stand in a row from `index` (tag characters can hide
    a whole sentence)."""
    end = index + 1
    while end < len(text) and bad_character(text[end]) == 0:
        end += 1
    return end - index


def line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of the character at `index`."""
    starts = _line_starts(text)
    line = bisect.bisect_right(starts, index)
    return line, index - starts[line - 1] + 1


def line_start(text: str, line: int) -> int:
    """Where 1-based line `line` starts in `text` (its length, past the end)."""
    starts = _line_starts(text)
    return starts[line - 1] if 0 < line <= len(starts) else len(text)


def line_at(text: str, line: int) -> str:
    """The text of 1-based line `line` (empty past the end)."""
    if 0 < line <= _NEAR_TOP:  # most problems are near the top: found without indexing every line
        start = 0
        for _ in range(line - 1):
            start = text.find("\n", start) + 1
            if not start:
                return ""
        end = text.find("\n", start)
        return text[start : end if end >= 0 else len(text)].rstrip("\r")
    starts = _line_starts(text)
    if not 0 < line <= len(starts):
        return ""
    end = starts[line] - 1 if line < len(starts) else len(text)
    return text[starts[line - 1] : end].rstrip("\r")


_NEAR_TOP = 32


@functools.lru_cache(maxsize=8)
def _line_starts(text: str) -> tuple[int, ...]:
    """Where each line starts, worked out once per text: a file with thousands of problems
    (a key given 30,000 times) looks up thousands of lines."""
    return (0, *(found.end() for found in re.finditer("\n", text)))


def character_problem(text: str, shown: str, index: int, what: str = "") -> Problem:
    line, col = line_col(text, index)
    return Problem(
        shown,
        line,
        col,
        what,
        invisible_message(text, index),
        (
            "delete them (retype the words around them)"
            if hidden_run(text, index) > 1
            else "delete it (retype the words around it)"
        )
        + "; text pasted from a PDF or a web page often carries such characters",
        excerpt=line_at(text, line),
    )


def invisible_message(text: str, index: int, where: str = "") -> str:
    run = hidden_run(text, index)
    notes = [note for note in (where, f"{run - 1} more invisible characters follow it" * (run > 1)) if note]
    said = f" ({'; '.join(notes)})" if notes else ""
    return f"the invisible character {character_name(text[index])} is not allowed{said}"


_A_LINK = "is a symbolic link, which the check does not follow"
_NOT_A_LINK = "commit the file itself, not a link to it"


def _refused(shown: str, message: str, hint: str) -> tuple[None, list[Problem]]:
    return None, [Problem(shown, 1, 1, "", message, hint)]


def link_on_the_way(root: Path, path: Path) -> Path | None:
    """The first of `path` and the folders between `root` and it that is a symbolic link."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        parts = path.parts
        root = Path(path.anchor)
    current = root
    for part in parts:
        current = current / part
        try:
            if stat.S_ISLNK(os.lstat(current).st_mode):
                return current
        except OSError:
            return None  # missing: reported when it is opened
    return None


def read_text(
    path: Path, shown: str, max_bytes: int, root: Path | None = None, *, check_characters: bool = True
) -> tuple[str | None, list[Problem]]:
    """The file's text, or one problem saying why it is refused. (YAML is checked for
    invisible characters by builder/yamlfile.py, in its values too: check_characters=False.)"""
    link = link_on_the_way(root, path) if root else None
    if link is not None:
        what = "this file" if link == path else f"the folder {link.name}/ on the way to it"
        return _refused(shown, f"{what} {_A_LINK}", _NOT_A_LINK)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # a link: refused by O_NOFOLLOW itself
            return _refused(shown, f"this file {_A_LINK}", _NOT_A_LINK)
        return _refused(shown, f"cannot read the file: {exc.strerror or exc}", "check that the file exists")
    with os.fdopen(fd, "rb") as file:
        found = os.fstat(fd)
        if not stat.S_ISREG(found.st_mode):
            return _refused(shown, "this is not an ordinary file", "put an ordinary text file here")
        # As much as the file holds, and one byte more: reading up to the limit at once allocated
        # the limit (a megabyte) for each file, a third of a second at 10,000 sources.
        raw = file.read(min(found.st_size, max_bytes) + 1)
        if found.st_size < len(raw) <= max_bytes:  # grown since: as much as the limit allows
            raw += file.read(max_bytes + 1 - len(raw))
    if len(raw) > max_bytes:
        return _refused(
            shown,
            f"the file is over the limit of {max_bytes:,} bytes",
            "split it, or raise the limit in mkdocs.yml if it really must be this large",
        )
    return decoded(raw, shown, check_characters)


def decoded(raw: bytes, shown: str, check_characters: bool = True) -> tuple[str | None, list[Problem]]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode("utf-8")
        line, col = line_col(before, len(before))
        message = f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x} cannot be read)"
        return None, [Problem(shown, line, col, "", message, "save the file with UTF-8 encoding")]
    text = text.removeprefix("\ufeff")  # a byte-order mark carries no content
    # Format characters are refused by the readers of contributed files (builder/yamlfile.py,
    # builder/bib.py), in their values too; a stored text may carry them (a soft hyphen from a PDF).
    bad = bad_character(text, formats=False) if check_characters else None
    if bad is not None:
        return None, [character_problem(text, shown, bad)]
    return text, []
