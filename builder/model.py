"""The evidence schema, version 1: what an evidence file and themes.yaml may contain.

Pydantic models at the validation boundary; once validated they are frozen and
used as plain data downstream. Field docs become the JSON Schema's descriptions.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

SCHEMA_VERSION = 1
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
BIBKEY = r"^[A-Za-z0-9][A-Za-z0-9_:.+-]*$"
NOT_BLANK = r"\S"
TEXT_FILE = r"^[A-Za-z0-9][A-Za-z0-9_.-]*\.(?:txt|md)$"
SHA256 = r"^[0-9a-f]{64}$"
SUMMARY_WORDS = (80, 200)
MIN_FINDINGS = 3
QUOTE_WORDS = 40

Slug = Annotated[str, Field(pattern=SLUG, max_length=80)]
BibKey = Annotated[str, Field(pattern=BIBKEY, max_length=120)]
Text = Annotated[str, Field(min_length=1, max_length=5000, pattern=NOT_BLANK)]
# YAML gives a date for an unquoted 2024-05-01; accept a quoted one too rather than
# make contributors learn the difference.
Date = Annotated[dt.date, Field(strict=False)]
Count = Annotated[int, Field(ge=0)]


def _not_after_today(day: dt.date) -> dt.date:
    # Today's real date, not the build's: a judgement dated in the future was not made.
    if day > dt.date.today():
        raise PydanticCustomError("date_in_future", "date in the future")
    return day


# The date a judgement was made: today at the latest.
MadeOn = Annotated[dt.date, Field(strict=False), AfterValidator(_not_after_today)]

SourceType = Literal["study", "review", "report", "commentary", "blog", "news"]
Strength = Literal["high", "moderate", "low", "very-low"]
# GRADE-CERQual's words: concerns about one component, and confidence in a finding overall.
Concerns = Literal["no-or-very-minor", "minor", "moderate", "serious"]
Confidence = Literal["high", "moderate", "low", "very-low"]


class Strict(BaseModel):
    # Unknown fields and wrong types are errors: nothing a contributor typed is dropped or coerced.
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Quote(Strict):
    text: Text = Field(description=f"Short verbatim quote from the source: at most {QUOTE_WORDS} words.")
    locator: Text = Field(description="Where the quote is in the source, e.g. 'para 4' or 'Results'.")


WEB_ADDRESS = r"^https?://[^\s/$.?#][^\s]*$"


class Read(Strict):
    """What was read of the source, and where it came from. Quotes, figures and locators count in
    what was read: a summary's paragraphs, not the paper's."""

    kind: Literal["full-text", "abstract", "summary"] = Field(
        description="full-text: the source as published; abstract: only its abstract (and what else the page "
        "gave, e.g. its reference list); summary: someone else's summary of it."
    )
    title: Text | None = Field(None, description="The title of what was read, when it is not the source itself.")
    by: Text | None = Field(None, description="Who wrote or published what was read, when not the source's authors.")
    url: Annotated[str, Field(pattern=WEB_ADDRESS, max_length=2000)] | None = Field(
        None, description="The address the stored text was copied from."
    )
    copied: Date | None = Field(None, description="When the stored text was copied, YYYY-MM-DD.")


class Appraisal(Strict):
    """An editor's appraisal of how the source was done: the methodological limitations that
    GRADE-CERQual weighs. Editors record it in evidence/appraisals.yaml, never in the source's file."""

    tool: Text = Field(description="The checklist or tool used, e.g. 'CASP qualitative studies checklist'.")
    concerns: Concerns = Field(
        description="How much concern the source's methods raise: no-or-very-minor, minor, moderate or serious."
    )
    reason: Text = Field(description="Why, in a sentence a reader can check against the source.")
    appraised_by: Text = Field(description="Who appraised it: a name or a role.")
    appraised: MadeOn = Field(description="When it was appraised, YYYY-MM-DD: today or earlier.")


class StrengthRating(Strict):
    """An editor's rating of how strongly one finding is supported, shown with its reason. No
    finding is rated by default: the kind of source is shown as what it is, not as a grade.
    Editors record it in evidence/appraisals.yaml, never in the source's file."""

    level: Strength = Field(description="How strongly this finding is supported: high, moderate, low or very-low.")
    reason: Text = Field(description="Why, in a sentence a reader can check, e.g. 'Based on a single interview.'")


class Finding(Strict):
    id: Slug = Field(description="Short slug, unique within this source.")
    theme: Annotated[str, Field(min_length=1, max_length=200)] = Field(
        description="A theme id from evidence/themes.yaml."
    )
    statement: Text = Field(description="The finding, in our own words. May cite with [@key].")
    quote: Quote | None = Field(None, description="Optional verbatim quote that supports the statement.")
    # Editors' judgements, from evidence/appraisals.yaml (builder/appraisals.py), never from the
    # source's file: the rating of this very statement and quote, and one made on an earlier version.
    strength: SkipJsonSchema[StrengthRating | None] = None
    earlier_strength: SkipJsonSchema[StrengthRating | None] = None


class Sample(Strict):
    """Figures as the source gives them; leave out any the source does not give."""

    interviews: Count | None = None
    observation_hours: Count | None = None
    observations: Count | None = Field(None, description="Meetings or events observed.")
    survey_respondents: Count | None = None
    participants: Count | None = None
    organisations: Count | None = Field(None, description="Sites, trusts, groups or other organisations studied.")
    gps: Count | None = Field(None, description="General practitioners covered.")
    population: Count | None = Field(None, description="Population covered.")
    notes: Text | None = Field(None, description="Anything about the sample the numbers do not say.")


class Source(Strict):
    """One evidence file: evidence/<id>.yaml."""

    id: Slug = Field(description="Equal to the file name without .yaml.")
    cite: BibKey = Field(description="The BibTeX key of this source in references.bib.")
    type: SourceType = Field(description="What kind of source this is.")
    design: Text = Field(description="e.g. 'qualitative case study', 'mixed methods', 'opinion'.")
    setting: Text | None = Field(None, description="Where and when, as the source says.")
    sample: Sample | None = None
    summary: Text = Field(description="Plain-language summary in our own words (80-200 words).")
    findings: list[Finding] = Field(description=f"At least {MIN_FINDINGS} findings, each on one theme.")
    limitations: list[Text] = Field(min_length=1, description="What this evidence cannot show.")
    implications: list[Text] = Field(
        min_length=1,
        description="What it means for the briefing's readers (briefing.yaml names them: implications_for).",
    )
    references: list[BibKey] = Field(default_factory=list, description="BibTeX keys of works this source cites.")
    added: Date = Field(description="Date this file was added, YYYY-MM-DD.")
    reviewed: Date | None = Field(
        None, description="Date this file was last checked against what was read of the source."
    )
    read: Read | None = Field(None, description="What was read of the source, and where it came from.")
    # Editors' judgements, from evidence/appraisals.yaml (builder/appraisals.py), never from this
    # file: the appraisal of the source as it now stands, and one made on an earlier version of it.
    appraisal: SkipJsonSchema[Appraisal | None] = None
    earlier_appraisal: SkipJsonSchema[Appraisal | None] = None
    source_text: Annotated[str, Field(pattern=TEXT_FILE, max_length=120)] | None = Field(
        None,
        description="File name of the stored text of what was read (the abstract, article or post, as .txt or .md), "
        "in the source texts folder; quotes and figures are checked against it.",
    )


class Judgement(Strict):
    concerns: Concerns = Field(description="How much concern this component raises.")
    reason: Text = Field(description="Why, in a sentence a reader can check.")


class OverallJudgement(Strict):
    level: Confidence = Field(description="Confidence in the key message.")
    reason: Text = Field(description="Why, from the four components.")


class Assessment(Strict):
    """An editor's GRADE-CERQual judgements of a key message, signed and dated. Any left out is
    shown as not assessed: the generator never judges."""

    methodological_limitations: Judgement | None = None
    coherence: Judgement | None = None
    adequacy: Judgement | None = None
    relevance: Judgement | None = None
    overall: OverallJudgement | None = None
    about: Annotated[str, Field(pattern=SHA256)] | None = Field(
        None,
        description="The SHA-256 digest of what was judged: the message's statement and each finding it lists, with "
        "its source's cite key, BibTeX entry, kind and what was read (`evidence appraise --message` writes it): "
        "without it, or after a change to any of them, the site shows the confidence as judged on an earlier version.",
    )
    assessed_by: Text = Field(description="Who made these judgements: a name or a role.")
    assessed: MadeOn = Field(description="When they were made, YYYY-MM-DD: today or earlier.")


class KeyMessage(Strict):
    id: Slug
    statement: Text = Field(description="What the evidence on this theme says, in our own words.")
    supported_by: list[Annotated[str, Field(pattern=r"^[a-z0-9-]+/[a-z0-9-]+$")]] = Field(
        min_length=1, description="Findings that support the message, as 'source-id/finding-id'."
    )
    qualified_by: list[Annotated[str, Field(pattern=r"^[a-z0-9-]+/[a-z0-9-]+$")]] = Field(
        default_factory=list, description="Findings that qualify or contradict it."
    )
    confidence: Assessment | None = Field(None, description="An editor's GRADE-CERQual judgements, with reasons.")
    # The tool moves an assessment here when it judged an earlier version (builder/assessments.py).
    earlier_confidence: SkipJsonSchema[Assessment | None] = None


class Theme(Strict):
    id: Slug
    title: Text
    question: Text = Field(description="The question this theme answers for the reader.")
    description: Text
    key_messages: list[KeyMessage] = Field(default_factory=list)


class ThemesFile(Strict):
    """evidence/themes.yaml."""

    themes: list[Theme] = Field(min_length=1)


class PolicyChange(Strict):
    date: Date = Field(description="When it changed, YYYY-MM-DD.")
    change: Text = Field(description="What changed, in plain words, with the law or policy that changed it.")


class Scope(Strict):
    description: Text = Field(description="What the briefing covers, in a sentence or two.")
    places: list[Text] = Field(
        default_factory=list,
        description="Places in scope, as a source's setting or summary would name them (e.g. Wales, Welsh).",
    )
    from_year: Annotated[int, Field(ge=1000, le=9999)] | None = Field(
        None, description="The first year of the period the briefing speaks for."
    )
    to_year: Annotated[int, Field(ge=1000, le=9999)] | None = Field(
        None, description="The last year of the period the briefing speaks for (leave out for 'to now')."
    )
    policy_context: list[PolicyChange] = Field(
        default_factory=list, description="What changed in policy that a reader of older evidence must know, by date."
    )


class Search(Strict):
    what: Text = Field(description="What was searched for (the terms or the question).")
    where: Text = Field(description="Where: databases, websites, collections.")
    when: Text = Field(description="When the search was run.")


class Methods(Strict):
    systematic_review: bool = Field(description="Whether the evidence was gathered by a systematic review.")
    statement: Text = Field(description="How the sources were found and chosen, in plain words.")
    searches: list[Search] = Field(default_factory=list)
    inclusion: list[Text] = Field(default_factory=list, description="What a source had to be to be included.")
    exclusion: list[Text] = Field(default_factory=list, description="What was left out, and why.")
    reviewers: list[Text] = Field(default_factory=list, description="Who checked the write-ups (names or roles).")


class Change(Strict):
    date: Date
    note: Text = Field(description="What changed in the briefing, in the editors' words.")


class TextReview(Strict):
    """An editor's review of one stored text: it is what its source's `read:` says it is."""

    source: Slug = Field(description="The id of the source whose stored text this is.")
    text: Annotated[str, Field(pattern=TEXT_FILE, max_length=120)] = Field(description="The stored text's file name.")
    sha256: Annotated[str, Field(pattern=SHA256)] = Field(
        description="The SHA-256 digest of the text as reviewed (`evidence review` writes it): a text changed since "
        "is unreviewed again."
    )
    about: Annotated[str, Field(pattern=SHA256)] = Field(
        description="The SHA-256 digest of what the text was reviewed as: the source's cite key, kind, `read:` block "
        "and BibTeX entry (`evidence review` writes it): a change to any of them shows the text as unreviewed again."
    )
    reviewed_by: Text = Field(description="Who reviewed it.")
    reviewed: Date = Field(description="When, YYYY-MM-DD.")


class TextReviewsFile(Strict):
    """evidence/text-reviews.yaml: the stored texts the editors reviewed (CODEOWNERS gives it to them)."""

    reviews: list[TextReview] = Field(default_factory=list)


class AppraisalRecord(Appraisal):
    """An editor's appraisal of one source, bound to what was appraised."""

    source: Slug = Field(description="The id of the source appraised.")
    about: Annotated[str, Field(pattern=SHA256)] = Field(
        description="The SHA-256 digest of what was appraised: the source's cite key and BibTeX entry, kind, design, "
        "setting, sample, `read:` block and stored text's name: a change to any of them shows the appraisal as made "
        "on an earlier version. Take the record out and run `evidence appraise SOURCE`: it prints the lines to "
        "start it with, this one included."
    )


class StrengthRecord(StrengthRating):
    """An editor's rating of one finding's strength, bound to what was rated."""

    source: Slug = Field(description="The id of the finding's source.")
    finding: Slug = Field(description="The finding's id.")
    about: Annotated[str, Field(pattern=SHA256)] = Field(
        description="The SHA-256 digest of what was rated: the finding's statement, quote and theme, and all "
        "an appraisal judges of its source: a change to any of them shows the rating as made on an earlier version. "
        "Take the record out and run `evidence appraise SOURCE --finding ID`: it prints the lines to start it "
        "with, this one included."
    )


class AppraisalsFile(Strict):
    """evidence/appraisals.yaml: the editors' appraisals of sources and ratings of findings (CODEOWNERS gives it
    to them)."""

    appraisals: list[AppraisalRecord] = Field(default_factory=list)
    strengths: list[StrengthRecord] = Field(default_factory=list)


class BriefingFile(Strict):
    """evidence/briefing.yaml: what the briefing is for, who publishes it, what it covers and how
    it was made."""

    question: Text = Field(description="The question the briefing answers.")
    implications_for: Text | None = Field(
        None,
        description="Who the implications of each source are for, e.g. 'policy makers': its page then says "
        "'Implications for policy makers' (without it, 'Implications').",
    )
    version: Text | None = Field(None, description="The edition, e.g. '1.2'; without it, the date of the last change.")
    publisher: Text | None = Field(None, description="Who publishes the briefing: an organisation or a team.")
    editors: list[Text] = Field(default_factory=list, description="The editors, as they are to be cited.")
    licence: Text | None = Field(None, description="The licence the briefing is published under, e.g. 'CC BY 4.0'.")
    published: Date | None = Field(None, description="When this edition was published, YYYY-MM-DD.")
    scope: Scope
    methods: Methods
    changes: list[Change] = Field(default_factory=list, description="Editors' notes of what changed, newest first.")
