"""The briefing a policy team would publish: key messages first with their confidence, the
methods and the changes from data, and a PDF that stands alone."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from builder.confidence import COMPONENTS, assess
from builder.render.site import Site
from builder.site import build_site
from tests.conftest import PUBLISHED_AT, check_root, settings_of


@pytest.fixture
def site(briefing_site: Path) -> Path:
    return briefing_site


def _article(page: Path) -> str:
    html = page.read_text()
    return html[html.index("<article") : html.index("</article>")]


def test_the_home_page_puts_the_key_messages_and_the_date_first(site: Path, briefing) -> None:
    article = _article(site / "index.html")
    result = briefing
    changes = [c.date for c in result.corpus.briefing.changes] if result.corpus.briefing else []
    latest = max([d for s in result.corpus.sources for d in (s.added, s.reviewed) if d] + changes)
    assert f"<dt>Updated</dt><dd>{latest.isoformat()}" in article[: article.index("Key messages")]
    first_message = result.corpus.themes[0].key_messages[0].statement.split()[0]
    confidence = article.index("evidence-confidence")
    themes_table = article.index('<th scope="col">Theme</th>')
    assert article.index(first_message) < confidence < themes_table
    for theme in result.corpus.themes:
        for _ in theme.key_messages:
            assert "confidence" in article[:themes_table].lower()


def test_every_theme_page_has_a_summary_of_findings_table_naming_all_four_components(site: Path, briefing) -> None:
    for theme in briefing.corpus.themes:
        article = _article(site / "themes" / f"{theme.id}.html")
        assert "Summary of qualitative findings" in article
        if theme.key_messages:
            table = article[article.index("evidence-soqf") :]
            for name in COMPONENTS.values():
                assert f"<strong>{name}</strong>" in table, (theme.id, name)
        else:
            assert "No key messages yet." in article
            assert all(name.lower() in article for name in COMPONENTS.values())


def test_methods_and_changes_are_built_from_data(site: Path, briefing) -> None:
    methods = _article(site / "methods.html")
    assert "This is not a systematic review." in methods
    assert f"{len(briefing.corpus.sources)} sources" in methods
    changes = _article(site / "changes.html")
    for source in briefing.corpus.sources:
        assert f"sources/{source.id}.html" in changes
    assert "Editors:" in changes


def test_the_feed_carries_revisions_as_well_as_additions(mini: Path) -> None:
    built = build_site(mini / "mkdocs.yml")
    feed = (built / "feed.xml").read_text()
    assert "<title>Added: Gamma, 2021" in feed and "<title>Revised: Gamma, 2021" in feed


def test_an_editor_s_judgement_is_validated_like_everything_else(mini: Path) -> None:
    themes = mini / "evidence" / "themes.yaml"
    themes.write_text(
        themes.read_text().replace(
            "        supported_by: [alpha-study/leaders-convene]\n",
            "        supported_by: [alpha-study/leaders-convene]\n        confidence:\n"
            "          coherence: {concerns: some}\n",
        )
    )
    problems = [p for p in check_root(mini).problems if p.fails]
    assert {p.key_path for p in problems} == {
        "themes[0].key_messages[0].confidence.coherence.concerns",
        "themes[0].key_messages[0].confidence.coherence",
        "themes[0].key_messages[0].confidence",
    }
    assert all(p.file == "evidence/themes.yaml" and p.line in (10, 11) for p in problems)


@pytest.fixture
def pdf(site: Path) -> Path:
    return site / "downloads" / "briefing.pdf"


def _pages(pdf: Path) -> list[str]:
    run = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    return run.stdout.split("\f")


def test_the_pdf_opens_with_its_title_date_and_version(pdf: Path) -> None:
    first = " ".join(_pages(pdf)[0].split())
    assert "NHS commissioning evidence briefing" in first
    assert re.search(r"Updated \d{4}-\d\d-\d\d · version \S+", first), first
    assert "Page 1 of" in first


def test_the_pdf_puts_key_messages_before_the_themes_and_ends_with_every_reference(pdf: Path, briefing) -> None:
    text = " ".join(" ".join(_pages(pdf)).split())
    corpus = briefing.corpus
    key_messages = text.index("Key messages")
    first_theme = text.index(corpus.themes[-1].question.split()[0], text.index("Summary of qualitative findings"))
    references = text.rindex("References")
    assert key_messages < first_theme < references
    listed = re.sub(r"['‘’]", "", text[references:])
    for source in corpus.sources:
        title = re.sub(r"['‘’{}]", "", corpus.references[source.cite].get("title"))
        assert " ".join(title.split()[:4]) in listed, title


def test_the_whole_briefing_page_lists_the_reference_of_every_source_it_links_to(site: Path, briefing) -> None:
    article = _article(site / "briefing.html")
    linked = set(re.findall(r'href="sources/([a-z0-9-]+)\.html', article))
    references = article[article.index('id="references"') :]
    listed = set(re.findall(r'<span id="ref-([^"]+)">', references))
    assert linked and {briefing.corpus.by_id[i].source.cite for i in linked} <= listed


def test_the_pdf_has_no_relative_link(pdf: Path) -> None:
    reader = PdfReader(pdf)
    links = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            if "/URI" in action:
                links.append(str(action["/URI"]))
    assert links and all(link.startswith(("https://", "http://", "mailto:")) for link in links), links
    internal = sum(
        1
        for page in reader.pages
        for a in page.get("/Annots") or []
        if "/Dest" in a.get_object() or "/D" in (a.get_object().get("/A") or {})
    )
    assert internal > 5  # citations go to the PDF's own reference list


def test_the_pdf_links_to_the_published_site_when_site_url_is_set(published_site: Path) -> None:
    text = " ".join(" ".join(_pages(published_site / "downloads" / "briefing.pdf")).split())
    assert PUBLISHED_AT in text


def test_the_home_page_names_the_pdf_honestly(site: Path) -> None:
    pages = len(PdfReader(site / "downloads" / "briefing.pdf").pages)
    assert f"as a PDF of {pages} pages" in _article(site / "index.html")


def test_two_themes_may_give_a_key_message_the_same_id(mini: Path) -> None:
    # Each message's confidence is its own, not the first-met message's of that id.
    themes = mini / "evidence" / "themes.yaml"
    themes.write_text(themes.read_text().replace("id: managers-count", "id: convening"))
    corpus = check_root(mini).corpus
    site = Site(corpus, settings_of(mini))
    messages = [theme.key_messages[0] for theme in corpus.themes]
    assert [m.id for m in messages] == ["convening", "convening"]
    shown = [site.confidence(m) for m in messages]
    assert shown == [assess(corpus, m, corpus.briefing.scope) for m in messages]
    assert shown[0] != shown[1]
