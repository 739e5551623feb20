from __future__ import annotations

import pytest

from builder.bib import Person, Reference
from builder.cite import Cite, CiteGroup, author_date_labels, split_citations


def ref(key: str, authors: tuple[str, ...] = (), year: str = "", title: str = "T", **fields: str) -> Reference:
    values = {"title": title, **({"year": year} if year else {}), **fields}
    return Reference(key, "misc", 1, values, tuple(Person(a) for a in authors))


def test_split_citations_with_locators_and_groups() -> None:
    parts = split_citations("As shown [@a, p. 12] and [@b; @c]. Not [a link](x) or [@].")
    assert parts == [
        "As shown ",
        CiteGroup((Cite("a", "p. 12"),)),
        " and ",
        CiteGroup((Cite("b"), Cite("c"))),
        ". Not [a link](x) or [@].",
    ]


def test_labels_name_up_to_three_authors_then_et_al() -> None:
    refs = [
        ref("a", ("Smith",), "2010"),
        ref("b", ("Smith", "Jones"), "2011"),
        ref("c", ("Smith", "Jones", "Brown"), "2012"),
        ref("d", ("A", "B", "C", "D"), "2013"),
    ]
    assert author_date_labels(refs) == {
        "a": "Smith, 2010",
        "b": "Smith and Jones, 2011",
        "c": "Smith, Jones and Brown, 2012",
        "d": "A et al., 2013",
    }


def test_same_author_and_year_are_disambiguated_by_title() -> None:
    labels = author_date_labels(
        [ref("x", ("Checkland",), "2012", "Zebra"), ref("y", ("Checkland",), "2012", "Animateurs")]
    )
    assert labels == {"y": "Checkland, 2012a", "x": "Checkland, 2012b"}


def test_no_author_uses_periodical_then_title_and_no_date_is_nd() -> None:
    labels = author_date_labels([ref("p", journal="Pulse"), ref("t", title="An untitled-author report")])
    assert labels == {"p": "Pulse, n.d.", "t": "“An untitled-author report”, n.d."}  # a title, quoted


# A guard, not a measure: linear work takes milliseconds; a backtracking pattern would take
# minutes over 150,000 spaces (tests/bad/citation-with-long-spaces.gen checks a whole file).
@pytest.mark.timeout(30)
def test_a_long_run_of_spaces_in_a_citation_takes_bounded_work() -> None:
    parts = split_citations("[@KEY, p" + " " * 150_000 + "x]")
    assert parts == [CiteGroup((Cite("KEY", "p" + " " * 150_000 + "x"),))]


def test_a_label_made_from_a_title_is_quoted_so_its_figures_read_as_a_name() -> None:
    labels = author_date_labels([ref("t", title="GP commissioning cost £3 billion")])
    assert labels["t"].startswith("“GP commissioning cost £3 billion”")


@pytest.mark.parametrize(
    "fields",
    [
        {"organization": "Practice managers saved the NHS 97 per cent of £60 billion"},
        {"journal": "Boards met 41 times"},
        {"organization": "Forty-one boards agreed"},
    ],
)
def test_a_label_from_an_organisation_or_journal_with_a_figure_is_quoted(fields: dict[str, str]) -> None:
    label = author_date_labels([ref("o", year="2012", **fields)])["o"]
    name = next(iter(fields.values()))
    assert label.startswith("“") and name[:40] in label, label


def test_a_brace_protected_author_with_a_figure_is_quoted_and_a_plain_organisation_is_not() -> None:
    labels = author_date_labels(
        [ref("a", authors=("{Saved 97 per cent}",), year="2012"), ref("k", organization="The King's Fund", year="2012")]
    )
    assert labels["a"].startswith("“")
    assert labels["k"] == "The King's Fund, 2012"
