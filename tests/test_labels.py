"""Every label says what it is, as an outside editor reads it: the two things called "reviewed",
a reference's editors and its missing authors, the kind of source a reference is exported as,
sources named by their labels and each once, and no line a reader cannot act on."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from builder.bib import Person, parse_bib
from builder.cite import author_date_labels
from builder.render import render_site
from builder.render.about import how_to_read
from builder.render.citeformats import bibtex, csl_item, ris
from builder.render.reference import format_reference
from builder.render.site import Site
from builder.scaffold import id_for
from builder.site import build_site
from builder.synth import GAP_RULES, TYPE_SINGULAR
from tests.conftest import check_root, settings_of

EDITED = """@book{handbook,
  editor = {Easterby-Smith, Mark and Lyles, Marjorie A.},
  title  = {The {Blackwell} Handbook of Organizational Learning},
  year   = {2003},
}
@incollection{chapter,
  author    = {Doe, Jane},
  editor    = {Roe, Rita},
  title     = {A chapter},
  booktitle = {A book},
  publisher = {A publisher},
  pages     = {1--20},
  year      = {2001},
}
@book{edition,
  author = {Doe, Jane},
  editor = {Roe, Rita and others},
  title  = {Collected papers},
  year   = {2005},
}
@article{many,
  author  = {Checkland, K. and others},
  title   = {Animateurs},
  journal = {A journal},
  year    = {2012},
}
"""


def _text(html: str) -> str:
    """Words as a reader sees them: tags out, white space folded."""
    words = " ".join(re.sub(r"<[^>]+>", " ", html).replace("&amp;", "&").split())
    return re.sub(r" (?=[.,:;)])", "", words)


def _article(page: Path) -> str:
    html = page.read_text(encoding="utf-8")
    return _text(html[html.index("<article") : html.index("</article>")])


@pytest.fixture(scope="module")
def library():
    found = parse_bib(EDITED, "references.bib")
    assert found.problems == []
    return found.references


def test_a_book_s_editors_are_read_formatted_and_exported(library) -> None:
    book = library["handbook"]
    assert book.editors == (Person("Easterby-Smith", "Mark"), Person("Lyles", "Marjorie A."))
    assert book.authors == () and book.corporate_author == ""
    # Cite Them Right: an edited book stands under its editors, "(eds)".
    expected = "Easterby-Smith, M. and Lyles, M.A. (eds) (2003) The Blackwell Handbook of Organizational Learning."
    assert _text(format_reference(book)) == expected
    assert author_date_labels([book]) == {"handbook": "Easterby-Smith and Lyles, 2003"}
    assert id_for(book) == "easterby-smith-2003-blackwell-handbook"  # `evidence new` names it by its editor
    assert "editor = {Easterby-Smith, Mark and Lyles, Marjorie A.}" in bibtex(book)
    assert "ED  - Easterby-Smith, Mark\nED  - Lyles, Marjorie A.\n" in ris(book)
    assert csl_item(book)["editor"] == [
        {"family": "Easterby-Smith", "given": "Mark"},
        {"family": "Lyles", "given": "Marjorie A."},
    ]


def test_a_chapter_names_the_editors_of_its_book_and_an_edition_its_editors(library) -> None:
    chapter = _text(format_reference(library["chapter"]))
    assert chapter == "Doe, J. (2001) ‘A chapter’, in Roe, R. (ed.) A book, pp. 1–20. A publisher."
    assert _text(format_reference(library["edition"])) == "Doe, J. (2005) Collected papers. Edited by Roe, R. et al."


def test_more_authors_than_are_named_are_exported_as_et_al_never_as_the_whole_list(library) -> None:
    many = library["many"]
    authors = [line for line in ris(many).splitlines() if line.startswith("AU  - ")]
    # A reference manager imports each AU line as a person: no "et al." person; the note says there are more.
    assert authors == ["AU  - Checkland, K."]
    assert "N1  - More authors than are named" in ris(many)
    # pandoc writes BibTeX's "and others" as the literal name "others", and its citeproc prints "et al.".
    assert csl_item(many)["author"] == [{"family": "Checkland", "given": "K."}, {"literal": "others"}]
    whole = library["chapter"]
    assert [line for line in ris(whole).splitlines() if line.startswith("AU  - ")] == ["AU  - Doe, Jane"]
    assert csl_item(whole)["author"] == [{"family": "Doe", "given": "Jane"}]


@pytest.mark.parametrize(
    ("kind", "ris_type", "csl_type"),
    [("news", "NEWS", "article-newspaper"), ("blog", "BLOG", "post-weblog"), ("study", "JOUR", "article-journal")],
)
def test_a_source_is_exported_as_the_kind_its_evidence_file_gives(
    mini: Path, kind: str, ris_type: str, csl_type: str
) -> None:
    # The study's BibTeX entry is an @article: as news it is a newspaper's article, not a journal's.
    path = mini / "evidence" / "alpha-study.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("type: study", f"type: {kind}"), encoding="utf-8")
    files = {d.path: d.content for d in render_site(check_root(mini).corpus, settings_of(mini)).files}
    records = {r.split("\n", 1)[1]: r for r in files["downloads/references.ris"].split("\n\n")}
    assert next(r for r in records.values() if "TI  - Commissioning in Étude" in r).startswith(f"TY  - {ris_type}\n")
    items = {item["id"]: item for item in json.loads(files["downloads/references.json"])}
    assert items["alpha2020"]["type"] == csl_type
    assert items["cited2019"]["type"] == "document"  # a work the sources cite keeps its entry's type
    page = build_site(mini / "mkdocs.yml") / "sources" / "alpha-study.html"
    assert f"TY  - {ris_type}" in page.read_text(encoding="utf-8")  # "Cite this"


def test_the_references_name_sources_by_their_labels(mini: Path) -> None:
    page = _article(build_site(mini / "mkdocs.yml") / "references.html")
    assert "Cited by: Alpha and Beta, 2020" in page
    assert "Its write-up: Alpha and Beta, 2020" in page and "Its write-up: Gamma, 2021" in page
    assert "alpha-study" not in page and "gamma-blog" not in page


def test_a_key_message_names_each_source_once_in_order_of_first_mention(mini: Path) -> None:
    themes = mini / "evidence" / "themes.yaml"
    backed = "[gamma-blog/managers-lead, alpha-study/managers-matter, gamma-blog/managers-know]"
    themes.write_text(
        themes.read_text(encoding="utf-8").replace("[alpha-study/managers-matter, gamma-blog/managers-lead]", backed),
        encoding="utf-8",
    )
    site = build_site(mini / "mkdocs.yml")
    # Harvard separates citations with semicolons; a source backing twice is named once.
    for page in ("index.html", "themes/practice-managers.html", "briefing.html"):
        assert "Backed by Gamma, 2021; Alpha and Beta, 2020." in _article(site / page), page
    table = _article(site / "themes" / "practice-managers.html").split("Summary of qualitative findings")[1]
    assert "Gamma, 2021; Alpha and Beta, 2020." in table and "Gamma, 2021, Alpha" not in table


def test_the_two_kinds_of_review_are_named_apart(mini: Path) -> None:
    # The study's write-up was checked against its source again (`reviewed:`), and its stored
    # text came with the contribution, which no editor has reviewed.
    path = mini / "evidence" / "alpha-study.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("added: 2026-01-02\n", "added: 2026-01-02\nreviewed: 2026-01-05\n")
    )
    site = build_site(mini / "mkdocs.yml")
    page = _article(site / "sources" / "alpha-study.html")
    assert "write-up last checked against the source on 2026-01-05" in page
    assert "no editor has reviewed that text yet" in page
    changes = _article(site / "changes.html")
    assert "Write-up checked against its source: Alpha and Beta, 2020" in changes
    for said in (page, changes):
        assert "last reviewed" not in said and "Reviewed:" not in said


def test_a_check_mark_only_where_an_editor_reviewed_the_text(mini: Path, browser) -> None:
    site = build_site(mini / "mkdocs.yml")
    page = browser.new_page()
    page.goto((site / "sources" / "alpha-study.html").as_uri())
    marks = page.evaluate(
        """() => Object.fromEntries(['checked', 'supplied', 'unchecked'].map(state => {
            const span = document.createElement('span');
            span.className = 'evidence-' + state;
            document.body.append(span);
            return [state, getComputedStyle(span, '::before').content];
        }))"""
    )
    page.close()
    assert marks == {"checked": '"✓ "', "supplied": "none", "unchecked": "none"}


def test_no_page_tells_a_reader_to_edit_a_file_it_cannot_reach(mini: Path) -> None:
    page = _article(build_site(mini / "mkdocs.yml") / "sources" / "alpha-study.html")
    assert "evidence/alpha-study.yaml" not in page and "correct" not in page
    config = mini / "mkdocs.yml"
    edit = "  - evidence:\n      edit_url: https://example.org/edit/\n"
    config.write_text(config.read_text(encoding="utf-8").replace("  - evidence\n", edit), encoding="utf-8")
    html = (build_site(mini / "mkdocs.yml") / "sources" / "alpha-study.html").read_text(encoding="utf-8")
    assert '<a href="https://example.org/edit/evidence/alpha-study.yaml">Suggest a correction to this page</a>' in html


def test_the_list_of_sources_says_a_source_s_kind_in_the_singular(mini: Path, browser) -> None:
    site = build_site(mini / "mkdocs.yml")
    static = _article(site / "sources" / "index.html")
    blog = TYPE_SINGULAR["blog"].capitalize()
    assert f"Gamma, 2021 · {blog} ·" in static and "Gamma, 2021 · Blog posts" not in static
    page = browser.new_page()
    page.goto((site / "sources" / "index.html").as_uri() + "#kind=blog")
    page.wait_for_selector("#evidence-browse-results .evidence-sources__said")
    kinds = page.eval_on_selector_all(
        "#evidence-browse-results .evidence-sources__said", "items => items.map(i => i.textContent.split(' · ')[1])"
    )
    page.close()
    assert kinds == [blog]


def test_the_methods_page_gives_places_as_the_words_the_prompts_match(mini: Path) -> None:
    briefing = mini / "evidence" / "briefing.yaml"
    briefing.write_text(briefing.read_text(encoding="utf-8").replace("places: [England]", "places: [England, English]"))
    page = _article(build_site(mini / "mkdocs.yml") / "methods.html")
    assert "Places:" not in page
    assert "when its setting or summary has one of the words England, English." in page


def test_how_to_read_states_the_gap_rules_the_pages_apply() -> None:
    settings = settings_of(Path(__file__).parent / "fixtures" / "mini")
    site = Site(check_root(Path(__file__).parent / "fixtures" / "mini").corpus, settings)
    said = _text(how_to_read(site).body).replace("&#39;", "'")
    rules = [rule.format(years=settings.options.max_age_years) for rule in GAP_RULES]
    assert f"A theme has a gap when: {'; '.join(rules[:-1])}; or {rules[-1]}." in said
    assert "a kind of source a question lacks is an empty cell, not a gap" in said


def test_findings_csv_says_what_a_locator_counts_in(mini: Path) -> None:
    site = build_site(mini / "mkdocs.yml")
    rows = list(csv.DictReader(io.StringIO((site / "downloads" / "findings.csv").read_text(encoding="utf-8"))))
    quoted = [r for r in rows if r["quote"]]
    assert quoted and all(r["what_was_read"] and r["locator"] for r in quoted)
    assert quoted[0]["what_was_read"].startswith("A summary of the study by Test Digest")
