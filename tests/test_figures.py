"""A figure is matched with what it counts: its magnitude, and its unit where ours writes one."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder import figures
from builder.storedtext import StoredText
from tests.conftest import examples

MAGNITUDES = {"": 0, " thousand": 3, "k": 3, " million": 6, "m": 6, "bn": 9, " billion": 9}
UNITS = {"": "", "£": "£", "$": "$", "€": "€"}


def _found(ours: str, text: str) -> list[bool]:
    found = figures.theirs(text)
    return [found.has(figure) for figure in figures.ours(ours)]


@pytest.mark.parametrize(
    ("ours", "text"),
    [
        ("£3 billion", "it cost £3bn"),
        ("£3 billion", "it cost £3,000 million"),
        ("£3bn", "it cost 3 billion pounds"),
        ("3bn", "it was 3 bn"),
        ("US$3m", "$3,000,000"),
        ("40%", "40 per cent of boards"),
        ("40 percent", "40% of boards"),
        ("45-65%", "between 45 and 65 per cent"),
        ("£3-4bn", "£3 to £4 billion"),
        ("1,200,000 people", "1.2 million people"),
        ("40 boards", "40% of boards"),  # a bare number is a count: it matches the number however written
        ("Ninety-five per cent", "95%"),
    ],
)
def test_the_same_figure_written_another_way_is_found(ours: str, text: str) -> None:
    assert all(_found(ours, text))


@pytest.mark.parametrize(
    ("ours", "text"),
    [
        ("£3 billion", "in 3 stages"),
        ("£3 billion", "£3m"),
        ("40%", "40 boards"),
        ("£12m", "$12m"),
        ("€5 million", "5 million pounds"),
        ("3 million", "3 months"),  # an abbreviation stands against its digits
    ],
)
def test_a_figure_with_another_magnitude_or_unit_is_not_found(ours: str, text: str) -> None:
    assert not any(_found(ours, text))


@settings(max_examples=examples(0.5))
@given(
    st.integers(1, 999_999),
    st.sampled_from(sorted(MAGNITUDES)),
    st.sampled_from(sorted(MAGNITUDES)),
    st.sampled_from(sorted(UNITS)),
)
def test_a_figure_with_a_different_magnitude_never_passes(number: int, ours: str, theirs: str, sign: str) -> None:
    expected = MAGNITUDES[ours] == MAGNITUDES[theirs]
    assert _found(f"{sign}{number}{ours}", f"It was {sign}{number}{theirs} in all.") == [expected]


@settings(max_examples=examples(0.5))
@given(st.integers(1, 999), st.sampled_from(["%", " per cent", "£", "$", "€"]), st.sampled_from(["%", "£", "$", "€"]))
def test_a_figure_of_one_kind_never_passes_for_another(number: int, ours: str, theirs: str) -> None:
    def written(unit: str) -> str:
        return f"{number}{unit}" if unit.endswith(("%", "cent")) else f"{unit}{number}"

    same = (ours.strip() in ("%", "per cent")) == (theirs == "%") and (ours == theirs or theirs == "%")
    assert _found(written(ours), f"It was {written(theirs)}.") == [same]


def test_the_message_says_what_the_text_has_instead(mini) -> None:
    from tests.conftest import check_root

    path = mini / "evidence" / "alpha-study.yaml"
    text = path.read_text()
    statement = next(line for line in text.splitlines() if "statement:" in line)
    path.write_text(text.replace(statement, '    statement: "Leaders spent £12 billion on it."'))
    (mini / "source-texts" / "alpha-study.txt").write_text(
        (mini / "source-texts" / "alpha-study.txt").read_text() + "\n\nThey spent £12m on it.\n"
    )
    problems = [p for p in check_root(mini).problems if "£12 billion" in p.message]
    assert len(problems) == 1
    assert problems[0].message.endswith('the text has "twelve", "£12m" but not £12 billion')  # in the text's order
    assert "magnitude" in problems[0].hint


@pytest.mark.timeout(60)
def test_a_megabyte_of_units_and_magnitudes_is_read_in_bounded_time() -> None:
    # Every figure followed by what may be a magnitude and a unit, and preceded by a sign.
    text = "Units (test data)\n\n" + "£1 bn per cent £2m-3k% 4 billion pounds to " * 25_000
    stored = StoredText("units.txt", text)
    assert stored.figures.has(figures.ours("£1 bn")[0])
    assert not stored.figures.has(figures.ours("£1 million")[0])


@pytest.mark.parametrize(
    ("ours", "text"),
    [
        ("208  million", "208 people"),  # two spaces, a thin space, a line break: still a magnitude
        ("208\u2009million", "208 people"),
        ("208\u202fmillion", "208 people"),
        ("208\nmillion", "208 people"),
        ("56\u2009%", "56 boards"),
        ("two hundred", "2 boards"),  # "hundred" is a magnitude
        ("a million people", "1 person"),
        ("€2,5 billion", "€2 and 5 of them"),  # a decimal comma: €2.5 billion
        ("£ 21", "21 boards"),  # a sign a space before its figure is still its currency
        ("21p", "£21"),  # pence are their own unit
        ("56 percentage points", "56%"),  # percentage points are never a percentage
        ("£35,194", "it cost £35 194pp"),  # a space is not a thousands separator
    ],
)
def test_a_figure_set_apart_from_its_unit_or_magnitude_keeps_them(ours: str, text: str) -> None:
    assert not any(_found(ours, text))


@pytest.mark.parametrize(
    ("ours", "text"),
    [
        ("208\u2009million", "208 million"),
        ("two hundred", "200 boards"),
        ("a million people", "1,000,000 people"),
        ("fivefold", "5 times"),
        ("€2,5 billion", "€2.5 billion"),
        ("£ 21", "£21"),
        ("21p", "21 pence"),
        ("56 percentage points", "56 percentage points"),
        ("1,662,000", "1\u2005662\u2005000"),  # a narrow space, as typeset, is a thousands separator
        ("194", "it cost £35 194pp"),
    ],
)
def test_a_figure_set_apart_is_found_as_the_text_writes_it(ours: str, text: str) -> None:
    assert all(_found(ours, text))


@settings(max_examples=examples(0.5))
@given(
    st.integers(1, 999_999),
    st.text(st.characters(categories=["Zs", "Zl", "Zp"], include_characters="\t\n\r\v\f"), min_size=1, max_size=40),
    st.sampled_from(["hundred", "thousand", "million", "billion", "%", "per cent", "pounds", "percentage points"]),
)
def test_any_white_space_before_a_unit_or_magnitude_counts_as_one_space(number: int, space: str, after: str) -> None:
    read = [(f.value, f.kind) for f in figures.ours(f"{number}{space}{after}")]
    assert read == [(f.value, f.kind) for f in figures.ours(f"{number} {after}")]
    assert read[0] != (str(number), "")


@pytest.mark.parametrize(
    "ours",
    [
        "41％",  # a full-width percent sign is a percent sign
        "41٪",  # and so is the Arabic one
        "41﹪",
        "41pc",  # "pc" against its digits is per cent
        "150‰",  # per mille is a kind of its own
        "150 per mille",
        "−150",  # a minus sign is read
        "fell by -150",  # and a hyphen that starts a word
        "(–150)",
        "£-150",
        "£3-million",  # a magnitude joined by a hyphen
        "$3B",
        "£3tn",
        "41-per-cent",
    ],
)
def test_a_look_alike_sign_or_magnitude_is_never_read_as_a_bare_count(ours: str) -> None:
    text = "In all, 41 boards and 150 practices; 3 stages cost £3 and $3."
    assert not any(_found(ours, text))


@pytest.mark.parametrize(
    ("ours", "text"),
    [
        ("41％", "41 per cent"),
        ("41٪", "41%"),
        ("41pc", "41%"),
        ("150‰", "150‰"),
        ("150‰", "150 per mille"),
        ("−150", "a change of -150"),
        ("-150", "a change of −150"),
        ("150", "a change of −150"),  # an unsigned figure of ours may give a fall's size
        ("£3-million", "£3m"),
        ("$3B", "$3 billion"),
        ("£3tn", "£3,000bn"),
        ("41", "４１ boards"),  # a stored text's full-width digits are its digits
        ("40-60%", "40-60%"),  # a range's hyphen is not a minus
        ("COVID-19", "COVID-19"),
    ],
)
def test_a_look_alike_sign_or_magnitude_is_read_as_what_it_shows(ours: str, text: str) -> None:
    assert all(_found(ours, text))


@settings(max_examples=examples(0.5))
@given(
    st.integers(1, 999_999),
    st.sampled_from(["\u2212", "-", "\u2013", "(-", "£-", "-£"]),
    st.sampled_from(["", "%", "m", " billion"]),
)
def test_a_signed_figure_never_matches_the_same_figure_unsigned(number: int, sign: str, after: str) -> None:
    written = f"{sign}{number}{after}"
    assert _found(f"It fell by {written}.", f"It rose by {number}{after} and £{number}{after}.") == [False]
    assert _found(f"It fell by {written}.", f"It fell by {written}.") == [True]


@pytest.mark.timeout(60)
def test_a_megabyte_of_signs_and_look_alikes_is_read_in_bounded_time() -> None:
    text = "-1 −£2-million (–3％) 4‰ 5pc £6-7tn $8B " * 25_000
    assert figures.theirs(text).has(figures.ours("−£2-million")[0])
    assert len(figures.ours(text)) > 8
