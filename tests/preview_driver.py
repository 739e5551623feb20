"""A preview's builds, one per line read: what `evidence serve` does on each change, without
the server, so that tests/test_preview.py can compare each with a cold build. The pages the
preview writes first (builder/preview.py) are copied to SITE_DIR-first/ before the rebuild.

    python -m tests.preview_driver PROJECT SITE_DIR     then "build" lines on stdin

A line "supersede N" makes a build that a newer edit stops (builder/memo.py) at its N-th
question whether it should: it answers "superseded", or "ok" if it finished first.
"""

from __future__ import annotations

import logging
import shutil
import sys
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, BuildError

from builder.memo import Superseded


def _after(asked: int):
    count = iter(range(asked))
    return lambda: next(count, None) is None


def main() -> None:
    project, site = Path(sys.argv[1]), sys.argv[2]
    from builder.serve import _not_the_dirty_warning

    logging.getLogger("mkdocs.commands.build").addFilter(_not_the_dirty_warning)
    started = False
    for line in sys.stdin:
        try:
            config = load_config(str(project / "mkdocs.yml"), site_dir=site, strict=True)
            if not started:
                config.plugins.on_startup(command="serve", dirty=True)
                started = True
            plugin = config.plugins["evidence"]
            command, _, asked = line.partition(" ")
            plugin.memo.superseded = _after(int(asked)) if command == "supersede" else lambda: False
            first = Path(site + "-first")
            shutil.rmtree(first, ignore_errors=True)
            for src_uri in plugin.edited_pages():
                html = src_uri.removesuffix(".md") + ".html"
                (first / html).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(Path(site) / html, first / html)
            build(config, dirty=True)
            print("ok", flush=True)
        except Superseded:
            print("superseded", flush=True)
        except (Abort, BuildError, SystemExit):
            print("failed", flush=True)


if __name__ == "__main__":
    main()
