"""briefing.pdf: the printable briefing page's content typeset by WeasyPrint.

Only the page's article HTML (already sanitised) is used, with a small print stylesheet,
not the theme's: the PDF is a document, not a screenshot of the site.
"""

from __future__ import annotations

import html

PRINT_CSS = """
@page { size: A4; margin: 18mm 16mm; @bottom-center { content: counter(page); font-size: 9pt; } }
body { font-family: sans-serif; font-size: 10.5pt; line-height: 1.4; color: #111; }
h1 { font-size: 20pt; } h2 { font-size: 14pt; margin-top: 1.4em; break-after: avoid; }
a { color: #111; text-decoration: none; }
a.headerlink { display: none; }
li { margin-bottom: .3em; }
"""


def weasyprint_problem() -> str:
    """Why WeasyPrint cannot run here ('' when it can): it needs the Pango C library."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        return f"{exc} (on Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0)"
    return ""


def briefing_pdf(article_html: str, title: str, site_name: str) -> bytes:
    import weasyprint

    # article_html is the page's sanitised HTML; title and site name are escaped here.
    document = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)} - {html.escape(site_name)}</title><style>{PRINT_CSS}</style>"
        f"</head><body>{article_html}</body></html>"
    )
    return weasyprint.HTML(string=document).write_pdf()
