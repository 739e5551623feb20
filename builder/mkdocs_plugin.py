"""The MkDocs plugin: run the check before MkDocs cleans site/, then add the generated files.
(The rest of the edge: builder/site.py builds atomically, builder/serve.py and preview.py
preview; nothing else imports MkDocs.)

MkDocs calls on_config -> on_pre_build -> (cleans site_dir) -> on_files, so the whole check
runs in on_pre_build: a build with problems stops before the old site is touched.

Generated pages are HTML already (builder/render/html.py), with their metadata: MkDocs gets each
as a page of its own kind (GeneratedPage) that has no Markdown to convert, and whose HTML is
read only when the page is written, and let go once it is (builder/generated.py keeps it until
then), so a build's memory does not grow with the number of pages. The theme does the rest.
"""

from __future__ import annotations

import html
import logging
import os
from dataclasses import fields
from pathlib import Path
from typing import Any

import markupsafe
from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkPage
from mkdocs.structure.toc import get_toc
from mkdocs.utils import write_file

from builder.build import ASSETS, Built, Later, build_core, check_failed, page_meta, prepare, watched
from builder.generated import Generated
from builder.memo import Memo
from builder.nav import default_nav
from builder.notfound import relative_404
from builder.pdf import PdfWorker
from builder.problems import format_problems
from builder.published import escaped_meta
from builder.render.html import Heading
from builder.settings import Options, Settings, options_from
from builder.templatecache import TemplateCache

TEMPLATES = str(Path(__file__).parent / "templates")
log = logging.getLogger("mkdocs.plugins.evidence")
progress = logging.getLogger("mkdocs.plugins.evidence.progress")


class EvidenceConfig(Config):
    """Made from builder.settings.Options, the one definition of the options."""

    for _field in fields(Options):
        _default = getattr(Options(), _field.name)
        locals()[_field.name] = opt.Type(type(_default), default=_default)
    del _field, _default


def _nav_titles(nav: Any, title: str | None = None) -> dict[str, str]:
    """The title the navigation gives each page it names with one, as MkDocs reads `nav`."""
    if isinstance(nav, str):
        return {nav: title} if title is not None else {}
    items = nav.items() if isinstance(nav, dict) else ((None, item) for item in nav or ())
    found: dict[str, str] = {}
    for key, value in items:
        for path, given in _nav_titles(value, key).items():
            found.setdefault(path, given)
    return found


class _CheckFailed(PluginError):
    """The check found problems: the build stops before MkDocs touches the site."""


def _toc(headings: tuple[Heading, ...]) -> list[dict]:
    """The table of contents as Python-Markdown's toc extension would give it to MkDocs: names
    as HTML (the theme prints them as they are), h3 under the h2 before them."""
    tokens: list[dict] = []
    for h in headings:
        token = {"level": h.level, "id": h.id, "name": html.escape(h.title), "children": []}
        parent = tokens[-1] if tokens and tokens[-1]["level"] < h.level else None
        (parent["children"] if parent else tokens).append(token)
    return tokens


class GeneratedPage(MkPage):
    """A generated page: its metadata and table of contents as MkDocs would have read them from
    front matter and HTML, no Markdown converted; its HTML only when it is written."""

    def __init__(self, title: str | None, file: File, config: MkDocsConfig, pages: Generated, uri: str) -> None:
        super().__init__(title, file, config)
        self.generated, self.uri = pages, uri

    def read_source(self, config: MkDocsConfig) -> None:
        self.markdown, self.meta = "", page_meta(self.generated.page(self.uri))

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content = ""  # the HTML and the table of contents come when it is written
        self.present_anchor_ids = set()


class _LaterFile(File):
    """A generated file made when it is written (the preview: builder/build.py Later)."""

    later: Later

    def copy_file(self, dirty: bool = False) -> None:
        content = self.later.make()
        write_file(content.encode("utf-8") if isinstance(content, str) else content, self.abs_dest_path)


class EvidencePlugin(BasePlugin[EvidenceConfig]):
    def __init__(self) -> None:
        self.built: Built | None = None
        self.memo = Memo()  # work kept between a preview's builds (builder/memo.py)
        # Under the preview (builder/preview.py): what makes its PDFs; each file is then made
        # when first asked for.
        self.worker: PdfWorker | None = None
        self.count = self.to_count = 0
        self.site_name = ""  # as mkdocs.yml gives it (on_config)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        pass  # having on_startup keeps this instance, and its memo, across a preview's builds

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # The theme prints the site's name unescaped: it gets it escaped, as Markup (which its
        # `| e` leaves as it is), and the generator, which escapes all it prints, the name as written.
        if not isinstance(config.site_name, markupsafe.Markup):  # not escaped twice
            self.site_name = str(config.site_name)
            config.site_name = markupsafe.escape(self.site_name)
        # The search box, the link previews and the styles of generated pages come with the plugin:
        # its templates after the project's own overrides, its assets (builder/build.py ASSETS) on every page.
        theme_dirs = config.theme.dirs
        if TEMPLATES not in theme_dirs:
            theme_dirs.insert(1 if config.theme.custom_dir else 0, TEMPLATES)
        for path in ASSETS:
            listed = config.extra_css if path.endswith(".css") else config.extra_javascript
            if path not in listed:
                listed.append(path)
        return config

    def settings(self, config: MkDocsConfig) -> Settings:
        options, problems = options_from(dict(self.config), "mkdocs.yml")
        if problems:
            raise PluginError(format_problems(problems))
        root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        return Settings(
            root,
            options,
            site_name=self.site_name,
            site_url=config.site_url or "",
            use_directory_urls=config.use_directory_urls,
            docs_dir=os.path.relpath(config.docs_dir, root),
            site_dir=os.path.relpath(config.site_dir, root),
            custom_dir=os.path.relpath(config.theme.custom_dir, root) if config.theme.custom_dir else "",
        )

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        settings = self.settings(config)
        # A build's pages' HTML waits beside the site being built, not in memory.
        if self.worker is not None:
            built = prepare(settings, self.memo, worker=self.worker)
        else:
            built = build_core(settings, spool=Path(config.site_dir).parent)
        for problem in built.problems:
            if problem.severity == "note":
                log.info(problem.text())
        if built.pages is None:
            raise _CheckFailed(check_failed(built))
        self._close()
        self.built = built

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        # A preview rebuilds when anything the plugin reads changes, whatever mkdocs.yml watches.
        for path, recursive in watched(self.settings(config)):
            server.watch(str(path), recursive=recursive)
        return server

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        # A hand-written page with a generated page's path failed the check already (build.py).
        assert self.built is not None and self.built.pages is not None
        pages = self.built.pages
        in_nav = {uri for uri, _ in pages.nav}
        if config.nav is None:
            handwritten = [f.src_uri for f in files.documentation_pages()]
            handwritten += [e.path for e in self.built.extras if e.path.endswith(".md")]  # extra_pages
            config.nav = default_nav(pages.nav, handwritten)
        # MkDocs takes a page's title from the navigation only when it makes the page itself.
        titles = _nav_titles(config.nav)
        for uri in pages.uris:
            inclusion = InclusionLevel.UNDEFINED if uri in in_nav else InclusionLevel.NOT_IN_NAV
            file = File.generated(config, uri + ".md", content="", inclusion=inclusion)
            GeneratedPage(titles.get(file.src_uri), file, config, pages, uri)
            files.append(file)
        for extra in self.built.extras:
            if isinstance(extra, Later):
                file = _LaterFile.generated(config, extra.path, content=b"")
                file.later = extra
            else:
                file = File.generated(config, extra.path, content=extra.content)
            files.append(file)
        self.count, self.to_count = 0, len(files.documentation_pages())
        return files

    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        env.bytecode_cache = TemplateCache()  # compiled once on this machine, not at every build
        return env

    def on_page_markdown(self, markdown: str, *, page: MkPage, config: MkDocsConfig, files: Files) -> str:
        # A hand-written page's front matter is printed unescaped by the theme (builder/published.py).
        if not isinstance(page, GeneratedPage):
            page.meta = escaped_meta(page.meta)
        return markdown

    def on_page_context(self, context: Any, /, *, page: MkPage, config: MkDocsConfig, nav: Any) -> Any:
        if isinstance(page, GeneratedPage):
            page.content = page.generated.body(page.uri)
            page.toc = get_toc(_toc(page.generated.page(page.uri).toc))
        return context

    def on_post_page(self, output: str, /, *, page: MkPage, config: MkDocsConfig) -> str:
        if isinstance(page, GeneratedPage):
            page.content, page.toc = None, get_toc([])  # written: neither is kept
        self.count += 1
        if self.count % 50 == 0 or self.count == self.to_count:
            progress.debug("pages", extra={"evidence_progress": (self.count, self.to_count)})
        return output

    def on_post_template(self, output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str:
        if template_name == "404.html" and not config.site_url:
            return relative_404(output_content)  # opens from a copied folder too
        return output_content

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._close()

    def on_build_error(self, *, error: Exception) -> None:
        self._close()

    def _close(self) -> None:
        if self.built is not None and self.built.pages is not None:
            self.built.pages.close()
