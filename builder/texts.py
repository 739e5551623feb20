"""Where a source's stored text is found: the project's own folder (`source-texts/`, which is
part of the repository) first, then each private folder EVIDENCE_SOURCE_TEXTS names, in its
order (builder/settings.py, Settings.texts_folders). The first folder that has the file wins.

The project's folder is contributed like everything else in the repository, so neither it, nor
a folder on the way to it, nor a text in it may be a symbolic link: a pull request could point
one at any file of the machine. Such a link is refused with a located error and never read
through. A private folder is the operator's choice and may be anywhere; only the file names
of texts come from contributors, and those cannot leave the folder (builder/model.py,
TEXT_FILE: no separator, no leading dot).
"""

from __future__ import annotations

import os
from pathlib import Path

from builder.files import link_on_the_way, read_text
from builder.problems import Problem
from builder.settings import TEXTS_ENV, Settings, TextsFolder
from builder.storedtext import MAX_TEXT_BYTES, StoredText


def refused_folder(settings: Settings) -> Problem | None:
    """The error for a project texts folder that is, or is reached through, a symbolic link."""
    own = settings.texts_folders[0]
    link = link_on_the_way(settings.root, own.path)
    if link is None:
        return None
    what = "this folder" if link == own.path else f"the folder {settings.shown(link)}/ on the way to it"
    return Problem(
        own.shown.rstrip("/"),
        1,
        1,
        "",
        f"{what} is a symbolic link, which the check does not follow",
        "commit the folder and the texts in it themselves, not a link to them",
    )


def searched(settings: Settings) -> tuple[TextsFolder, ...]:
    """The folders looked in for stored texts, in order; the project's own only if it is no link."""
    folders = settings.texts_folders
    return folders[1:] if refused_folder(settings) else folders


def find_text(name: str, folders: tuple[TextsFolder, ...], root: Path) -> tuple[StoredText | None, list[Problem]]:
    """The stored text `name` from the first folder that has it; or why that file cannot be read."""
    for folder in folders:
        path = folder.path / name
        if not os.path.lexists(path):
            continue
        # In the project's folder no link is followed on the way from the project's root.
        text, problems = read_text(path, folder.shown + name, MAX_TEXT_BYTES, None if folder.private else root)
        return (StoredText(name, text, folder.private) if text is not None else None), problems
    return None, []


def not_found(settings: Settings, name: str, folders: tuple[TextsFolder, ...]) -> tuple[str, str]:
    """What to say of a stored text that no folder has (where it looked), and the hint."""
    looked = ", nor in ".join(_named(folder) for folder in folders)
    message = f"the stored text {name} is not in {looked}"
    hint = (
        f"add the text to {settings.texts_folders[0].shown} if it may be republished; otherwise keep it "
        f"in a private folder and name that folder in {TEXTS_ENV}"
    )
    return message, hint


def _named(folder: TextsFolder) -> str:
    said = ([f"from {TEXTS_ENV}"] if folder.private else []) + ([] if folder.path.is_dir() else ["no such folder"])
    return folder.shown + (f" ({'; '.join(said)})" if said else "")
