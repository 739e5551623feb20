"""The Markdown extension that gives Zensical the generated pages as they are, with their
tables of contents. Zensical runs no MkDocs plugin, but it runs the Python-Markdown extensions
`mkdocs.yml` names: builder/zensical_site.py names this one.

A generated page is HTML already (builder/render/html.py), and its headings are HTML too, which
Python-Markdown's `toc` cannot see: Zensical would show no table of contents for it. So each
generated page's file starts with one line, `<!-- evidence-page [[level, id, title], ...] -->`,
the page's headings as JSON (made from the page's structure, not read back from its HTML); this
extension hands the rest of the page to the theme untouched, as the MkDocs plugin does, and gives
Zensical the table of contents from that line. A file without the line (a hand-written page) is
Markdown as usual.

It imports only Python-Markdown: Zensical loads it in its own process.
"""

from __future__ import annotations

import html
import json

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

MARK = "<!-- evidence-page "
_END = " -->"


def marker(headings: list[tuple[int, str, str]]) -> str:
    """The first line of a generated page: its headings (level, id, plain-text title). No title
    can end the comment: `<`, `>` and `&` are written as JSON escapes."""
    data = json.dumps(headings, ensure_ascii=True)
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f"{MARK}{data}{_END}\n"


def toc_tokens(headings: list[list]) -> list[dict]:
    """The headings as Python-Markdown's `toc` gives them (h3 under the h2 before them). The title
    is HTML, escaped, as the theme prints it as it is; it is the label too, so that Zensical does
    not tidy it as it tidies the HTML of a Markdown heading."""
    tokens: list[dict] = []
    for level, anchor, title in headings:
        name = html.escape(title)
        token = {"level": level, "id": anchor, "name": name, "html": name, "data-toc-label": name, "children": []}
        parent = tokens[-1] if tokens and tokens[-1]["level"] < level else None
        (parent["children"] if parent else tokens).append(token)
    return tokens


class _Generated(Preprocessor):
    """A generated page: its HTML stashed whole (nothing for Markdown to parse), its headings kept."""

    def __init__(self, md: Markdown, extension: GeneratedPages) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        at = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
        first = lines[at] if at < len(lines) else ""
        if not (first.startswith(MARK) and first.endswith(_END)):
            return lines
        self.extension.headings = json.loads(first[len(MARK) : -len(_END)])
        return [self.md.htmlStash.store("\n".join(lines[at + 1 :]))]


class _Toc(Postprocessor):
    """After every other step (the `toc` extension's included): the generated page's headings."""

    def __init__(self, md: Markdown, extension: GeneratedPages) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, text: str) -> str:
        if self.extension.headings is not None:
            self.md.toc_tokens = toc_tokens(self.extension.headings)  # type: ignore[attr-defined]
        return text


class GeneratedPages(Extension):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.headings: list[list] | None = None

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        # After the whitespace is normalised (30), before raw HTML is read (20).
        md.preprocessors.register(_Generated(md, self), "evidence_generated", 25)
        md.postprocessors.register(_Toc(md, self), "evidence_toc", 0)

    def reset(self) -> None:
        self.headings = None


def makeExtension(**kwargs) -> GeneratedPages:  # noqa: N802 (Python-Markdown's name)
    return GeneratedPages(**kwargs)
