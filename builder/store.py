"""Work kept between runs on this machine: the PDF briefing, which takes seconds to typeset
(builder/pdf.py) and is the same whenever what it shows is the same; and the theme's templates
compiled (a fifth of a second of every build, and of the preview's first page).

Each piece is kept under a key that holds everything it is made from, so a kept piece is
what a cold run would make. The store is the user's own cache folder, outside the project:
`$EVIDENCE_CACHE` if set, else `$XDG_CACHE_HOME/evidence-briefing`, else
`~/.cache/evidence-briefing`. Not in the project, because anything in the repository can come
from a pull request: a PDF planted there under the right key would be published as ours.
Deleting the folder is always safe; the next build makes what it needs again.

Each file holds the SHA-256 of its content first: a file that does not match (cut short by
a full disk, damaged) is deleted and made again, never used. Files are written whole and
renamed into place, so a reader never sees half of one. Only the newest few pieces of each
kind are kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

_DIGEST = 32  # bytes of SHA-256 before the content


def cache_folder() -> Path:
    given = os.environ.get("EVIDENCE_CACHE")
    if given:
        return Path(given)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "evidence-briefing"


def key_of(*parts: str | bytes) -> str:
    """A key for everything a piece is made from (each part delimited, so no two lists share one)."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big") + data)
    return h.hexdigest()


class Store:
    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or cache_folder()

    def get(self, kind: str, key: str) -> bytes | None:
        path = self.folder / kind / key
        try:
            data = path.read_bytes()
        except OSError:
            return None
        content = data[_DIGEST:]
        if len(data) < _DIGEST or hashlib.sha256(content).digest() != data[:_DIGEST]:
            path.unlink(missing_ok=True)  # damaged: made again by the caller
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: kept longest
        return content

    def put(self, kind: str, key: str, content: bytes, keep: int = 4) -> None:
        """Keep `content` under `key`, and only the `keep` most recently used pieces of its kind.
        A store that cannot be written (a read-only home, a full disk) keeps nothing."""
        folder = self.folder / kind
        with contextlib.suppress(OSError):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            _write(folder / key, hashlib.sha256(content).digest() + content)
            _prune(folder, keep)


def _write(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".writing-")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _prune(folder: Path, keep: int) -> None:
    pieces = sorted(((p.stat().st_mtime_ns, p) for p in folder.iterdir() if not p.name.startswith(".")), reverse=True)
    for _, old in pieces[keep:]:
        old.unlink(missing_ok=True)
