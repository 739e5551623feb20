"""References formatted by a CSL style through citeproc-py, when mkdocs.yml names one.

Without a style the built-in Harvard formatter (builder/render/reference.py) is used: the
Harvard style bundled with citeproc-py 0.11 labels an article without volume or pages
"[Preprint]", a fact our sources do not give. A style of your choice (APA, Vancouver...)
is a .csl file from the Citation Style Language repository, named in the plugin's
`csl_style` option.
"""

from __future__ import annotations

import html
import logging
import warnings
from collections.abc import Mapping
from pathlib import Path

from builder.bib import Reference
from builder.render.citeformats import csl_item

logging.getLogger("citeproc").setLevel(logging.ERROR)


def _escaped(value: object) -> object:
    # citeproc-py's HTML formatter does not escape the text it is given: escape it first.
    if isinstance(value, str):
        return html.escape(value, quote=True)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: v if k == "id" else _escaped(v) for k, v in value.items()}
    return value


def format_with_csl(references: Mapping[str, Reference], style: Path) -> dict[str, str]:
    """Each reference as HTML in the given CSL style."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns of every variable a style does not know
        parsed = CitationStylesStyle(str(style), validate=False)
        for key, ref in references.items():
            # One bibliography per reference: the entry cannot be mistaken for another's
            # when the style sorts its bibliography.
            bibliography = CitationStylesBibliography(parsed, CiteProcJSON([_escaped(csl_item(ref))]), formatter.html)
            bibliography.register(Citation([CitationItem(key)]))
            out[key] = str(bibliography.bibliography()[0])
    return out
