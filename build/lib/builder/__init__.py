"""Evidence-synthesis site generator: YAML evidence + BibTeX -> a static briefing site.

The core (load -> validate -> link -> render Markdown) is plain functions over
frozen dataclasses and never imports MkDocs; `builder.mkdocs_plugin` is the
only adapter to MkDocs.
"""
