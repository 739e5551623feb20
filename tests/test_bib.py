from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.bib import Library, Person, latex_to_text, parse_bib
from builder.latex import refused_latex
from tests.conftest import examples


def _bib(text: str) -> Library:
    return parse_bib(text, "r.bib")


def test_latex_is_decoded_and_braces_removed() -> None:
    assert latex_to_text(r"{\'e}t{\'e} in {NHS} {\&} M{\"u}ller") == "été in NHS & Müller"


def test_a_percent_sign_is_kept_not_read_as_a_comment() -> None:
    library = _bib("@article{k, title = {50% of {NHS} trusts}, year = {2020}}\n")
    assert library.problems == [] and library.references["k"].get("title") == "50% of NHS trusts"


def test_names_are_split_and_others_means_et_al() -> None:
    library = _bib(
        "@article{k, author = {Colin-Thom{\\'e}, D. and von Neumann, John and others}, title = {T}, year = {2011}}\n"
    )
    assert library.problems == []
    ref = library.references["k"]
    assert ref.authors == (Person("Colin-Thomé", "D."), Person("von Neumann", "John"))
    assert ref.et_al and ref.year == "2011" and ref.line == 1


def test_corporate_author_in_braces_stays_whole() -> None:
    assert _bib("@misc{k, author = {{World Health Organization}}, title = {T}}\n").references["k"].authors == (
        Person("World Health Organization", ""),
    )


def test_missing_year_is_empty_not_none() -> None:
    ref = _bib("@misc{k, title = {T}}\n").references["k"]
    assert ref.year == "" and ref.get("journal") == ""


def test_date_field_supplies_the_year() -> None:
    library = _bib("@online{k, title = {T}, date = {2011-12-15}}\n")
    assert library.problems == [] and library.references["k"].year == "2011"


def test_a_missing_comma_is_an_error_at_the_swallowed_field() -> None:
    library = _bib("@article{k,\n  title = {T},\n  volume = {68}\n  number = {671},\n}\n")
    (problem,) = library.problems
    assert (problem.line, problem.key_path) == (4, "k.volume") and "comma" in problem.hint
    assert "k" in library.unreadable and "k" not in library.references


@pytest.mark.parametrize("value", [r"Key \href{https://example.org}{here}", "{" * 250 + "x" + "}" * 250])
def test_unreadable_latex_is_a_located_problem_not_a_crash(value: str) -> None:
    library = _bib(f"@misc{{k,\n  title = {{{value}}},\n}}\n")
    (problem,) = library.problems
    assert problem.line == 2 and problem.key_path == "k.title"


def test_an_unreadable_entry_is_named_so_its_citations_are_not_reported_again() -> None:
    library = _bib("@article{broken2020,\n  title = {An unclosed title,\n  year  = {2020},\n}\n")
    assert "broken2020" in library.unreadable and library.problems[0].line == 2


@pytest.mark.timeout(60)  # a guard: it takes well under a second
def test_a_long_bibtex_file_parses_whole() -> None:
    entry = "@misc{{k{i}, title = {{A title about commissioning {i}}}, year = {{2020}}}}\n"
    library = _bib("".join(entry.format(i=i) for i in range(2000)))
    assert len(library.references) == 2000 and library.problems == []


def _pairs(value: str, escaped_count: bool) -> bool:
    depth = 0
    for i, char in enumerate(value):
        if char in "{}" and (escaped_count or i == 0 or value[i - 1] != "\\"):
            depth += 1 if char == "{" else -1
            if depth < 0:
                return False
    return depth == 0


@settings(max_examples=examples(1))
@given(st.lists(st.sampled_from(["{", "}", "\\{", "\\}", "a", " ", "\\emph "]), max_size=12))
def test_a_value_passes_only_if_its_braces_pair_for_bibtex_and_for_latex(parts: list[str]) -> None:
    value = "".join(parts)
    # BibTeX counts \{ and \} as braces; LaTeX prints them. A value whose braces pair in one
    # count only ends a reader's entry early, or leaves a group of their document open.
    refused = refused_latex(value)
    assert (refused is None) == (_pairs(value, escaped_count=True) and _pairs(value, escaped_count=False))
