"""What a reader must know before the key messages: who publishes the briefing, when, under
which licence, how to cite it, how current its evidence is; the works the sources cite kept
apart from the evidence; and a PDF that a screen reader can read, with no near-empty page."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from builder.site import build_site
from builder.synth import Period
from tests.conftest import FIXTURES, PUBLISHED_AT, search_in

MIN_LINES = 20  # a page of the PDF but the last has at least this many lines of text (an A4 page holds 50)
CITATION = "A. Editor and B. Editor (eds) (2026) Mini briefing. Version 1.0. The Test Evidence Unit."
POLICY = "2021-04-01: Test boards took over the work of the test trusts."


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(FIXTURES / "mini" / "mkdocs.yml", tmp_path_factory.mktemp("front") / "site")


def _text(page: Path) -> str:
    """A page's article as a reader sees it: its words, tags out."""
    html = page.read_text(encoding="utf-8")
    article = html[html.index("<article") : html.index("</article>")]
    words = " ".join(re.sub(r"<[^>]+>", " ", article).replace("&amp;", "&").split())
    return re.sub(r" (?=[.,:;)])", "", words)


def _pdf_pages(pdf: Path) -> list[str]:
    run = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    return run.stdout.split("\f")[:-1]


def _words(text: str) -> str:
    return " ".join(text.split())


def test_the_home_page_and_the_pdf_s_first_page_carry_the_front_matter(site: Path) -> None:
    home = _text(site / "index.html")
    first = _words(_pdf_pages(site / "downloads" / "briefing.pdf")[0])
    for said in (home, first):
        front = said[: said.index("Key messages")]
        for fact in (
            "Published by The Test Evidence Unit",
            "Editors A. Editor, B. Editor",
            "Published 2026-02-01",
            "Licence CC BY 4.0",
            # How the evidence was gathered, in the editors' first sentence, beside what it is not.
            "This is not a systematic review. No search was made; the sources are made up for the tests.",
            f"Suggested citation: {CITATION}",
            POLICY,
            "published from 2020 to 2021",
        ):
            assert fact in front, (fact, front)
    assert "First edition." not in home and "First edition." in _text(site / "changes.html")


def test_what_is_not_recorded_is_said_and_never_guessed(mini: Path) -> None:
    (mini / "evidence" / "briefing.yaml").write_text(
        "question: Who leads?\nscope:\n  description: Test data.\nmethods:\n  systematic_review: true\n"
        "  statement: A test.\n",
        encoding="utf-8",
    )
    config = mini / "mkdocs.yml"
    config.write_text("site_url: https://briefing.example.org/mini/\n" + config.read_text(encoding="utf-8"))
    home = _text(build_site(mini / "mkdocs.yml", mini / "site") / "index.html")
    for name in ("Published by", "Editors", "Published", "Licence"):
        assert f"{name} not recorded" in home
    assert "The period in scope is not recorded. The policy context is not recorded." in home
    assert "This is not a systematic review" not in home
    assert "The evidence was gathered by a systematic review. A test. Methods and scope says more." in home
    # No publication date is invented: the date the briefing was updated stands in, said so.
    cited = "Suggested citation: Mini briefing (updated 2026-02-01). Available at: https://briefing.example.org/mini/."
    assert cited in home and "n.d." not in home


def test_a_project_without_a_briefing_file_builds_and_says_what_is_not_recorded(mini: Path) -> None:
    (mini / "evidence" / "briefing.yaml").unlink()
    home = _text(build_site(mini / "mkdocs.yml", mini / "site") / "index.html")
    assert "Published by not recorded" in home and "How the evidence was gathered is not recorded" in home
    assert "Suggested citation: Mini briefing (updated 2026-02-01)." in home


def test_the_period_of_the_evidence_is_stated_beside_the_policy_context(site: Path) -> None:
    for page in ("index.html", "methods.html", "themes/leadership.html", "themes/practice-managers.html"):
        said = _text(site / page)
        assert "2 sources, published from 2020 to 2021. The period in scope: 2020 onwards." in said, page
        assert POLICY in said, page


def test_a_theme_whose_evidence_is_all_older_than_the_period_in_scope_says_so(mini: Path) -> None:
    briefing = mini / "evidence" / "briefing.yaml"
    briefing.write_text(briefing.read_text(encoding="utf-8").replace("from_year: 2020", "from_year: 2022"))
    site = build_site(mini / "mkdocs.yml", mini / "site")
    theme = _text(site / "themes" / "leadership.html")
    assert "All of it is older than the period in scope, 2022 onwards." in theme
    assert "All sources are older than the period in scope, 2022 onwards (the newest is from 2021)." in theme
    assert "Leadership: All sources are older than the period in scope" in _text(site / "index.html")


@pytest.mark.parametrize(
    ("years", "undated", "said"),
    [
        ((2010, 2012, 2013), 1, "published from 2010 to 2013; 1 of 4 sources gives no date"),
        ((2012,), 0, "published in 2012"),
        ((), 2, "2 of 2 sources give no date"),
    ],
)
def test_the_period_of_sources_in_words(years: tuple[int, ...], undated: int, said: str) -> None:
    assert Period(years, undated).said == said


def test_works_the_sources_cite_are_listed_apart_and_never_counted(site: Path) -> None:
    references = _text(site / "references.html")
    evidence, works = references.index("Sources of the evidence"), references.index("Works cited by the sources")
    assert evidence < references.index("Alpha, A.") < references.index("Gamma, G.") < works
    assert works < references.index("Delta, D.")
    assert "2 sources of the evidence, then 1 work the sources cite" in references
    assert "2 sources and 6 findings" in _text(site / "index.html")
    assert "cited2019" not in (site / "downloads" / "findings.csv").read_text(encoding="utf-8")
    assert "Delta" not in (site / "feed.xml").read_text(encoding="utf-8")
    assert "Delta" not in _text(site / "evidence-map.html")


def test_the_evidence_ranks_above_the_works_it_cites(mini: Path, browser) -> None:
    # A work the study cites, titled with the very words a reader types: the study, whose page
    # has them once or twice, still comes first.
    bib = mini / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("A work the study cites", "Leaders convene managers"))
    site = build_site(mini / "mkdocs.yml", mini / "site")
    page = browser.new_page()
    page.goto((site / "index.html").as_uri())
    found = search_in(page, "leaders convene managers")
    page.close()
    cited = [i for i, href in enumerate(found) if href.endswith("#ref-cited2019")]
    study = [i for i, href in enumerate(found) if href.endswith("sources/alpha-study.html")]
    assert cited and study and study[0] < cited[0], found


def test_the_pdf_is_tagged_with_a_title_and_a_language(site: Path) -> None:
    pdf = site / "downloads" / "briefing.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info
    reader = PdfReader(pdf)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en" and root["/MarkInfo"]["/Marked"]
    assert reader.metadata.title == "Mini briefing"


def test_no_page_of_the_pdf_is_nearly_empty(site: Path) -> None:
    pages = _pdf_pages(site / "downloads" / "briefing.pdf")
    assert len(pages) > 1
    lines = [sum(1 for line in page.splitlines() if line.strip()) for page in pages]
    assert all(n >= MIN_LINES for n in lines[:-1]), lines


def test_the_pdf_shows_the_quotes_it_promises_with_what_was_read(site: Path) -> None:
    text = _words(" ".join(_pdf_pages(site / "downloads" / "briefing.pdf")))
    assert "with where it is in what was read" in text
    quoted = "“leaders convene” (p. 3; quoted from the Test Digest summary of the study; checked against the text"
    assert quoted in text


def test_the_pdf_says_what_a_finding_comes_from_and_what_strength_is(site: Path) -> None:
    text = _words(" ".join(_pdf_pages(site / "downloads" / "briefing.pdf")))
    assert (
        "Leaders bring people together. (Alpha and Beta, 2020; study, read only through the Test Digest summary)"
        in text
    )
    assert "(Gamma, 2021; blog post; strength, as an editor rated it: moderate (The author reports a survey))" in text
    assert "No finding is graded by the kind of its source" in text and "it is not a confidence" in text
    # No grade by rule in CERQual's words: "strength" only where explained or an editor rated it.
    assert text.count("strength") == text.count("strength, as an editor rated it") + 1


def test_the_pdf_has_the_gaps_and_names_the_themes_with_no_key_message(mini: Path) -> None:
    themes = mini / "evidence" / "themes.yaml"
    quiet = "  - id: boards\n    title: Boards\n    question: Who sits on boards?\n    description: Boards.\n"
    themes.write_text(themes.read_text(encoding="utf-8") + quiet, encoding="utf-8")
    site = build_site(mini / "mkdocs.yml", mini / "site")
    text = _words(" ".join(_pdf_pages(site / "downloads" / "briefing.pdf")))
    assert "No key message yet on: Boards." in text
    thin = text[text.index("Where the evidence is thin") :].replace("• ", "")
    assert thin.startswith("Where the evidence is thin Boards: No evidence at all on this theme yet.")
    assert "No key message yet on: Boards." in _text(site / "index.html")


def test_the_pdf_names_the_web_pages_it_points_to_where_a_reader_can_find_them(
    site: Path, published_site: Path
) -> None:
    offline = _words(" ".join(_pdf_pages(site / "downloads" / "briefing.pdf")))
    assert "The briefing's website has more: How to read this briefing; Methods and scope;" in offline
    published = _words(" ".join(_pdf_pages(published_site / "downloads" / "briefing.pdf"))).replace("// ", "//")
    for page in ("how-to-read", "methods"):
        assert f"({PUBLISHED_AT}{page}.html)" in published, page


def test_a_citation_without_a_publication_date_gives_the_version_and_update(mini: Path) -> None:
    briefing = mini / "evidence" / "briefing.yaml"
    briefing.write_text(briefing.read_text(encoding="utf-8").replace("published: 2026-02-01\n", ""))
    home = _text(build_site(mini / "mkdocs.yml", mini / "site") / "index.html")
    cited = "Suggested citation: A. Editor and B. Editor (eds) (updated 2026-02-01) Mini briefing. Version 1.0."
    assert cited in home and "n.d." not in home
