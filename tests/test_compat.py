"""Other projects' internals (builder/compat.py): used only at the versions they were checked with."""

from __future__ import annotations

import html
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.livereload import LiveReloadServer

import builder
from builder import compat
from tests.conftest import ROOT, examples


def test_the_installed_versions_are_those_the_internals_were_checked_with() -> None:
    # An upgrade of MkDocs or MarkupSafe fails here first: read what builder/compat.py uses in the
    # new version, then add it to compat.CHECKED.
    assert compat.unchecked() == []


def test_an_unchecked_version_is_refused_in_words(monkeypatch) -> None:
    monkeypatch.setattr(compat, "installed", lambda: {"mkdocs": "2.0.0", "markupsafe": "3.0.2"})
    said = compat.unchecked_said("the preview")
    assert said.startswith("the preview uses other projects' internals: mkdocs 2.0.0 is installed")
    assert "1.6.x" in said and "markupsafe" not in said


@settings(max_examples=examples(1))
@given(st.text())
def test_the_fallback_escapes_to_the_same_bytes(text: str) -> None:
    assert compat._escape_as_markupsafe(text) == compat.escape(text)
    assert html.unescape(compat.escape(text)) == text


def _poll(server, epoch: int) -> bytes:
    """What a page served at `epoch` hears from MkDocs' live-reload poll (a newer epoch: reload)."""
    server.poll_response_timeout = 0
    answered: list[bytes] = []
    environ = {"PATH_INFO": f"/livereload/{epoch}/1", "REQUEST_METHOD": "GET"}
    body = server._serve_request(environ, lambda status, headers: answered.append(status.encode()))
    return b"".join(body or [])


def test_browsers_reload_when_told_and_not_while_a_build_is_under_way(tmp_path) -> None:
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    try:
        shown = server._visible_epoch
        compat.reload_browsers(server)
        assert int(_poll(server, shown)) > shown  # a page served before reloads
        with server._epoch_cond:
            server._wanted_epoch += 1000  # a build under way: it reloads them once shown
        before = server._visible_epoch
        compat.reload_browsers(server)
        assert server._visible_epoch == before
    finally:
        server.server_close()


# The edge: the modules that drive MkDocs (or Zensical) and the command line over them.
EDGE = {"__main__", "cli", "config", "mkdocs_plugin", "preview", "revisions", "serve", "site", "templatecache"}
EDGE |= {"zensical_site"}


def test_the_core_imports_neither_mkdocs_nor_its_templates() -> None:
    """The core is plain functions over plain data (DEVELOPMENT.md): importing every module but
    the edge's loads no MkDocs, Jinja or WeasyPrint, so another engine can drive it alone."""
    package = Path(builder.__file__).parent
    names = {".".join(("builder", *p.relative_to(package).with_suffix("").parts)) for p in package.rglob("*.py")}
    core = sorted(name.removesuffix(".__init__") for name in names if name.removeprefix("builder.") not in EDGE)
    probe = "import sys\n" + "".join(f"import {m}\n" for m in core)
    probe += "print(sorted({m.split('.')[0] for m in sys.modules} & {'mkdocs', 'jinja2', 'weasyprint', 'zensical'}))"
    said = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    assert said.stdout.strip() == "[]", f"the core imports {said.stdout.strip()}"
