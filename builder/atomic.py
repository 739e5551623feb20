"""Swap a freshly built site in for the old one, for every engine: the site is built in a folder
beside site/ and swapped in only on success.

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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from builder.build import Built

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@dataclass(frozen=True)
class SiteBuild:
    path: Path
    built: Built | None  # what the core made, if the engine tells


@contextmanager
def building_beside(final: Path) -> Iterator[Path]:
    """A fresh folder beside `final` to build in, deleted when the block ends (swap_in what it
    built first). What killed builds left beside `final` is tidied away first."""
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
