"""`evidence diff`: what a change does to the synthesis, on the mini fixture in a git repository
of its own (the base committed, the change in the working tree or in a second commit)."""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options

from builder.cli import main
from builder.schema import write_schemas
from tests.conftest import check_root

GIT = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"]


def git(repo: Path, *args: str) -> str:
    return subprocess.run([*GIT, "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def commit(repo: Path, message: str = "change") -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture
def repo(mini: Path) -> Path:
    """The mini project, committed as the base."""
    git(mini, "init", "-q", "-b", "main")
    commit(mini, "base")
    return mini


def diff(repo: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--root", str(repo), "diff", *args])
    said = capsys.readouterr()
    return code, said.out, said.err


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def add_source(repo: Path, source_id: str = "delta-report", title: str = "A report on boards", **fields: str) -> None:
    """A new source, made from the fixture's study: its own id, cite and BibTeX entry, no stored
    text unless given (`source_text`), and `fields` replacing the study's lines that start so."""
    text = (repo / "evidence" / "alpha-study.yaml").read_text(encoding="utf-8")
    text = text.replace("id: alpha-study", f"id: {source_id}").replace("cite: alpha2020", f"cite: {source_id}")
    text = text.replace("type: study", "type: report")
    text = re.sub(r"(?ms)^appraisal:.*?^added:", "added:", text)
    text = re.sub(r"(?ms)^read:.*", fields.pop("source_text", ""), text)
    for start, line in fields.items():
        text = re.sub(rf"(?m)^{re.escape(start)}.*$", lambda _, line=line: line, text)
    (repo / "evidence" / f"{source_id}.yaml").write_text(text, encoding="utf-8")
    with (repo / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write(
            f"\n@report{{{source_id},\n  author = {{Delta, Dora}},\n  title = {{{title}}},\n  year = {{2022}},\n}}\n"
        )


def key_messages(out: str) -> dict[str, str]:
    """The diff's line of each key message, by the message's id."""
    return {line.split("`")[3]: line for line in out.splitlines() if line.startswith("- `")}


def numbers(repo: Path) -> dict[str, tuple[int, int]]:
    """Each theme's findings and sources, as the check of the fixture gives them."""
    corpus = check_root(repo).corpus
    assert corpus is not None
    return {
        t.title: (len(corpus.findings_on(t.id)), len({s.id for s, _ in corpus.findings_on(t.id)}))
        for t in corpus.themes
    }


# ---- nothing changes ----


def test_against_itself_nothing_changes(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for args in (["HEAD"], ["main", "--head", "main"]):
        code, out, _ = diff(repo, capsys, *args)
        assert code == 0
        assert "Nothing in the synthesis changes" in out
        assert "###" not in out  # no part is listed


def test_a_change_outside_the_synthesis_changes_nothing(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo / "docs" / "about.md", "", "More words on a hand-written page.\n")
    assert "Nothing in the synthesis changes" in diff(repo, capsys, "main")[1]


# ---- each kind of change gives its line ----


def test_an_added_source_by_title_and_kind_with_its_findings_and_cells(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = numbers(repo)
    add_source(repo)
    code, out, _ = diff(repo, capsys, "main")
    assert code == 0
    assert "| added | `A report on boards` (`Delta, 2022`) | report | `evidence/delta-report.yaml` |" in out
    findings, sources = before["Leadership"]
    assert (
        f"| `Leadership` | {findings} → {findings + 2} | {sources} → {sources + 1} | added "
        "`delta-report/authority-fails`, `delta-report/leaders-convene` |" in out
    )
    assert "| `Leadership` | Reports | gap | 1 source, 2 findings |" in out
    assert "| `Practice managers` | Reports | gap | 1 source, 1 finding |" in out
    assert "### Key messages" not in out  # no message names the new findings


def test_a_removed_source_and_the_judgement_it_makes_stale(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "evidence" / "gamma-blog.yaml").unlink()
    edit(repo / "evidence" / "themes.yaml", ", gamma-blog/managers-lead]", "]")
    bib = repo / "references.bib"
    bib.write_text(re.sub(r"(?s)@online\{gamma2021.*?\n}\n", "", bib.read_text()))
    code, out, _ = diff(repo, capsys, "main")
    assert code == 0, out
    assert "| removed | `A blog about managers` (`Gamma, 2021`) | blog post | `evidence/gamma-blog.yaml` |" in out
    line = next(line for line in out.splitlines() if "`managers-count`" in line)
    assert "no longer names `gamma-blog/managers-lead`" in line
    assert "is no longer backed by `gamma-blog`" in line
    # The message no longer stands on what was judged: the head shows the judgement as of an earlier version.
    assert "→ low confidence (judged on an earlier version), judged by A. Editor on 2026-02-01." in line
    assert "**The recorded judgement may be stale**: it was judged by A. Editor on 2026-02-01" in out
    assert "### Key messages (1 judgement to look at again)" in out
    assert "| `Leadership` | Blog posts | 1 source, 1 finding | gap |" in out


def test_a_changed_backing_source_flags_the_recorded_judgement_only(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(repo / "evidence" / "alpha-study.yaml", "statement: Practice managers matter.", "statement: Managers count.")
    code, out, _ = diff(repo, capsys, "main")
    assert code == 0
    assert "| changed: findings | `Commissioning in Étude` (`Alpha and Beta, 2020`) | study |" in out
    assert "changed `alpha-study/managers-matter`" in out
    messages = key_messages(out)
    assert "has backing sources that changed: `alpha-study`" in messages["convening"]
    assert "Confidence: confidence not assessed." in messages["convening"]  # nobody judged it: nothing is stale
    assert "has backing sources that changed: `alpha-study`" in messages["managers-count"]
    assert out.count("The recorded judgement may be stale") == 1


def test_a_judgement_made_again_with_the_change_is_not_stale(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo / "evidence" / "alpha-study.yaml", "statement: Practice managers matter.", "statement: Managers count.")
    edit(repo / "evidence" / "themes.yaml", "level: low", "level: very-low")
    edit(repo / "evidence" / "themes.yaml", "assessed: 2026-02-01", "assessed: 2026-02-02")
    assert main(["--root", str(repo), "appraise", "--message", "practice-managers/managers-count"]) == 0
    out = diff(repo, capsys, "main")[1]
    line = next(line for line in out.splitlines() if "`managers-count`" in line)
    assert (
        "Confidence: low confidence, judged by A. Editor on 2026-02-01 → "
        "very low confidence, judged by A. Editor on 2026-02-02." in line
    )
    assert "stale" not in out


def test_a_key_message_added_and_one_backed_anew(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add_source(repo)
    edit(
        repo / "evidence" / "themes.yaml",
        "supported_by: [alpha-study/leaders-convene]",
        (
            "supported_by: [alpha-study/leaders-convene, delta-report/leaders-convene]\n"
            "      - id: boards\n"
            "        statement: Boards need their managers.\n"
            "        supported_by: [gamma-blog/boards-lose]"
        ),
    )
    out = diff(repo, capsys, "main")[1]
    messages = key_messages(out)
    assert "names the findings `delta-report/leaders-convene`" in messages["convening"]
    assert "is backed now by the sources `delta-report`" in messages["convening"]
    assert messages["boards"] == (
        "- `Leadership` › `boards`: new, backed by 1 finding from 1 source: `Boards need their managers.`. "
        "Confidence: confidence not assessed."
    )


def test_a_changed_kind_moves_the_evidence_map_cells(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo / "evidence" / "gamma-blog.yaml", "type: blog", "type: commentary")
    out = diff(repo, capsys, "main")[1]
    # The blog's text was reviewed as a blog post's: as a commentary's it awaits a review again; and
    # its finding was rated as a blog post's: the rating is of an earlier version now.
    assert (
        "| changed: type, findings, how its quotes are checked | `A blog about managers` (`Gamma, 2021`) "
        "| blog post → commentary |" in out
    )
    assert "| `Leadership` | Blog posts | 1 source, 1 finding | gap |" in out
    assert "| `Leadership` | Commentaries | gap | 1 source, 1 finding |" in out


# ---- how the quotes of the sources it touches were checked ----
# (The figures: the sample's 12 and 2, and in words the setting's "Two" and the summary's "two" and
# "twelve", which are checked as the stored text's are read.)


def test_a_new_source_with_a_supplied_text_is_checked_and_awaits_review(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "source-texts" / "delta-report.txt").write_text(
        (repo / "source-texts" / "alpha-study.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    add_source(repo, source_text="source_text: delta-report.txt\n")
    out = diff(repo, capsys, "main")[1]
    assert (
        "- `A report on boards` (`Delta, 2022`): 1 quote and 5 figures, checked against the text supplied with "
        "the contribution (`delta-report.txt`), which awaits an editor's review." in out
    )
    assert "  - new quote `leaders convene`, at `p. 3` (finding `leaders-convene`)" in out


def test_a_new_source_without_a_text_says_why_its_quotes_are_not_checked(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_source(repo)
    out = diff(repo, capsys, "main")[1]
    assert (
        "- `A report on boards` (`Delta, 2022`): 1 quote and 5 figures, not checked against a stored text: "
        "`no stored text of what was read is named`." in out
    )


def test_a_changed_stored_text_loses_its_review(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with (repo / "source-texts" / "gamma-blog.txt").open("a", encoding="utf-8") as text:
        text.write("\nA paragraph added since the editor's review.\n")
    out = diff(repo, capsys, "main")[1]
    assert "| changed: its stored text, how its quotes are checked | `A blog about managers`" in out
    assert (
        "- `A blog about managers` (`Gamma, 2021`): 0 quotes and 0 figures, checked against the text supplied "
        "with the contribution (`gamma-blog.txt`), which awaits an editor's review." in out
    )


def test_a_reviewed_text_says_who_reviewed_it(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo / "evidence" / "gamma-blog.yaml", "  - Opinion.", "  - Opinion, from one author.")
    out = diff(repo, capsys, "main")[1]
    assert (
        "checked against the text an editor reviewed (`gamma-blog.txt`, reviewed by `A. Editor on 2026-01-04`)" in out
    )


def test_a_changed_quote_is_listed_with_its_locator(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo / "evidence" / "alpha-study.yaml", "text: leaders convene", "text: leaders convene people")
    out = diff(repo, capsys, "main")[1]
    assert "  - changed quote `leaders convene people`, at `p. 3` (finding `leaders-convene`)" in out


def test_each_side_finds_its_stored_texts_where_the_check_finds_them(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The study's text leaves the repository for a private folder: the base has it in its own
    # source-texts/, the working tree only where EVIDENCE_SOURCE_TEXTS says.
    private = tmp_path / "private"
    private.mkdir()
    (repo / "source-texts" / "alpha-study.txt").rename(private / "alpha-study.txt")
    out = diff(repo, capsys, "main")[1]
    assert "| changed: its stored text, how its quotes are checked | `Commissioning in Étude`" in out
    assert "not checked against a stored text: `its quotes and figures are unverified: the stored text" in out
    monkeypatch.setenv("EVIDENCE_SOURCE_TEXTS", str(private))
    assert "Nothing in the synthesis changes" in diff(repo, capsys, "main")[1]


# ---- problems ----


def test_the_head_with_errors_gets_its_diff_its_new_problems_and_exit_1(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(repo / "evidence" / "alpha-study.yaml", "text: leaders convene", "text: leaders never convene")
    code, out, err = diff(repo, capsys, "main")
    assert code == 1
    assert "**The check fails on the working tree** (1 error, 0 warnings)" in out
    assert "| changed: findings, how its quotes are checked | `Commissioning in Étude`" in out
    assert "not checked against a stored text: `they do not all agree with its stored text (alpha-study.txt)" in out
    assert "### New problems (1 error, 0 warnings)" in out
    block = out.split("```text\n", 1)[1]
    assert block.startswith("evidence/alpha-study.yaml:")
    assert "error: findings[0].quote.text: this quote is not word for word in the stored text" in block
    assert "the check fails on the working tree" in err


def test_a_file_the_head_cannot_read_is_not_called_removed(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo / "evidence" / "gamma-blog.yaml", "type: blog", "type: blog: post")
    code, out, _ = diff(repo, capsys, "main")
    assert code == 1
    assert "Evidence files that could not be read, and are left out: `gamma-blog.yaml`." in out
    assert "| removed |" not in out
    assert "evidence/gamma-blog.yaml:3:" in out


def test_a_new_note_is_a_new_problem_and_an_old_one_is_not(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add_source(repo)  # no stored text: a note
    commit(repo)
    add_source(repo, "epsilon-report", "Another report")
    out = diff(repo, capsys, "HEAD")[1]
    assert "### New problems (0 errors, 0 warnings, 1 note)" in out
    assert "evidence/epsilon-report.yaml" in out.split("### New problems", 1)[1]
    assert "evidence/delta-report.yaml" not in out.split("### New problems", 1)[1]


def test_two_commits_are_compared_without_the_working_tree(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add_source(repo)
    head = commit(repo)
    (repo / "evidence" / "alpha-study.yaml").unlink()  # in the working tree only
    code, out, _ = diff(repo, capsys, "HEAD~1", "--head", head)
    assert code == 0
    assert f"to `{head[:10]}`" in out
    assert "| added | `A report on boards`" in out
    assert "removed" not in out


def test_the_project_may_be_a_folder_of_the_repository(
    tmp_path: Path, mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outer = tmp_path / "outer"
    outer.mkdir()
    project = mini.rename(outer / "briefing")
    git(outer, "init", "-q")
    commit(outer, "base")
    add_source(project)
    code, out, _ = diff(project, capsys, "HEAD")
    assert code == 0
    assert "| added | `A report on boards`" in out


def test_a_link_in_a_revision_stays_a_link_the_check_refuses(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    secret = repo.parent / "secret.yaml"
    secret.write_text("id: secret\n")
    (repo / "evidence" / "linked.yaml").symlink_to(secret)
    head = commit(repo)
    code, out, _ = diff(repo, capsys, "HEAD~1", "--head", head)
    assert code == 1
    assert "evidence/linked.yaml:1:1: error: " in out and "symbolic link" in out
    assert "id: secret" not in out  # nothing of the file it points at


# ---- bad input: one plain message, exit 2, nothing written ----


def _files(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file() and ".git" not in p.parts}


def test_a_folder_that_is_not_a_repository(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = diff(mini, capsys, "main")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "is not in a git repository" in err


def test_a_revision_that_does_not_exist(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _files(repo)
    for args in (["no-such-branch"], ["main", "--head", "no-such-branch"], ["--", "--output=x"]):
        code, out, err = diff(repo, capsys, *args)
        assert (code, out) == (2, ""), args
        assert "there is no revision" in err and "name a branch, a tag or a commit" in err
    assert _files(repo) == before and git(repo, "status", "--porcelain") == ""


def test_a_shallow_clone_is_told_to_fetch(repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    commit(repo, "second")
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth=1", f"file://{repo}", str(shallow))
    code, _, err = diff(shallow, capsys, "HEAD~1")
    assert code == 2 and "this clone is shallow, so fetch it first" in err


def test_a_file_git_does_not_have(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blob = git(repo, "rev-parse", "HEAD:evidence/gamma-blog.yaml").strip()
    (repo / ".git" / "objects" / blob[:2] / blob[2:]).unlink()  # as a partial clone that could not fetch it
    code, out, err = diff(repo, capsys, "main")
    assert (code, out) == (2, "")
    assert "git does not have evidence/gamma-blog.yaml as it is in" in err


def test_a_base_that_does_not_pass_the_check(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo / "evidence" / "gamma-blog.yaml", "type: blog", "type: blgo")
    commit(repo, "broken")
    edit(repo / "evidence" / "gamma-blog.yaml", "type: blgo", "type: blog")
    code, out, err = diff(repo, capsys, "HEAD")
    assert (code, out) == (2, "")
    assert "the base, HEAD (" in err and "does not pass the check (1 error, 0 warnings; the first: " in err
    assert "evidence/gamma-blog.yaml:3: type: 'blgo' is not allowed" in err


def test_a_base_from_before_a_schema_change(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The base as an older generator wrote it: its schema has a field this one does not know.
    write_schemas(repo / "schema")
    edit(repo / "schema" / "evidence.schema.json", '"properties": {', '"properties": {\n    "quality": {},')
    edit(repo / "evidence" / "gamma-blog.yaml", "design: opinion", "design: opinion\nquality: fair")
    commit(repo, "old schema")
    write_schemas(repo / "schema")
    edit(repo / "evidence" / "gamma-blog.yaml", "\nquality: fair", "")
    code, out, err = diff(repo, capsys, "HEAD")
    assert (code, out) == (2, "")
    assert "was written for another version of the evidence schema" in err
    assert "`git log -1 -- schema/` names the last change" in err


# ---- escaping: nothing a contributor wrote becomes Markdown ----

PAYLOAD = (
    "Boards | *bold* _it_ `code` ``` <img src=x onerror=alert(1)> <b>html</b> [link](https://evil.example) "
    "![image](https://evil.example/i.png) https://evil.example www.evil.example @someone mail@evil.example #12"
)


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.code: list[str] = []
        self._in_code = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)
        self._in_code += tag == "code"
        if tag == "code":
            self.code.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_code -= tag == "code"

    def handle_data(self, data: str) -> None:
        if self._in_code:
            self.code[-1] += data


def test_contributor_text_cannot_break_the_markdown(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add_source(
        repo,
        title=PAYLOAD.replace("#", "\\#").replace("_", "\\_"),
        **{
            "      text: leaders convene": f"      text: '{PAYLOAD}'",
            "      locator: p. 3": "      locator: 'p. 3 | `x`'",
        },
    )
    edit(repo / "evidence" / "themes.yaml", "title: Leadership", f"title: '{PAYLOAD}'")
    out = diff(repo, capsys, "main")[1]
    html = cmarkgfm.github_flavored_markdown_to_html(out, options=Options.CMARK_OPT_UNSAFE)
    parsed = _Html()
    parsed.feed(html)
    assert not {"a", "img", "b", "em"} & set(parsed.tags)
    assert PAYLOAD in parsed.code  # the quote, as written
    start = PAYLOAD[: PAYLOAD.index("```")]  # the library reads `` as an opening quotation mark
    assert sum(text.startswith(start) for text in parsed.code) == 5  # the title twice, the theme thrice
    for table in re.findall(r"<table>.*?</table>", html, flags=re.DOTALL):
        head = len(re.findall(r"<th[ >]", table))
        rows = re.findall(r"<tr>(.*?)</tr>", table.split("</thead>")[1], flags=re.DOTALL)
        assert rows and all(len(re.findall(r"<td[ >]", row)) == head for row in rows)


def test_problems_cannot_close_their_code_block(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo / "evidence" / "alpha-study.yaml", "theme: leadership", "theme: '```` </pre> <b>x</b>'")
    code, out, _ = diff(repo, capsys, "main")
    assert code == 1
    html = cmarkgfm.github_flavored_markdown_to_html(out, options=Options.CMARK_OPT_UNSAFE)
    assert "<b>" not in html and html.count("<pre") == 1
    assert html.rstrip().endswith("</code></pre>")


def test_a_change_that_makes_an_appraisal_of_an_earlier_version_is_listed(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(repo / "evidence" / "alpha-study.yaml", "design: qualitative case study", "design: a survey")
    out = diff(repo, capsys, "main")[1]
    assert "| changed: design, appraisal, earlier appraisal | `Commissioning in Étude` (`Alpha and Beta, 2020`)" in out
