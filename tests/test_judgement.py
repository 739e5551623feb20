"""Confidence is a judgement: a key message shows a level only where an editor recorded one,
signed and dated; everything the data can say is a prompt for the editor, never a level or a
component's concerns (GRADE-CERQual, Lewin et al. 2018)."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from pydantic import ValidationError

from builder.confidence import CONCERNS, assess
from builder.corpus import Corpus, Entry
from builder.model import Assessment, KeyMessage, Read
from builder.site import build_site
from tests.conftest import FIXTURES, check_root

# The mini fixture: 'convening' (Leadership) has no judgement; 'managers-count' (Practice
# managers) has an editor's overall level and adequacy, signed and dated.
UNJUDGED = "Leaders convene people"
JUDGED = "Practice managers matter to commissioning."
# Words that would say a level or a component's concerns.
LEVELS = re.compile(r"(?:high|moderate|low|very low) confidence|" + "|".join(CONCERNS.values()), re.IGNORECASE)


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    result = check_root(FIXTURES / "mini")
    assert result.ok, result.problems
    return result.corpus


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(FIXTURES / "mini" / "mkdocs.yml", tmp_path_factory.mktemp("judged") / "site")


def _article(page: Path) -> str:
    html = page.read_text(encoding="utf-8")
    return html[html.index("<article") : html.index("</article>")]


def _message(html: str, statement: str) -> str:
    """The key message block that opens with `statement`."""
    start = html.index(statement)
    return html[start : html.index("</div>", start)]


def test_a_message_of_a_study_an_opinion_piece_and_a_news_report_is_not_assessed(corpus: Corpus) -> None:
    # The case: three findings used to make "moderate confidence (derived from the data)".
    gamma = corpus.by_id["gamma-blog"]
    news = gamma.source.model_copy(update={"id": "news-item", "type": "news"})
    three = replace(corpus, entries=(*corpus.entries, Entry(news, gamma.doc)))
    message = KeyMessage(
        id="m",
        statement="S.",
        supported_by=["alpha-study/leaders-convene", "gamma-blog/boards-lose", "news-item/managers-know"],
    )
    confidence = assess(three, message, three.briefing.scope)
    assert confidence.level is None and confidence.said == "confidence not assessed"
    assert [c.concerns for c in confidence.components] == [None] * 4
    adequacy = {c.key: c for c in confidence.components}["adequacy"]
    assert "Sources backing it: 3 (1 study, 1 blog post, 1 news report)." in adequacy.prompts


def test_nothing_derived_is_shown_where_nobody_judged(site: Path) -> None:
    home, theme = _article(site / "index.html"), _article(site / "themes" / "leadership.html")
    briefing = _article(site / "briefing.html")
    for page in (home, theme, briefing):
        block = _message(page, UNJUDGED)
        assert "Confidence not assessed" in block and not LEVELS.search(block), block
    table = theme[theme.index("evidence-soqf") : theme.index("</table>", theme.index("evidence-soqf"))]
    assert table.count(": not assessed.") == 4 and not LEVELS.search(table)
    data = json.loads((site / "downloads" / "evidence.json").read_text(encoding="utf-8"))
    shown = {m["id"]: m["overall_confidence"] for t in data["themes"] for m in t["key_messages"]}
    assert shown == {"convening": "not assessed", "managers-count": "low"}
    pdf = subprocess.run(
        ["pdftotext", str(site / "downloads" / "briefing.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    said = " ".join(pdf.split())
    after = said[said.index(UNJUDGED) : said.index(JUDGED)]
    assert "Confidence not assessed" in after and not LEVELS.search(after)


def test_an_editor_s_judgement_stands_with_who_when_and_why(site: Path) -> None:
    home = _message(_article(site / "index.html"), JUDGED)
    assert "Low confidence</span>, judged by A. Editor on 2026-02-01: One study and one blog post" in home
    theme = _article(site / "themes" / "practice-managers.html")
    assert "<strong>Adequacy</strong>: moderate concerns. Two sources, one of them a blog post." in theme
    assert "<strong>Coherence</strong>: not assessed." in theme


def test_a_source_revised_after_a_judgement_is_said_beside_it(mini: Path, site: Path) -> None:
    # The fixture's judgement (2026-02-01) is no older than its sources' dates: nothing is said.
    assert "after the judgement was recorded" not in _message(_article(site / "index.html"), JUDGED)
    blog = mini / "evidence" / "gamma-blog.yaml"
    blog.write_text(blog.read_text(encoding="utf-8").replace("reviewed: 2026-02-01", "reviewed: 2026-02-02"))
    later = build_site(mini / "mkdocs.yml", mini / "site")
    said = _message(_article(later / "index.html"), JUDGED)
    assert "write-up revised on 2026-02-02, after the judgement was recorded" in said
    # A fact, never a judgement: the level shown is still the editors'.
    assert "Low confidence</span>, judged by A. Editor on 2026-02-01" in said
    assert "after the judgement" not in _message(_article(later / "index.html"), UNJUDGED)


def test_prompts_for_the_editor_are_labelled_and_gather_facts(site: Path, corpus: Corpus) -> None:
    theme = _article(site / "themes" / "practice-managers.html")
    prompts = theme[theme.index('id="prompts-for-the-editor"') :]
    assert "They are not a judgement" in prompts
    assert "Alpha and Beta, 2020 (study): minor concerns, appraised with CASP qualitative studies checklist" in prompts
    assert "Gamma, 2021 (blog post): not appraised." in prompts
    assert "Alpha and Beta, 2020: 12 interviews, 2 organisations." in prompts
    assert "Published before 2021, the year of a change in policy" in prompts
    message = corpus.themes[1].key_messages[0]
    limitations = assess(corpus, message, corpus.briefing.scope).components[0]
    alpha, gamma = limitations.prompts  # the fixture's alpha was read as a summary, gamma in full
    assert alpha.endswith("Read only through someone else's summary.") and "Read only" not in gamma


@pytest.mark.parametrize(
    ("kind", "said"),
    [
        ("abstract", "Read only as its abstract."),
        ("summary", "Read only through someone else's summary."),
        ("full-text", ""),
    ],
)
def test_a_source_read_only_as_an_abstract_or_a_summary_says_so(corpus: Corpus, kind: str, said: str) -> None:
    alpha = corpus.by_id["alpha-study"]
    read = alpha.source.model_copy(update={"read": Read(kind=kind)})
    changed = replace(corpus, entries=tuple(e if e is not alpha else Entry(read, alpha.doc) for e in corpus.entries))
    message = KeyMessage(id="m", statement="S.", supported_by=["alpha-study/leaders-convene"])
    (prompt,) = assess(changed, message, changed.briefing.scope).components[0].prompts
    assert prompt.endswith(said or "The sites and the interviews are described; the analysis only briefly.")


def test_relevance_prompts_weigh_the_period_in_scope(corpus: Corpus) -> None:
    message = corpus.themes[1].key_messages[0]
    later = corpus.briefing.scope.model_copy(update={"from_year": 2021, "to_year": 2025})
    relevance = assess(corpus, message, later).components[3].prompts
    outside = "Published outside the period in scope (2021 to 2025): Alpha and Beta, 2020 (1 of 2 backing sources)."
    assert outside in relevance
    assert assess(corpus, message, None).components[3].prompts == (
        "The briefing's scope: not recorded (evidence/briefing.yaml).",
    )


def test_a_judgement_may_be_dated_today_but_not_tomorrow() -> None:
    today = dt.date.today()
    assert Assessment(assessed_by="A. Editor", assessed=today).assessed == today
    with pytest.raises(ValidationError, match="date in the future"):
        Assessment(assessed_by="A. Editor", assessed=today + dt.timedelta(days=1))


def test_a_source_page_shows_its_appraisal_or_that_it_has_none(site: Path) -> None:
    alpha = _article(site / "sources" / "alpha-study.html")
    assert "Minor concerns (CASP qualitative studies checklist): The sites" in alpha
    assert "Appraised by A. Editor on 2026-02-01." in alpha
    assert "<td>Appraisal of its methods</td><td>Not appraised.</td>" in _article(site / "sources" / "gamma-blog.html")
