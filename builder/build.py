"""The core's whole output for a project: the check, and every file an engine builds the site
from (pages as front matter and HTML, downloads, schemas, the extra pages).

`evidence check` runs `check_project`; the MkDocs plugin and `evidence render` run
`build_core`. Both judge the same problems by the same rule, so the check predicts the build.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import itertools
import json
import re
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from builder.check import CheckResult, check
from builder.corpus import Corpus
from builder.files import link_on_the_way, read_text
from builder.generated import Generated, Spool
from builder.memo import Memo
from builder.pdf import PdfWorker, kept_pdf, pdf_problem
from builder.problems import Problem, capped, fails, format_problems, summary
from builder.published import clashes, link_problems, site_problems, tree_problems
from builder.render import PROSE, Download, Page, other_files, page_groups, page_uris
from builder.render.briefing import BEING_MADE, PdfPages, briefing_document
from builder.render.html import Links, shortened
from builder.render.searchindex import index_files
from builder.render.searchtext import page_document, search_documents
from builder.render.site import Site
from builder.schema import SCHEMAS, schema_text
from builder.settings import PATH_OPTIONS, Settings
from builder.store import Store
from builder.texts import searched

PDF_PATH = "downloads/briefing.pdf"
# The search box's script and the generated pages' styles, as the site serves them.
ASSETS = {
    "assets/evidence/evidence-search.js": "evidence-search.js",
    "assets/evidence/evidence-browse.js": "evidence-browse.js",
    "assets/evidence/evidence.css": "evidence.css",
}
_ASSETS_DIR = Path(__file__).parent / "assets"


def page_meta(page: Page) -> dict:
    """A page's metadata as MkDocs and the theme read it from front matter. Titles are
    HTML-escaped, as MkDocs and Material print them unescaped."""
    meta: dict = {"title": html.escape(" ".join(page.title.split()))}
    if page.description:
        meta["description"] = html.escape(shortened(page.description, 200))
    if not page.searchable:  # pages that repeat others' text would only duplicate search results
        meta["search"] = {"exclude": True}
    if page.hide_toc:
        meta["hide"] = ["toc"]
    return meta


def page_front_matter(page: Page) -> str:
    """A page's metadata as front matter (for an engine that reads files: `evidence render`).
    Values are JSON, ASCII only: no character in a title can break it."""
    front = "".join(f"{key}: {json.dumps(value, ensure_ascii=True)}\n" for key, value in page_meta(page).items())
    return f"---\n{front}---\n\n"


@dataclass(frozen=True)
class Later:
    """A file whose name is known before it is made, and made when first asked for (the preview)."""

    path: str
    make: Callable[[], str | bytes]


@dataclass(frozen=True)
class Built:
    settings: Settings
    problems: tuple[Problem, ...]
    corpus: Corpus | None = None  # None when the check failed
    pages: Generated | None = None
    extras: tuple[Download | Later, ...] = ()  # every other file: downloads, the PDF, the schemas...
    # The search index, when made only when asked for (the preview); a build's is in extras.
    index: Callable[[], list[Download]] | None = None
    pdf: Callable[[], Future[tuple[bytes, int]]] | None = None  # the PDF and its length, once started


def check_project(settings: Settings, memo: Memo | None = None) -> CheckResult:
    """The check of the evidence, and of what the build takes besides (builder/published.py):
    hand-written pages, the theme's own folder, the site's folder."""
    result = check(settings, memo)
    docs = tree_problems(settings, settings.docs_dir, names=True)
    theme = tree_problems(settings, settings.custom_dir, names=False) if settings.custom_dir else []
    extra, found = _extra_pages(settings)
    problems = [*result.problems, *docs, *theme, *found, *site_problems(settings)]
    if result.corpus is not None:
        uris = page_uris(result.corpus, settings)
        problems += clashes(settings, uris)
        if not docs:  # a page refused there is not read for its links
            written = [(f"{settings.docs_dir}/{path}", path, text) for path, text in _handwritten(settings)]
            written += [(settings.options.extra_pages[page.path], page.path, page.content) for page in extra]
            problems += link_problems(settings, uris, written)  # type: ignore[arg-type]
    return CheckResult(None if fails(problems) else result.corpus, tuple(capped(problems)), result.linked)


def build_core(
    settings: Settings, memo: Memo | None = None, store: Store | None = None, *, spool: Path | None = None
) -> Built:
    """The check, then every generated file, made now: kept in a temporary file in the folder
    `spool`, if given, until it is written, rather than in memory (builder/generated.py)."""
    built = prepare(settings, memo, store, spool)
    if built.pages is None:
        return built
    built.pages.make_all()
    assert built.index is not None
    keep = built.pages.spool.keep if built.pages.spool else None

    def made(path: str, content: str | bytes) -> Download | Later:
        return Later(path, keep(content, as_bytes=True)) if keep else Download(path, content)

    extras = [made(e.path, e.make()) if isinstance(e, Later) else e for e in built.extras]
    extras += [made(d.path, d.content) for d in built.index()]
    if memo is not None:
        memo.end_build()
    return dataclasses.replace(built, extras=tuple(extras), index=None)


def prepare(
    settings: Settings,
    memo: Memo | None = None,
    store: Store | None = None,
    spool: Path | None = None,
    worker: PdfWorker | None = None,
) -> Built:
    """The check, and every generated file known by name, none made yet: each is made when first
    asked for. The PDF is made before the pages that say how long it is, at once; or by `worker`,
    while pages are made (the preview's), and a page made before it says it is being made."""
    result = check_project(settings, memo)
    if result.corpus is None:
        return Built(settings, result.problems)
    problems = result.problems
    problem = pdf_problem() if settings.options.pdf else ""
    if problem:
        problems += (Problem("mkdocs.yml", 1, 1, "pdf", f"briefing.pdf is not made: {problem}", severity="note"),)
        settings = dataclasses.replace(settings, options=dataclasses.replace(settings.options, pdf=False))
    site = Site(result.corpus, settings, memo or Memo(keeps=False))  # one, for the PDF and the pages

    @functools.cache
    def pdf() -> Future[tuple[bytes, int]]:
        document, title, kept = briefing_document(site), settings.site_name, store or Store()
        if worker is not None:
            return worker.make(document, title, kept)
        made: Future[tuple[bytes, int]] = Future()
        made.set_result(kept_pdf(document, title, kept))
        return made

    def pdf_pages() -> PdfPages:
        if not settings.options.pdf:
            return None
        if worker is None:
            return pdf().result()[1]
        # The preview's pages neither wait for it nor start it: its writer does (builder/preview.py).
        made = pdf() if pdf.cache_info().currsize else None
        return made.result()[1] if made is not None and made.done() and not made.cancelled() else BEING_MADE

    pages_of = page_groups(site, pdf_pages)
    pages = Generated(pages_of, Spool(spool) if spool else None)
    extra_pages, _ = _extra_pages(settings)
    extras: list[Download | Later] = [Later(path, make) for path, make in other_files(site).items()]
    extras += extra_pages
    extras += [Later(PDF_PATH, lambda: pdf().result()[0])] if settings.options.pdf else []
    extras += [Later(f"schema/{name}", lambda name=name: _schema(name)) for name in SCHEMAS]
    extras += [Download(path, (_ASSETS_DIR / name).read_text(encoding="utf-8")) for path, name in ASSETS.items()]

    def index() -> list[Download]:
        links = Links(settings.use_directory_urls)
        handwritten = [
            page_document(links.url(path.removesuffix(".md")), *_title_and_text(text))
            for path, text in [*_handwritten(settings), *((d.path, d.content) for d in extra_pages)]
        ]
        searched = search_documents(site, [pages.full(uri) for uri in PROSE])
        return index_files(itertools.chain(searched, handwritten), site.memo if memo else None)

    return Built(settings, problems, result.corpus, pages, tuple(extras), index, pdf if settings.options.pdf else None)


# The schemas, made from the models (a tenth of a second): once a process, when first written.
_schema = functools.cache(schema_text)


def check_failed(built: Built) -> str:
    """What a build that stopped at the check says: how many problems, then each that fails it."""
    failing = [p for p in built.problems if p.fails]
    return f"evidence check failed ({summary(built.problems)}):\n" + format_problems(failing)


def _handwritten(settings: Settings) -> list[tuple[str, str]]:
    """The hand-written Markdown pages in docs/, by path, for the search index."""
    docs = settings.path(settings.docs_dir)
    found = []
    for path in sorted(docs.rglob("*.md")):
        text, _ = read_text(path, settings.shown(path), settings.options.max_file_bytes, settings.root)
        if text is not None:
            found.append((path.relative_to(docs).as_posix(), text))
    return found


_MARKUP = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|[#*_`>|]+")


def _title_and_text(markdown: str) -> tuple[str, str]:
    """A Markdown page's title (its first heading) and its words, for the search index."""
    body = markdown.split("\n---\n", 1)[1] if markdown.startswith("---\n") and "\n---\n" in markdown else markdown
    heading = next((line.lstrip("# ").strip() for line in body.splitlines() if line.startswith("# ")), "")
    return heading or "Page", _MARKUP.sub(lambda m: m.group(1) or " ", body)


def _extra_pages(settings: Settings) -> tuple[list[Download], list[Problem]]:
    pages, problems = [], []
    for src_uri, repo_file in settings.options.extra_pages.items():
        text, found = read_text(settings.path(repo_file), repo_file, settings.options.max_file_bytes, settings.root)
        problems += found
        if text is not None:
            pages.append(Download(src_uri, text))
    return pages, problems


def watched(settings: Settings) -> list[tuple[Path, bool]]:
    """What a preview watches besides mkdocs.yml, docs/ and the theme: every file the core reads,
    as (path, recursive). Links are left out: the check refuses them, and watching where one
    points (/proc, /) could swamp the preview."""
    options = settings.options
    named = [getattr(options, name) for name in PATH_OPTIONS if name != "source_texts"]  # texts: below
    paths = [settings.path(p) for p in [*named, *options.extra_pages.values()] if p]
    found = [(path, True) for path in paths if path.exists() and not link_on_the_way(settings.root, path)]
    # Stored texts are files at a folder's top: nothing below is watched.
    return found + [(folder.path, False) for folder in searched(settings) if folder.path.is_dir()]
