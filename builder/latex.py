"""The LaTeX a BibTeX value may hold: a short allow-list, because readers feed our downloads
(the "Cite this" BibTeX, downloads/references.bib) to LaTeX, where a command such as \\input
reads their files and \\write18 runs programs.

What passes: accents ({\\'e}, \\"o, \\v{c}), escaped characters (\\&, \\%, \\_), letters and
punctuation LaTeX spells with a command (\\ss, \\o, \\textendash, \\ldots), Greek letters in
$...$, and a few text styles (\\emph, \\textit, \\textbf, \\textsc), with braces that pair both
as BibTeX and as LaTeX count them. pylatexenc turns each of them into Unicode on the site.
Anything else (another command, \\begin of an environment, TeX's ^^5c character codes) is
refused at check time, where the contributor can write the character itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from builder.problems import shown_text


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


ACCENTS = frozenset("'`^\"~=.uvHcdbtkr")
ESCAPED = frozenset("&%$#_{} ,")
LETTERS = _names("ss o O aa AA ae AE oe OE l L i j dh DH th TH ng NG dj DJ")
PUNCTUATION = _names(
    "textendash textemdash ldots dots textellipsis textquoteleft textquoteright textquotedblleft "
    "textquotedblright guillemotleft guillemotright textsection textparagraph textsterling texteuro "
    "textcopyright textregistered texttrademark textdegree textbullet textdagger textasciitilde "
    "textasciicircum textbackslash"
)
GREEK = _names(
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho sigma tau upsilon phi chi "
    "psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega"
)
STYLES = _names("emph textit textbf textsc textsl textrm")
ALLOWED = ACCENTS | ESCAPED | LETTERS | PUNCTUATION | GREEK | STYLES


@dataclass(frozen=True)
class Refused:
    """What in a value is not allowed, and where it starts (an index into the value)."""

    at: int
    written: str  # as the contributor wrote it, e.g. '\\input'
    message: str
    hint: str


_WRITE_IT = (
    "write the characters themselves (é, –, β: the file is UTF-8); LaTeX in a reference may only be accents "
    "such as {\\'e}, escapes such as \\& and the few commands SECURITY.md lists, since readers' LaTeX runs it"
)


# A command as TeX reads one: a backslash and a run of letters, or a backslash and one other
# character. Every command in a value is found this way, even after a % or inside braces.
_COMMAND = re.compile(r"\\(?:[A-Za-z]+|.)", re.DOTALL)


def refused_latex(value: str) -> Refused | None:
    """The first thing in a BibTeX value that LaTeX would run rather than print, if any."""
    if "\\" not in value and "^^" not in value and "{" not in value and "}" not in value:
        return None  # most values: plain text
    braces = _unpaired_brace(value)
    if braces is not None:
        return braces
    codes = value.find("^^")
    if codes >= 0:
        return Refused(
            codes,
            "^^",
            "'^^' is not allowed in a reference: LaTeX reads '^^' and two letters as a hidden character",
            "write the character itself",
        )
    for command in _COMMAND.finditer(value):
        written = command.group()
        if written[1:] not in ALLOWED:
            message = f"the LaTeX command '{shown_text(written)}' is not allowed in a reference"
            return Refused(command.start(), written, message, _WRITE_IT)
    return None


def _unpaired_brace(value: str) -> Refused | None:
    """A brace that pairs with nothing, as BibTeX counts braces or as LaTeX does. BibTeX counts
    \\{ and \\} too: a '}' that closes nothing, or a '{' never closed, ends the entry written for
    readers early, and what follows is read as BibTeX of its own. LaTeX reads \\{ and \\} as
    braces to print, not groups: in `\\emph{\\}` (paired for BibTeX) the group never closes and
    the rest of a reader's bibliography is emphasised, or their document fails; in `\\{}` the '}'
    closes a group of the reader's bibliography style. So each count must pair on its own."""
    opened: list[int] = []  # every brace, as BibTeX counts them
    groups: list[int] = []  # the braces that are not escaped, as LaTeX counts them
    for index, char in enumerate(value):
        if char not in "{}":
            continue
        escaped = index > 0 and value[index - 1] == "\\"
        if char == "{":
            opened.append(index)
            groups += [] if escaped else [index]
        elif not opened:
            return Refused(index, "}", "this '}' closes no '{'", "delete it, or add the '{' it closes")
        else:
            opened.pop()
            if not escaped and not groups:
                return Refused(index, "}", _AS_LATEX["}"], "delete it, or write \\} to print a brace")
            if not escaped:
                groups.pop()
    if opened:
        return Refused(opened[-1], "{", "this '{' is not closed", "add the '}' that closes it, or delete it")
    if groups:
        return Refused(groups[-1], "{", _AS_LATEX["{"], "add the '}' that closes it, or write \\{ to print a brace")
    return None


# A brace that pairs only with an escaped one, which LaTeX prints rather than pairs.
_AS_LATEX = {
    "{": "this '{' is not closed for LaTeX, which reads \\} as a brace to print, not as the end of a group",
    "}": "this '}' closes no '{' for LaTeX, which reads \\{ as a brace to print, not as the start of a group",
}
