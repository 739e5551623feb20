"""What each field of an evidence file is for, said once, beside the model (builder/model.py).

A field's roles: whether the [@key] citations in it are checked against the library; whether
its figures must be in the stored text of what was read; under which part of its source's
search entry a reader finds it (a weight of builder/render/ranking.py); and its column in
downloads/findings.csv. The check, the search, the verification and the downloads all read
their fields from here, so a new field of the model is one line here (and the schema:
`evidence schema`). Every field of model.Source and of the models within it must be named
here, with no role if it has none: tests/test_fields.py fails on one that is not, so that a
new field's citations cannot go unchecked because a list elsewhere forgot it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import BaseModel

from builder.model import Appraisal, Finding, Quote, Read, Sample, Source, StrengthRating
from builder.yamlfile import Key


@dataclass(frozen=True)
class Role:
    citable: bool = False  # may cite works with [@key]: each key is checked against the library
    figures: bool = False  # each figure in it must be in the stored text of what was read
    searched: str | None = None  # found by search as this part of its source's entry (ranking.FIELD_WEIGHTS)
    column: str | None = None  # its column in downloads/findings.csv, a row per finding
    label: str | None = None  # a sample's count: its name in the table of the source's page
    earlier: bool = False  # an editor's judgement of an earlier version: none of its values are this one's


NONE = Role()  # shown on the source's page or used by the tool, but with none of the roles above
EARLIER = Role(earlier=True)  # shown on its page as of an earlier version, and read for nothing else


ROLES: dict[type[BaseModel], dict[str, Role]] = {
    Source: {
        "id": Role(searched="ids", column="source_id"),
        "cite": Role(searched="ids"),  # the key itself; the csv's citation column is its author-date label
        "type": Role(column="source_type"),
        "design": Role(citable=True, figures=True, searched="statements"),
        "setting": Role(citable=True, figures=True, searched="statements"),
        "summary": Role(citable=True, figures=True, searched="text"),
        # Not figures: our judgement, which may hold editors' notes on what happened since (a date
        # the source cannot give); CONTRIBUTING says to check their figures by eye.
        "limitations": Role(citable=True, searched="text"),
        "implications": Role(citable=True, searched="text"),
        "references": NONE,  # keys, each checked as a reference (builder/corpus.py, citations)
        "added": NONE,
        "reviewed": NONE,
        "source_text": NONE,
        # Editors' judgements, from evidence/appraisals.yaml (builder/appraisals.py).
        "appraisal": NONE,
        "earlier_appraisal": EARLIER,
    },
    Finding: {
        "id": Role(column="finding_id"),
        "theme": Role(column="theme"),  # found by search through its theme's title
        "statement": Role(citable=True, figures=True, searched="statements", column="statement"),
        "strength": NONE,  # an editor's, from evidence/appraisals.yaml: its fields' roles are StrengthRating's
        "earlier_strength": EARLIER,
    },
    Quote: {
        "text": Role(searched="text", column="quote"),  # verbatim: checked word for word instead
        "locator": Role(column="locator"),
    },
    StrengthRating: {
        "level": Role(column="strength_rated_by_editor"),
        # An editor's reason, in the editors' file: not checked against the stored text, as the
        # limitations are not (an editor's figures are the editors' to check).
        "reason": Role(column="strength_reason"),
    },
    Sample: {
        "interviews": Role(figures=True, label="Interviews"),
        "observation_hours": Role(figures=True, label="Hours of observation"),
        "observations": Role(figures=True, label="Meetings observed"),
        "survey_respondents": Role(figures=True, label="Survey respondents"),
        "participants": Role(figures=True, label="Participants"),
        "organisations": Role(figures=True, label="Organisations"),
        "gps": Role(figures=True, label="GPs covered"),
        "population": Role(figures=True, label="Population covered"),
        "notes": Role(figures=True),
    },
    Read: {"kind": NONE, "title": NONE, "by": NONE, "url": NONE, "copied": NONE},
    Appraisal: {"tool": NONE, "concerns": NONE, "reason": NONE, "appraised_by": NONE, "appraised": NONE},
}


def values(model: BaseModel, path: Key = (), lists: bool = True) -> Iterator[tuple[Key, object, Role]]:
    """Every value given in a model and the models within it (those in its lists too, unless
    `lists` is false), with its path in the file and its field's role, in the model's order."""
    roles = ROLES[type(model)]
    for name in type(model).model_fields:
        if name in roles and roles[name].earlier:
            continue
        value = getattr(model, name)
        if isinstance(value, list):
            items = [((*path, name, i), item) for i, item in enumerate(value)] if lists else []
        else:
            items = [((*path, name), value)]
        for at, item in items:
            if isinstance(item, BaseModel):
                yield from values(item, at, lists)
            elif item is not None:
                yield at, item, roles[name]


def citable(source: Source) -> list[tuple[Key, str]]:
    """Every text of a source that may cite works with [@key], with its path."""
    return [(path, str(value)) for path, value, role in values(source) if role.citable]


def with_figures(source: Source) -> list[tuple[Key, str]]:
    """Every text of a source whose figures are checked (the sample's counts too), with its path."""
    return [(path, str(value)) for path, value, role in values(source) if role.figures]


def searched(source: Source) -> dict[str, list[str]]:
    """The texts of a source a reader finds it by, under the part of its search entry each is in."""
    found: dict[str, list[str]] = {}
    for _, value, role in values(source):
        if role.searched:
            found.setdefault(role.searched, []).append(str(value))
    return found


def columns(source: Source, finding: Finding) -> dict[str, str]:
    """A finding's row of downloads/findings.csv, as far as its fields and its source's give it."""
    found = [*values(source, lists=False), *values(finding)]
    return {role.column: str(value) for _, value, role in found if role.column}


def column_names() -> list[str]:
    """The columns of downloads/findings.csv that fields fill, in the order of this table."""
    return [role.column for roles in ROLES.values() for role in roles.values() if role.column]


def sample_labels() -> dict[str, str]:
    """Each count of a sample, with its name on the source's page."""
    return {name: role.label for name, role in ROLES[Sample].items() if role.label}
