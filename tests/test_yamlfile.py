from __future__ import annotations

import datetime as dt
from pathlib import Path

from builder.yamlfile import Position, load_yaml, parse_yaml


def test_values_and_positions_are_kept() -> None:
    doc, problems = parse_yaml("a: 1\nb:\n  - x\n  - {c: 2014-01-02}\n", "f.yaml")
    assert problems == []
    assert doc.data == {"a": 1, "b": ["x", {"c": dt.date(2014, 1, 2)}]}
    assert doc.where(("b", 1, "c")) == Position(4, 9)
    assert doc.where(("b",), key=True) == Position(2, 1)
    assert doc.where(("b",)) == Position(3, 3)


def test_where_falls_back_to_nearest_located_ancestor() -> None:
    doc, _ = parse_yaml("a:\n  b: 1\n", "f.yaml")
    assert doc.where(("a", "b", "missing")) == Position(2, 6)
    assert doc.where(("nowhere",)) == Position(1, 1)


def test_yaml_1_1_booleans_stay_booleans_for_the_validator_to_refuse() -> None:
    doc, _ = parse_yaml("country: no\n", "f.yaml")
    assert doc.data == {"country": False}


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfid: x\n")
    doc, problems = load_yaml(path, "bom.yaml")
    assert problems == [] and doc.data == {"id": "x"}


def test_file_over_the_size_limit_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 200 + "\n")
    doc, problems = load_yaml(path, "big.yaml", max_bytes=100)
    assert doc is None
    assert problems[0].text().startswith("big.yaml:1:1: error: file is 204 bytes, over the limit of 100")


def test_deep_nesting_is_bounded() -> None:
    text = "a: " + "[" * 60 + "]" * 60 + "\n"
    doc, problems = parse_yaml(text, "deep.yaml")
    assert doc is None and "nesting deeper than" in problems[0].message


def test_non_string_keys_are_read_as_written() -> None:
    doc, problems = parse_yaml("1: a\nyes: b\n", "f.yaml")
    assert problems == [] and doc.data == {"1": "a", "yes": "b"}
