"""The MkDocs plugin: run the check before MkDocs cleans site/, then add the generated files.
(The rest of the edge: builder/site.py builds atomically, builder/serve.py and preview.py
preview; nothing else imports MkDocs.)

MkDocs calls on_config -> on_pre_build -> (cleans site_dir) -> on_files, so the whole check
runs in on_pre_build: a build with problems stops before the old site is touched.

Generated pages are HTML already (builder/render/html.py). MkDocs gets each as a file of
front matter and HTML; the plugin hands Python-Markdown nothing to convert, gives MkDocs the
article HTML and table of contents back as content, and the theme does the rest.

Under `evidence serve` (MkDocs' dirty builds) a page is rendered again only when it
changed: the plugin keeps, between builds, what each generated file held; anything that
every page shows (the navigation, the settings, the theme, hand-written pages) changing
empties site/ first, so that every page is made again.
"""

from __future__ import annotations

import hashlib
import html
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field, fields
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
from mkdocs.utils import clean_directory

from builder.build import ASSETS, Built, build_core, check_failed, watched
from builder.memo import Memo, Superseded
from builder.nav import default_nav
from builder.notfound import relative_404
from builder.preview import LastBuild, edited_pages, inputs
from builder.problems import format_problems
from builder.published import escaped_meta
from builder.render.html import Heading, Page
from builder.settings import Options, Settings, options_from

TEMPLATES = str(Path(__file__).parent / "templates")
log = logging.getLogger("mkdocs.plugins.evidence")
progress = logging.getLogger("mkdocs.plugins.evidence.progress")


class EvidenceConfig(Config):
    """Made from builder.settings.Options, the one definition of the options."""

    for _field in fields(Options):
        _default = getattr(Options(), _field.name)
        locals()[_field.name] = opt.Type(type(_default), default=_default)
    del _field, _default


class _CheckFailed(PluginError):
    """The check found problems: the build stops before MkDocs touches the site."""


class _Generated(File):
    """A generated file; under dirty builds, modified only if its content changed."""

    modified = True

    def is_modified(self) -> bool:
        return self.modified


def _toc(headings: tuple[Heading, ...]) -> list[dict]:
    """The table of contents as Python-Markdown's toc extension would give it to MkDocs: names
    as HTML (the theme prints them as they are), h3 under the h2 before them."""
    tokens: list[dict] = []
    for h in headings:
        token = {"level": h.level, "id": h.id, "name": html.escape(h.title), "children": []}
        parent = tokens[-1] if tokens and tokens[-1]["level"] < h.level else None
        (parent["children"] if parent else tokens).append(token)
    return tokens


@dataclass
class _Written:
    """What the last successful build wrote, and where: a dirty build writes only what differs."""

    site_dir: str = ""
    signature: bytes = b""  # of all that every page shows: settings, navigation, docs/, theme
    digests: dict[str, bytes] = field(default_factory=dict)  # generated file -> digest of its content
    written_to: dict[str, str] = field(default_factory=dict)  # generated file -> where the site has it


class EvidencePlugin(BasePlugin[EvidenceConfig]):
    def __init__(self) -> None:
        self.built: Built | None = None
        self.pages: dict[str, Page] = {}  # by src_uri
        self.dirty = False
        self.written = _Written()  # by the last successful build
        self.writing = _Written()  # by this one, once it succeeds
        self.memo = Memo()  # work kept between a preview's builds (builder/memo.py)
        self.last: LastBuild | None = None  # under a preview: for the edited page made first
        self._nav: Any = None
        self._env: Any = None
        self._files: Any = None
        self.count = self.to_count = 0
        self.site_name = ""  # as mkdocs.yml gives it (on_config)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Having on_startup also keeps this instance across `mkdocs serve` rebuilds.
        self.dirty = dirty
        self.written = _Written()

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
        built = build_core(settings, self.memo if self.dirty else None)
        for problem in built.problems:
            if problem.severity == "note":
                log.info(problem.text())
        if built.rendered is None:
            raise _CheckFailed(check_failed(built))
        self.built = built
        self.pages = {p.uri + ".md": p for p in built.rendered.pages}
        self.writing = _Written(config.site_dir, self._signature(config, settings))
        if not self.dirty:
            return
        last = self.written
        if (last.site_dir, last.signature) != (self.writing.site_dir, self.writing.signature):
            clean_directory(config.site_dir)  # something every page shows changed: all are made again
            self.written = _Written()

    def _signature(self, config: MkDocsConfig, settings: Settings) -> bytes:
        navigation = [(p.uri, p.title) for p in self.pages.values() if p.in_nav]
        h = hashlib.sha256(repr((settings, navigation, config.site_url, config.theme.name)).encode())
        for folder in filter(None, (config.docs_dir, config.theme.custom_dir)):
            for path in sorted(Path(folder).rglob("*")):
                h.update(f"{path}\0{path.stat().st_mtime_ns}\0".encode())
        return h.digest()

    def on_build_error(self, *, error: Exception) -> None:
        if isinstance(error, (Superseded, _CheckFailed)):
            return  # stopped before writing anything: the last build's record still holds
        # What a failed build wrote is not known: the next one makes every page again.
        self.written = _Written()
        self.last = None

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Callable) -> LiveReloadServer:
        # A preview rebuilds when anything the plugin reads changes, whatever mkdocs.yml watches.
        for path, recursive in watched(self.settings(config)):
            server.watch(str(path), recursive=recursive)
        return server

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        # A hand-written page with a generated page's path failed the check already (build.py).
        assert self.built is not None
        before = self.written.digests
        for src_uri, content in self.built.files:
            digest = hashlib.sha256(content.encode() if isinstance(content, str) else content).digest()
            page = self.pages.get(src_uri)
            inclusion = InclusionLevel.NOT_IN_NAV if page and not page.in_nav else InclusionLevel.UNDEFINED
            file = _Generated.generated(config, src_uri, content=content, inclusion=inclusion)
            file.modified = before.get(src_uri) != digest
            self.writing.digests[src_uri] = digest
            self.writing.written_to[src_uri] = file.abs_dest_path
            files.append(file)
        for file in files.documentation_pages():
            if file.src_uri not in self.pages:
                # A hand-written page is read on every build, dirty or not: the navigation on
                # every page shows its title, which MkDocs knows only from reading it.
                file.is_modified = lambda: True  # type: ignore[method-assign]
        self.count, self.to_count = 0, len(files.documentation_pages())
        if config.nav is None:
            handwritten = [f.src_uri for f in files.documentation_pages() if f.src_uri not in self.pages]
            config.nav = default_nav(self.built.rendered.pages, handwritten)
        return files

    def on_page_markdown(self, markdown: str, *, page: MkPage, config: MkDocsConfig, files: Files) -> str:
        # A generated page is HTML already: nothing for Python-Markdown to do.
        if page.file.src_uri in self.pages:
            return ""
        # A hand-written one's front matter is printed unescaped by the theme (builder/published.py).
        page.meta = escaped_meta(page.meta)
        return markdown

    def on_page_content(self, html: str, *, page: MkPage, config: MkDocsConfig, files: Files) -> str:
        generated = self.pages.get(page.file.src_uri)
        if generated is None:
            return html
        page.toc = get_toc(_toc(generated.toc))
        return generated.body

    def on_post_page(self, output: str, *, page: MkPage, config: MkDocsConfig) -> str:
        self.count += 1
        if self.count % 50 == 0 or self.count == self.to_count:
            progress.debug("pages", extra={"evidence_progress": (self.count, self.to_count)})
        return output

    def on_nav(self, nav: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        self._nav = nav
        return nav

    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        if self.dirty and self.memo.superseded():
            raise Superseded  # the last moment before MkDocs writes pages
        self._env, self._files = env, files
        return env

    def edited_pages(self) -> list[str]:
        """Under a preview, before a rebuild: write the edited sources' pages at once (builder/preview.py)."""
        if not (self.dirty and self.built and self.last):
            return []
        superseded, self.memo.superseded = self.memo.superseded, lambda: False  # too quick to stop
        try:
            written = edited_pages(self.built, self.last, self.memo, self.pages)
        finally:
            self.memo.superseded = superseded
        for src_uri in written:
            # The site now has these as they are; if this build stops before writing them
            # again, the record of the last build no longer says what the site holds.
            self.written.digests.pop(src_uri, None)
        return written

    def on_post_template(self, output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str:
        if template_name == "404.html" and not config.site_url:
            return relative_404(output_content)  # opens from a copied folder too
        return output_content

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        for gone in self.written.written_to.keys() - self.writing.written_to.keys():
            Path(self.written.written_to[gone]).unlink(missing_ok=True)  # a page no longer made
        self.written = self.writing
        if self.dirty and self.built is not None:
            self.last = LastBuild(config, self._files, self._nav, self._env, inputs(self.built, config))
