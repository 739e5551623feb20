"""references.bib read, and parsed again only where it changed since the last build.

Parsing a library of 10,000 references takes about a second, and an editor's edit touches
one of them. So the file is cut into pieces where bibtexparser's splitter starts a block
(a line that starts with `@type{` or `@type(`), and each piece's references and problems are
kept under its text. A piece parses alone as it does within the file: bibtexparser aborts
any block still open at such a line, so no block reaches across a cut. Two things do:

- @string macros. A piece is kept under its own text and that of every piece that defines
  one, and those pieces are parsed every time, with the pieces not kept.
- A key given twice. When one is, or anything fails to parse, the whole file is parsed as
  it was before this cache: its problems are reported exactly as a whole parse reports them.

The pieces not kept are parsed in one pass over the file with every kept piece blanked to
its empty lines, so that each line keeps its number.

The pieces are kept in a store of their own, large and saved only once 1 piece in 100 is
new; what the file is made of (each piece's key and line, and the pieces just parsed) in a
small store saved after any change. So a build after an edit does not rewrite 10,000 parsed
references, and the next build puts the library together from its pieces unparsed.
"""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import bibtexparser

from builder.bib import Reference, library_references, parse_bib, reference
from builder.cache import BATCH, Store, digest
from builder.problems import Problem
from builder.yamlfile import read_text

# The library grows with the evidence base (about 300 bytes an entry), so its limit is
# far above the 1 MiB of a single evidence file.
DEFAULT_MAX_BIB_BYTES = 64 * 1024 * 1024

# bibtexparser's own block start (splitter._BLOCK_START), at the start of a line, after
# any spaces: where its splitter aborts a block left open.
_CUT = re.compile(r"^[^\S\n]*@\w*[ \t]*(?=[{(])", re.MULTILINE)
_STRING = re.compile("@string", re.IGNORECASE)


class Piece(NamedTuple):
    text: str
    line: int  # 0-based, where it starts in the file


class Parsed(NamedTuple):
    """A piece's references and problems, as found when it started on `line`."""

    line: int
    refs: tuple[Reference, ...]
    problems: tuple[Problem, ...]


class Layout(NamedTuple):
    """A library as its pieces: each piece's key in the store of pieces, and its line now."""

    keys: bytes  # 32 bytes a piece, one object: 10,000 of them unpickle in no time
    lines: tuple[int, ...]
    # The pieces parsed when it was kept: the store of pieces is saved only every so often.
    fresh: dict[bytes, Parsed]


class Whole(NamedTuple):
    """A library parsed whole: something in it failed to parse, or a key is given twice."""

    refs: dict[str, Reference]
    problems: tuple[Problem, ...]


References = tuple[dict[str, Reference], list[Problem]]


def read_bib(
    path: Path,
    shown: str,
    max_bytes: int = DEFAULT_MAX_BIB_BYTES,
    store: Store | None = None,
    kept_pieces: Store | None = None,
) -> References:
    """The library's references by key, and its problems.

    With stores: `store` keeps each text's Layout (or its Whole parse), small and saved after
    any change; `kept_pieces` each piece parsed, saved every so often.
    """
    text, problems = read_text(path, shown, max_bytes)
    if text is None:
        return {}, problems
    if store is None or kept_pieces is None or not store.keeps:
        return parse_bib(text, shown)
    whole = digest("bib", shown, text)
    kept = store.get(whole)
    found = _from_kept(kept, kept_pieces) if kept is not None else None
    if found is None:
        kept, found = _parse_kept(text, shown, kept_pieces)
        store.put(whole, kept)
    return found


def _from_kept(kept: Layout | Whole, kept_pieces: Store) -> References | None:
    """The library put together again from what is kept; None if a piece was lost."""
    if isinstance(kept, Whole):
        return dict(kept.refs), list(kept.problems)
    parsed = []
    for i, line in enumerate(kept.lines):
        key = kept.keys[32 * i : 32 * i + 32]
        piece = kept_pieces.get(key) or kept.fresh.get(key)
        if piece is None:
            return None
        parsed.append(_moved(piece, line - piece.line))
    return _together(parsed)


def pieces(text: str) -> list[Piece]:
    starts = [m.start() for m in _CUT.finditer(text)]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    ends = starts[1:] + [len(text)]
    found, line = [], 0
    for start, end in zip(starts, ends, strict=True):
        piece = text[start:end]
        found.append(Piece(piece, line))
        line += piece.count("\n")
    return found


def _parse_kept(text: str, shown: str, store: Store) -> tuple[Layout | Whole, References]:
    """parse_bib(text, shown), with each piece parsed only if `store` does not keep it; and
    what to keep of the library."""
    cut = pieces(text)
    defines = [bool(_STRING.search(p.text)) for p in cut]
    strings = digest("bib pieces", shown, *(p.text for p, d in zip(cut, defines, strict=True) if d))
    keys = [hashlib.sha256(strings + p.text.encode("utf-8", "surrogatepass")).digest() for p in cut]
    found: list[Parsed | None] = [None if d else store.get(k) for k, d in zip(keys, defines, strict=True)]
    fresh: dict[bytes, Parsed] = {}
    whole = None  # the file as bibtexparser parsed it, when no piece was kept
    if any(f is None for f in found):
        blanked = _blanked(text, cut, found)
        library = bibtexparser.parse_string(blanked)
        whole = library if blanked is text else None
        parsed = None if library.failed_blocks else _parse_fresh(library, shown, cut, found)
        if parsed is None:
            return _parsed_whole(text, shown, whole)
        for i, piece in parsed.items():
            found[i] = fresh[keys[i]] = store.put(keys[i], piece)
    together = _together([_moved(f, p.line - f.line) for p, f in zip(cut, found, strict=True) if f is not None])
    if together is None:
        return _parsed_whole(text, shown, whole)
    # More pieces than 1 in BATCH new: the store of pieces is saved with them anyway.
    fresh = fresh if len(fresh) * BATCH < len(cut) else {}
    return Layout(b"".join(keys), tuple(p.line for p in cut), fresh), together


def _together(parsed: Sequence[Parsed]) -> References | None:
    """The pieces' references and problems, in file order; None if a key is given twice (which a
    whole parse reports, as it reports it)."""
    refs: dict[str, Reference] = {}
    problems: list[Problem] = []
    count = 0
    for piece in parsed:
        for ref in piece.refs:
            refs[ref.key] = ref
            count += 1
        if piece.problems:
            problems += piece.problems
    return (refs, problems) if count == len(refs) else None


def _parsed_whole(text: str, shown: str, library: bibtexparser.Library | None) -> tuple[Whole, References]:
    """The file parsed whole, as before this cache (not again if it was: at 10,000 entries, a second)."""
    refs, problems = library_references(library if library is not None else bibtexparser.parse_string(text), shown)
    for ref in refs.values():
        _ = ref.digest  # now, to be kept with it
    return Whole(refs, tuple(problems)), (refs, problems)


def _blanked(text: str, cut: Sequence[Piece], found: Sequence[Parsed | None]) -> str:
    """The file with each piece found replaced by its empty lines (the file itself if none was)."""
    if all(f is None for f in found):
        return text
    return "".join(p.text if f is None else "\n" * p.text.count("\n") for p, f in zip(cut, found, strict=True))


def _parse_fresh(
    library: bibtexparser.Library, shown: str, cut: Sequence[Piece], found: Sequence[Parsed | None]
) -> dict[int, Parsed] | None:
    """The pieces not found, from the library parsed from the blanked file (None if one reaches
    beyond its piece)."""
    starts = [p.line for p in cut]
    refs: dict[int, list[Reference]] = {i: [] for i, f in enumerate(found) if f is None}
    problems: dict[int, list[Problem]] = {i: [] for i in refs}
    for entry in library.entries:
        i = bisect.bisect_right(starts, entry.start_line) - 1
        ends_before = starts[i + 1] if i + 1 < len(starts) else None
        if ends_before is not None and entry.start_line + entry.raw.count("\n") >= ends_before:
            return None  # cannot happen if the cut is where bibtexparser cuts; if it does, parse whole
        ref, entry_problems = reference(entry, shown)
        _ = ref.digest  # now, to be kept with it
        refs[i].append(ref)
        problems[i] += entry_problems
    return {i: Parsed(cut[i].line, tuple(refs[i]), tuple(problems[i])) for i in refs}


def _moved(parsed: Parsed, lines: int) -> Parsed:
    """The piece's references and problems, with their lines moved by `lines`."""
    if not lines:
        return parsed
    refs = []
    for ref in parsed.refs:
        moved = dataclasses.replace(ref, line=ref.line + lines)
        moved.__dict__["digest"] = ref.digest  # the digest leaves the line out
        refs.append(moved)
    problems = tuple(dataclasses.replace(p, line=p.line + lines) for p in parsed.problems)
    return Parsed(parsed.line + lines, tuple(refs), problems)
