"""How a new project names the generator it is built with: as pip installed the running one.

pip records where it installed a package from (PEP 610, `direct_url.json`). From a git
repository, the project pins the very commit (`evidence-briefing @ git+URL@COMMIT`): nothing
can change under it, and no package index is involved. From an archive at a web address, that
address with its SHA-256. From a package index, the release (`evidence-briefing==X.Y.Z`).
From a folder, a file or a repository on this machine, which a project's CI cannot reach,
the release too, with a note saying so: it installs only where an index has that release.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, distribution
from urllib.parse import urlsplit, urlunsplit

from builder import DISTRIBUTION, installed_version


@dataclass(frozen=True)
class Pin:
    requirement: str  # one line of requirements.txt, as pip reads it; "" when none can be made
    note: str = ""  # what the team must know about it, if anything


def this_generator() -> Pin:
    """The pin of the generator running now, from how pip installed it."""
    try:
        recorded = distribution(DISTRIBUTION).read_text("direct_url.json")
    except PackageNotFoundError:
        return Pin("", "this copy of the generator is not installed, so its version is not known")
    return pin_from(json.loads(recorded) if recorded else None, installed_version() or "")


def pin_from(direct_url: dict | None, version: str) -> Pin:
    release = f"{DISTRIBUTION}=={version}"
    if not direct_url:
        return Pin(release)  # from a package index
    url = _without_credentials(str(direct_url.get("url", "")))
    vcs = direct_url.get("vcs_info") or {}
    if url.startswith("file:"):
        return _local(url, release)
    if vcs.get("vcs") == "git" and vcs.get("commit_id"):
        return Pin(f"{DISTRIBUTION} @ git+{url}@{vcs['commit_id']}")
    archive = direct_url.get("archive_info")
    if archive is not None and url.startswith("https://"):
        sha256 = (archive.get("hashes") or {}).get("sha256")
        return Pin(f"{DISTRIBUTION} @ {url}" + (f"#sha256={sha256}" if sha256 else ""))
    return _local(url, release)


def _local(url: str, release: str) -> Pin:
    return Pin(
        release,
        f"this generator was installed from {url or 'this machine'}, which the project's workflows cannot "
        f"install from; requirements.txt names the release {release}, which installs only from a package index "
        "that has it: if yours does not, name the generator's git repository and commit there instead "
        "(README.md, 'The generator')",
    )


def _without_credentials(url: str) -> str:
    """An address as it may be committed: no user name or token (pip may have kept one)."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    return urlunsplit(parts._replace(netloc=host + (f":{parts.port}" if parts.port else "")))
