"""`evidence build --engine zensical` and `evidence serve --engine zensical`: the site built by
Zensical (https://zensical.org), the successor of Material for MkDocs, which reads mkdocs.yml
but runs no MkDocs plugin. What the evidence plugin does inside MkDocs is done around it:

- the check runs first; a failed check, or a failed Zensical build, leaves the previous site as
  it was (the site is built beside it and swapped in: builder/atomic.py);
- a folder beside the site holds a project for Zensical: `docs/` (the hand-written pages, and
  every generated file: pages, downloads, the search index, the search box's script), `overrides/`
  (the plugin's templates, which put our search box in the header, with the project's own
  `custom_dir` over them) and a `mkdocs.yml` that INHERITs the project's and adds the
  navigation, the assets, the Markdown extension that gives Zensical the generated pages and
  their tables of contents (builder/zensical_pages.py), and turns Zensical's own search off (ours
  works from file://);
- Zensical builds it in a process of its own, strictly (a warning fails the build).

Checked with Zensical 0.0.73: each 0.1.x release needs a `zensical-ui` package that the
package registry does not offer here (README.md, "Life after MkDocs 1.x").
"""

from __future__ import annotations

import dataclasses
import html
import importlib.util
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from mkdocs.exceptions import ConfigurationError

from builder.atomic import SiteBuild, building_beside, swap_in
from builder.build import ASSETS, Built, Later, build_core, check_failed, page_front_matter, watched
from builder.config import load_settings, loaded
from builder.nav import default_nav
from builder.notfound import relative_404
from builder.problems import format_problems
from builder.published import escaped_front_matter
from builder.render.html import Page
from builder.settings import Settings
from builder.zensical_pages import marker

TEMPLATES = Path(__file__).parent / "templates"
log = logging.getLogger("mkdocs.plugins.evidence")


class ZensicalError(Exception):
    """The site was not built: the message says why, in words for the person who ran the build."""


def page_file(page: Page) -> str:
    """A generated page as Zensical is given it: front matter, its headings, its HTML."""
    headings = [(h.level, h.id, h.title) for h in page.toc]
    return page_front_matter(page) + marker(headings) + page.body + "\n"


def docs_files(built: Built) -> list[tuple[str, str | bytes]]:
    """Every generated file, by its path in the docs folder, as Zensical is given them."""
    assert built.pages is not None
    pages = [(uri + ".md", page_file(built.pages.full(uri))) for uri in built.pages.uris]
    extras = (*built.extras, *(built.index() if built.index else ()))
    return pages + [(e.path, e.make() if isinstance(e, Later) else e.content) for e in extras]


def write_files(folder: Path, files: list[tuple[str, str | bytes]]) -> None:
    for path, content in files:
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)


def build_site_with(config_file: Path, site_dir: Path | None = None, *, require_texts: bool = False) -> SiteBuild:
    """Check, then build the site with Zensical into site_dir (mkdocs.yml's site_dir by default),
    swapped in only when every step succeeded."""
    settings = _settings(config_file, require_texts)
    project = _project(config_file)
    built = build_core(settings)
    for problem in built.problems:
        if problem.severity == "note":
            log.info(problem.text())
    if built.pages is None:
        raise ZensicalError(check_failed(built))
    # Never resolved: a site folder that is a link is refused, not followed (builder/atomic.py).
    final = Path(os.path.abspath(site_dir or settings.path(project.site_dir)))
    with building_beside(final, settings.root) as work:
        _write_project(work, built, settings, project)
        _zensical(work / "mkdocs.yml", settings.root)
        missing = work / "site" / "404.html"
        if not settings.site_url and missing.is_file():  # opens from a copied folder too
            missing.write_text(relative_404(missing.read_text(encoding="utf-8")), encoding="utf-8")
        swap_in(work / "site", final)
    return SiteBuild(final, built)


def _settings(config_file: Path, require_texts: bool) -> Settings:
    if importlib.util.find_spec("zensical") is None:
        raise ZensicalError(
            "Zensical is not installed here: install it with "
            "`.venv/bin/pip install -c constraints.txt -e '.[zensical]'` (`make test` installs it)"
        )
    settings, problems = load_settings(config_file)
    if problems:
        raise ZensicalError(format_problems(problems))
    if require_texts:
        settings = dataclasses.replace(settings, options=dataclasses.replace(settings.options, require_texts=True))
    return settings


@dataclass(frozen=True)
class _Project:
    """What the build needs to know of mkdocs.yml."""

    config_file: Path
    custom_dir: Path | None  # the project's own theme overrides
    variant: str | None  # the look of Zensical's theme it names, if any
    site_dir: str
    has_nav: bool


def _project(config_file: Path) -> _Project:
    """mkdocs.yml read as every `evidence` command reads it (builder/config.py); the check has
    said already what is wrong with it."""
    try:
        config = loaded(config_file)
    except (OSError, ConfigurationError) as exc:
        raise ZensicalError(f"cannot read {config_file.name}: {exc}") from exc
    theme = config.get("theme") if isinstance(config.get("theme"), dict) else {}
    custom = theme.get("custom_dir")
    return _Project(
        config_file.resolve(),
        config_file.resolve().parent / custom if isinstance(custom, str) and custom else None,
        theme.get("variant"),
        str(config.get("site_dir") or "site"),
        bool(config.get("nav")),
    )


def _write_project(work: Path, built: Built, settings: Settings, project: _Project) -> None:
    """The project Zensical builds, in `work`: docs/, overrides/ and mkdocs.yml."""
    assert built.pages is not None
    docs = work / "docs"
    # Links there were refused by the check (builder/build.py): none is copied, none followed.
    shutil.copytree(settings.path(settings.docs_dir), docs, symlinks=True, dirs_exist_ok=True)
    write_files(docs, docs_files(built))
    generated = {uri + ".md" for uri in built.pages.uris}
    for page in docs.rglob("*.md"):  # hand-written: their front matter escaped, as the plugin does
        if page.relative_to(docs).as_posix() not in generated:
            page.write_text(escaped_front_matter(page.read_text(encoding="utf-8")), encoding="utf-8")
    overrides = work / "overrides"
    shutil.copytree(TEMPLATES, overrides)
    if project.custom_dir:  # the project's own templates win, as in MkDocs
        shutil.copytree(project.custom_dir, overrides, symlinks=True, dirs_exist_ok=True)
    config: dict = {
        "INHERIT": str(project.config_file),
        # The theme prints the site's name as it is, as MkDocs' does: escaped here, as the plugin
        # escapes it for MkDocs (builder/mkdocs_plugin.py, on_config), it is text on every page.
        "site_name": html.escape(settings.site_name),
        "docs_dir": "docs",
        "site_dir": "site",
        # Zensical's "modern" look fails axe's contrast checks (the active page in the navigation,
        # the footer); "classic" is Material's, which the briefing's styles are made for.
        "theme": {"custom_dir": "overrides", "variant": project.variant or "classic"},
        # Lists are added to the project's own.
        "extra_css": [path for path in ASSETS if path.endswith(".css")],
        "extra_javascript": [path for path in ASSETS if path.endswith(".js")],
        "markdown_extensions": ["builder.zensical_pages"],
        # Zensical's own search is off: ours is in the header (the plugin's templates), works from
        # file:// and loads only the part of the index that a search needs.
        "plugins": [{"search": {"enabled": False}}],
    }
    if not project.has_nav:
        handwritten = [p.relative_to(docs).as_posix() for p in sorted(docs.rglob("*.md"))]
        config["nav"] = default_nav(built.pages.nav, [p for p in handwritten if p not in generated])
    (work / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _zensical(config: Path, cwd: Path) -> None:
    """Zensical's build of the project in `config`'s folder, in a process of its own."""
    run = subprocess.run(
        [sys.executable, "-m", "zensical", "build", "--strict", "--config-file", str(config)],
        cwd=cwd,
        capture_output=True,
        text=True,
    )
    said = (run.stdout + run.stderr).strip()
    if run.returncode != 0:
        raise ZensicalError(f"Zensical could not build the site:\n{said}")
    log.debug(said)


def serve(config_file: Path, dev_addr: str, say: Callable[[str], None], poll: bool = False) -> None:
    """A preview built by Zensical, made again whenever a file the build reads changes: the same
    build as `evidence build --engine zensical`, served by the preview's own server, which
    answers only requests addressed to it (builder/serve.py)."""
    from builder.serve import guarded_server, said_failed, serve_until_stopped, stop_as_ctrl_c

    settings = _settings(config_file, False)
    host, _, port = dev_addr.rpartition(":")
    folder = Path(tempfile.mkdtemp(prefix="evidence-serve-zensical-"))
    site = folder / "site"
    site.mkdir()
    mount_path = urlsplit(settings.site_url or "/").path

    def builder() -> None:
        start = time.monotonic()
        try:
            build_site_with(config_file, site)
        except (ZensicalError, OSError) as exc:
            said_failed(exc)
            return
        say(f"rebuilt in {time.monotonic() - start:.1f} s")

    server = guarded_server(builder, host, int(port), site, mount_path, poll=poll)
    stop_as_ctrl_c()  # so that the folder below is deleted
    try:
        builder()
        custom_dir = _project(config_file).custom_dir
        also = [config_file, settings.path(settings.docs_dir), *([custom_dir] if custom_dir else [])]
        for path, recursive in [*watched(settings), *((p, True) for p in also)]:
            server.watch(str(path), recursive=recursive)
        serve_until_stopped(server)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
