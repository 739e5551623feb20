"""A pytest plugin that fails any test which reads this repository's own briefing.

The generator's tests run on projects they own (tests/fixtures/). This repository's briefing
(its evidence, references, stored texts, hand-written pages and mkdocs.yml) changes with every
contributor's pull request and is held to `make content` instead (content-checks/). A tool
test that read it could turn red on a correct pull request, so reading it fails the test.

Python's audit hooks see every file opened and every folder listed in this process; a command
the test starts is caught when it is given a content path (`--root`, `-f`...).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What a fork with other content changes: the briefing's files, and the stored texts of the
# shipped sources that CI keeps beside the repository.
CONTENT = (
    *(ROOT / name for name in ("evidence", "references.bib", "source-texts", "docs", "CONTRIBUTING.md", "mkdocs.yml")),
    ROOT.parent / "shared" / "sources",
)
# Events whose first argument is a path read (opened, listed or copied from).
_PATH_EVENTS = frozenset({"open", "os.listdir", "os.scandir", "shutil.copytree", "shutil.copyfile"})


class ContentGuard:
    def __init__(self, content: tuple[Path, ...] = CONTENT) -> None:
        self.content = tuple(str(path) for path in content)
        self.reads: list[str] | None = None  # recording only while a test runs

    def is_content(self, path: object) -> bool:
        """Whether `path` is in the briefing. Only whole paths are judged: a relative one may be
        relative to a folder held open (shutil.rmtree opens names so), not to the current one."""
        try:
            path = os.fsdecode(os.fspath(path))  # type: ignore[arg-type]
        except TypeError:
            return False  # a file descriptor: its opening was seen
        path = os.path.normpath(path)
        return os.path.isabs(path) and any(path == c or path.startswith(c + os.sep) for c in self.content)

    def audit(self, event: str, args: tuple) -> None:
        if self.reads is None:
            return
        if event in _PATH_EVENTS and args and self.is_content(args[0]):
            self.reads.append(os.path.normpath(os.fsdecode(os.fspath(args[0]))))
        elif event == "subprocess.Popen":
            words = [args[1]] if isinstance(args[1], str | bytes | os.PathLike) else list(args[1] or ())
            self.reads += [str(word) for word in words if self.is_content(word)]
            self.reads += [os.path.join(word, "mkdocs.yml") for word in words if _is_root(word)]

    @contextmanager
    def recording(self) -> Iterator[list[str]]:
        """What is read of the content inside the block (nested blocks keep their own)."""
        outer, self.reads = self.reads, []
        try:
            yield self.reads
        finally:
            self.reads = outer


def _is_root(word: object) -> bool:
    # The repository's root given to a command is its mkdocs.yml, and so its whole briefing.
    return isinstance(word, str) and os.path.normpath(word) == str(ROOT)


GUARD = ContentGuard()
sys.addaudithook(GUARD.audit)  # for the rest of the process: a hook cannot be removed


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item):
    return (yield from _guarded(item, "its set-up"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    return (yield from _guarded(item, "it"))


def _guarded(item: pytest.Item, who: str):
    with GUARD.recording() as reads:
        result = yield
    if reads:
        shown = sorted({os.path.relpath(path, ROOT) for path in reads})
        pytest.fail(
            f"{item.nodeid}: {who} read this repository's own briefing ({', '.join(shown[:5])}). "
            "The generator's tests run on projects of their own (tests/fixtures/); the repository's "
            "content is checked by `make content` (content-checks/).",
            pytrace=False,
        )
    return result
