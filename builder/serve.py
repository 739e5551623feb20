"""`evidence serve`: MkDocs' live-reloading preview, with dirty builds (only the pages that
changed are made again; builder/mkdocs_plugin.py decides which), answering only requests
addressed to it (a page elsewhere cannot reach it through DNS rebinding)."""

from __future__ import annotations

import logging
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, BuildError
from mkdocs.livereload import LiveReloadServer, _serve_url, _timestamp

from builder.memo import Superseded

log = logging.getLogger("mkdocs.plugins.evidence")


class _Server(LiveReloadServer):
    allowed_hosts: frozenset[str] = frozenset()

    def serve_request(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("HTTP_HOST", "") not in self.allowed_hosts:
            start_response("403 Forbidden", [("Content-Type", "text/plain")])
            return [b"403 Forbidden: this preview answers only requests addressed to it."]
        if "\x00" in environ.get("PATH_INFO", ""):
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [b"400 Bad Request"]
        return super().serve_request(environ, start_response)


def _not_the_dirty_warning(record: logging.LogRecord) -> bool:
    # MkDocs warns on every dirty build that it is one; the preview makes them on purpose, and
    # in strict mode the warning would fail each one.
    return "'dirty' build" not in record.getMessage()


def _stop_as_ctrl_c() -> None:
    """SIGTERM (a terminal closing, a container stopping, a test) and SIGHUP stop the preview as
    Ctrl+C does. By default they end Python without running `finally`, and the preview's copy of
    the site stayed in the temporary folder."""

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop)


def serve(config_file: Path, dev_addr: str, on_built: Callable[[float], None]) -> None:
    logging.getLogger("mkdocs.commands.build").addFilter(_not_the_dirty_warning)
    _stop_as_ctrl_c()
    site_dir = tempfile.mkdtemp(prefix="evidence-serve-")

    def get_config():  # loaded again for each build: mkdocs.yml may have changed
        return load_config(str(config_file), site_dir=site_dir, dev_addr=dev_addr, strict=True)

    config = get_config()
    config.plugins.on_startup(command="serve", dirty=True)
    host, port = config.dev_addr
    mount_path = urlsplit(config.site_url or "/").path
    serve_url = _serve_url(host, port, mount_path)

    def builder(config=None) -> None:
        start = time.monotonic()
        config = config or get_config()
        config.site_url = serve_url
        plugin = config.plugins.get("evidence")
        if plugin is not None:
            plugin.memo.superseded = lambda: server._want_rebuild  # an edit saved since this build began
        edited = plugin is not None and bool(plugin.edited_pages())
        if edited:
            _reload(server, server._wanted_epoch)  # the edited pages now; every page after the rebuild
        try:
            build(config, serve_url=serve_url, dirty=True)
        except Superseded:
            server._wanted_epoch = server._visible_epoch  # nothing new to show until the next build
            return
        except (Abort, BuildError) as exc:
            # The problems were printed as the build failed; the last good site is still served.
            log.debug(str(exc))
            return
        if edited:
            server._wanted_epoch = _timestamp()  # newer than the first reload's, so browsers reload again
        on_built(time.monotonic() - start)

    server = _Server(builder=builder, host=host, port=port, root=site_dir, mount_path=mount_path, polling_interval=0.25)
    server.allowed_hosts = frozenset({f"{host}:{port}", f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}"})
    server.error_handler = lambda code: _error_page(Path(site_dir), code)
    try:
        builder(config)
        server.watch(config.docs_dir)
        server.watch(str(config_file))
        if config.theme.custom_dir:
            server.watch(config.theme.custom_dir)
        config.plugins.on_serve(server, config=config, builder=builder)
        for item in config.watch:
            server.watch(item)
        try:
            server.serve()
        finally:
            server.shutdown()
    except KeyboardInterrupt:
        pass  # stopped: Ctrl+C, or a signal (above)
    finally:
        config.plugins.on_shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)


def _reload(server: LiveReloadServer, epoch: int) -> None:
    """Tell the browsers to reload now (MkDocs' own server does so only after a whole build)."""
    with server._epoch_cond:
        server._visible_epoch = epoch
        server._epoch_cond.notify_all()


def _error_page(site: Path, code: int) -> bytes | None:
    page = site / f"{code}.html"
    return page.read_bytes() if code in (404, 500) and page.is_file() else None
