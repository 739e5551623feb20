"""The only place that knows MkDocs: run the check before MkDocs cleans site/, add the pages.

MkDocs calls on_config -> on_pre_build -> (cleans site_dir) -> on_files, so the whole
check runs in on_pre_build: a build with errors stops before the old site is touched.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkPage

from builder.parallel import in_child
from builder.pdf import briefing_pdf, weasyprint_problem
from builder.pipeline import DEFAULT_CACHE_DIR, Project, build_pages
from builder.problems import errors, format_problems, summary
from builder.render import Page, RenderOptions
from builder.sanitize import clean_html
from builder.schema import SCHEMAS, schema_text

log = logging.getLogger("mkdocs.plugins.evidence")
PDF_URI = "downloads/briefing.pdf"


class EvidenceConfig(Config):
    evidence_dir = opt.Type(str, default="evidence")
    themes_file = opt.Type(str, default="evidence/themes.yaml")
    bib_file = opt.Type(str, default="references.bib")
    max_file_bytes = opt.Type(int, default=1024 * 1024)
    # e.g. https://github.com/ORG/REPO/edit/main/ ; empty: pages name the file without a link.
    edit_url = opt.Type(str, default="")
    # Repository files published as pages, e.g. {contributing.md: CONTRIBUTING.md}.
    extra_pages = opt.Type(dict, default={})
    # A theme whose sources are all older than this (in years) is reported as a gap.
    max_age_years = opt.Type(int, default=10)
    # Typeset the one-page briefing as downloads/briefing.pdf (skipped, with a note, where
    # WeasyPrint's Pango library is missing).
    pdf = opt.Type(bool, default=True)
    # Theme pages, the source list and the references split into parts of this many items.
    page_size = opt.Type(int, default=200)
    # A CSL style file (relative to mkdocs.yml) to format references with, through citeproc-py;
    # empty: the built-in Harvard (Cite Them Right) formatter.
    csl_style = opt.Type(str, default="")
    # Where parsed files and rendered parts are kept between builds (relative to mkdocs.yml;
    # safe to delete); empty: keep nothing, render everything every time.
    cache_dir = opt.Type(str, default=DEFAULT_CACHE_DIR)
    # Index sources' summaries for search. Summaries are a third of the index (about 1 KB a
    # source); a base of many thousand sources may leave them out (benchmarks/RESULTS.md).
    search_summaries = opt.Type(bool, default=True)


def default_nav(generated: list[str], handwritten: list[str]) -> list:
    """Home, the themes in themes.yaml order, the overviews, then hand-written pages."""
    themes = [uri for uri in generated if uri.startswith("themes/")]
    browse = [uri for uri in generated if uri.startswith("browse/")]
    rest = [uri for uri in generated if uri not in themes + browse and uri != "index.md" and uri.endswith(".md")]
    return ["index.md", {"Themes": themes}, *rest, {"Browse": browse}, *sorted(handwritten)]


def _project_root(config: MkDocsConfig) -> Path:
    """The folder of mkdocs.yml: evidence paths in the plugin's options are relative to it."""
    return Path(config.config_file_path or ".").resolve().parent


class EvidencePlugin(BasePlugin[EvidenceConfig]):
    def __init__(self) -> None:
        self.pages: list[Page] = []
        self.generated: set[str] = set()
        self.make_pdf = False
        self.pdf_html = ""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # Generated pages mark sections to leave out of search with { data-search-exclude }
        # (attr_list); contributor text can never write attributes: its '{' is always escaped.
        if "attr_list" not in config.markdown_extensions:
            config.markdown_extensions.append("attr_list")
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        # Recomputed on every build, so `mkdocs serve` never serves stale state.
        root = _project_root(config)
        project = Project(
            root,
            self.config.evidence_dir,
            self.config.themes_file,
            self.config.bib_file,
            self.config.max_file_bytes,
            cache_dir=self.config.cache_dir,
        )
        self.pdf_html = ""
        self.make_pdf = make_pdf = self.config.pdf and not self._pdf_unavailable()
        options = RenderOptions(
            edit_url=self.config.edit_url,
            site_url=config.site_url or "",
            max_age_years=self.config.max_age_years,
            pdf=make_pdf,
            page_size=self.config.page_size,
            csl_style=str(root / self.config.csl_style) if self.config.csl_style else "",
            search_summaries=self.config.search_summaries,
        )
        # In a child process where that is safe (builder/parallel.py): only the pages come
        # back, and the memory the core used is the system's again before MkDocs renders HTML.
        built = in_child(lambda: build_pages(project, options))
        for problem in built.problems:
            if not problem.is_error:
                log.warning(problem.text())
        if built.pages is None:
            found = [p for p in built.problems if p.is_error]
            raise PluginError(f"evidence check failed ({summary(built.problems)}):\n" + format_problems(errors(found)))
        self.pages = built.pages
        self.pages += [Page(f"schema/{name}", schema_text(name)) for name in SCHEMAS]
        self.pages.append(Page("downloads/references.bib", (root / self.config.bib_file).read_text(encoding="utf-8")))
        for src_uri, repo_file in self.config.extra_pages.items():
            if not (root / repo_file).is_file():
                raise PluginError(f"mkdocs.yml: extra_pages: {src_uri}: no file '{repo_file}' next to mkdocs.yml")
            self.pages.append(Page(src_uri, (root / repo_file).read_text(encoding="utf-8")))
        if make_pdf:
            # A placeholder so links to it validate; on_post_build writes the real PDF.
            self.pages.append(Page(PDF_URI, ""))

    def _pdf_unavailable(self) -> bool:
        problem = weasyprint_problem()
        if problem:
            log.info(f"briefing.pdf not made: {problem}")
        return bool(problem)

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Callable) -> LiveReloadServer:
        # `mkdocs serve` rebuilds when anything the plugin reads changes, whatever mkdocs.yml watches.
        root = _project_root(config)
        for path in (
            self.config.evidence_dir,
            self.config.themes_file,
            self.config.bib_file,
            *self.config.extra_pages.values(),
        ):
            if (root / path).exists():
                server.watch(str(root / path))
        return server

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        clashes = [p.src_uri for p in self.pages if files.get_file_from_path(p.src_uri)]
        if clashes:
            raise PluginError(
                "hand-written pages in docs/ have the paths of generated pages: "
                + ", ".join(clashes)
                + " (rename or move them)"
            )
        for page in self.pages:
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            # A page kept in the cache is read from it now (builder/render/shelf.py).
            files.append(File.generated(config, page.src_uri, content=page.text(), inclusion=inclusion))
        self.generated = {p.src_uri for p in self.pages}
        if config.nav is None:
            handwritten = [f.src_uri for f in files.documentation_pages() if f.src_uri not in self.generated]
            config.nav = default_nav([p.src_uri for p in self.pages if p.in_nav], handwritten)
        self.pages = []  # the Files hold the content now; keeping a second copy doubles memory
        return files

    def on_page_content(self, html: str, *, page: MkPage, config: MkDocsConfig, files: Files) -> str:
        if page.file.src_uri not in self.generated:
            return html
        html = clean_html(html)
        if page.file.src_uri == "briefing.md" and self.make_pdf:
            self.pdf_html = html
        return html

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.pdf_html:
            pdf = briefing_pdf(self.pdf_html, "The briefing on one page", config.site_name)
            (Path(config.site_dir) / PDF_URI).write_bytes(pdf)
