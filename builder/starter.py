"""`evidence init DIR --title TITLE`: a complete briefing project for a new team.

The project is the package's skeleton (builder/skeleton/: files named `dot-x` become `.x`, as
a package cannot carry dot-files reliably) with its markers filled in (the title, and the
generator's pin: builder/pin.py), plus the JSON Schemas. The title lands in two places, each
written in its own syntax so that it is text whatever it holds: mkdocs.yml (a YAML
double-quoted scalar, written by PyYAML's emitter) and the README's heading (Markdown with
every markup character escaped). The site escapes it wherever it shows it
(builder/mkdocs_plugin.py on_config, and the generator's own escaping).

The project is made in a folder beside the target and renamed into place: an existing
folder that is not empty is refused, and a failure half-way leaves nothing behind.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

import yaml
from packaging.requirements import InvalidRequirement, Requirement

from builder.files import bad_character, invisible_message
from builder.pin import Pin, this_generator
from builder.schema import SCHEMAS, schema_text

SKELETON = Path(__file__).parent / "skeleton"
MAX_TITLE = 200
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>])")


def init_project(folder: Path, title: str, generator: str | None = None) -> int:
    """Make the project in `folder`; 0, or 1 with one message saying why nothing was written."""
    pin = Pin(generator) if generator else this_generator()
    refused = _title_refused(title) or _generator_refused(pin) or _folder_refused(folder)
    if refused:
        print(f"evidence init: {refused}; nothing was written", file=sys.stderr)
        return 1
    markers = {
        "@SITE_NAME@": yaml.safe_dump(title, default_style='"', allow_unicode=True, width=10_000).strip(),
        "@TITLE_MARKDOWN@": _MARKDOWN_PUNCTUATION.sub(r"\\\1", html.escape(title, quote=False)),
        "@GENERATOR@": pin.requirement,
    }
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-init-", dir=folder.parent))
    try:
        _write(staging, markers)
        os.chmod(staging, 0o755)  # mkdtemp makes it 0700
        os.rename(staging, folder)  # onto an empty folder, or none; refused if one appeared meanwhile
    except OSError as exc:
        print(f"evidence init: cannot make {folder}: {exc.strerror or exc}; nothing was written", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    print(
        f"made a briefing project in {folder}: next, `cd {folder}`, `make check` and `make site`; "
        "its README.md says what to write first",
        file=sys.stderr,
    )
    if pin.note:
        print(f"note: {pin.note}", file=sys.stderr)
    return 0


def _write(root: Path, markers: dict[str, str]) -> None:
    for path in sorted(SKELETON.rglob("*")):
        if path.is_dir() or "__pycache__" in path.parts:
            continue
        relative = Path(*(re.sub(r"^dot-", ".", part) for part in path.relative_to(SKELETON).parts))
        text = path.read_text(encoding="utf-8")
        for marker, value in markers.items():
            text = text.replace(marker, value)
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    (root / "schema").mkdir()
    for name in SCHEMAS:
        (root / "schema" / name).write_text(schema_text(name), encoding="utf-8")


def _title_refused(title: str) -> str:
    if not title.strip():
        return 'give the briefing a title with --title, e.g. --title "Social prescribing: what works"'
    if len(title) > MAX_TITLE:
        return f"the title has {len(title):,} characters; a title has at most {MAX_TITLE}: shorten it"
    if any(c in title for c in "\n\r\t\v\f\x85\u2028\u2029"):
        return "the title is one line of text: join its lines, without tabs"
    bad = bad_character(title)
    if bad is not None:
        return f"the title cannot hold that character: {invisible_message(title, bad)}; type it again without it"
    return ""


def _generator_refused(pin: Pin) -> str:
    if not pin.requirement:
        return f"{pin.note}: give --generator"
    try:
        Requirement(pin.requirement)
    except InvalidRequirement:
        return (
            "--generator must be one requirement as pip reads it, e.g. 'evidence-briefing==0.2.0' or "
            "'evidence-briefing @ git+https://example.org/evidence-briefing@v0.2.0'"
        )
    return ""


def _folder_refused(folder: Path) -> str:
    if folder.is_symlink():
        return f"{folder} is a symbolic link: give the folder itself"
    if folder.exists() and not folder.is_dir():
        return f"{folder} is a file, not a folder: give a new folder's name"
    if folder.exists() and any(folder.iterdir()):
        return f"{folder} is not empty: give a new folder's name, or an empty folder"
    return ""
