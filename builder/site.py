"""Build the site with MkDocs atomically: into a temporary folder beside site/, swapped in only
on success (builder/atomic.py)."""

from __future__ import annotations

from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from builder.atomic import SiteBuild, building_beside, swap_in


def build_site(config_file: Path, site_dir: Path | None = None, strict: bool = True) -> Path:
    return build_site_with(config_file, site_dir, strict).path


def build_site_with(
    config_file: Path, site_dir: Path | None = None, strict: bool = True, *, require_texts: bool = False
) -> SiteBuild:
    """Build into a fresh folder and swap it with site_dir; on any error site_dir is untouched.
    require_texts: as the plugin's option, whatever mkdocs.yml says (`--require-texts`)."""
    config = load_config(str(config_file), strict=strict)
    if require_texts and "evidence" in config.plugins:
        config.plugins["evidence"].config["require_texts"] = True
    final = Path(site_dir or config.site_dir).resolve()
    with building_beside(final) as staging:
        config.site_dir = str(staging)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
        swap_in(staging, final)
    plugin = config.plugins.get("evidence")
    return SiteBuild(final, getattr(plugin, "built", None))
