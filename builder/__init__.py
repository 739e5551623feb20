"""Evidence-synthesis site generator: YAML evidence + BibTeX -> a static briefing site.

The core (load -> validate -> link -> synthesise -> render) is plain functions over frozen
dataclasses and never imports MkDocs: it renders each page as HTML, from structure (no Markdown
is written for MkDocs to parse back). Only the edge imports MkDocs or Jinja (DEVELOPMENT.md
lists it; tests/test_compat.py holds the core to it). DEVELOPMENT.md also says how
the data flows and where to make each kind of change.
"""

from __future__ import annotations

DISTRIBUTION = "evidence-briefing"  # the name pip knows the generator by


def installed_version() -> str | None:
    """The version installed (pyproject.toml's when it was installed), or None in a checkout
    that was never installed."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return None
