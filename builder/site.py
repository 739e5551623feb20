"""Build the site atomically: into a temporary folder beside site/, swapped in only on success."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config


def build_site(config_file: Path, site_dir: Path | None = None, strict: bool = True) -> Path:
    """Build into a fresh folder and rename it over site_dir; on any error site_dir is untouched."""
    config = load_config(str(config_file), strict=strict)
    final = Path(site_dir or config.site_dir).resolve()
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}-building-", dir=final.parent))
    try:
        config.site_dir = str(staging)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
        os.chmod(staging, 0o755)  # mkdtemp makes it 0700; a static host must be able to read it
        _swap(staging, final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return final


def _swap(new: Path, final: Path) -> None:
    old = final.with_name(f".{final.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    new.rename(final)
    shutil.rmtree(old, ignore_errors=True)
