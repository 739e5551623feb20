"""Reading YAML: values, positions, and what is refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from builder.files import read_text
from builder.yamlfile import Position, YamlDoc, _positions, parse_yaml
from tests.conftest import BRIEFING


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


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("yes", "yes"),  # YAML 1.2: text, not true
        ("No", "No"),
        ("on", "on"),
        ("true", True),
        ("~", None),
        ("", None),
        ("-12", -12),
        ("+3.5", 3.5),
        ("12:30", "12:30"),  # not a base-60 number
        ("1_000", "1_000"),
        (".inf", ".inf"),
        ("2024-05-01", dt.date(2024, 5, 1)),
        ("2024-05-01 10:00", "2024-05-01 10:00"),
        ("o'clock", "o'clock"),
        ("'quoted'", "quoted"),
        ('"2024-05-01"', "2024-05-01"),
        ("Ünïcode", "Ünïcode"),
    ],
)
def test_plain_values_are_read_by_yaml_1_2_rules(written: str, value: object) -> None:
    doc, problems = parse_yaml(f"k: {written}\n", "f.yaml")
    assert problems == [] and doc.data == {"k": value}


def test_a_real_evidence_base_reads_as_pyyaml_reads_it() -> None:
    # Where YAML 1.1 and 1.2 agree (all the briefing fixture's files), the values are PyYAML's.
    for path in sorted((BRIEFING / "evidence").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        doc, problems = parse_yaml(text, path.name)
        assert problems == [] and doc.data == yaml.safe_load(text), path


def test_top_level_fields_stand_where_a_second_parse_finds_them() -> None:
    # A top-level field's place is noted while parsing (a note on a whole source costs no second
    # parse); it must be the place the full parse of positions gives, for key and value alike.
    written = [p.read_text(encoding="utf-8") for p in sorted((BRIEFING / "evidence").glob("*.yaml"))]
    written += ["a: 1\nb:\n  - x\nc: {d: 2}\n'e':   |\n  text\nf:\n\n   g\n", "- a: 1\n"]
    for text in written:
        doc, problems = parse_yaml(text, "f.yaml")
        assert problems == []
        full = _positions(text)
        assert doc.fields == {p[0]: (v, k) for p, (v, k) in full.items() if len(p) == 1 and isinstance(p[0], str)}
        unnoted = YamlDoc(doc.file, text, doc.data)  # where() from the second parse only
        for name in doc.data if isinstance(doc.data, dict) else ():
            for key in (False, True):
                assert doc.where((name,), key=key) == unnoted.where((name,), key=key)


@given(st.dictionaries(st.text(max_size=8), st.text(max_size=30) | st.integers(-(10**9), 10**9), max_size=8))
def test_any_mapping_written_as_json_reads_back(data: dict) -> None:
    import json

    doc, problems = parse_yaml(json.dumps(data, ensure_ascii=False), "f.yaml")
    texts = [v for v in [*data, *data.values()] if isinstance(v, str)]
    if any(not t.isprintable() or "\x85" in t for t in texts) or not data:
        return  # invisible characters are refused, an empty mapping is an empty file
    assert problems == [] and doc.data == data


def test_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfid: x\n")
    text, problems = read_text(path, "bom.yaml", 100)
    assert problems == [] and text == "id: x\n"


def test_file_over_the_size_limit_is_refused_having_read_only_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 200 + "\n")
    text, problems = read_text(path, "big.yaml", 100)
    assert text is None
    assert problems[0].text().startswith("big.yaml:1:1: error: the file is over the limit of 100 bytes")


def test_an_endless_file_is_read_only_to_the_limit(tmp_path: Path) -> None:
    text, problems = read_text(Path("/dev/zero"), "zero.yaml", 1000)
    assert text is None and "not an ordinary file" in problems[0].message


def test_links_are_refused_without_reading_them(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0")
    (tmp_path / "folder").mkdir()
    (tmp_path / "link.yaml").symlink_to(secret)
    (tmp_path / "linked-folder").symlink_to(tmp_path / "folder")
    (tmp_path / "folder" / "f.yaml").write_text("id: x\n")
    for path in (tmp_path / "link.yaml", tmp_path / "linked-folder" / "f.yaml"):
        text, problems = read_text(path, "x.yaml", 100, root=tmp_path)
        assert text is None and "symbolic link" in problems[0].message
        assert "root:x" not in problems[0].text()


@pytest.mark.parametrize("depth", [41, 30_000])
def test_deep_nesting_is_refused_while_parsing(depth: int) -> None:
    for text in ("a: " + "[" * depth + "]" * depth + "\n", "id:\n" + "- " * depth + "x\n"):
        doc, problems = parse_yaml(text, "deep.yaml")
        assert doc is None and "nested more than 40 levels" in problems[0].message


def test_non_string_keys_are_read_as_written() -> None:
    doc, problems = parse_yaml("1: a\nyes: b\n2024-13-01: c\n", "f.yaml")
    assert problems == [] and doc.data == {"1": "a", "yes": "b", "2024-13-01": "c"}


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x7f", "\x80", "\x9f", "\u202e", "\ufdd0", "\U0010ffff"])
def test_invisible_characters_are_refused_raw_or_escaped(char: str) -> None:
    escaped = f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}"
    for text in (f'k: "a{escaped}b"\n', f"k: a{char}b\n"):
        doc, problems = parse_yaml(text, "f.yaml")
        assert doc is None and problems, repr(text)
        assert f"U+{ord(char):04X}" in problems[0].message
        assert char not in problems[0].text()  # shown as an escape, never printed raw
