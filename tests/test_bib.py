from __future__ import annotations

from pathlib import Path

from builder.bib import Person, latex_to_text
from builder.bibfile import read_bib


def _bib(tmp_path: Path, text: str) -> tuple[dict, list]:
    path = tmp_path / "r.bib"
    path.write_text(text, encoding="utf-8")
    return read_bib(path, "r.bib")


def test_latex_is_decoded_and_braces_removed() -> None:
    assert latex_to_text(r"{\'e}t{\'e} in {NHS} {\&} M{\"u}ller") == "été in NHS & Müller"


def test_names_are_split_and_others_means_et_al(tmp_path: Path) -> None:
    refs, problems = _bib(
        tmp_path,
        "@article{k, author = {Colin-Thom{\\'e}, D. and von Neumann, John and others}, title = {T}, year = {2011}}\n",
    )
    assert problems == []
    ref = refs["k"]
    assert ref.authors == (Person("Colin-Thomé", "D."), Person("von Neumann", "John"))
    assert ref.et_al and ref.year == "2011" and ref.line == 1


def test_corporate_author_in_braces_stays_whole(tmp_path: Path) -> None:
    refs, _ = _bib(tmp_path, "@misc{k, author = {{World Health Organization}}, title = {T}}\n")
    assert refs["k"].authors == (Person("World Health Organization", ""),)


def test_missing_year_is_empty_not_none(tmp_path: Path) -> None:
    refs, _ = _bib(tmp_path, "@misc{k, title = {T}}\n")
    assert refs["k"].year == "" and refs["k"].get("journal") == ""


def test_date_field_supplies_the_year(tmp_path: Path) -> None:
    refs, problems = _bib(tmp_path, "@online{k, title = {T}, date = {2011-12-15}}\n")
    assert problems == [] and refs["k"].year == "2011"
