"""Quotes, figures and locators against a stored text; which texts an editor reviewed.

Each test writes the stored text it needs into a copy of the mini project (the texts are the
tests' own, never the shipped sources'), changes one thing and looks at what the check says.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from builder.cli import main
from builder.locator import unchecked
from builder.problems import Problem
from builder.reviews import digest
from builder.site import build_site
from builder.storedtext import StoredText, words
from tests.conftest import check_root

# A commentary as a contributor copies it from a web page: the site's notice, a headline, a date, a
# byline; then the text, with a heading line that starts a block.
ARTICLE = """This site is intended for health professionals only

Roles in change (test data)

1 December 2010

Jo Example, Associate Director

This made-up article stands for a commentary. Practice managers are often the unsung heroes of change.

Without practice managers, commissioning will suffer.

Managers know the strengths of their practices.

Future roles
Managers will act as the glue between practices.

Where relationships have broken down, managers can broker agreements.

Managers know the strengths of their practices, again.
"""
# A structured abstract: its sections are named where their sentences start.
ABSTRACT = """Boards in six groups: a mixed-methods study (test data)

Objective To explore how boards work. Setting Six groups covering 208 GPs and 1\u2005662\u2005000 people. \
Results Forty-one board members took part; 2.5 meetings a month were held. \
Conclusions Leaders should work across their networks.
"""


def _with(mini: Path, text: str, quote: str = "leaders convene", locator: str = "p. 3") -> Path:
    (mini / "source-texts" / "alpha-study.txt").write_text(text, encoding="utf-8")
    path = mini / "evidence" / "alpha-study.yaml"
    source = path.read_text(encoding="utf-8")
    source = source.replace("text: leaders convene", f"text: {quote}").replace("locator: p. 3", f"locator: {locator}")
    # The fixture's own figures (12 interviews, 2 organisations; "two sites", "twelve people") are
    # not in these texts.
    source = source.replace("  interviews: 12\n  organisations: 2\n", "  notes: None given.\n")
    words = (("Two sites", "The sites"), ("two sites", "the sites"), ("interviewed twelve", "interviewed"))
    for said, instead in words:
        source = source.replace(said, instead)
    path.write_text(source, encoding="utf-8")
    return mini


def _failing(root: Path) -> list[Problem]:
    return [p for p in check_root(root).problems if p.fails]


@pytest.mark.parametrize(
    ("quote", "locator"),
    [
        ("This made-up article stands for a commentary.", "para 1"),
        ("Without practice managers, commissioning will suffer.", "para 2"),
        ("Managers will act as the glue between practices.", "para 4"),
        ("Managers will act as the glue between practices.", "Future roles, para 1"),
        ("managers can broker agreements", "Future roles, para 2"),
        ("managers can broker agreements", "Future roles, paras 1-2"),
        ("Without practice managers", "introduction, para 2"),
        ("Without practice managers", "paragraph 2"),
        # Said twice: the second place is the one its locator names.
        ("Managers know the strengths of their practices", "Future roles, para 3"),
        ("Managers know the strengths of their practices", "para 3"),
        ("Roles in change", "p. 1"),  # pages are left to the reviewer
    ],
)
def test_a_locator_naming_where_the_quote_is_passes(mini: Path, quote: str, locator: str) -> None:
    assert _failing(_with(mini, ARTICLE, quote, locator)) == []


@pytest.mark.parametrize(
    ("quote", "locator", "message"),
    [
        # The headline, the date and the byline are not paragraphs.
        ("This made-up article stands for a commentary.", "para 5", "the quote is in paragraph 1, not 5"),
        ("This site is intended", "para 1", "the quote is in the title (the first block, which is not counted), not"),
        ("Roles in change", "para 1", "the quote is in a heading or a line standing alone ('Roles in change (test"),
        ("Jo Example", "para 1", "the quote is in a heading or a line standing alone ('Jo Example, Associate"),
        ("managers can broker agreements", "paras 1-4", "the quote is in paragraph 5, not 1 to 4"),
        ("managers can broker agreements", "Future roles, para 1", "the quote is in paragraph 2 of 'Future roles'"),
        ("Without practice managers", "Future roles", "the quote is in paragraph 2 of the introduction, not the"),
        ("Without practice managers", "para 2, para 40", "paragraph 40 is past the end of the stored text, which"),
        ("Without practice managers", "Future roles, para 9", "paragraph 9 is past the end of the section 'Future"),
        ("Without practice managers", "Conclusion", "the stored text has no heading 'Conclusion'"),
    ],
)
def test_a_locator_naming_another_place_is_an_error_at_the_locator(
    mini: Path, quote: str, locator: str, message: str
) -> None:
    (problem,) = _failing(_with(mini, ARTICLE, quote, locator))
    assert (problem.key_path, problem.line) == ("findings[0].quote.locator", 22)
    assert problem.message.startswith(message), problem.message


@pytest.mark.parametrize(
    ("quote", "locator", "message"),
    [
        ("To explore how boards work.", "Objective", ""),
        ("Leaders should work across their networks.", "Abstract, Conclusions", ""),
        ("Leaders should work across their networks.", "Results", "the quote is in paragraph 1 of 'Conclusions', not"),
        ("To explore how boards work.", "Methods", "the stored text has no heading 'Methods'"),
    ],
)
def test_sections_of_a_structured_abstract_are_where_their_names_start_a_sentence(
    mini: Path, quote: str, locator: str, message: str
) -> None:
    root = _with(mini, ABSTRACT, quote, locator)
    path = root / "evidence" / "alpha-study.yaml"
    path.write_text(path.read_text().replace("kind: summary", "kind: abstract"))  # what was read is the abstract
    problems = _failing(root)
    assert [p.message[: len(message)] for p in problems] == ([message] if message else [])


def test_figures_are_found_as_the_text_writes_them(mini: Path) -> None:
    root = _with(mini, ABSTRACT, "To explore how boards work.", "Objective")
    path = root / "evidence" / "alpha-study.yaml"
    statement = "Leaders bring people together."
    figures = "Of 208 GPs and 1,662,000 people (1662000), 41 took part; 2.5 meetings a month, in six groups."
    path.write_text(path.read_text().replace(statement, figures))
    assert _failing(root) == []
    path.write_text(path.read_text().replace("2.5 meetings", "2.6 meetings"))
    (problem,) = _failing(root)
    assert problem.message == "the figure 2.6 is not in the stored text (alpha-study.txt)"
    assert problem.hint.endswith("the closest figures in the text are 2.5, six, Forty-one, 208, 1,662,000")


def test_every_failure_of_a_quote_is_said_once_at_its_place(mini: Path) -> None:
    root = _with(mini, ARTICLE, "Managers knows the strengths of their practices", "para 77")
    problems = _failing(root)
    assert [(p.key_path, p.message) for p in problems] == [
        (
            "findings[0].quote.text",
            "this quote is not word for word in the stored text (alpha-study.txt): "
            'where the quote has "knows", the text has "know"',
        ),
        ("findings[0].quote.locator", "paragraph 77 is past the end of the stored text, which has 6"),
    ]


# ---- Which stored texts an editor reviewed ----


def test_a_text_changed_since_its_review_is_unreviewed_again(mini: Path) -> None:
    corpus = check_root(mini).corpus
    assert corpus.check_state("gamma-blog") == "reviewed" and corpus.check_state("alpha-study") == "supplied"
    text = mini / "source-texts" / "gamma-blog.txt"
    text.write_text(text.read_text() + "\nA line added after the review.\n")
    corpus = check_root(mini).corpus
    assert corpus.check_state("gamma-blog") == "supplied"
    assert corpus.checked["gamma-blog"].sha256 == digest(text.read_text())


def test_a_review_counts_only_for_the_source_it_names(mini: Path) -> None:
    reviews = mini / "evidence" / "text-reviews.yaml"
    reviews.write_text(reviews.read_text().replace("source: gamma-blog", "source: alpha-study"))
    assert check_root(mini).corpus.check_state("gamma-blog") == "supplied"


@pytest.mark.parametrize(
    ("file", "before", "after"),
    [
        ("references.bib", "title  = {A blog about managers}", "title  = {Another work altogether}"),
        ("references.bib", "url    = {https://example.org/blog}", "url    = {https://example.org/elsewhere}"),
        ("evidence/gamma-blog.yaml", "type: blog", "type: commentary"),
        ("evidence/gamma-blog.yaml", "cite: gamma2021", "cite: cited2019"),  # gamma2021 is then unused: a warning
        ("evidence/gamma-blog.yaml", "  url: https://example.org/blog", "  url: https://example.org/copy"),
    ],
)
def test_a_review_holds_only_for_the_work_it_was_reviewed_as(mini: Path, file: str, before: str, after: str) -> None:
    """A reviewed text stays the same while the source is made to claim another work, kind or copy:
    the review vouched for the text as what the source said it was then."""
    assert check_root(mini).corpus.check_state("gamma-blog") == "reviewed"
    path = mini / file
    assert before in path.read_text(encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8").replace(before, after), encoding="utf-8")
    corpus = check_root(mini).linked
    assert corpus is not None and corpus.check_state("gamma-blog") == "supplied"


def test_without_its_text_a_source_is_not_checked_and_says_so(mini: Path, tmp_path: Path) -> None:
    (mini / "source-texts" / "gamma-blog.txt").unlink()
    result = check_root(mini)
    assert result.ok and result.corpus.check_state("gamma-blog") == "not checked"
    page = (build_site(mini / "mkdocs.yml", tmp_path / "site") / "sources" / "gamma-blog.html").read_text()
    assert "Its quotes and figures are not checked against a stored text." in page


def test_review_records_a_review_bound_to_the_text(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(mini), "review", "alpha-study", "--by", "B. Editor"]) == 0
    reviews = (mini / "evidence" / "text-reviews.yaml").read_text()
    sha = digest((mini / "source-texts" / "alpha-study.txt").read_text())
    assert f"  - source: alpha-study\n    text: alpha-study.txt\n    sha256: {sha}\n" in reviews
    assert check_root(mini).corpus.check_state("alpha-study") == "reviewed"
    assert main(["--root", str(mini), "review", "alpha-study", "--by", "B. Editor"]) == 0
    assert "alpha-study.txt was reviewed already, by B. Editor on" in capsys.readouterr().err


def test_review_starts_the_record_when_there_is_none(mini: Path) -> None:
    (mini / "evidence" / "text-reviews.yaml").unlink()
    assert check_root(mini).corpus.check_state("gamma-blog") == "supplied"
    assert main(["--root", str(mini), "review", "gamma-blog", "--by", "A. Editor"]) == 0
    assert check_root(mini).corpus.check_state("gamma-blog") == "reviewed"


@pytest.mark.parametrize(
    ("source", "change", "said"),
    [
        ("alpha-studdy", ("", ""), "there is no source 'alpha-studdy' (did you mean 'alpha-study'?)"),
        ("alpha-study", ("  url: https://example.org/digest/etude\n", ""), "does not say what its stored text is"),
        ("alpha-study", ("source_text: alpha-study.txt", "source_text: missing.txt"), "names no stored text that"),
        ("alpha-study --by", ("", ""), "give who reviewed it with --by"),
    ],
)
def test_review_refuses_what_cannot_be_reviewed(
    mini: Path, capsys: pytest.CaptureFixture[str], source: str, change: tuple[str, str], said: str
) -> None:
    path = mini / "evidence" / "alpha-study.yaml"
    path.write_text(path.read_text().replace(*change))
    before = (mini / "evidence" / "text-reviews.yaml").read_text()
    by = "   " if source.endswith(" --by") else "B. Editor"
    assert main(["--root", str(mini), "review", source.removesuffix(" --by"), "--by", by]) == 1
    assert said in capsys.readouterr().err
    assert (mini / "evidence" / "text-reviews.yaml").read_text() == before


def test_texts_awaiting_review_are_flagged_in_the_summary_and_on_the_diff(
    mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(mini), "check"]) == 0
    assert "1 stored text awaits an editor's review, of evidence/alpha-study.yaml" in capsys.readouterr().err
    assert main(["--root", str(mini), "check", "--format", "github"]) == 0
    (notice,) = capsys.readouterr().out.splitlines()
    line = _line_of(mini / "evidence" / "alpha-study.yaml", "source_text:")
    assert notice.startswith(
        f"::notice file=evidence/alpha-study.yaml,line={line},col=14::source_text: "
        "the stored text alpha-study.txt awaits an editor's review"
    )


def _line_of(path: Path, start: str) -> int:
    """The number of the line of a file that starts with `start` (fixtures gain fields above it)."""
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.startswith(start))


# ---- Publishing cannot drop the checks silently ----


def test_require_texts_fails_once_per_source_whose_text_is_missing(
    mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(mini), "check", "--require-texts"]) == 0
    (mini / "source-texts" / "alpha-study.txt").unlink()
    assert main(["--root", str(mini), "check"]) == 0  # without the option, a note
    capsys.readouterr()
    assert main(["--root", str(mini), "check", "--require-texts"]) == 1
    out = capsys.readouterr().out
    assert out.count(": error: ") == 1
    line = _line_of(mini / "evidence" / "alpha-study.yaml", "source_text:")
    assert (
        f"evidence/alpha-study.yaml:{line}:14: error: source_text: the stored text alpha-study.txt is not in "
        "source-texts/, and every stored text is required (--require-texts)" in out
    )


def test_require_texts_asks_nothing_of_a_source_that_names_no_text(mini: Path) -> None:
    path = mini / "evidence" / "alpha-study.yaml"
    path.write_text(path.read_text().replace("source_text: alpha-study.txt\n", ""))
    assert main(["--root", str(mini), "check", "--require-texts"]) == 0


def test_a_build_requiring_texts_fails_and_keeps_the_old_site(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = mini / "site"
    assert main(["--root", str(mini), "build", "--site-dir", str(site), "--require-texts"]) == 0
    before = (site / "sources" / "alpha-study.html").read_text()
    (mini / "source-texts" / "alpha-study.txt").unlink()
    assert main(["--root", str(mini), "build", "--site-dir", str(site), "--require-texts"]) == 1
    assert "every stored text is required (--require-texts)" in capsys.readouterr().err
    assert (site / "sources" / "alpha-study.html").read_text() == before


# ---- What was read ----


@pytest.mark.parametrize(
    ("read", "message"),
    [
        (
            "read:\n  kind: summary\n",
            "read.kind: what was read is someone else's summary of the source, so say whose it is and what",
        ),
        ("read:\n  kind: full-text\n  copied: 2999-12-31\n", "read.copied: the date 2999-12-31 is after today"),
    ],
)
def test_what_was_read_is_said_whole_and_not_dated_after_today(mini: Path, read: str, message: str) -> None:
    path = mini / "evidence" / "gamma-blog.yaml"
    text = path.read_text()
    path.write_text(text[: text.index("read:\n")] + read + text[text.index("source_text:") :])
    (problem,) = _failing(mini)
    assert f"{problem.key_path}: {problem.message}".startswith(message)
    if "summary" in read:
        assert problem.hint == "add 'by:' (who wrote or published it) and 'title:' (what it is called) under 'read:'"


def test_a_text_copied_today_is_fine(mini: Path) -> None:
    import datetime as dt

    path = mini / "evidence" / "gamma-blog.yaml"
    path.write_text(path.read_text().replace("copied: 2026-01-03", f"copied: {dt.date.today().isoformat()}"))
    assert _failing(mini) == []


# ---- The realistic briefing fixture: every quote and figure of it (its texts are stand-ins written
# for the tests: tests/fixtures/briefing/source-texts/README.md) ----


def _sources(root: Path) -> list[Path]:
    return sorted(p for p in (root / "evidence").glob("*.yaml") if p.stem not in ("themes", "briefing", "appraisals"))


def test_every_quote_figure_and_locator_of_the_fixture_is_verified(briefing) -> None:
    assert briefing.problems == ()  # no error, and no note that a source is unverified
    assert set(briefing.corpus.checked) == {s.id for s in briefing.corpus.sources}


def test_a_word_changed_in_any_quote_is_an_error_at_that_quote(briefing_copy: Path) -> None:
    changed = set()
    for path in _sources(briefing_copy):
        lines = path.read_text(encoding="utf-8").splitlines()
        for n, line in enumerate(lines, 1):
            quote = re.fullmatch(r"\s+text: (.+)", line)
            if quote:
                words = quote.group(1).split()
                lines[n - 1] = line.replace(quote.group(1), " ".join([*words[:-1], "zebra"]))
                changed.add((f"evidence/{path.name}", n, quote.start(1) + 1))
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = [p for p in check_root(briefing_copy).problems if p.fails]
    assert len(changed) > 20  # every quote of the fixture, each changed on its own line
    assert {(p.file, p.line, p.col) for p in problems} == changed and len(problems) == len(changed)
    assert all('"zebra"' in p.message and "closest passage" in p.hint for p in problems)


def test_a_digit_changed_in_any_sample_figure_is_an_error_at_the_figure(briefing_copy: Path) -> None:
    # Figures of two digits or more: a figure of one digit, changed, is most often another small
    # number the text has somewhere (an issue number, a count), which the check cannot tell
    # apart (README: known limits).
    changed = {}
    for path in _sources(briefing_copy):
        lines = path.read_text(encoding="utf-8").splitlines()
        for n, line in enumerate(lines, 1):
            figure = re.fullmatch(r"  [a-z_]+: (\d\d+)", line)
            if figure:
                wrong = figure.group(1)[:-1] + str((int(figure.group(1)[-1]) + 7) % 10)
                lines[n - 1] = line[: figure.start(1)] + wrong
                changed[(f"evidence/{path.name}", n, figure.start(1) + 1)] = wrong
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = [p for p in check_root(briefing_copy).problems if p.fails]
    assert len(changed) > 5
    assert {(p.file, p.line, p.col): p for p in problems}.keys() == changed.keys() and len(problems) == len(changed)
    for problem in problems:
        wrong = changed[(problem.file, problem.line, problem.col)]
        assert f"the figure {wrong} is not in the stored text" in problem.message


def test_without_the_texts_the_sources_are_unverified_and_the_site_still_builds(
    briefing_copy: Path, tmp_path: Path
) -> None:
    shutil.rmtree(briefing_copy / "source-texts")
    result = check_root(briefing_copy)
    notes = [p for p in result.problems if p.severity == "note"]
    assert result.ok and result.problems == tuple(notes)
    assert {p.file for p in notes} == {f"evidence/{p.name}" for p in _sources(briefing_copy)}
    assert all("unverified" in p.message for p in notes)
    config = briefing_copy / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - evidence:\n", "  - evidence:\n      pdf: false\n"))
    site = build_site(config, tmp_path / "site")
    page = (site / "sources" / f"{_sources(briefing_copy)[0].stem}.html").read_text()
    assert "not checked against a stored text" in page and "✓" not in page


@pytest.mark.timeout(60)
def test_a_short_quote_standing_inside_words_everywhere_is_looked_for_in_bounded_time() -> None:
    # A 900 KB text of "a-a-a-...": the quote "a" stands 450,000 times inside a word, never whole.
    # Each of 200 quotes once scanned them all (97 s for one evidence file); now each looks at a bounded number.
    stored = StoredText("slow.txt", "Slow text\n\n" + "a-" * 450_000 + "a.\n")
    for _ in range(200):
        assert stored.places(words("a")) == []


def test_a_page_range_with_an_en_dash_is_said_to_be_not_checked() -> None:
    # "pp. 3–4" is read as pages by the check; the page must not call it checked either.
    assert unchecked("pp. 3–4") == ["pp. 3-4"] and unchecked("para 2") == []
