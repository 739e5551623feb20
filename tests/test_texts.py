"""Stored texts from every place: the project's source-texts/ first, then each folder of
EVIDENCE_SOURCE_TEXTS (builder/texts.py); links a contribution could plant are refused."""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from builder.cli import main
from tests.conftest import check_root, serving

QUOTE = "leaders convene people from organisations they do not control"  # alpha-study's quote


def _move_texts(mini: Path, to: Path, *names: str) -> None:
    to.mkdir(parents=True, exist_ok=True)
    for name in names:
        (mini / "source-texts" / name).rename(to / name)


def _notes(result) -> list[str]:
    return [p.message for p in result.problems if p.severity == "note"]


def test_texts_are_found_in_the_project_folder_and_in_each_private_folder(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _move_texts(mini, tmp_path / "second", "gamma-blog.txt")
    (tmp_path / "first").mkdir()
    monkeypatch.chdir(tmp_path)  # the folders are named relative to where the command runs
    monkeypatch.setenv("EVIDENCE_SOURCE_TEXTS", os.pathsep.join(["first", "", "second"]))
    result = check_root(mini)
    assert result.problems == ()
    assert set(result.corpus.checked) == {"alpha-study", "gamma-blog"}


def test_the_project_folder_comes_first_then_the_private_folders_in_order(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrong = (mini / "source-texts" / "alpha-study.txt").read_text().replace(QUOTE, "leaders do something else")
    for folder in ("first", "second"):
        (tmp_path / folder).mkdir()
    (tmp_path / "second" / "alpha-study.txt").write_text(wrong)
    monkeypatch.setenv("EVIDENCE_SOURCE_TEXTS", os.pathsep.join(str(tmp_path / f) for f in ("first", "second")))
    assert check_root(mini).problems == ()  # source-texts/ has the text: the wrong private copy is not read
    _move_texts(mini, tmp_path / "first", "alpha-study.txt")
    assert check_root(mini).problems == ()  # the first private folder before the second
    (tmp_path / "first" / "alpha-study.txt").unlink()
    (problem,) = check_root(mini).problems
    assert problem.key_path == "findings[0].quote.text" and "not word for word" in problem.message


def test_a_missing_text_s_note_names_every_folder_looked_in_as_the_user_does(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _move_texts(mini, tmp_path / "elsewhere", "alpha-study.txt")
    (mini / "private").mkdir()
    monkeypatch.chdir(mini)
    monkeypatch.setenv("EVIDENCE_SOURCE_TEXTS", os.pathsep.join(["private", "../nowhere/"]))
    result = check_root(mini)
    (note,) = [p for p in result.problems if p.severity == "note"]
    assert result.ok and (note.file, note.key_path) == ("evidence/alpha-study.yaml", "source_text")
    assert note.message == (
        "its quotes and figures are unverified: the stored text alpha-study.txt is not in source-texts/, "
        "nor in private/ (from EVIDENCE_SOURCE_TEXTS), nor in ../nowhere/ (from EVIDENCE_SOURCE_TEXTS; "
        "no such folder)"
    )
    assert "add the text to source-texts/ if it may be republished" in note.hint
    monkeypatch.delenv("EVIDENCE_SOURCE_TEXTS")
    assert _notes(check_root(mini)) == [
        "its quotes and figures are unverified: the stored text alpha-study.txt is not in source-texts/"
    ]


def test_a_linked_source_texts_folder_is_refused_and_never_read_through(mini: Path, tmp_path: Path) -> None:
    # Behind the link, texts the check would fault if it read them.
    elsewhere = tmp_path / "elsewhere"
    _move_texts(mini, elsewhere, "alpha-study.txt", "gamma-blog.txt")
    (elsewhere / "alpha-study.txt").write_text("Nothing that alpha-study quotes.")
    (mini / "source-texts").rmdir()
    (mini / "source-texts").symlink_to(elsewhere)
    result = check_root(mini)
    assert [p.text() for p in result.problems] == [
        "source-texts:1:1: error: this folder is a symbolic link, which the check does not follow\n"
        "    hint: commit the folder and the texts in it themselves, not a link to them"
    ]  # and no note that the texts are missing: that follows from the link


def test_a_link_on_the_way_to_the_texts_folder_is_refused(mini: Path, tmp_path: Path) -> None:
    config = mini / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - evidence\n", "  - evidence:\n      source_texts: texts/public\n"))
    (tmp_path / "real" / "public").mkdir(parents=True)
    (mini / "texts").symlink_to(tmp_path / "real")
    (problem,) = check_root(mini).problems
    assert (problem.file, problem.line, problem.col) == ("texts/public", 1, 1)
    assert problem.message == "the folder texts/ on the way to it is a symbolic link, which the check does not follow"


def test_a_linked_text_is_refused_where_it_is_and_what_it_points_at_is_not_shown(mini: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:secret " + QUOTE)
    (mini / "source-texts" / "alpha-study.txt").unlink()
    (mini / "source-texts" / "alpha-study.txt").symlink_to(secret)
    result = check_root(mini)
    (problem,) = result.problems
    assert (problem.file, problem.line, problem.severity) == ("source-texts/alpha-study.txt", 1, "error")
    assert problem.message == "this file is a symbolic link, which the check does not follow"
    assert "root:x" not in problem.text()


def test_a_private_folder_may_be_a_link_the_operator_made(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _move_texts(mini, tmp_path / "kept" / "texts", "alpha-study.txt")
    (tmp_path / "link").symlink_to(tmp_path / "kept")
    monkeypatch.setenv("EVIDENCE_SOURCE_TEXTS", str(tmp_path / "link" / "texts"))
    result = check_root(mini)
    assert result.problems == () and "alpha-study" in result.corpus.checked


def test_a_contribution_cannot_name_a_text_outside_the_folders(mini: Path) -> None:
    path = mini / "evidence" / "alpha-study.yaml"
    path.write_text(path.read_text().replace("source_text: alpha-study.txt", "source_text: ../../etc/passwd.txt"))
    (problem,) = check_root(mini).problems
    assert (problem.key_path, problem.severity) == ("source_text", "error")


def test_new_stores_the_text_in_the_first_private_folder(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read = tmp_path / "read.txt"
    read.write_text("Leaders convene people.\n")
    monkeypatch.setenv("EVIDENCE_SOURCE_TEXTS", os.pathsep.join(str(tmp_path / f) for f in ("mine", "shared")))
    assert main(["--root", str(mini), "new", "cited2019", "--id", "delta-2019", "--text", str(read)]) == 0
    assert (tmp_path / "mine" / "delta-2019.txt").read_text() == read.read_text()
    assert not (mini / "source-texts" / "delta-2019.txt").exists()


def test_new_never_writes_through_a_linked_texts_folder(
    mini: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    read = tmp_path / "read.txt"
    read.write_text("Leaders convene people.\n")
    (tmp_path / "elsewhere").mkdir()
    (mini / "source-texts").rename(tmp_path / "old-texts")
    (mini / "source-texts").symlink_to(tmp_path / "elsewhere")
    main(["--root", str(mini), "new", "cited2019", "--id", "delta-2019", "--text", str(read)])
    assert list((tmp_path / "elsewhere").iterdir()) == []
    assert "source-texts:1:1: error: this folder is a symbolic link" in capsys.readouterr().err


def _fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""


def test_the_preview_survives_a_texts_folder_it_cannot_walk(mini: Path) -> None:
    # A contribution's link to /proc: refused, and the preview goes on serving.
    real = mini / "source-texts"
    real.rename(mini / "kept-texts")
    real.symlink_to("/proc")
    with serving(mini) as served:
        served.said("this folder is a symbolic link")
        assert _fetch(f"{served.url}/index.html")[0] == 404  # nothing built yet, and still answering
        real.unlink()
        (mini / "kept-texts").rename(real)
        (mini / "evidence" / "gamma-blog.yaml").touch()  # the folder was not watched: it was a link
        served.said("rebuilt in")
        assert _fetch(f"{served.url}/index.html")[0] == 200
    # The operator's private folder is never walked either: the preview builds and rebuilds.
    with serving(mini, EVIDENCE_SOURCE_TEXTS="/proc") as served:
        served.said("rebuilt in")
        path = mini / "evidence" / "alpha-study.yaml"
        path.write_text(path.read_text().replace("Leaders bring people together.", "Leaders convene."))
        served.said("rebuilt in", times=2)
        assert "Leaders convene." in _fetch(f"{served.url}/themes/leadership.html")[1]
