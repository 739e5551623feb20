"""The preview's site (`evidence serve`): every page known at once, each written when a reader
first asks for it, and the rest written behind it.

After each change the check runs (with the memo: builder/memo.py), and a new State is made of all
that MkDocs knows before it writes a page (the files, the navigation, the theme's templates),
without making one page. Browsers are told to reload at once; the page each shows is made from
the new state when it asks for it (`ensure`). A writer then goes through the rest, in order, and
writes what differs from what the site holds; it stops when a newer change waits, and the next
state takes over what was left. So the page a reader looks at shows a change as soon as the check
has run, whatever the change and at any size of evidence base, and so does the first page asked
for after the preview starts; the search index, the downloads and the other pages follow.

The PDF is made by another process (builder/pdf.py PdfWorker) and nothing a reader asks for
waits for it but the PDF itself and the search index (which holds the home page's words). A page
that says how long the PDF is, asked for while it is being made, says so instead; once the PDF
is made the writer writes it again and browsers reload (`reload`). No page ever shows the length
of an older PDF. Only the writer starts the PDF, once it has written the home page: its document
alone takes a third of a second at 10,000 sources, which the first page would wait for.

MkDocs' steps are driven here rather than by its `build` (mkdocs/commands/build.py), with the
same plugin events in the same order, each page populated and built by MkDocs' own functions,
only when and in the order asked. Checked against MkDocs 1.6.1 and ProperDocs 1.6.7, which share
these steps (builder/compat.py); any other version stops the preview at once.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import CancelledError
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, BuildError
from mkdocs.structure.files import File, Files, InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import Navigation, get_navigation
from mkdocs.structure.pages import Page as MkPage
from mkdocs.utils import CountHandler, write_file

from builder.build import PDF_PATH, Built
from builder.compat import build_extra_template, build_page, build_theme_template, populate_page, unchecked_said
from builder.gcpause import paused_gc
from builder.memo import keep, load_kept
from builder.mkdocs_plugin import GeneratedPage
from builder.pdf import PdfWorker
from builder.render.html import Download
from builder.store import Store

log = logging.getLogger("mkdocs.plugins.evidence")
_HOME = "index.html"
_INDEX = "search/"  # the search index's files (builder/render/searchindex.py), made together


@dataclass
class State:
    """What one change's check and MkDocs' preparation made: the site, none of it written yet."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: Any  # the theme's Jinja environment
    built: Built
    signature: bytes  # of all that every page shows: settings, navigation, theme, hand-written pages
    todo: dict[str, None]  # the site's files not yet written from this state, in order
    by_path: dict[str, File] = field(default_factory=dict)
    pages: list[File] = field(default_factory=list)  # the documentation pages, as MkDocs lists them
    index: set[str] | None = None  # the search index's files, once made
    pdf_ready: bool = False  # the PDF is made, and the pages that say its length are made after it
    said_pdf_pending: set[str] = field(default_factory=set)  # pages written saying the PDF is being made


class ReadersFirst:
    """Readers waiting for a file go before the writer, which pauses between two files until none
    waits."""

    def __init__(self) -> None:
        self.asking = 0
        self.quiet = threading.Condition()

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        with self.quiet:
            self.asking += 1
        try:
            yield
        finally:
            with self.quiet:
                self.asking -= 1
                self.quiet.notify_all()

    def wait_for_readers(self) -> None:
        with self.quiet:
            self.quiet.wait_for(lambda: self.asking == 0)


class SiteFolder:
    """The preview's site on disk: each file written from a state, where it differs from what the
    folder holds (a page by the key of all it is made from), and what is no longer made removed."""

    def __init__(self) -> None:
        self.written: dict[str, bytes] = {}  # path -> key of what it was made from

    def write(self, state: State, path: str) -> None:
        file = state.by_path[path]
        if not file.is_documentation_page():
            file.copy_file(dirty=True)  # a theme's file is copied only if newer; a generated one always
            self.written[path] = b""
            return
        key = _page_key(state, file)
        if self.written.get(path) != key or not os.path.exists(file.abs_dest_path):
            populate_page(file.page, state.config, state.files)
            excluded = file.inclusion.is_excluded()
            build_page(file.page, state.config, state.pages, state.nav, state.env, excluded=excluded)
        self.written[path] = key

    def write_index(self, state: State) -> None:
        assert state.built.index is not None
        made: list[Download] = state.built.index()
        for download in made:
            content = download.content.encode("utf-8") if isinstance(download.content, str) else download.content
            key = hashlib.sha256(content).digest()
            target = Path(state.config.site_dir, download.path)
            if self.written.get(download.path) != key or not target.exists():
                write_file(content, str(target))
                self.written[download.path] = key
        state.index = {d.path for d in made}

    def holds_gone(self, state: State, path: str) -> bool:
        """Whether the folder holds `path`, which the state no longer makes."""
        return path in self.written and path not in state.by_path and path not in (state.index or ())

    def remove(self, state: State, path: str) -> None:
        Path(state.config.site_dir, path).unlink(missing_ok=True)
        self.written.pop(path, None)

    def remove_gone(self, state: State) -> None:
        for gone in [path for path in self.written if self.holds_gone(state, path)]:
            self.remove(state, gone)


class Preview:
    def __init__(self, load: Callable[[], MkDocsConfig]) -> None:
        """load: the project's configuration, read again for each change (mkdocs.yml may change)."""
        if refused := unchecked_said("the preview"):
            raise Abort(refused)
        self.load = load
        self.lock = threading.RLock()  # one writer at a time: MkDocs' page steps share state
        self.state: State | None = None
        self.site = SiteFolder()
        self.worker = PdfWorker()  # the PDF is made on another core, while pages are written
        self.reload: Callable[[], None] = lambda: None  # browsers reload: a page they show was written again
        self.kept = False  # what this preview parsed is kept for the next one (builder/memo.py)
        self.readers = ReadersFirst()
        self.warnings = CountHandler()
        self.warnings.setLevel(logging.WARNING)
        logging.getLogger("mkdocs").addHandler(self.warnings)

    def rebuild(self, stop: Callable[[], bool] = lambda: False) -> None:
        """Check the files as they are now and make the next state (the last one stays if the check
        fails: its error is raised, Abort or BuildError). stop: a newer change waits."""
        with self.lock:
            self.warnings.counts.clear()
            config = self.load()
            plugin = config.plugins.get("evidence")
            if plugin is not None:
                plugin.worker, plugin.memo.superseded = self.worker, stop
            try:
                with paused_gc():
                    if plugin is not None and self.state is None and not self.kept:
                        load_kept(plugin.memo, Store())  # the first build: from what the last preview parsed
                    self.state = _prepare(config, plugin)
                # What lives now (the memo, the state) is kept out of the collector's full scans,
                # which took a second at 10,000 sources, whichever page was being made then.
                gc.freeze()
            except Exception as error:
                config.plugins.on_build_error(error=error)
                raise
            finally:
                if plugin is not None:
                    plugin.memo.superseded = lambda: False  # pages asked for are made whatever waits

    def ensure(self, *paths: str) -> None:
        """Before a file of the site is served (one of `paths`, as a request may name a file or a
        folder): written from the current state, if it is not yet; removed, if it is no longer
        made. Readers go before the writer."""
        with self.readers.reading():
            for path in paths:
                self._ensure(path)

    def _ensure(self, path: str) -> None:
        if path == PDF_PATH or path.startswith(_INDEX):  # the index holds the home page's words
            self._wait_for_pdf()
        with self.lock:
            state = self.state
            if state is None:
                return
            if path in state.todo:
                self._write(state, path, asked=True)
            elif path.startswith(_INDEX) and state.index is None:
                self.site.write_index(state)
            elif self.site.holds_gone(state, path) and not path.startswith(_INDEX):
                self.site.remove(state, path)

    def write_rest(self, stop: Callable[[], bool] = lambda: False) -> bool:
        """Write what the current state has not written yet, until a newer change waits (False).
        True when the whole site is as a build would make it; warnings are raised then (strict)."""
        state = self.state
        if state is None:
            return False
        self.readers.wait_for_readers()
        with self.lock:
            if _HOME in state.todo:  # the page a preview opens at: not kept waiting for the PDF's document
                self._write(state, _HOME)
        self.readers.wait_for_readers()  # a reader who asked meanwhile is served from it
        with self.lock:
            if state.built.pdf:
                state.built.pdf()  # started: made on another core, while the other pages are written
        if not self._write_todo(state, stop, lambda path: not _waits_for_pdf(state, path)):
            return False
        self._wait_for_pdf()
        shown = set(state.said_pdf_pending)
        if not self._write_todo(state, stop, lambda path: True):
            return False
        if shown:
            self.reload()  # the pages that said the PDF was being made now say how long it is
        with self.lock:
            self._finish(state)
            _collect_garbage()  # once a whole site is written: the last states' garbage
        self._keep_parsed(state)
        if counts := self.warnings.get_counts():
            raise Abort(f"Aborted with {', '.join(f'{v} {k.lower()}s' for k, v in counts)} in strict mode!")
        return True

    def close(self) -> None:
        self.worker.close()

    def _write_todo(self, state: State, stop: Callable[[], bool], now: Callable[[str], bool]) -> bool:
        """Write the state's files left to write that are to be written `now`, in order, readers
        first; False if a newer change waits."""
        while True:
            self.readers.wait_for_readers()
            if stop():
                return False
            with self.lock:
                path = next(filter(now, state.todo), None)
                if path is None:
                    return True
                self._write(state, path)

    def _wait_for_pdf(self) -> None:
        """Until the current state's PDF is made: without holding the lock, so that other files are
        written meanwhile. Its pages made before it, saying it was being made, are made again."""
        while True:
            with self.lock:
                state = self.state
                if state is None or state.pdf_ready:
                    return
                pending = state.built.pdf() if state.built.pdf else None
                if pending is None or pending.done() and not pending.cancelled():
                    _pdf_made(state)
                    return
            with contextlib.suppress(CancelledError):  # a newer change wants a newer PDF: that one
                pending.result()

    def _write(self, state: State, path: str, asked: bool = False) -> None:
        """asked: by a reader, whose browser reloads if the page says the PDF is being made."""
        del state.todo[path]
        made_before_pdf = _shows_pdf(state, path) and not state.pdf_ready
        self.site.write(state, path)
        if made_before_pdf:  # it says the PDF is being made: written again once the PDF is
            state.todo[path] = None
            if asked:
                state.said_pdf_pending.add(path)

    def _finish(self, state: State) -> None:
        """What a build does once its pages are written: the index, the theme's own pages (the
        sitemap, 404), the anchors' check, removing what is no longer made, and the plugins' end."""
        if state.index is None:
            self.site.write_index(state)
        _write_theme_pages(state)
        self.site.remove_gone(state)
        config = state.config
        config.plugins.on_post_build(config=config)
        self.worker.start()  # ready, with WeasyPrint loaded, for the next edit the PDF shows
        plugin = config.plugins.get("evidence")
        if plugin is not None:
            plugin.memo.end_build()  # the whole site was made from this state: what it did not use goes

    def _keep_parsed(self, state: State) -> None:
        """Once a preview, when its whole site is written: what it parsed, for the next one's start."""
        plugin = state.config.plugins.get("evidence")
        if plugin is not None and not self.kept:
            keep(plugin.memo, Store())
            self.kept = True


def _write_theme_pages(state: State) -> None:
    """The theme's own pages (the sitemap, 404) and the extra templates; then the anchors' check."""
    config, files, nav = state.config, state.files, state.nav
    for template in config.theme.static_templates:
        build_theme_template(template, state.env, files, config, nav)
    for template in config.extra_templates:
        build_extra_template(template, files, config, nav)
    for file in state.pages:
        assert file.page is not None
        file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)


def _collect_garbage() -> None:
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _pdf_made(state: State) -> None:
    """The PDF is made: the pages made before it (saying it was being made) are made again."""
    state.pdf_ready = True
    if state.built.pages is not None:
        state.built.pages.forget_pdf_pages()


def _prepare(config: MkDocsConfig, plugin: Any) -> State:
    """MkDocs' build up to the first page written (mkdocs/commands/build.py), with no page made:
    only hand-written pages are read, and pages the navigation names without a title."""
    config = config.plugins.on_config(config)
    config.plugins.on_pre_build(config=config)  # the check (builder/mkdocs_plugin.py)
    files = get_files(config)
    env = config.theme.get_env()
    files.add_files_from_theme(env, config)
    files = config.plugins.on_files(files, config=config)
    set_exclusions(files, config)
    nav = get_navigation(files, config)
    nav = config.plugins.on_nav(nav, config=config, files=files)
    pages = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
    _make_pages(config, files, nav, pages)
    env = config.plugins.on_env(env, config=config, files=files)
    built = plugin.built if plugin is not None else None
    if built is None:
        raise BuildError("the evidence plugin is not in mkdocs.yml: there is nothing to preview")
    statics = [f for f in files if f.inclusion.is_in_serve() and not f.is_documentation_page()]
    by_path = {f.dest_uri: f for f in [*pages, *statics]}
    state = State(config, files, nav, env, built, _signature(config, built, nav), {}, by_path, pages)
    state.pdf_ready = built.pdf is None
    # The writer's order: pages, then other files, then what waits for the PDF.
    state.todo = dict.fromkeys(sorted(by_path, key=lambda path: (_shows_pdf(state, path), not path.endswith(".html"))))
    return state


def _make_pages(config: MkDocsConfig, files: Files, nav: Navigation, pages: list[File]) -> None:
    """Each documentation page's MkDocs Page, none made; read only where every page needs it: a
    hand-written page, or one the navigation names without a title (every page shows it)."""
    for file in pages:
        if file.page is None:
            MkPage(None, file, config)
    in_nav = set(map(id, nav.pages))
    for file in pages:
        if not isinstance(file.page, GeneratedPage) or id(file.page) in in_nav and file.page.title is None:
            populate_page(file.page, config, files)


def _shows_pdf(state: State, path: str) -> bool:
    """The PDF, or a page that says how long it is."""
    page = state.by_path[path].page
    return path == PDF_PATH or isinstance(page, GeneratedPage) and page.generated.shows_pdf(page.uri)


def _waits_for_pdf(state: State, path: str) -> bool:
    """Written by the writer only once the PDF is made: the PDF, and the pages that say its length."""
    return not state.pdf_ready and _shows_pdf(state, path)


def _signature(config: MkDocsConfig, built: Built, nav: Navigation) -> bytes:
    """All that every page shows besides its own content: a change here writes every page again."""
    navigation = [(page.file.src_uri, page.title) for page in nav.pages]
    h = hashlib.sha256(repr((built.settings, navigation, config.site_url)).encode())
    h.update(Path(config.config_file_path).read_bytes())
    for folder in filter(None, (config.docs_dir, config.theme.custom_dir)):
        for path in sorted(Path(folder).rglob("*")):
            h.update(f"{path}\0{path.stat().st_mtime_ns}\0".encode())
    return h.digest()


def _page_key(state: State, file: File) -> bytes:
    """What a page is made from: the state's signature, and its own content."""
    page = file.page
    generated = isinstance(page, GeneratedPage)
    content = repr(page.generated.full(page.uri)).encode() if generated else file.content_bytes
    return hashlib.sha256(state.signature + content).digest()
