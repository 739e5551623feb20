"""Validate loaded YAML against the schema and the documented rules; every problem located."""

from __future__ import annotations

import datetime as dt
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic.json_schema import SkipJsonSchema

from builder.model import (
    BIBKEY,
    MIN_FINDINGS,
    QUOTE_WORDS,
    SHA256,
    SLUG,
    SUMMARY_WORDS,
    TEXT_FILE,
    Source,
    TextReviewsFile,
)
from builder.problems import Problem, did_you_mean, quoted, shown_text
from builder.yamlfile import Key, YamlDoc

M = TypeVar("M", bound=BaseModel)

_PATTERN_MESSAGES = {
    SLUG: ("is not a slug", "use lower-case letters, digits and single hyphens, e.g. 'smith-2024-peer-support'"),
    BIBKEY: ("is not a BibTeX key", "use the key exactly as in references.bib, e.g. 'smith2024peer'"),
    TEXT_FILE: ("is not a file name of a stored text", "give the file's name only, ending in .txt or .md"),
    SHA256: (
        "is not a SHA-256 digest",
        "let `evidence review` (or `evidence appraise`) write it: 64 digits and letters a to f",
    ),
}


def validate(doc: YamlDoc, model: type[M]) -> tuple[M | None, list[Problem]]:
    if not isinstance(doc.data, dict):
        return None, [
            doc.problem(
                (),
                f"the file should hold fields (name: value lines), but it is {_kind(doc.data)}",
                "start the file with 'id: ...', not '- ...'",
            )
        ]
    problems = _RULES[model](doc) if model in _RULES else []
    try:
        valid = model.model_validate(_without_judgements(doc.data) if model is Source else doc.data)
    except ValidationError as exc:
        return None, _problems(doc, model, exc.errors()) + problems
    return (None, problems) if problems else (valid, [])


def _problems(doc: YamlDoc, model: type[BaseModel], errors: list[Any]) -> list[Problem]:
    """One problem per error, but one for all the fields missing from one place: a judgement
    that says neither who made it nor when is one thing to fix, not two."""
    found: list[Problem | Key] = []  # a Key: where fields are missing (listed in `missing`)
    missing: dict[Key, list[str]] = {}
    for err in errors:
        if err["type"] != "missing":
            found.append(_problem(doc, model, err))
            continue
        loc = _data_path(doc.data, err["loc"])
        if loc[:-1] not in missing:
            found.append(loc[:-1])
        missing.setdefault(loc[:-1], []).append(str(loc[-1]))
    return [p if isinstance(p, Problem) else _missing(doc, model, p, missing[p]) for p in found]


def _missing(doc: YamlDoc, model: type[BaseModel], parent: Key, fields: list[str]) -> Problem:
    named = " and ".join(f"'{name}'" for name in fields)
    message = f"the field {named} is missing" if len(fields) == 1 else f"the fields {named} are missing"
    hint = " and ".join(_field_hint(model, (*parent, name)).removeprefix("add ") for name in fields)
    return doc.problem(parent, message, "add " + hint, key=True)


def source_rules(doc: YamlDoc) -> list[Problem]:
    """The documented rules the schema cannot state: sizes of summaries, findings and quotes."""
    data, problems = doc.data, []
    summary = data.get("summary")
    low, high = SUMMARY_WORDS
    if isinstance(summary, str) and summary.strip() and not low <= len(summary.split()) <= high:
        words = len(summary.split())
        what = "write more: what was studied, how, and what was found" if words < low else "shorten it"
        problems.append(doc.problem(("summary",), f"the summary has {words} words; it must have {low} to {high}", what))
    findings = data.get("findings")
    if isinstance(findings, list) and len(findings) < MIN_FINDINGS:
        problems.append(
            doc.problem(
                ("findings",),
                f"{len(findings)} finding{'s' * (len(findings) != 1)}; a source needs at least {MIN_FINDINGS}",
                "add findings on the other points the source makes, each on one theme, in our own words",
                key=True,
            )
        )
    for i, finding in enumerate(findings if isinstance(findings, list) else []):
        quote = finding.get("quote") if isinstance(finding, dict) else None
        text = quote.get("text") if isinstance(quote, dict) else None
        if isinstance(text, str) and len(text.split()) > QUOTE_WORDS:
            problems.append(
                doc.problem(
                    ("findings", i, "quote", "text"),
                    f"this quote has {len(text.split())} words; a quote has at most {QUOTE_WORDS}",
                    "quote only the words that matter, and say the rest in the statement, in our own words",
                )
            )
    return problems + read_rules(doc) + judgement_rules(doc)


# An editor's judgement, which a source's file may not hold (builder/appraisals.py): it is
# refused with its own problem, and not read as well (a second problem, or a judgement kept).
EDITORS_FIELDS = ("appraisal", "strength")


def _without_judgements(data: dict) -> dict:
    findings = data.get("findings")
    if isinstance(findings, list):
        findings = [{k: v for k, v in f.items() if k != "strength"} if isinstance(f, dict) else f for f in findings]
        data = {**data, "findings": findings}
    return {k: v for k, v in data.items() if k != "appraisal"}


def judgement_rules(doc: YamlDoc) -> list[Problem]:
    """An appraisal or a strength rating written in a source's own file, where any contributor
    could write it in an editor's name."""
    data, found = doc.data, []
    findings = data.get("findings")
    paths = [("appraisal",)] if "appraisal" in data else []
    paths += [
        ("findings", i, "strength")
        for i, f in enumerate(findings if isinstance(findings, list) else [])
        if isinstance(f, dict) and "strength" in f
    ]
    for path in paths:
        what = "an appraisal of the source's methods" if path[-1] == "appraisal" else "a rating of a finding's strength"
        found.append(
            doc.problem(
                path,
                f"{what} is an editor's judgement; editors record it in evidence/appraisals.yaml",
                f"take '{path[-1]}:' and the lines under it out of this file; an editor records it "
                "(CONTRIBUTING.md, 'Appraisals and strength ratings')",
                key=True,
            )
        )
    return found


def read_rules(doc: YamlDoc) -> list[Problem]:
    """What was read: someone else's summary says whose it is and its title; a text was not
    copied after today."""
    read = doc.data.get("read")
    if not isinstance(read, dict):
        return []
    problems = []
    lacking = [name for name in ("by", "title") if not (isinstance(read.get(name), str) and read[name].strip())]
    if read.get("kind") == "summary" and lacking:
        what = {"by": "'by:' (who wrote or published it)", "title": "'title:' (what it is called)"}
        problems.append(
            doc.problem(
                ("read", "kind"),
                "what was read is someone else's summary of the source, so say whose it is and what it is called",
                "add " + " and ".join(what[name] for name in lacking) + " under 'read:'",
            )
        )
    return problems + _not_after_today(doc, ("read", "copied"), read.get("copied"), "the text was copied")


def _review_rules(doc: YamlDoc) -> list[Problem]:
    reviews = doc.data.get("reviews")
    problems = []
    for i, review in enumerate(reviews if isinstance(reviews, list) else []):
        if isinstance(review, dict):
            problems += _not_after_today(doc, ("reviews", i, "reviewed"), review.get("reviewed"), "it was reviewed")
    return problems


def _not_after_today(doc: YamlDoc, path: Key, value: Any, when: str) -> list[Problem]:
    """A date that cannot be after today: it says when something was done."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return []  # the schema says what is wrong with it
    today = dt.date.today()
    if not isinstance(value, dt.date) or value <= today:
        return []
    return [
        doc.problem(path, f"the date {value.isoformat()} is after today ({today.isoformat()})", f"give the date {when}")
    ]


# The documented rules of each kind of file that the schema cannot state.
_RULES = {Source: source_rules, TextReviewsFile: _review_rules}


def _problem(doc: YamlDoc, model: type[BaseModel], err: dict[str, Any]) -> Problem:
    loc = _data_path(doc.data, err["loc"])
    kind, value = err["type"], err.get("input")
    if kind == "date_in_future":
        day = value.isoformat() if isinstance(value, dt.date) else str(value)
        return doc.problem(
            loc,
            f"{quoted(day)} is a date in the future",
            "give the date it was made, today or earlier, as YYYY-MM-DD",
        )
    if kind == "extra_forbidden":
        field = str(loc[-1])
        allowed = _fields_at(model, loc[:-1])
        return doc.problem(
            loc,
            f"there is no field '{shown_text(field)}' here{did_you_mean(field, allowed)}",
            "the fields here are: " + ", ".join(allowed),
            key=True,
        )
    if kind == "literal_error":
        if isinstance(value, str) and not value.strip():
            return doc.problem(loc, "is empty", "use one of: " + err["ctx"]["expected"].replace("'", ""))
        allowed = [a.strip(" '") for a in err["ctx"]["expected"].replace(" or ", ", ").split(",")]
        return doc.problem(
            loc,
            f"{quoted(value)} is not allowed{did_you_mean(str(value), allowed)}",
            "use one of: " + ", ".join(allowed),
        )
    if isinstance(value, str) and not value.strip() and kind in ("string_pattern_mismatch", "string_too_short"):
        return doc.problem(loc, "is empty", _empty_hint(model, loc))
    if kind == "string_pattern_mismatch":
        message, hint = _PATTERN_MESSAGES.get(err["ctx"]["pattern"], ("has the wrong form", ""))
        return doc.problem(loc, f"{quoted(value)} {message}", hint)
    if kind == "too_short":
        return doc.problem(loc, "is empty", "give at least one item, each on its own line starting with '- '")
    if kind == "string_too_long":
        limit = err["ctx"]["max_length"]
        return doc.problem(loc, f"is {len(value):,} characters long, over the limit of {limit:,}", "shorten it")
    message, hint = _type_message(kind, value, err["msg"])
    return doc.problem(loc, message, hint)


def _empty_hint(model: type[BaseModel], loc: Key) -> str:
    info = _field_info(model, loc)
    described = f" ({_described(info)})" if info and info.description else ""
    if info is not None and not info.is_required():
        return f"fill it in{described}, or delete the line: '{loc[-1]}' is optional"
    return f"fill it in{described}"


def _described(info: Any) -> str:
    """A field's description as a phrase: 'Where and when, as the source says.' -> 'where and ...'."""
    text = info.description.rstrip(".")
    first = text.split()[0] if text.split() else ""
    return text if len(first) > 1 and first.isupper() else text[:1].lower() + text[1:]


def _type_message(kind: str, value: Any, fallback: str) -> tuple[str, str]:
    got = _kind(value)
    if kind == "string_type":
        if isinstance(value, dict) and len(value) == 1:
            (name,) = value
            return (
                f"expected text, but YAML read '{shown_text(name)}: ...' as a field, because of the ': '",
                "put the whole text in quotes",
            )
        return f"expected text, got {got}", "put the value in quotes to make it text"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {got}", "write digits only, e.g. 41 (no commas, units or quotes)"
    if kind == "list_type":
        return f"expected a list, got {got}", "write each item on its own line, starting with '- '"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected fields (name: value lines), got {got}", "write 'name: value' lines, indented under this one"
    if kind.startswith("date"):
        return f"expected a date, got {got}", "write the date as YYYY-MM-DD, e.g. 2026-11-24"
    if kind == "greater_than_equal":
        return "must be 0 or more", "give the number the source reports"
    return fallback, ""


def _kind(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, (dt.date, dt.datetime)):
        return f"a date ({value.isoformat()})"
    if isinstance(value, list):
        return "a list of items ('- ...')"
    if isinstance(value, dict):
        return "fields (name: value lines)"
    return f"text ({quoted(value)})"


def _data_path(data: Any, loc: tuple[Any, ...]) -> Key:
    """pydantic's error location as a path through the contributor's data.

    pydantic adds a union member's name ("Quote", "int"...) to the location of an error
    in an Optional field; those parts are not in the data and are dropped. A last part
    that a mapping lacks is the name of a missing field, and is kept.
    """
    path: list[str | int] = []
    current = data
    for i, part in enumerate(loc):
        if _has(current, part):
            current = current[part]
        elif not (i == len(loc) - 1 and isinstance(current, dict)):
            continue
        path.append(part)
    return tuple(path)


def _has(container: Any, part: Any) -> bool:
    if isinstance(container, dict):
        return part in container
    return isinstance(container, list) and isinstance(part, int) and 0 <= part < len(container)


def _model_at(model: type[BaseModel], loc: Key) -> type[BaseModel] | None:
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            current = _unwrap(current, list_item=True)
            continue
        current = _unwrap(current)
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or part not in current.model_fields:
            return None
        current = current.model_fields[part].annotation
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any, list_item: bool = False) -> Any:
    """Strip Optional[...] and, for list items, list[...] from an annotation."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        origin = typing.get_origin(annotation)
    if list_item and origin is list:
        return typing.get_args(annotation)[0]
    return annotation


def _fields_at(model: type[BaseModel], loc: Key) -> list[str]:
    """The fields a file may give here: not those the tool fills in (an editor's judgements, from
    evidence/appraisals.yaml), which no schema shows."""
    found = _model_at(model, loc)
    fields = found.model_fields.items() if found else []
    return [name for name, field in fields if not any(isinstance(m, SkipJsonSchema) for m in field.metadata)]


def _field_info(model: type[BaseModel], loc: Key) -> Any:
    parent = _model_at(model, loc[:-1]) if loc and not isinstance(loc[-1], int) else None
    return parent.model_fields.get(str(loc[-1])) if parent else None


def _field_hint(model: type[BaseModel], loc: Key) -> str:
    info = _field_info(model, loc)
    return f"add '{loc[-1]}:' ({_described(info)})" if info and info.description else f"add '{loc[-1]}:'"
