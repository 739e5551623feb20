"""load -> validate -> link: the whole check, as one plain function over a project folder; then render."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from builder.bib import Reference
from builder.bibfile import DEFAULT_MAX_BIB_BYTES, read_bib
from builder.cache import Store, digest, stamp, stores
from builder.cite import author_date_labels
from builder.corpus import Card, Corpus, Entry, link, source_json
from builder.gcpause import paused_gc
from builder.model import Source, ThemesFile
from builder.parallel import in_two_with
from builder.problems import Problem, errors
from builder.render import Page, RenderOptions, render_site
from builder.render.shelf import RenderCache
from builder.validate import validate
from builder.yamlfile import DEFAULT_MAX_BYTES, YamlDoc, load_yaml, parse_yaml, read_text

DEFAULT_CACHE_DIR = ".cache/evidence"  # relative to the project root; git-ignored


@dataclass(frozen=True)
class Project:
    """Where the evidence base lives. Paths are relative to `root`, and shown that way in errors."""

    root: Path
    evidence_dir: str = "evidence"
    themes_file: str = "evidence/themes.yaml"
    bib_file: str = "references.bib"
    max_file_bytes: int = DEFAULT_MAX_BYTES
    max_bib_bytes: int = DEFAULT_MAX_BIB_BYTES
    cache_dir: str = ""  # e.g. ".cache/evidence": keep parsed files there between runs; empty: keep nothing

    def cache_path(self) -> Path | None:
        return self.root / self.cache_dir if self.cache_dir else None

    def evidence_files(self) -> list[str]:
        """The evidence files' paths, as text: 10,000 pathlib.Paths take 0.05 s to make."""
        folder = self.root / self.evidence_dir
        if not folder.is_dir():
            return []
        themes = (self.root / self.themes_file).name if (self.root / self.themes_file).parent == folder else None
        names = sorted(n for n in os.listdir(folder) if n.endswith((".yaml", ".yml")) and n != themes)
        return [os.path.join(folder, n) for n in names]

    def shown(self, path: Path | str) -> str:
        """The path as errors show it: relative to the project root."""
        text, root = str(path), str(self.root) + os.sep
        if text.startswith(root):  # the usual case, without pathlib's slower relative_to
            return text[len(root) :].replace(os.sep, "/")
        path = Path(path)
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            try:
                return path.resolve().relative_to(self.root.resolve()).as_posix()
            except ValueError:
                return path.as_posix()


@dataclass(frozen=True)
class CheckResult:
    corpus: Corpus | None  # None when any error was found
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return self.corpus is not None


def check(project: Project) -> CheckResult:
    with paused_gc():  # unpickling a store makes many objects too
        sources, pieces = stores(project.cache_path(), "sources", "bib-pieces")
        # Small, and saved after any change: what the library's text is made of (builder/bibfile.py), its labels.
        (references,) = stores(project.cache_path(), "references", batched=False)
        result = _check(project, sources, (references, pieces))
        for store in (sources, references, pieces):
            store.save()
    return result


@dataclass(frozen=True)
class Built:
    problems: tuple[Problem, ...]
    pages: list[Page] | None  # None when any error was found


def build_pages(project: Project, options: RenderOptions) -> Built:
    """Check, then render every page and download, with the project's caches (saved after)."""
    result = check(project)
    if result.corpus is None:
        return Built(result.problems, None)
    cache = RenderCache(project.cache_path())
    pages = render_site(result.corpus, options, cache)
    with paused_gc():
        cache.save()
    return Built(result.problems, pages)


def _check(project: Project, known: Store, bib_stores: tuple[Store, Store]) -> CheckResult:
    problems: list[Problem] = []
    themes_doc, found = load_yaml(project.root / project.themes_file, project.themes_file, project.max_file_bytes)
    problems += found
    themes_file = None
    if themes_doc is not None:
        themes_file, found = validate(themes_doc, ThemesFile)
        problems += found
        problems += _duplicate_theme_ids(themes_file, themes_doc) if themes_file else []
    bib_path = project.root / project.bib_file
    paths = project.evidence_files()
    looked_up = [_unchanged(project, path, known) for path in paths]
    changed = [(path, stamped) for path, (entry, stamped) in zip(paths, looked_up, strict=True) if entry is None]
    loaded, (references, found) = in_two_with(
        lambda part: [_load(project, path, known, stamped) for path, stamped in part],
        changed,
        lambda: read_bib(bib_path, project.bib_file, project.max_bib_bytes, *bib_stores),
        [known],
        _child_share(bib_path, len(changed)),
    )
    problems += found
    entries = []
    fresh = iter(loaded)
    for entry, _ in looked_up:
        entry, found = (entry, []) if entry else next(fresh)
        problems += found
        if entry is not None:
            entries.append(entry)
    themes = list(themes_file.themes) if themes_file else []
    corpus, found = link(themes, themes_doc, entries, references, project.bib_file, _labels(references, bib_stores[0]))
    problems += found
    return CheckResult(None if errors(problems) else corpus, tuple(problems))


def _labels(references: dict[str, Reference], store: Store) -> dict[str, str]:
    """Each reference's author-date label, kept with the parsed references: they follow from them alone."""
    if not store.keeps:
        return author_date_labels(references.values())
    h = hashlib.sha256(b"labels")
    for ref in references.values():  # in file order, as labels are given
        h.update(ref.digest)
    key = h.digest()
    kept = store.get(key)
    return kept if kept is not None else store.put(key, author_date_labels(references.values()))


def _child_share(bib_path: Path, files: int) -> float:
    """How many evidence files a forked child loads while this process parses the references.

    Estimated from sizes (benchmarks/RESULTS.md): BibTeX parses about five times slower a byte
    than an evidence file of about 4 KB loads, and the child's sending back its sources adds a
    quarter to its work.
    """
    try:
        bib = 5 * bib_path.stat().st_size
    except OSError:
        bib = 0
    evidence = 4096 * max(files, 1)
    return min(0.9, (bib + evidence) / (2.25 * evidence))


def _unchanged(project: Project, path: str, known: Store | None) -> tuple[Entry | None, bytes | None]:
    """(the entry, if the file is known by its stamp (size, times): then it is not even read;
    the stamp, taken before anything is read)."""
    if known is None or not known.keeps:
        return None, None
    stamped = stamp(path)
    if stamped and (content := known.get(stamped)) and (kept := known.get(content)) is not None:
        return Entry(*kept, doc=YamlDoc(project.shown(path), None, digest=content, path=path)), stamped
    return None, stamped


def _load(
    project: Project, path: str, known: Store | None, stamped: bytes | None
) -> tuple[Entry | None, list[Problem]]:
    """The validated source in one evidence file not known by its stamp (see _unchanged).

    A file whose text is known is not parsed. Only valid sources are kept: a file with
    problems is checked afresh each time. Kept is the source's card and the source as JSON,
    read back only if its own page must be rendered again.
    """
    shown = project.shown(path)
    stem, suffix = os.path.splitext(os.path.basename(path))
    if suffix != ".yaml":
        return None, [Problem(shown, 1, 1, "", "evidence files end in .yaml", f"rename it to {stem}.yaml")]
    keeps = known is not None and known.keeps
    text, problems = read_text(path, shown, project.max_file_bytes)
    if text is None:
        return None, problems
    content = digest("source", text)  # also what the render cache keys this source's parts by
    kept = known.get(content) if keeps else None
    if kept is None:
        doc, problems = parse_yaml(text, shown)
        if doc is None:
            return None, problems
        source, problems = validate(doc, Source)
        if source is None:
            return None, problems
        card = Card.of(source, digested=keeps)
        # As JSON now, while loading is split with a child: evidence.json holds it, the cache keeps it.
        as_json = source_json(source)
        if keeps:
            known.put(content, (card, as_json))
        entry = Entry(card, as_json, doc=YamlDoc(shown, None, digest=content, path=path))
        entry.__dict__["source"] = source  # at hand: never read back from JSON in this process
    else:
        entry = Entry(*kept, doc=YamlDoc(shown, None, digest=content, path=path))
    if stamped and keeps:
        known.put(stamped, content)
    # Neither the text nor the parsed data is kept: the validated source holds all of it, and
    # the text is read again only if a problem found later needs a position in it.
    return entry, []


def _duplicate_theme_ids(themes_file: ThemesFile, doc: YamlDoc) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for i, theme in enumerate(themes_file.themes):
        if theme.id in seen:
            problems.append(doc.problem(("themes", i, "id"), f"theme id '{theme.id}' is defined twice"))
        seen.add(theme.id)
    return problems
