"""The core's whole output for a project: the check, and every file an engine builds the site
from (pages as front matter and HTML, downloads, schemas, the extra pages).

`evidence check` runs `check_project`; the MkDocs plugin and `evidence render` run
`build_core`. Both judge the same problems by the same rule, so the check predicts the build.
"""

from __future__ import annotations

import dataclasses
import html
import json
import os
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from builder.check import CheckResult, check
from builder.corpus import Corpus
from builder.files import link_on_the_way, read_text
from builder.memo import Memo
from builder.pdf import kept_pdf
from builder.problems import Problem, capped, fails
from builder.render import Download, Page, Rendered, page_uris, render
from builder.render.briefing import briefing_document
from builder.render.html import Links, shortened
from builder.render.search import index_files
from builder.render.searched import page_document
from builder.render.site import Site
from builder.schema import SCHEMAS, schema_text
from builder.settings import Settings
from builder.store import Store

PDF_PATH = "downloads/briefing.pdf"
# The search box's script and the generated pages' styles, as the site serves them.
ASSETS = {
    "assets/evidence/evidence-search.js": "evidence-search.js",
    "assets/evidence/evidence-browse.js": "evidence-browse.js",
    "assets/evidence/evidence.css": "evidence.css",
}
_ASSETS_DIR = Path(__file__).parent / "assets"


def page_front_matter(page: Page) -> str:
    """A page's front matter. Values are JSON strings, ASCII only: no character in a title can
    break it. Titles are HTML-escaped too, as MkDocs and Material print them unescaped."""
    meta = {"title": html.escape(" ".join(page.title.split()))}
    if page.description:
        meta["description"] = html.escape(shortened(page.description, 200))
    front = "".join(f"{key}: {json.dumps(value, ensure_ascii=True)}\n" for key, value in meta.items())
    if not page.searchable:  # pages that repeat others' text would only duplicate search results
        front += "search:\n  exclude: true\n"
    if page.hide_toc:
        front += "hide:\n  - toc\n"
    return f"---\n{front}---\n\n"


@dataclass(frozen=True)
class Built:
    settings: Settings
    problems: tuple[Problem, ...]
    corpus: Corpus | None = None  # None when the check failed
    rendered: Rendered | None = None
    extras: tuple[Download, ...] = ()

    @cached_property
    def files(self) -> list[tuple[str, str | bytes]]:
        """Every generated file, by its path in the docs folder."""
        assert self.rendered is not None
        found: list[tuple[str, str | bytes]] = [
            (p.uri + ".md", page_front_matter(p) + p.body + "\n") for p in self.rendered.pages
        ]
        return found + [(d.path, d.content) for d in (*self.rendered.files, *self.extras)]


def check_project(settings: Settings, memo: Memo | None = None) -> CheckResult:
    """The check of the evidence, and of what the build reads besides: hand-written pages."""
    result = check(settings, memo)
    problems = list(result.problems) + _docs_problems(settings)
    _, found = _extra_pages(settings)
    problems += found
    if result.corpus is not None:
        problems += _clashes(settings, page_uris(result.corpus, settings))
    return CheckResult(None if fails(problems) else result.corpus, tuple(capped(problems)))


def build_core(settings: Settings, memo: Memo | None = None, store: Store | None = None) -> Built:
    result = check_project(settings, memo)
    if result.corpus is None:
        return Built(settings, result.problems)
    extra_pages, _ = _extra_pages(settings)
    extras, problems, pages = list(extra_pages), result.problems, None
    site = Site(result.corpus, settings, memo or Memo(keeps=False))  # one, for the PDF and the pages
    if settings.options.pdf:
        # Made first, so that the pages linking to it can say how long it is.
        document = briefing_document(site)
        made = site.memo.get("pdf", document, lambda: kept_pdf(document, settings.site_name, store or Store()))
        if isinstance(made, str):
            note = Problem("mkdocs.yml", 1, 1, "pdf", f"briefing.pdf is not made: {made}", severity="note")
            problems += (note,)
            settings = dataclasses.replace(settings, options=dataclasses.replace(settings.options, pdf=False))
            site = Site(result.corpus, settings, site.memo)
        else:
            pdf, pages = made
            extras.append(Download(PDF_PATH, pdf))
    rendered = render(site, pages)
    links = Links(settings.use_directory_urls)
    handwritten = [
        page_document(links.url(path.removesuffix(".md")), *_title_and_text(text))
        for path, text in [*_handwritten(settings), *((d.path, d.content) for d in extra_pages)]
    ]
    extras += index_files(rendered.searched + handwritten, memo)
    extras += [Download(f"schema/{name}", schema_text(name)) for name in SCHEMAS]
    extras += [Download(path, (_ASSETS_DIR / name).read_text(encoding="utf-8")) for path, name in ASSETS.items()]
    if memo is not None:
        memo.end_build()
    return Built(settings, problems, result.corpus, rendered, tuple(extras))


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


def _docs_problems(settings: Settings) -> list[Problem]:
    """Hand-written pages are published as they are: a link there could publish any file."""
    docs = settings.path(settings.docs_dir)
    if link_on_the_way(settings.root, docs):
        return [Problem(settings.docs_dir, 1, 1, "", "this folder is a symbolic link, which the build does not follow")]
    problems = []
    for folder, dirs, names in os.walk(docs):
        for name in sorted(dirs + names):
            path = Path(folder) / name
            if path.is_symlink():
                problems.append(
                    Problem(
                        settings.shown(path),
                        1,
                        1,
                        "",
                        "this is a symbolic link, which the build does not follow",
                        "put the file itself here",
                    )
                )
    return problems


def _clashes(settings: Settings, uris: list[str]) -> list[Problem]:
    generated = {uri + ".md" for uri in uris} | set(settings.options.extra_pages)
    docs = settings.path(settings.docs_dir)
    problems = []
    for folder, _, names in os.walk(docs):
        for name in names:
            path = Path(folder) / name
            relative = path.relative_to(docs).as_posix()
            if relative in generated:
                problems.append(
                    Problem(
                        settings.shown(path),
                        1,
                        1,
                        "",
                        f"this hand-written page has the path of a generated page ({relative})",
                        "rename or move it",
                    )
                )
    return problems
