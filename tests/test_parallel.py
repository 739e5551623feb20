"""Work split with a forked child (builder/parallel.py): the same results as one process, always."""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Sequence
from pathlib import Path

import pytest

import builder.cache
import builder.parallel
import builder.pipeline
import builder.render.parts
from builder.cache import Store
from builder.parallel import in_child, in_two_with
from builder.pipeline import Project, check
from builder.render import RenderOptions
from tests.test_cache import build

pytestmark = pytest.mark.skipif(
    not builder.parallel._worth_forking(2**62), reason="forks only on Linux with two cores and one thread"
)


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork for any number of items, so small inputs take the path 10,000 sources take."""
    monkeypatch.setattr(builder.parallel, "MIN_ITEMS", 1)


def _pids(items: Sequence[int]) -> list[tuple[int, int]]:
    return [(i * i, os.getpid()) for i in items]


def test_the_child_does_the_last_part_in_order(forking: None) -> None:
    done, _ = in_two_with(_pids, range(10), lambda: None, child_share=0.3)
    assert [square for square, _ in done] == [i * i for i in range(10)]
    assert {pid for _, pid in done[:7]} == {os.getpid()}
    assert {pid for _, pid in done[7:]} != {os.getpid()}


def test_small_inputs_and_threaded_processes_stay_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    assert {pid for _, pid in in_two_with(_pids, range(10), lambda: None)[0]} == {os.getpid()}  # under MIN_ITEMS
    monkeypatch.setattr(builder.parallel, "MIN_ITEMS", 1)
    stop = threading.Event()
    server = threading.Thread(target=stop.wait)  # as `mkdocs serve` runs its server
    server.start()
    try:
        assert {pid for _, pid in in_two_with(_pids, range(10), lambda: None)[0]} == {os.getpid()}
    finally:
        stop.set()
        server.join()


def test_a_failed_child_leaves_its_part_to_this_process(forking: None) -> None:
    parent = os.getpid()

    def fails_in_the_child(items: Sequence[int]) -> list[int]:
        if os.getpid() != parent:
            raise RuntimeError("child only")
        return [i + 1 for i in items]

    assert in_two_with(fails_in_the_child, range(6), lambda: "also") == ([1, 2, 3, 4, 5, 6], "also")


def test_an_error_here_stops_the_child_and_is_raised(forking: None) -> None:
    def fails(items: Sequence[int]) -> list[int]:
        raise ValueError("bad input")

    with pytest.raises(ValueError, match="bad input"):
        in_two_with(fails, range(6), lambda: None)
    with pytest.raises(ChildProcessError):  # the child was waited for: no zombie left behind
        os.waitpid(-1, os.WNOHANG)


def test_what_the_child_kept_in_a_store_is_kept_here(forking: None, tmp_path: Path) -> None:
    store = Store(tmp_path / "numbers.pickle")

    def kept(items: Sequence[int]) -> list[int]:
        return [store.put(str(i).encode(), i * 10) for i in items]

    assert in_two_with(kept, range(4), lambda: None, [store])[0] == [0, 10, 20, 30]
    store.save()
    again = Store(tmp_path / "numbers.pickle")
    assert [again.get(str(i).encode()) for i in range(4)] == [0, 10, 20, 30]


@pytest.fixture
def wide(mini: Path) -> Path:
    """The mini project with six more sources, so each process has several."""
    blog = (mini / "evidence/gamma-blog.yaml").read_text()
    bib = mini / "references.bib"
    for n in range(6):
        (mini / f"evidence/delta-{n}.yaml").write_text(
            blog.replace("gamma-blog", f"delta-{n}").replace("gamma2021", f"delta202{n}")
        )
        bib.write_text(
            bib.read_text() + f"\n@online{{delta202{n},\n  author = {{Delta, Di}},\n  title = {{Post {n}}},\n}}\n"
        )
    return mini


def _one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(builder.parallel, "MIN_ITEMS", 2**62)


def test_the_site_is_the_one_built_in_one_process(wide: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    options = RenderOptions(page_size=2)
    monkeypatch.setattr(builder.parallel, "MIN_ITEMS", 1)
    forked = build(Project(wide), options)
    cached = build(Project(wide, cache_dir=".cache/evidence"), options)
    _one_process(monkeypatch)
    assert forked == cached == build(Project(wide), options)


def test_problems_in_files_the_child_loaded_are_located(wide: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # delta-5 is in the child's part: one problem found as it loads, one when sources are linked.
    (wide / "evidence/delta-5.yaml").write_text(
        (wide / "evidence/delta-5.yaml").read_text().replace("type: blog", "type: blgo")
    )
    text = (wide / "evidence/delta-4.yaml").read_text()
    (wide / "evidence/delta-4.yaml").write_text(text.replace("cite: delta2024", "cite: nowhere2020"))
    monkeypatch.setattr(builder.parallel, "MIN_ITEMS", 1)
    forked = check(Project(wide)).problems
    _one_process(monkeypatch)
    assert forked == check(Project(wide)).problems
    assert {(p.file, p.line, p.path) for p in forked if p.is_error} == {
        ("evidence/delta-5.yaml", 3, "type"),
        ("evidence/delta-4.yaml", 2, "cite"),
    }


def test_a_warm_run_after_a_forked_one_reads_nothing(
    wide: Path, forking: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(builder.cache, "SETTLED_NS", 0)
    cached = Project(wide, cache_dir=".cache/evidence")
    cold = build(cached, RenderOptions())
    _one_process(monkeypatch)  # so that what the second run renders is seen here
    rendered: list[str] = []
    real = builder.render.parts._render_source
    monkeypatch.setattr(builder.render.parts, "_render_source", lambda s, e: rendered.append(e.card.id) or real(s, e))
    read: list[str] = []
    real_read = builder.pipeline.read_text
    monkeypatch.setattr(
        builder.pipeline, "read_text", lambda path, *a: read.append(Path(path).name) or real_read(path, *a)
    )
    assert build(cached, RenderOptions()) == cold
    assert read == [] and rendered == []  # both processes' sources and parts were kept


def test_a_job_in_a_child_sends_back_its_result() -> None:
    assert in_child(os.getpid) != os.getpid()
    assert in_child(lambda: {"pages": ["a", "b"]}) == {"pages": ["a", "b"]}


def test_a_job_that_fails_in_the_child_fails_here_with_its_own_error() -> None:
    ran_here: list[int] = []

    def fails() -> None:
        ran_here.append(os.getpid())
        raise ZeroDivisionError("from the job")

    with pytest.raises(ZeroDivisionError, match="from the job"):
        in_child(fails)
    assert ran_here == [os.getpid()]  # the child's run left no trace here; this one raised


def test_a_source_sent_to_another_process_reads_back_the_same(wide: Path) -> None:
    # As JSON, validated again on arrival: every value of the shipped evidence and the fixtures.
    root = Path(__file__).resolve().parent.parent
    for project in (Project(root), Project(wide)):
        result = check(project)
        assert result.corpus is not None
        for entry in result.corpus.entries:
            sent = pickle.loads(pickle.dumps(entry))
            assert isinstance(sent.full, str) and sent.source == entry.source and sent.card == entry.card


class _Unsendable:
    def __reduce__(self) -> tuple:
        raise TypeError("cannot be sent")


def test_a_child_that_stops_halfway_through_sending_is_a_failed_child() -> None:
    # Megabytes go down the pipe before the child fails: what arrived is not taken for a result.
    made = in_child(lambda: ["x" * 100_000 for _ in range(50)] + [_Unsendable()])
    assert len(made) == 51 and isinstance(made[-1], _Unsendable)
