"""briefing.pdf: the whole briefing typeset by WeasyPrint, as a document that stands alone.

It is made from its own HTML (builder/render/briefing.py briefing_document), with a print
stylesheet: the title, question and front matter above the key messages on the first page (the
bottom line first, as policy briefings put it), page numbers, the summary table fitted to the
page, themes that run on rather than each start a page (a theme of one finding left most of a
page empty), and links that work from a downloaded file (to its own sections and reference
list, or absolute). It is tagged (PDF/UA-1: headings, lists, tables and reading order for a
screen reader, a title and a language), as public-sector accessibility rules require.

Typesetting takes seconds (most of a small briefing's build), so a PDF once made is kept in
the user's cache (builder/store.py) under a key of everything it is made from: its HTML and
title, this module, the versions of WeasyPrint and the libraries it uses, Python's and the
system's (Pango, HarfBuzz, fontconfig and the fonts it knows). A build whose briefing shows
the same makes no PDF; one whose key is not kept makes it, as a cold build would.
"""

from __future__ import annotations

import ctypes
import html
import importlib.metadata
import importlib.util
import multiprocessing
import re
import sys
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from builder.store import Store, key_of

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


def pdf_problem() -> str:
    """Why the PDF cannot be made here ('' when it can); without importing WeasyPrint where its
    libraries load (below)."""
    return "" if _system() else weasyprint_problem()


def kept_pdf(body_html: str, title: str, store: Store) -> tuple[bytes, int]:
    """The PDF and its number of pages, from the store if it holds this one, else made (and kept)."""
    system = _system()
    key = _key(system, body_html, title) if system else None
    kept = store.get("pdf", key) if key else None
    if kept is not None:
        return kept[4:], int.from_bytes(kept[:4], "big")
    pdf, pages = briefing_pdf(body_html, title)
    if key:
        store.put("pdf", key, pages.to_bytes(4, "big") + pdf)
    return pdf, pages


class PdfWorker:
    """A process of its own that makes the preview's PDFs: pages are written while WeasyPrint runs
    on another core, and none waits for it but the pages that say how long the PDF is. Only the
    newest PDF asked for is made: one asked for before it and not yet begun is cancelled."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._jobs: dict[str, Future[tuple[bytes, int]]] = {}  # by key: the newest last

    def start(self) -> None:
        """Start the process, and WeasyPrint in it, before the first PDF is wanted."""
        if self._pool is None:  # started afresh, not forked from a process with threads
            self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
            self._pool.submit(weasyprint_problem)

    def make(self, body_html: str, title: str, store: Store) -> Future[tuple[bytes, int]]:
        """The PDF: from the store at once if it holds it, else made in the worker."""
        system = _system()
        key = _key(system, body_html, title) if system else key_of(body_html, title)
        job = self._jobs.pop(key, None)
        if job is None or job.cancelled():
            kept = store.get("pdf", key) if system else None
            if kept is not None:
                job = Future()
                job.set_result((kept[4:], int.from_bytes(kept[:4], "big")))
            else:
                self.start()
                assert self._pool is not None
                job = self._pool.submit(kept_pdf, body_html, title, store)
        for other in self._jobs.values():
            other.cancel()  # asked for before this one, and not begun: no longer wanted
        self._jobs[key] = job
        while len(self._jobs) > 4:
            del self._jobs[next(iter(self._jobs))]
        return job

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)


# The C libraries WeasyPrint loads (weasyprint/text/ffi.py), by their names on Linux.
_LIBRARIES = (
    "libgobject-2.0.so.0",
    "libpango-1.0.so.0",
    "libharfbuzz.so.0",
    "libharfbuzz-subset.so.0",
    "libfontconfig.so.1",
    "libpangoft2-1.0.so.0",
)
_FONT_CACHES = (Path("/var/cache/fontconfig"), Path.home() / ".cache" / "fontconfig", Path("/etc/fonts"))


def _system() -> str | None:
    """What the PDF is made with besides its HTML, found without importing WeasyPrint (half a
    second): Python's version, WeasyPrint's and its requirements', the C libraries' files (their
    names carry their versions) and fontconfig's caches and settings. None where it cannot be
    told (WeasyPrint or a library missing; not Linux): the PDF is then made, not looked up."""
    try:
        names = ["weasyprint"] + [re.split(r"[ ;<>=!~\[]", r, maxsplit=1)[0] for r in _requirements()]
        versions = [f"{name} {importlib.metadata.version(name)}" for name in sorted(set(names))]
        for library in _LIBRARIES:
            ctypes.CDLL(library)
        maps = Path("/proc/self/maps").read_text()
    except (OSError, importlib.metadata.PackageNotFoundError):
        return None
    if importlib.util.find_spec("weasyprint") is None:
        return None
    stems = tuple(library.split(".so")[0] for library in _LIBRARIES)
    files = sorted({line.split()[-1] for line in maps.splitlines() if Path(line.split()[-1]).name.startswith(stems)})
    fonts = [
        f"{path} {path.stat().st_size} {path.stat().st_mtime_ns}"
        for folder in _FONT_CACHES
        if folder.is_dir()
        for path in sorted(folder.rglob("*"))
    ]
    return "\n".join([sys.version, *versions, *files, *fonts])


def _key(system: str, body_html: str, title: str) -> str:
    return key_of("briefing.pdf 1", Path(__file__).read_bytes(), system, title, body_html)


def _requirements() -> list[str]:
    return [r for r in importlib.metadata.requires("weasyprint") or [] if "extra ==" not in r]


def briefing_pdf(body_html: str, title: str) -> tuple[bytes, int]:
    """The PDF and its number of pages, from the briefing document's escaped HTML."""
    import weasyprint

    document = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{PRINT_CSS}</style></head><body>{body_html}</body></html>"
    )
    rendered = weasyprint.HTML(string=document).render()
    return rendered.write_pdf(pdf_variant="pdf/ua-1"), len(rendered.pages)
