"""`evidence diff` in Markdown, for a pull request's job summary and to paste into a review.

What contributors wrote (titles, statements, quotes, locators, the problems that quote them)
goes into code spans and code blocks: there GitHub makes no link, image, HTML, mention or issue
reference of it. Backslash escapes would not do: GitHub still makes an e-mail address a link
and `@name` a mention after them. White space is folded, so a newline cannot end a line of a
list or a table, and a `|` is escaped in a table even inside a code span, as GFM tables need.
"""

from __future__ import annotations

import re
from collections import Counter

from builder.corpus import CHECK_STATES
from builder.diff import Diff, MessageChange, MessageFacts, SourceChange, SourceFacts, ThemeChange
from builder.problems import ordered, shown_text, summary
from builder.synth import TYPE_NAMES, TYPE_SINGULAR, count

MAX_ROWS = 100  # of each part: a change of thousands of files still gives a summary a reviewer can read


def code(value: str, limit: int = 200, cell: bool = False) -> str:
    """Contributor text as a code span: shown as written (hidden characters made visible,
    shortened to `limit`), interpreted as nothing."""
    shown = shown_text(value, limit) or " "
    fence = _fence(shown, 1)
    pad = " " if shown.startswith("`") or shown.endswith("`") else ""
    span = f"{fence}{pad}{shown}{pad}{fence}"
    return span.replace("|", "\\|") if cell else span


def _fence(text: str, least: int) -> str:
    """Backticks enough to open code that `text` cannot close: more than its longest run of them."""
    return "`" * max(least, max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)


def markdown(diff: Diff, base: str, head: str) -> str:
    """The diff from `base` to `head` (each already Markdown: a revision's name goes through code())."""
    out = ["## What this change does to the briefing", "", f"From {base} to {head}."]
    if diff.fails:
        failing = [p for p in diff.problems if p.fails]
        out += [
            "",
            f"**The check fails on {head}** ({summary(failing)}): what follows is what could be read, and the "
            "new problems are listed at the end.",
        ]
    if diff.unread:
        files = ", ".join(code(f"{name}.yaml") for name in diff.unread)
        out += ["", f"Evidence files that could not be read, and are left out: {files}."]
    if not diff.themes_read:
        out += ["", "The themes could not be read: findings by theme, key messages and the evidence map are left out."]
    if diff.nothing:
        out += ["", "Nothing in the synthesis changes: no source, finding, key message, evidence-map cell or problem."]
    for part in (_sources, _themes, _messages, _cells, _checks, _problems):
        out += part(diff)
    return "\n".join(out) + "\n"


def _capped(lines: list[str]) -> list[str]:
    more = len(lines) - MAX_ROWS
    return lines if more <= 0 else [*lines[:MAX_ROWS], f"\nand {more} more, not listed here."]


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    return ["", "| " + " | ".join(head) + " |", "|" + " --- |" * len(head), *_capped(lines)]


def _source(facts: SourceFacts, cell: bool = False) -> str:
    return f"{code(facts.title, 160, cell)} ({code(facts.label, 80, cell)})"


def _sources(diff: Diff) -> list[str]:
    if not diff.sources:
        return []
    rows = []
    for change in diff.sources:
        facts = change.after or change.before
        assert facts is not None
        kind = TYPE_SINGULAR[facts.kind]
        if change.before and change.after and change.before.kind != change.after.kind:
            kind = f"{TYPE_SINGULAR[change.before.kind]} → {kind}"
        rows.append([_what(change), _source(facts, cell=True), kind, code(facts.file, cell=True)])
    said = ", ".join(f"{n} {what}" for what, n in Counter(_what(c).split(":")[0] for c in diff.sources).items())
    return ["", f"### Sources ({said})", *_table(["Change", "Source", "Kind", "File"], rows)]


def _what(change: SourceChange) -> str:
    if change.before is None:
        return "added"
    if change.after is None:
        return "removed"
    return "changed: " + ", ".join(part.replace("_", " ") for part in change.changed)


def _themes(diff: Diff) -> list[str]:
    if not diff.themes:
        return []
    rows = [[code(t.title, 80, cell=True), _moved(*t.findings), _moved(*t.sources), _which(t)] for t in diff.themes]
    return ["", "### Findings by theme", *_table(["Theme", "Findings", "Sources", "Which findings"], rows)]


def _moved(before: int, after: int) -> str:
    return str(after) if before == after else f"{before} → {after}"


def _which(theme: ThemeChange) -> str:
    parts = [
        f"{what} {', '.join(code(ref, cell=True) for ref in refs)}"
        for what, refs in (("added", theme.added), ("removed", theme.removed), ("changed", theme.changed))
        if refs
    ]
    return "; ".join(parts)


def _messages(diff: Diff) -> list[str]:
    if not diff.messages:
        return []
    lines = []
    for change in diff.messages:
        facts = change.after or change.before
        assert facts is not None
        lines += [f"- {code(change.theme, 80)} › {code(facts.id)}: {_message(change)}"]
        if change.stale:
            assert change.after is not None
            lines.append(
                f"  **The recorded judgement may be stale**: it was {change.after.signed}, before this change to "
                "what backs the message. An editor judges it again and records the new date (the same level, if it "
                "still holds)."
            )
    stale = sum(1 for c in diff.messages if c.stale)
    title = f"### Key messages ({count(stale, 'judgement')} to look at again)" if stale else "### Key messages"
    return ["", title, "", *_capped(lines)]


def _message(change: MessageChange) -> str:
    before, after = change.before, change.after
    if before is None:
        assert after is not None
        backing = f"{count(len(after.refs), 'finding')} from {count(len(after.sources), 'source')}"
        return f"new, backed by {backing}: {code(after.statement, 300)}. Confidence: {_confidence(after)}."
    if after is None:
        return f"removed (it said {code(before.statement, 300)})."
    said = []
    if before.statement != after.statement:
        said.append(f"now says {code(after.statement, 300)}")
    for what, items in (
        ("names the findings", change.refs_added),
        ("no longer names", change.refs_removed),
        ("is backed now by the sources", change.sources_added),
        ("is no longer backed by", change.sources_removed),
        ("has backing sources that changed:", change.sources_changed),
    ):
        if items:
            said.append(f"{what} {', '.join(code(item) for item in items)}")
    judged = _confidence(after)
    confidence = judged if _confidence(before) == judged else f"{_confidence(before)} → {judged}"
    return "; ".join(said) + (". " if said else "") + f"Confidence: {confidence}."


def _confidence(facts: MessageFacts) -> str:
    return f"{facts.confidence}, {facts.signed}" if facts.signed else facts.confidence


def _cells(diff: Diff) -> list[str]:
    if not diff.cells:
        return []
    rows = [[code(c.theme, 80, cell=True), TYPE_NAMES[c.kind], _cell(*c.before), _cell(*c.after)] for c in diff.cells]
    return ["", "### Evidence map", *_table(["Theme", "Kind of source", "Before", "After"], rows)]


def _cell(sources: int, findings: int) -> str:
    return f"{count(sources, 'source')}, {count(findings, 'finding')}" if sources else "gap"


def _checks(diff: Diff) -> list[str]:
    lines = []
    for change in diff.sources:
        facts = change.after
        if facts is None:
            continue
        held = f"{count(len(facts.quotes), 'quote')} and {count(facts.figures, 'figure')}"
        lines.append(f"- {_source(facts)}: {held}, {_checked(facts)}.")
        had = {q.finding for q in change.before.quotes} if change.before else set()
        lines += [
            f"  - {'changed' if q.finding in had else 'new'} quote {code(q.text, 400)}, "
            f"at {code(q.locator, 100)} (finding {code(q.finding)})"
            for q in change.quotes
        ]
    if not lines:
        return []
    return ["", "### Quotes, figures and locators of the new and changed sources", "", *_capped(lines)]


def _checked(facts: SourceFacts) -> str:
    said = CHECK_STATES[facts.check]
    if facts.check == "reviewed":
        return f"{said} ({code(facts.text)}, reviewed by {code(facts.reviewed)})"
    if facts.check == "supplied":
        return f"{said} ({code(facts.text)}), which awaits an editor's review"
    return f"{said}: {code(facts.unchecked, 400)}"


def _problems(diff: Diff) -> list[str]:
    if not diff.problems:
        return []
    found = ordered(diff.problems)
    text = "\n".join(p.text() for p in found[:MAX_ROWS])
    fence = _fence(text, 3)
    more = [f"and {len(found) - MAX_ROWS} more, not listed here."] if len(found) > MAX_ROWS else []
    return ["", f"### New problems ({summary(found)})", "", f"{fence}text", text, fence, *more]
