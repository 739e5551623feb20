"""Each field of an evidence file is described once (builder/fields.py), and the check, the
verification, the search and the downloads all follow that description."""

from __future__ import annotations

import types
import typing
from pathlib import Path

import yaml
from pydantic import BaseModel

from builder import fields
from builder.model import Source
from builder.render.downloads import COLUMN_ORDER, CSV_COLUMNS, WORKED_OUT
from builder.render.ranking import FIELD_WEIGHTS
from builder.yamlfile import Key, format_path
from tests.conftest import check_root


def _models_within(annotation: object) -> set[type[BaseModel]]:
    """The models a field's type names, inside lists and optionals too."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {annotation}
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is not None:
        return set().union(*(_models_within(arg) for arg in typing.get_args(annotation)))
    return set()


def _every_model(model: type[BaseModel]) -> set[type[BaseModel]]:
    found = {model}
    for info in model.model_fields.values():
        for inner in _models_within(info.annotation) - found:
            found |= _every_model(inner)
    return found


def test_every_field_of_an_evidence_file_is_described() -> None:
    models = _every_model(Source)
    assert len(models) > 5  # the walk reached the models within a source (findings, quotes, the sample...)
    missing = [
        f"{model.__name__}.{name}"
        for model in models
        for name, info in model.model_fields.items()
        if not _models_within(info.annotation) and name not in fields.ROLES.get(model, {})
    ]
    assert missing == [], "say in builder/fields.py what these fields are for (Role() if nothing)"
    stale = [f"{m.__name__}.{n}" for m, roles in fields.ROLES.items() for n in roles if n not in m.model_fields]
    assert stale == []


def test_each_role_names_something_that_exists() -> None:
    roles = [role for named in fields.ROLES.values() for role in named.values()]
    assert {role.searched for role in roles if role.searched} <= set(FIELD_WEIGHTS)
    filled = set(fields.column_names())
    assert [c for c in COLUMN_ORDER if c not in filled and c not in WORKED_OUT] == []  # no column left empty
    assert set(CSV_COLUMNS) == filled | set(WORKED_OUT)


def _set(data: dict, path: Key, value: object) -> None:
    *within, last = path
    for key in within:
        data = data[key]
    data[last] = value


def _problems_where_written(mini: Path, role: str, written: object, said: str) -> tuple[set[str], set[str]]:
    """Write `written` at every path of alpha-study.yaml whose field has `role` (its texts
    appended to, its counts replaced), check, and give those paths and the paths of the
    problems that say `said`."""
    file = mini / "evidence" / "alpha-study.yaml"
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    data["sample"]["notes"] = "Interviews and minutes."  # every field with a role given
    source = Source.model_validate(data, strict=False)
    paths = [path for path, value, roles in fields.values(source) if getattr(roles, role)]
    for path, value, _ in fields.values(source):
        if path in paths:
            _set(data, path, written if isinstance(value, int) else f"{value} {written}")
    file.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    problems = check_root(mini).problems
    return {format_path(p) for p in paths}, {p.key_path for p in problems if said in p.message}


def test_the_citations_of_every_citable_field_are_checked(mini: Path) -> None:
    written, said = _problems_where_written(mini, "citable", "[@no-such-work]", "'no-such-work' is not in")
    assert {"design", "setting", "summary", "findings[2].statement", "implications[0]"} <= written
    assert said == written


def test_the_figures_of_every_field_that_has_them_are_checked(mini: Path) -> None:
    written, said = _problems_where_written(mini, "figures", 98765, "the figure 98765 is not in")
    assert {"sample.interviews", "sample.notes", "setting", "summary", "findings[0].statement"} <= written
    assert said == written
