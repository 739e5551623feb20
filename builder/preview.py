"""A preview's first answer to an edit: the edited source's own page, made and written at once.

When the only files that changed since the last build are evidence files, each still valid
and with the same id, their source pages are rendered from the last build's corpus with the
new files in it and written through MkDocs' own page steps (with the last build's navigation
and theme), and the browser reloads; then the full rebuild runs as before, makes every page
(these again) and the search index, and the browser reloads once more. At 10,000 sources the
edited page shows in well under a second instead of after the whole rebuild.

It uses two of MkDocs' internal functions (_populate_page, _build_page), pinned with MkDocs
below 2 and the same in ProperDocs.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.commands.build import _build_page, _populate_page

from builder.build import Built, page_front_matter
from builder.check import load_source
from builder.corpus import Checked, Entry
from builder.files import read_text
from builder.memo import Memo
from builder.render.pages import source_page
from builder.render.site import Site
from builder.reviews import digest, reviewed_as
from builder.texts import find_text, searched
from builder.verify import verify


@dataclass
class LastBuild:
    """What the last successful build used, for a page made on its own before the next."""

    config: Any
    files: Any
    nav: Any
    env: Any
    inputs: dict[str, int]  # every file the build reads -> its modification time


def inputs(built: Built, config: Any) -> dict[str, int]:
    """Every file a build reads, with its modification time (nanoseconds). Of the stored texts,
    only the files the sources name, in every folder searched: a texts folder may be anywhere
    (EVIDENCE_SOURCE_TEXTS) and is never walked."""
    settings, options = built.settings, built.settings.options
    found: dict[str, int] = {}
    folders = [settings.path(options.evidence_dir), Path(config.docs_dir)]
    folders += [Path(config.theme.custom_dir)] if config.theme.custom_dir else []
    paths = [os.path.join(top, name) for folder in folders for top, _, names in os.walk(folder) for name in names]
    names = {e.source.source_text for e in built.corpus.entries if e.source.source_text} if built.corpus else set()
    paths += [str(folder.path / name) for folder in searched(settings) for name in sorted(names)]
    singles = (options.themes_file, options.briefing_file, options.bib_file, *options.extra_pages.values())
    paths += [str(settings.path(single)) for single in singles]
    for path in [*paths, str(config.config_file_path)]:
        # A file not there (or gone since it was listed) is absent from the record, as from the build.
        with contextlib.suppress(OSError):
            found[path] = os.stat(path, follow_symlinks=False).st_mtime_ns
    return found


def edited_pages(built: Built, last: LastBuild, memo: Memo, pages: dict[str, Any]) -> list[str]:
    """Write the pages of the edited sources, if only evidence files changed; their src_uris."""
    if built.corpus is None:
        return []
    now = inputs(built, last.config)
    changed = [path for path in now.keys() | last.inputs.keys() if now.get(path) != last.inputs.get(path)]
    by_file = {str(built.settings.path(e.file)): e for e in built.corpus.entries}
    if not changed or any(path not in by_file or path not in now for path in changed):
        return []
    corpus = built.corpus
    entries = {e.file: e for e in corpus.entries}
    checked = dict(corpus.checked)
    for path in changed:
        old = by_file[path]
        text, problems = read_text(Path(path), old.file, built.settings.options.max_file_bytes)
        doc, source, problems = load_source(old.file, text) if text is not None else (None, None, problems)
        if source is None or doc is None or problems or source.id != old.source.id:
            return []  # the full rebuild will say what is wrong
        entry = Entry(source, doc)
        name, settings = source.source_text, built.settings
        stored, problems = find_text(name, searched(settings), settings.root) if name else (None, [])
        if problems or stored is not None and verify(entry, stored):
            return []
        before = checked.pop(source.id, None)
        if stored is not None:
            sha, about = digest(stored.text), reviewed_as(source, corpus.references.get(source.cite))
            # An editor's review holds while the text, and what it is said to be, are those reviewed.
            same = before is not None and (before.text, before.sha256, before.about) == (stored.name, sha, about)
            checked[source.id] = Checked(stored.name, sha, about, before.review if same else None)
        entries[old.file] = entry
    ordered = tuple(sorted(entries.values(), key=lambda e: e.source.id))
    site = Site(dataclasses.replace(corpus, entries=ordered, checked=checked), built.settings, memo)
    written = []
    for path in changed:
        entry = entries[by_file[path].file]
        page = source_page(site, entry)
        src_uri = f"{page.uri}.md"
        file = last.files.get_file_from_path(src_uri)
        if file is None or file.page is None:
            return written
        pages[src_uri] = page
        file.content_string = page_front_matter(page) + page.body + "\n"
        _populate_page(file.page, last.config, last.files)
        _build_page(file.page, last.config, last.files.documentation_pages(), last.nav, last.env)
        written.append(src_uri)
    return written
