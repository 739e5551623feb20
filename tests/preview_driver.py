"""A preview's builds, one per line read: what `evidence serve` does on each change, without
the server, so that tests/test_preview.py can compare each with a cold build.

    python -m tests.preview_driver PROJECT SITE_DIR     then lines on stdin:

- "build": the check and the next state (builder/preview.py), then the whole site written;
  answers "ok", or "failed" (the check, or a warning, failed it).
- "supersede N": the same, stopped at its N-th question whether a newer change waits (in the
  check, or between two files written): answers "superseded", or "ok" if it finished first.
- "ask PATH...": the check and the next state, then the files PATH asked for, as a browser asks
  for them (copied to SITE_DIR-first/ as they were written), then the rest: "ok" or "failed".

Each time the preview has browsers reload (a page written again once the PDF is made), a line
"reload" is added to SITE_DIR-reloads.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from mkdocs.config import load_config
from mkdocs.exceptions import Abort, BuildError

from builder.memo import Superseded
from builder.preview import Preview


def _after(asked: int):
    count = iter(range(asked))
    return lambda: next(count, None) is None


def main() -> None:
    project, site = Path(sys.argv[1]), sys.argv[2]
    first = Path(site + "-first")

    def load():
        return load_config(str(project / "mkdocs.yml"), site_dir=site, strict=True)

    load().plugins.on_startup(command="serve", dirty=True)
    preview = Preview(load)
    reloads = Path(site + "-reloads")

    def reload() -> None:
        with reloads.open("a") as said:
            said.write("reload\n")

    preview.reload = reload
    for line in sys.stdin:
        command, *args = line.split()
        stop = _after(int(args[0])) if command == "supersede" else lambda: False
        shutil.rmtree(first, ignore_errors=True)
        try:
            preview.rebuild(stop)
            for path in args if command == "ask" else ():
                preview.ensure(path)
                if (Path(site) / path).exists():
                    (first / path).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy(Path(site) / path, first / path)
            print("ok" if preview.write_rest(stop) else "superseded", flush=True)
        except Superseded:
            print("superseded", flush=True)
        except (Abort, BuildError, SystemExit):
            print("failed", flush=True)
    preview.close()


if __name__ == "__main__":
    main()
