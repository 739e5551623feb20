"""Swap a freshly built site in for the old one, for every engine: the site is built in a folder
beside site/ and swapped in only on success.

The swap is one system call where Linux offers it (renameat2 with RENAME_EXCHANGE), so
there is never a moment without a site/; elsewhere it is two renames, and a build that
finds site/ missing beside a kept old one puts the old one back first. Folders left by
builds that were killed are deleted by the next build.

The build removes only what it made: its own folders beside the site, and an old site it can
tell is one of its own (the site's scripts are there). A site folder that is, or is reached
through, a symbolic link is refused and never resolved: a committed `site -> ..` would
otherwise have the old site's removal delete the folder it points to.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from builder.build import ASSETS, Built
from builder.files import link_on_the_way

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class RefusedSite(Exception):
    """The site folder is not one the build may replace: the message says why, and what to do."""


@dataclass(frozen=True)
class SiteBuild:
    path: Path
    built: Built | None  # what the core made, if the engine tells


@contextmanager
def building_beside(final: Path, root: Path) -> Iterator[Path]:
    """A fresh folder beside `final` (absolute, never resolved) to build in, deleted when the
    block ends (swap_in what it built first). What killed builds left beside `final` is tidied
    away first. `root`: the project's folder, from which no folder on the way may be a link."""
    refused = refused_site(final, root)
    if refused:
        raise RefusedSite(refused)
    final.parent.mkdir(parents=True, exist_ok=True)
    _tidy(final)
    work = Path(tempfile.mkdtemp(prefix=f".{final.name}-building-{os.getpid()}-", dir=final.parent))
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def swap_in(new: Path, final: Path) -> None:
    """Put the site built in `new` (inside building_beside's folder) where `final` is."""
    os.chmod(new, 0o755)  # mkdtemp makes it 0700; a static host must be able to read it
    _swap(new, final)


def refused_site(final: Path, root: Path) -> str:
    """Why the build may not replace `final` ('' if it may): a link, or a link on the way to it
    from the project's folder (a path outside the project is the operator's: only the folder
    itself is looked at), something other than a folder, or a folder of files the build did not
    make."""
    link = link_on_the_way(root, final) if final.is_relative_to(root) else _link(final)
    shown = final.name + "/"
    if link is not None:
        what = f"{shown} is" if link == final else f"the folder {link.name}/ on the way to {shown} is"
        return (
            f"{what} a symbolic link, which the build neither follows nor replaces: delete the link "
            f"(the build makes {shown} itself)"
        )
    if final.exists() and not final.is_dir():
        return f"{final} is a file, not a folder: move it away, or build into another folder (--site-dir)"
    if final.is_dir() and any(final.iterdir()) and not any((final / path).is_file() for path in ASSETS):
        return (
            f"{final} holds files this build did not make, which it would delete: move them away, or "
            "build into another folder (--site-dir)"
        )
    return ""


def _link(path: Path) -> Path | None:
    return path if path.is_symlink() else None


def _tidy(final: Path) -> None:
    """Put back an old site a crash left aside; delete what killed builds left."""
    leftovers = sorted(final.parent.glob(f".{final.name}-old-*")) + sorted(
        final.parent.glob(f".{final.name}-building-*")
    )
    if not final.exists():
        old = [p for p in leftovers if "-old-" in p.name and p.is_dir() and not p.is_symlink()]
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
