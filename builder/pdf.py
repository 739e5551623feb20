"""briefing.pdf: the whole briefing typeset by WeasyPrint, as a document that stands alone.

It is made from its own HTML (builder/render/briefing.py briefing_document), with a print
stylesheet: the title, question and front matter above the key messages on the first page (the
bottom line first, as policy briefings put it), page numbers, the summary table fitted to the
page, themes that run on rather than each start a page (a theme of one finding left most of a
page empty), and links that work from a downloaded file (to its own sections and reference
list, or absolute). It is tagged (PDF/UA-1: headings, lists, tables and reading order for a
screen reader, a title and a language), as public-sector accessibility rules require.
"""

from __future__ import annotations

import html

PRINT_CSS = """
@page { size: A4; margin: 18mm 16mm 20mm;
  @bottom-center { content: "Page " counter(page) " of " counter(pages); font-size: 8.5pt; color: #444; }
  @top-right { content: string(title); font-size: 8.5pt; color: #444; } }
@page :first { @top-right { content: none; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10pt; line-height: 1.4; color: #111; }
h1 { font-size: 22pt; margin: 8mm 0 4mm; string-set: title content(); }
.title-page { border-bottom: 1pt solid #999; padding-bottom: 4mm; margin-bottom: 2mm; }
.title-page .kind { font-size: 12pt; text-transform: uppercase; letter-spacing: .08em; color: #333; }
h2 { font-size: 14pt; margin-top: 1.4em; break-after: avoid; }
h3 { font-size: 11.5pt; margin: 1em 0 .3em; break-after: avoid; }
dl.evidence-front { display: grid; grid-template-columns: max-content auto; gap: 0 4mm; margin: 2mm 0; }
dl.evidence-front dt { font-weight: bold; }
dl.evidence-front dd { margin: 0; }
ul.evidence-policy { margin-top: 0; }
a { color: #0b3d91; text-decoration: none; }
a.headerlink { display: none; }
li { margin-bottom: .3em; }
table { border-collapse: collapse; width: 100%; font-size: 8pt; margin: .5em 0; }
th, td { border: .5pt solid #999; padding: 3pt 4pt; vertical-align: top; text-align: left; }
td ul { margin: 0; padding-left: 1em; }
tr { break-inside: avoid; }
.evidence-message { margin-bottom: .6em; }
.evidence-confidence { font-weight: bold; }
ul.evidence-references { list-style: none; padding-left: 0; }
ul.evidence-references li { padding-left: 1.5em; text-indent: -1.5em; }
p, li { orphans: 3; widows: 3; }
.evidence-reference, ul.evidence-references li { break-inside: avoid; }
"""


def weasyprint_problem() -> str:
    """Why WeasyPrint cannot run here ('' when it can): it needs the Pango C library."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        return f"{exc} (on Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0)"
    return ""


def briefing_pdf(body_html: str, title: str) -> tuple[bytes, int]:
    """The PDF and its number of pages, from the briefing document's escaped HTML."""
    import weasyprint

    document = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{PRINT_CSS}</style></head><body>{body_html}</body></html>"
    )
    rendered = weasyprint.HTML(string=document).render()
    return rendered.write_pdf(pdf_variant="pdf/ua-1"), len(rendered.pages)
