from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from builder.yamlfile import Position, _Loader, load_yaml, parse_yaml
from tests.conftest import ROOT

# Plain scalars that look like every type YAML 1.1 resolves, and text.
SCALARS = st.sampled_from(
    [
        "yes",
        "No",
        "on",
        "OFF",
        "~",
        "null",
        "",
        "0x1F",
        "-12",
        "+3.5",
        ".inf",
        "1_000",
        "2024-05-01",
        "12:30",
        "=",
        "<<",
        "true",
        "text",
        "Ünïcode",
        "o'clock",
        "'quoted'",
        '"q"',
        "> folded",
        "!!str x",
        "&a",
        "*a",
    ]
)


def _tags(node: yaml.Node) -> list[str]:
    if isinstance(node, yaml.ScalarNode):
        return [node.tag]
    children = [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else node.value
    return [node.tag, *(tag for child in children for tag in _tags(child))]


def _same_tags(text: str) -> None:
    try:
        expected = yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return
    got = yaml.compose(text, Loader=_Loader)
    assert (expected is None and got is None) or _tags(got) == _tags(expected), text


@given(st.lists(SCALARS | st.text(max_size=8), max_size=8))
def test_the_fast_resolver_gives_pyyamls_types(values: list[str]) -> None:
    # The loader answers most tags without PyYAML's regular expressions: it must agree with them.
    _same_tags("".join(f"k{i}: {value}\n" for i, value in enumerate(values)))
    _same_tags("".join(f"- {value}\n" for value in values))
    _same_tags("".join(f"{value}: x\n" for value in values))


def test_the_fast_resolver_agrees_on_the_shipped_evidence() -> None:
    for path in sorted((ROOT / "evidence").glob("*.yaml")):
        _same_tags(path.read_text(encoding="utf-8"))


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
