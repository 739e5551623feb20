"""Build the site atomically: into a temporary folder beside site/, swapped in only on success.

The swap is one system call where Linux offers it (renameat2 with RENAME_EXCHANGE), so
there is never a moment without a site/; elsewhere it is two renames, and a build that
finds site/ missing beside a kept old one puts the old one back first. Folders left by
builds that were killed are deleted by the next build.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from builder.build import Built

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@dataclass(frozen=True)
class SiteBuild:
    path: Path
    built: Built | None  # what the evidence plugin made, if the site has it


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
    final.parent.mkdir(parents=True, exist_ok=True)
    _tidy(final)
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}-building-{os.getpid()}-", dir=final.parent))
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
    plugin = config.plugins.get("evidence")
    return SiteBuild(final, getattr(plugin, "built", None))


def _tidy(final: Path) -> None:
    """Put back an old site a crash left aside; delete what killed builds left."""
    leftovers = sorted(final.parent.glob(f".{final.name}-old-*")) + sorted(
        final.parent.glob(f".{final.name}-building-*")
    )
    if not final.exists():
        old = [p for p in leftovers if "-old-" in p.name and p.is_dir()]
        if old:
            old[-1].rename(final)
            leftovers.remove(old[-1])
    for path in leftovers:
        parts = path.name.removeprefix(f".{final.name}-").split("-")  # old|building, pid, random
        pid = parts[1] if len(parts) > 2 else ""
        if pid.isdigit() and _alive(int(pid)):
            continue  # another build, still running
        shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2); False where that is not available."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def _swap(new: Path, final: Path) -> None:
    if final.exists() and _exchange(new, final):
        shutil.rmtree(new, ignore_errors=True)  # `new` now holds the old site
        return
    old = Path(tempfile.mkdtemp(prefix=f".{final.name}-old-{os.getpid()}-", dir=final.parent))
    old.rmdir()
    if final.exists():
        final.rename(old)
    new.rename(final)
    shutil.rmtree(old, ignore_errors=True)
