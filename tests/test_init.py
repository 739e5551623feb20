"""`evidence init`: another team's project checks and builds at once, says nothing of the NHS,
takes any title as text, and never overwrites a folder."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from builder.cli import main
from builder.config import load_settings
from builder.model import MIN_FINDINGS, QUOTE_WORDS, SUMMARY_WORDS
from builder.settings import Options
from builder.site import build_site
from builder.starter import MAX_TITLE
from tests.conftest import ROOT, check_root, examples
from tests.test_repository import assert_least_privilege

TITLE = "Social prescribing: what works"
# Markup of every kind a title could carry where it lands: HTML, quotes, YAML, Markdown, Jinja.
HOSTILE = '<script>alert("PWNED")</script> \'Q\' & "R": - [x]: {a: b} # *em* _u_ `c` {{ 1 }} &amp; \\ end'
# The words of the NHS briefing the generator was first made for: none belongs in another's.
# (The sample field `gps`, general practitioners, stays: a profession many briefings count.)
NHS_WORDS = re.compile(r"\b(?:NHS|CCGs?|ICBs?|GPs?)\b|(?i:commission|England|English\b)")


def _init(folder: Path, title: str = TITLE, *more: str) -> int:
    return main(["init", str(folder), f"--title={title}", *more])  # = : a title may start with '-'


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("team") / "social-prescribing"
    assert _init(folder) == 0
    return folder


@pytest.fixture(scope="module")
def project_site(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(project / "mkdocs.yml", tmp_path_factory.mktemp("team-site") / "site")


def test_the_project_has_what_a_team_needs(project: Path) -> None:
    made = set(_files(project))
    assert {
        "mkdocs.yml",
        "evidence/themes.yaml",
        "evidence/briefing.yaml",
        "references.bib",
        "source-texts/README.md",
        "README.md",
        "CONTRIBUTING.md",
        "Makefile",
        "requirements.txt",
        ".gitignore",
        ".github/CODEOWNERS",
        ".github/workflows/pull-request.yml",
        ".github/workflows/publish.yml",
        "schema/evidence.schema.json",
    } <= made
    assert not [name for name in made if re.search(r"@[A-Z_]+@", (project / name).read_text())], "a marker left"


def test_the_project_passes_the_check_at_once(project: Path) -> None:
    result = check_root(project)
    assert result.corpus is not None and [p.text() for p in result.problems if p.fails] == []


def test_the_project_builds_a_site_with_its_title_and_link_previews(project_site: Path) -> None:
    home = (project_site / "index.html").read_text(encoding="utf-8")
    assert re.search(f"<title>[^<]*{TITLE}</title>", home)
    assert f'<meta property="og:site_name" content="{TITLE}">' in home
    assert (project_site / "contributing.html").is_file() and (project_site / "downloads" / "briefing.pdf").is_file()


def test_nothing_in_the_project_or_its_site_speaks_of_the_nhs(project: Path, project_site: Path) -> None:
    # The theme's own scripts and their source maps are left out: minified code, not words.
    texts = {f"project/{name}": data for name, data in _files(project).items()}
    texts |= {f"site/{n}": d for n, d in _files(project_site).items() if not n.startswith("assets/") or "evidence" in n}
    texts["site/downloads/briefing.pdf"] = "\n".join(
        page.extract_text() for page in PdfReader(project_site / "downloads" / "briefing.pdf").pages
    ).encode()
    found = {
        name: NHS_WORDS.findall(data.decode("utf-8", "replace"))
        for name, data in texts.items()
        if NHS_WORDS.search(data.decode("utf-8", "replace"))
    }
    assert found == {}


def test_the_makefile_gives_the_two_commands_and_the_workflows_run_them(project: Path) -> None:
    makefile = (project / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^check:\n\t\$\(EVIDENCE\) check$", makefile, flags=re.MULTILINE)
    assert re.search(r"^site:\n\t\$\(EVIDENCE\) build ", makefile, flags=re.MULTILINE)
    pull = yaml.safe_load((project / ".github/workflows/pull-request.yml").read_text())
    runs = " ".join(step.get("run", "") for step in pull["jobs"]["check"]["steps"])
    assert "make setup" in runs and "evidence check --format github" in runs and "make site" in runs
    publish = yaml.safe_load((project / ".github/workflows/publish.yml").read_text())
    runs = " ".join(step.get("run", "") for job in publish["jobs"].values() for step in job["steps"])
    assert "make site BUILD_FLAGS=--require-texts" in runs


def test_the_generator_is_pinned_to_this_version(project: Path) -> None:
    import tomllib

    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    lines = [line for line in (project / "requirements.txt").read_text().splitlines() if not line.startswith("#")]
    assert lines == [f"evidence-briefing=={version}"]
    assert f"`evidence-briefing=={version}`" in (project / "README.md").read_text()


def test_a_git_tag_can_be_pinned_instead(tmp_path: Path) -> None:
    pin = "evidence-briefing @ git+https://example.org/evidence-briefing@v0.2.0"
    assert _init(tmp_path / "p", TITLE, "--generator", pin) == 0
    assert (tmp_path / "p" / "requirements.txt").read_text().splitlines()[-1] == pin


def test_the_workflows_are_valid_and_pass_the_audit(project: Path) -> None:
    workflows = [str(p) for p in sorted((project / ".github" / "workflows").glob("*.yml"))]
    checker = Path(sys.executable).with_name("check-jsonschema")
    run = subprocess.run([str(checker), "--builtin-schema", "vendor.github-workflows", *workflows], capture_output=True)
    assert run.returncode == 0, run.stdout + run.stderr
    zizmor = Path(sys.executable).with_name("zizmor")
    run = subprocess.run([str(zizmor), "--offline", "--no-progress", *workflows], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


_USES = re.compile(r"uses: ([\w.-]+/[\w./-]+@[0-9a-f]{40})", flags=re.MULTILINE)


def test_the_workflows_have_the_least_privilege_shape_of_ours(project: Path) -> None:
    for workflow in ("pull-request.yml", "publish.yml"):
        text = (project / ".github" / "workflows" / workflow).read_text(encoding="utf-8")
        assert_least_privilege(text)
        # The same commits as this repository's own workflows: updated together.
        ours = (ROOT / ".github" / "workflows" / workflow).read_text(encoding="utf-8")
        assert set(_USES.findall(text)) <= set(_USES.findall(ours))


def test_the_editors_own_their_files(project: Path) -> None:
    owners = (project / ".github" / "CODEOWNERS").read_text()
    owned = {line.split()[0] for line in owners.splitlines() if line.strip() and not line.startswith("#")}
    records = {"/" + Options().text_reviews, "/" + Options().appraisals}  # reviews of texts; appraisals, ratings
    assert records | {"/evidence/themes.yaml", "/evidence/briefing.yaml", "/source-texts/", "/.github/"} <= owned


def test_contributing_states_the_rules_the_check_enforces(project: Path) -> None:
    text = (project / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert f"**{SUMMARY_WORDS[0]} to {SUMMARY_WORDS[1]} words**" in text
    assert f"**at least {['zero', 'one', 'two', 'three', 'four'][MIN_FINDINGS]}**" in text
    assert f"**at most {QUOTE_WORDS} words**" in text


# ---- Bad input: nothing overwritten, and a title is text wherever it lands ----


def test_a_folder_that_is_not_empty_is_refused_and_left_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "theirs"
    folder.mkdir()
    (folder / "mkdocs.yml").write_text("site_name: Mine\n")
    before = _files(tmp_path)
    assert _init(folder) == 1
    assert "is not empty" in capsys.readouterr().err
    assert _files(tmp_path) == before and sorted(p.name for p in tmp_path.iterdir()) == ["theirs"]


def test_an_empty_folder_is_filled(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert _init(tmp_path / "empty") == 0
    assert (tmp_path / "empty" / "mkdocs.yml").is_file()


@pytest.mark.parametrize(
    ("title", "said"),
    [
        ("   ", "give the briefing a title"),
        ("Two\nlines", "the title is one line of text"),
        ("Bell\x07", "the title cannot hold that character"),
        ("Soft\u00adhyphen", "SOFT HYPHEN (U+00AD)"),
        ("x" * (MAX_TITLE + 1), f"a title has at most {MAX_TITLE}"),
    ],
)
def test_a_title_that_cannot_be_shown_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], title: str, said: str
) -> None:
    assert _init(tmp_path / "p", title) == 1
    assert said in capsys.readouterr().err and list(tmp_path.iterdir()) == []


def test_a_file_or_a_link_is_not_taken_for_the_folder(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("mine")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "elsewhere")
    assert _init(tmp_path / "file") == 1 and _init(tmp_path / "link") == 1
    assert (tmp_path / "file").read_text() == "mine" and list((tmp_path / "elsewhere").iterdir()) == []


def test_a_requirement_pip_cannot_read_is_refused(tmp_path: Path) -> None:
    assert _init(tmp_path / "p", TITLE, "--generator", "evidence-briefing==0.2.0\n--index-url https://evil") == 1
    assert list(tmp_path.iterdir()) == []


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile") / "p"
    assert _init(folder, HOSTILE) == 0
    return folder


def test_a_title_with_markup_is_text_in_mkdocs_yml_and_the_readme(hostile: Path) -> None:
    settings, problems = load_settings(hostile / "mkdocs.yml")
    assert problems == [] and settings.site_name == HOSTILE
    heading = (hostile / "README.md").read_text(encoding="utf-8").splitlines()[0]
    assert "<script>" not in heading and "&lt;script&gt;" in heading and "\\*em\\*" in heading


def test_a_title_with_markup_is_text_on_every_page_and_in_the_pdf(
    hostile: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    site = build_site(hostile / "mkdocs.yml", tmp_path_factory.mktemp("hostile-site") / "site")
    for page in sorted(site.rglob("*.html")):
        parsed = _Elements()
        parsed.feed(page.read_text(encoding="utf-8"))
        scripts = page.read_text(encoding="utf-8").count("<script>alert")
        assert scripts == 0, page
        if page.name == "index.html":
            assert HOSTILE in " ".join(parsed.text)  # shown, as text
    pdf = PdfReader(site / "downloads" / "briefing.pdf")
    assert pdf.metadata.title == HOSTILE
    assert HOSTILE.split(" ")[0] in pdf.pages[0].extract_text()


@settings(max_examples=examples(0.2))  # each example writes a whole project
@given(st.text(st.characters(codec="utf-8", categories=["L", "M", "N", "P", "S", "Zs"]), min_size=1, max_size=60))
def test_any_title_that_is_accepted_reads_back_the_same_from_mkdocs_yml(tmp_path_factory, title: str) -> None:
    folder = tmp_path_factory.mktemp("any") / "p"
    if _init(folder, title) == 0:
        assert load_settings(folder / "mkdocs.yml")[0].site_name == title
    else:
        assert not title.strip() or not folder.exists()


# ---- The generator a project names: as pip installed the one that made it ----


@pytest.mark.parametrize(
    ("recorded", "requirement", "noted"),
    [
        (None, "evidence-briefing==0.2.0", False),  # from a package index
        (
            {
                "url": "https://token:x@git.example.org/team/evidence-briefing",
                "vcs_info": {"vcs": "git", "commit_id": "a" * 40, "requested_revision": "v0.2.0"},
            },
            f"evidence-briefing @ git+https://git.example.org/team/evidence-briefing@{'a' * 40}",
            False,
        ),
        (
            {"url": "https://example.org/eb-0.2.0.tar.gz", "archive_info": {"hashes": {"sha256": "b" * 64}}},
            f"evidence-briefing @ https://example.org/eb-0.2.0.tar.gz#sha256={'b' * 64}",
            False,
        ),
        ({"url": "file:///home/me/evidence-briefing", "dir_info": {}}, "evidence-briefing==0.2.0", True),
        (
            {"url": "file:///home/me/evidence-briefing", "vcs_info": {"vcs": "git", "commit_id": "c" * 40}},
            "evidence-briefing==0.2.0",
            True,
        ),
    ],
)
def test_a_project_pins_the_generator_as_it_was_installed(recorded: dict | None, requirement: str, noted: bool) -> None:
    from builder.pin import pin_from

    pin = pin_from(recorded, "0.2.0")
    assert pin.requirement == requirement and bool(pin.note) == noted
    if noted:
        assert "file:///home/me/evidence-briefing" in pin.note and "git repository and commit" in pin.note
