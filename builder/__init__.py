"""Evidence-synthesis site generator: YAML evidence + BibTeX -> a static briefing site.

The core (load -> validate -> link -> synthesise -> render) is plain functions over frozen
dataclasses and never imports MkDocs; the edge modules (`builder.config`, `mkdocs_plugin`,
`site`, `serve`, `preview`) are the only ones that do.
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
