"""Every use of another project's internals, in one place: what an upgrade breaks first.

MkDocs builds a page in private steps (`_populate_page`, `_build_page`, the templates') that
the preview drives one page at a time (builder/preview.py); its live-reloading server keeps the
state of a rebuild in private fields, each guarded by a lock it requires (`_rebuild_cond`,
`_epoch_cond`); its plugin list is parsed by a private method the check needs so that it reads
the options the build will (builder/config.py). MarkupSafe's C escaping is 2.6 times as fast as
`html.escape`, which pages call a million times at 10,000 sources.

Each was checked against the versions in CHECKED; `unchecked()` names an installed version that
is not one of them, and the commands that use these internals refuse to run on it
(tests/test_compat.py fails the same way), rather than guess at another version's internals.
"""

from __future__ import annotations

import html
import importlib
import os
from importlib.metadata import version
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mkdocs.livereload import LiveReloadServer

# MkDocs' steps of a build, which the preview drives one page at a time: imported when the
# preview first asks (`__getattr__`), since the core imports this module for `escape` alone and
# must not import MkDocs with it.
_MKDOCS_BUILD_STEPS = {
    "build_extra_template": "_build_extra_template",
    "build_page": "_build_page",
    "build_theme_template": "_build_theme_template",
    "populate_page": "_populate_page",
}


def __getattr__(name: str) -> Any:
    if name in _MKDOCS_BUILD_STEPS:
        return getattr(importlib.import_module("mkdocs.commands.build"), _MKDOCS_BUILD_STEPS[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# Distribution -> the version prefixes whose internals were read and tested.
CHECKED = {"mkdocs": ("1.6.",), "markupsafe": ("3.0.",)}


def installed() -> dict[str, str]:
    # MkDocs' own attribute: ProperDocs, which shares these internals, provides the same package.
    import mkdocs

    return {"mkdocs": mkdocs.__version__, "markupsafe": version("markupsafe")}


def unchecked() -> list[str]:
    """Each project whose internals we use, installed at a version nobody checked them at."""
    return [
        f"{name} {found} is installed; builder/compat.py was checked with {', '.join(p + 'x' for p in CHECKED[name])}"
        for name, found in installed().items()
        if not found.startswith(CHECKED[name])
    ]


def unchecked_said(what: str) -> str:
    """Why `what` refuses to run here ('' if every version was checked)."""
    problems = unchecked()
    return f"{what} uses other projects' internals: {'; '.join(problems)}" if problems else ""


def parse_plugin_configs(plugins: Any) -> list[tuple[str, Any]]:
    """`plugins:` as MkDocs parses it (a list or a mapping): (name, options) pairs."""
    from mkdocs.config.config_options import Plugins

    return list(Plugins._parse_configs(plugins))


# ---- MkDocs' live-reloading server: its fields, under the locks it requires ----


def rebuild_wanted(server: LiveReloadServer) -> bool:
    """Whether a change was saved since the build began."""
    with server._rebuild_cond:
        return server._want_rebuild


def want_first_build(server: LiveReloadServer) -> None:
    """The first build starts as the server does; requests wait until its check has run."""
    with server._epoch_cond:
        server._wanted_epoch = server._visible_epoch + 1
    with server._rebuild_cond:
        server._want_rebuild = True
        server._rebuild_cond.notify_all()


def watch_announced(server: LiveReloadServer, path: str, recursive: bool) -> None:
    """MkDocs' `watch`, through an observer of the changes the system announces (server.observer,
    set by builder/serve.py): only changes to files (`touch` too), not their being opened or
    read (the check reads every file); and a file through its folder, so that an editor that
    saves by renaming a new file over it is still seen. A path that is not there is not watched."""
    from watchdog.events import (
        DirCreatedEvent,
        DirDeletedEvent,
        DirMovedEvent,
        FileAttribEvent,
        FileClosedEvent,
        FileCreatedEvent,
        FileDeletedEvent,
        FileModifiedEvent,
        FileMovedEvent,
        FileSystemEventHandler,
    )

    target = os.path.abspath(path)
    folder = target if os.path.isdir(target) else os.path.dirname(target)
    if target in server._watched_paths or not os.path.exists(folder):
        return
    server._watched_paths[target] = 1

    def changed(event: Any) -> None:
        if folder == target or target in (event.src_path, getattr(event, "dest_path", "")):
            with server._rebuild_cond:
                server._want_rebuild = True
                server._rebuild_cond.notify_all()

    handler = FileSystemEventHandler()
    handler.on_any_event = changed  # type: ignore[method-assign]
    changes = [FileModifiedEvent, FileAttribEvent, FileClosedEvent, FileCreatedEvent, FileDeletedEvent, FileMovedEvent]
    changes += [DirCreatedEvent, DirDeletedEvent, DirMovedEvent]  # a folder of pages moved out is announced so alone
    watch = server.observer.schedule(handler, folder, recursive=recursive and folder == target, event_filter=changes)
    server._watch_refs[target] = watch


def nothing_new(server: LiveReloadServer) -> None:
    """The site served stays the last one made: nothing new to wait for or reload."""
    with server._epoch_cond:
        server._wanted_epoch = server._visible_epoch
        server._epoch_cond.notify_all()


def show(server: LiveReloadServer) -> None:
    """Tell the browsers to reload now (MkDocs' own server does so only after a whole build)."""
    with server._epoch_cond:
        server._visible_epoch = server._wanted_epoch
        server._epoch_cond.notify_all()


def reload_browsers(server: LiveReloadServer) -> None:
    """Browsers reload the pages they show, which were written again since (by the build under
    way, which called show() already: a newer change's build reloads them anyway)."""
    from mkdocs.livereload import _timestamp as _mkdocs_timestamp

    with server._epoch_cond:
        if server._visible_epoch == server._wanted_epoch:
            server._visible_epoch = server._wanted_epoch = max(_mkdocs_timestamp(), server._visible_epoch + 1)
            server._epoch_cond.notify_all()


def wait_until_shown(server: LiveReloadServer) -> None:
    """Until the build under way has been shown (its check has run)."""
    with server._epoch_cond:
        server._epoch_cond.wait_for(lambda: server._visible_epoch == server._wanted_epoch)


# ---- MarkupSafe ----


def _escape_as_markupsafe(text: str) -> str:
    # html.escape writes " and ' as &quot; and &#x27;, MarkupSafe as &#34; and &#39;: the same bytes either way.
    return html.escape(text).replace("&quot;", "&#34;").replace("&#x27;", "&#39;")


try:
    from markupsafe._speedups import _escape_inner as escape
except ImportError:  # pragma: no cover (a platform without MarkupSafe's C extension)
    escape = _escape_as_markupsafe
