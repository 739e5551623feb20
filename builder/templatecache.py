"""The theme's templates compiled once on this machine, kept in the user's cache folder beside
the PDF (builder/store.py): a fifth of a second of every build, and of the preview's first page.
Apart from the store because only the MkDocs edge renders templates: the core imports the
store (the preview's kept parses) and must not import Jinja with it."""

from __future__ import annotations

import contextlib
from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from jinja2.bccache import Bucket

from builder.store import cache_folder


class TemplateCache(FileSystemBytecodeCache):
    """The theme's templates compiled, kept by Jinja under the SHA-1 of their source, so a template
    changed is compiled again (jinja2/bccache.py). A kept one that cannot be read (damaged) is
    compiled again; a store that cannot be written keeps none."""

    def __init__(self, folder: Path | None = None) -> None:
        folder = (folder or cache_folder()) / "templates"
        with contextlib.suppress(OSError):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        super().__init__(str(folder))

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # whatever a damaged file raises: compiled again instead
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)
