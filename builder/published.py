"""What the build publishes besides the evidence, checked as the build will take it: the
hand-written pages (docs/ and the extra pages), the theme's own folder, and the site's folder.

These are the editors' files (.github/CODEOWNERS), yet a pull request can still carry them, and
the build fails, or publishes more than it should, on things the evidence check never sees. So
the check says, at each file:

- no file there, nor a folder on the way, is a symbolic link (the build would copy what it
  points at into the site); nor is the site's folder (the build replaces it);
- every name in docs/ is plain (letters, digits, '-', '_', '.'): MkDocs makes a page's title in
  the navigation from its file name, and prints it unescaped on every page;
- no hand-written file stands where the build writes a generated page or a folder of its own;
- every relative link of a hand-written page goes to a page or file of the site, as MkDocs'
  strict build requires.

And a hand-written page's front matter reaches the theme escaped, as a generated page's does
(builder/build.py page_front_matter): the theme prints a page's title, description and author
unescaped, in the page's head and in the navigation of every page.
"""

from __future__ import annotations

import html
import json
import os
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import markdown
import yaml
from markdown.treeprocessors import Treeprocessor

from builder.files import line_at, line_col, link_on_the_way
from builder.problems import Problem
from builder.settings import Settings

# Where the build writes files besides its pages (builder/render/, builder/build.py): a
# hand-written page may link into these folders, and no hand-written file may take their place.
GENERATED_FOLDERS = ("downloads", "search", "schema", "assets/evidence")
GENERATED_FILES = ("feed.xml", "browse/sources.js")
_PLAIN_NAME = re.compile(r"\.?[A-Za-z0-9_][A-Za-z0-9_.-]*")


def shown_name(path: Path) -> str:
    """A file's name as a message may show it, whatever bytes it is made of (b'\\xff' as \\xff)."""
    return os.fsencode(str(path)).decode("utf-8", "backslashreplace")


def tree_problems(settings: Settings, folder: str, *, names: bool) -> list[Problem]:
    """A problem for each link in `folder` (or on the way to it), and for each name that is not
    plain, if `names`: what the build would copy from there could be anything, or script."""
    top = settings.path(folder)
    link = link_on_the_way(settings.root, top)
    if link is not None:
        what = "this folder" if link == top else f"the folder {shown_name(link.name)}/ on the way to it"
        return [Problem(folder, 1, 1, "", f"{what} is a symbolic link, which the build does not follow")]
    problems = []
    for here, dirs, files in os.walk(top):
        for name in sorted(dirs + files):
            path = Path(here) / name
            shown = shown_name(settings.shown(path))
            if path.is_symlink():
                message = "this is a symbolic link, which the build does not follow"
                problems.append(Problem(shown, 1, 1, "", message, "put the file itself here"))
            elif names and not _PLAIN_NAME.fullmatch(name):
                message = "this name is not plain: the navigation makes a page's title from it"
                hint = "rename it with letters, digits, '-', '_' and '.' only, e.g. about-us.md"
                problems.append(Problem(shown, 1, 1, "", message, hint))
        dirs[:] = [d for d in dirs if _PLAIN_NAME.fullmatch(d) or not names]
    return problems


def site_problems(settings: Settings) -> list[Problem]:
    """The site's folder is replaced by each build: never through a link (builder/atomic.py)."""
    link = link_on_the_way(settings.root, settings.path(settings.site_dir))
    if link is None or not link.is_relative_to(settings.root):
        return []
    message = "this is a symbolic link: the build would replace what it points at with the site"
    return [Problem(settings.shown(link), 1, 1, "", message, "delete the link: the build makes the folder itself")]


def clashes(settings: Settings, uris: list[str]) -> list[Problem]:
    """A hand-written file at the path of a generated page or file, or of a folder the build makes."""
    files = {uri + ".md" for uri in uris} | set(settings.options.extra_pages) | set(GENERATED_FILES)
    folders = {posixpath.dirname(path) for path in files} | set(GENERATED_FOLDERS)
    folders |= {parent for folder in folders for parent in _parents(folder)}
    docs = settings.path(settings.docs_dir)
    problems = []
    for here, dirs, names in os.walk(docs):
        for name in dirs + names:
            path = Path(here) / name
            relative = path.relative_to(docs).as_posix()
            is_dir = name in dirs
            if relative in files:
                what = "folder" if is_dir else "hand-written page"
                message = f"this {what} has the path of a generated page or file ({relative})"
            elif relative in folders and not is_dir:
                message = f"this file has the path of a folder the build makes ({relative}/)"
            else:
                continue
            problems.append(Problem(shown_name(settings.shown(path)), 1, 1, "", message, "rename or move it"))
    return problems


def _parents(folder: str) -> list[str]:
    parts = folder.split("/")
    return ["/".join(parts[:n]) for n in range(1, len(parts))]


def link_problems(settings: Settings, uris: list[str], pages: list[tuple[str, str, str]]) -> list[Problem]:
    """A problem at each relative link of a hand-written page (shown, src_uri, Markdown) to a
    page or file the site does not have: MkDocs' strict build fails on it. Links are found by
    Python-Markdown, as MkDocs finds them (not in code), and resolved as MkDocs resolves them."""
    docs = settings.path(settings.docs_dir)
    known = {p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file()} if docs.is_dir() else set()
    known |= {uri + ".md" for uri in uris} | set(settings.options.extra_pages) | set(GENERATED_FILES)
    problems = []
    for shown, src_uri, text in pages:
        for target in dict.fromkeys(_links(text)):
            path = _target(src_uri, target)
            if path is None or path in known or path.startswith(tuple(f + "/" for f in GENERATED_FOLDERS)):
                continue
            at = text.find(target)
            line, col = line_col(text, at) if at >= 0 else (1, 1)
            problems.append(
                Problem(
                    shown,
                    line,
                    col,
                    "",
                    f"this link goes to {path}, which is not a page or file of the site",
                    "link to a hand-written page in docs/ or a generated one (methods.md, themes/<id>.md, "
                    "sources/<id>.md...), relative to this page",
                    excerpt=line_at(text, line),
                )
            )
    return problems


def _target(src_uri: str, url: str) -> str | None:
    """The file a link names, as MkDocs resolves it; None for what MkDocs does not check
    (an address elsewhere, a link from the site's root, to an anchor, or without an extension)."""
    scheme, netloc, path, _, _ = urlsplit(url)
    if scheme or netloc or url.startswith(("/", "\\")) or not path:
        return None
    path = unquote(path)
    if not posixpath.splitext(path)[1]:
        return None  # MkDocs only notes these ("unrecognized"), whatever the strict build
    return posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), path).lstrip("/"))


class _Collect(Treeprocessor):
    def run(self, root):  # type: ignore[no-untyped-def]
        self.found = [e.get("href" if e.tag == "a" else "src") or "" for e in root.iter() if e.tag in ("a", "img")]
        return root


# A page's YAML front matter, as MkDocs finds it (mkdocs/utils/meta.py YAML_RE).
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)


def escaped_meta(meta: dict) -> dict:
    """A hand-written page's front matter as the theme may print it: its text values HTML-escaped."""
    return {key: html.escape(value) if isinstance(value, str) else value for key, value in meta.items()}


def escaped_front_matter(page: str) -> str:
    """A hand-written page with its front matter escaped (escaped_meta), for an engine that runs no
    plugin (Zensical); written back as JSON, which YAML reads, ASCII only."""
    found = _FRONT_MATTER.match(page)
    try:
        meta = yaml.safe_load(found.group(1)) if found else None
    except yaml.YAMLError:
        return page  # not front matter to MkDocs either: the page's text
    if not found or not isinstance(meta, dict):
        return page
    escaped = escaped_meta(meta).items()
    front = "".join(f"{json.dumps(str(k))}: {json.dumps(v, ensure_ascii=True, default=str)}\n" for k, v in escaped)
    return "---\n" + front + "---\n" + page[found.end() :]


def _links(text: str) -> list[str]:
    """The addresses of a Markdown page's links and images, found as MkDocs finds them: in the
    tree Python-Markdown makes (with the extensions MkDocs always adds), not in code or raw HTML."""
    md = markdown.Markdown(extensions=["tables", "fenced_code"])
    collect = _Collect(md)
    md.treeprocessors.register(collect, "evidence_links", 0)
    front = _FRONT_MATTER.match(text)  # read apart by MkDocs, before Markdown sees the page
    md.convert(text[front.end() :] if front else text)
    return collect.found
