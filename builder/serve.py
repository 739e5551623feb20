"""`evidence serve`: MkDocs' live-reloading server in front of the preview's site
(builder/preview.py), which writes each page when it is first asked for and the rest behind it;
answering only requests addressed to it (a page elsewhere cannot reach it through DNS rebinding),
and leaving nothing behind however it is stopped (Ctrl+C, SIGTERM, SIGHUP)."""

from __future__ import annotations

import logging
import posixpath
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config import load_config
from mkdocs.exceptions import Abort, BuildError, MkDocsException
from mkdocs.livereload import LiveReloadServer
from watchdog.observers import Observer

from builder.compat import (
    nothing_new,
    rebuild_wanted,
    reload_browsers,
    show,
    wait_until_shown,
    want_first_build,
    watch_announced,
)
from builder.memo import Superseded
from builder.preview import Preview

log = logging.getLogger("mkdocs.plugins.evidence")


class _Server(LiveReloadServer):
    allowed_hosts: frozenset[str] = frozenset()
    preview: Preview | None = None  # writes each file when it is first asked for (MkDocs' engine)
    polls = True  # MkDocs' way: each watched folder looked through four times a second

    def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
        if self.polls:
            super().watch(path, func, recursive=recursive)
        else:
            watch_announced(self, path, recursive)

    def serve_request(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("HTTP_HOST", "") not in self.allowed_hosts:
            start_response("403 Forbidden", [("Content-Type", "text/plain")])
            return [b"403 Forbidden: this preview answers only requests addressed to it."]
        if "\x00" in environ.get("PATH_INFO", ""):
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [b"400 Bad Request"]
        return super().serve_request(environ, start_response)

    def _serve_request(self, environ: dict, start_response: Callable) -> Iterable[bytes] | None:
        # The file asked for is written first, if the preview has not written it yet: as MkDocs'
        # server finds it (mkdocs/livereload/__init__.py), once a change's check has run.
        path = environ["PATH_INFO"].encode("latin-1").decode("utf-8", "ignore")
        if self.preview is not None and (path + "/").startswith(self.mount_path):
            relative = path[len(self.mount_path) :] + ("index.html" if path.endswith("/") else "")
            relative = posixpath.normpath("/" + relative).lstrip("/")
            wait_until_shown(self)
            self.preview.ensure(relative, posixpath.join(relative, "index.html"))  # a file, or a folder's page
        return super()._serve_request(environ, start_response)


def stop_as_ctrl_c() -> None:
    """SIGTERM (a terminal closing, a container stopping, a test) and SIGHUP stop the preview as
    Ctrl+C does. By default they end Python without running `finally`, and the preview's copy of
    the site stayed in the temporary folder."""

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop)


def serve(config_file: Path, dev_addr: str, say: Callable[[str], None], poll: bool = False) -> None:
    stop_as_ctrl_c()
    site_dir = tempfile.mkdtemp(prefix="evidence-serve-")
    try:
        _serve(config_file, dev_addr, site_dir, say, poll)
    except KeyboardInterrupt:
        pass  # stopped: Ctrl+C, or a signal (above)
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)


def _serve(config_file: Path, dev_addr: str, site_dir: str, say: Callable[[str], None], poll: bool) -> None:
    config = load_config(str(config_file), site_dir=site_dir, dev_addr=dev_addr, strict=True)
    host, port = config.dev_addr
    mount_path = urlsplit(config.site_url or "/").path

    def load():  # read again for each change: mkdocs.yml may have changed
        # site_url stays as mkdocs.yml sets it (MkDocs' own preview sets its address there): the
        # pages and the PDF are then those `evidence build` makes, and a PDF it kept serves.
        return load_config(str(config_file), site_dir=site_dir, dev_addr=dev_addr, strict=True)

    config.plugins.on_startup(command="serve", dirty=True)
    preview = Preview(load)

    def builder(config=None) -> None:
        start = time.monotonic()
        newer = lambda: rebuild_wanted(server)  # noqa: E731 (a change saved since this build began)
        try:
            preview.rebuild(newer)
        except Superseded:
            nothing_new(server)  # until the next build
            return
        except (MkDocsException, OSError) as exc:  # the check's problems, mkdocs.yml unreadable, a page not made
            said_failed(exc)
            nothing_new(server)  # the last good site is still served: a request does not wait for a build
            return
        show(server)  # browsers reload: each page is written as it asks
        say(f"ready in {time.monotonic() - start:.1f} s; writing the other pages")
        try:
            if preview.write_rest(newer):
                say(f"rebuilt in {time.monotonic() - start:.1f} s")
        except (Abort, BuildError) as exc:
            log.error(str(exc))

    server = guarded_server(builder, host, port, Path(site_dir), mount_path, preview, poll)
    preview.reload = lambda: reload_browsers(server)  # a page shown said the PDF was being made
    try:
        server.watch(config.docs_dir)
        server.watch(str(config_file))
        if config.theme.custom_dir:
            server.watch(config.theme.custom_dir)
        config.plugins.on_serve(server, config=config, builder=builder)
        for item in config.watch:
            server.watch(item)
        want_first_build(server)
        serve_until_stopped(server)
    finally:
        preview.close()
        config.plugins.on_shutdown()


def guarded_server(
    builder: Callable,
    host: str,
    port: int,
    site: Path,
    mount_path: str,
    preview: Preview | None = None,
    poll: bool = False,
) -> _Server:
    """A live-reloading server of `site` that answers only requests addressed to it (either
    engine's preview: builder/zensical_site.py too), showing the site's own error pages; with a
    `preview`, each file is written when first asked for. poll: look for changes, for folders
    whose changes the system does not announce (network drives, some containers' shared folders)."""
    server = _Server(
        builder=builder, host=host, port=port, root=str(site), mount_path=mount_path, polling_interval=0.25
    )
    if not poll:
        # Changes as the system announces them (inotify), at once: polling stat'ed every watched
        # file four times a second (half a core at 10,000 sources, taken from the build), and
        # an edit waited up to a quarter of a second to be seen.
        server.observer, server.polls = Observer(), False
    server.preview = preview
    server.allowed_hosts = frozenset({f"{host}:{port}", f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}"})
    server.error_handler = lambda code: _error_page(preview, site, code)
    return server


def said_failed(error: Exception) -> None:
    """A change the preview could not show (the check failed, or the build): why, and that the
    browser still shows the last site that was made."""
    log.error(f"{error}\nthe preview shows the last site that was built.")


def serve_until_stopped(server: LiveReloadServer) -> None:
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()


def _error_page(preview: Preview | None, site: Path, code: int) -> bytes | None:
    if code not in (404, 500):
        return None
    if preview is not None:
        preview.ensure(f"{code}.html")
    page = site / f"{code}.html"
    return page.read_bytes() if page.is_file() else None
