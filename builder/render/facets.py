"""What a reader can narrow lists by, in the browser: a source's kind, design, year, themes,
the strengths an editor rated its findings at and whether it was checked against a stored text.

Pages carry the facets of their items as data attributes, and a filter form that stays hidden
until builder/assets/evidence-browse.js shows it: without JavaScript a page shows everything.
The list of sources and the evidence map also read browse/sources.js, every source's facets,
so that they can narrow or count all sources, not only those on one page of a long list.
"""

from __future__ import annotations

import functools
import json
import re

from builder.corpus import CHECK_STATES
from builder.model import Source
from builder.render.html import escape
from builder.render.site import Site
from builder.synth import EMPIRICAL, STRENGTH_ORDER, TYPE_NAMES, TYPE_ORDER, TYPE_SINGULAR

FACETS = {
    "theme": "Theme",
    "kind": "Kind of source",
    "design": "Design",
    "year": "Year",
    "strength": "Strength, as an editor rated it",
    "checked": "Quotes checked",
}
# A design is free text; these words, where it has them, say which kinds of design it is.
DESIGNS = {
    "qualitative": "qualitative",
    "quantitative": "quantitative",
    "mixed": "mixed methods",
    "survey": "survey",
    "interview": "interviews",
    "case study": "case study",
    "observation": "observation",
    "review": "review",
    "trial": "trial",
    "evaluation": "evaluation",
    "opinion": "opinion",
}
NO_DATE = "no date"


_DESIGN_WORDS = re.compile(rf"\b({'|'.join(DESIGNS)})", re.IGNORECASE)


@functools.cache  # a design is shared by many sources, and asked for on each finding's page
def designs(design: str) -> tuple[str, ...]:
    found = {DESIGNS[word.lower()] for word in _DESIGN_WORDS.findall(design)}
    return tuple(label for label in DESIGNS.values() if label in found) or ("other",)


def source_facets(site: Site, source: Source) -> dict[str, list[str]]:
    return {
        "theme": sorted({f.theme for f in source.findings}),
        "kind": [source.type],
        "design": list(designs(source.design)),
        "year": [site.year(source) or NO_DATE],
        "strength": sorted({f.strength.level for f in source.findings if f.strength}, key=STRENGTH_ORDER.index),
        "checked": [site.corpus.check_state(source.id)],
    }


def labels(site: Site) -> dict[str, dict[str, str]]:
    """Each facet's values, in the order a reader expects, with the words shown for them."""
    years = sorted({site.year(s) for s in site.corpus.sources if site.year(s)}, reverse=True)
    return {
        "theme": {t.id: t.title for t in site.corpus.themes},
        "kind": {t: TYPE_NAMES[t] for t in TYPE_ORDER},
        "design": {d: d for d in [*dict.fromkeys(DESIGNS.values()), "other"]},
        "year": {**{y: y for y in years}, NO_DATE: "No date"},
        "strength": {s: s.replace("-", " ") for s in STRENGTH_ORDER},
        "checked": dict(CHECK_STATES),
    }


def data_attributes(facets: dict[str, list[str]]) -> str:
    return "".join(f' data-{name}="{escape(" ".join(values))}"' for name, values in facets.items())


def filter_form(site: Site, present: dict[str, set[str]], what: str) -> str:
    """The filter form for items with these facet values (a facet with one value is left out)."""
    fields = []
    for name, values in labels(site).items():
        shown = [(value, label) for value, label in values.items() if value in present.get(name, ())]
        if len(shown) < 2:
            continue
        options = "".join(f'<option value="{escape(v)}">{escape(label)}</option>' for v, label in shown)
        fields.append(
            f'<label>{escape(FACETS[name])} <select data-facet="{name}">'
            f'<option value="">Any</option>{options}</select></label>'
        )
    if not fields:
        return ""
    return (
        f'<form class="evidence-filters" data-what="{escape(what)}" hidden>{"".join(fields)}'
        '<button type="reset">Show all</button><p class="evidence-filters__count" role="status"></p></form>'
    )


def most_recent_first(site: Site) -> list[Source]:
    """The sources as the list of sources shows them: the most recently added first, then the
    most recently published, then by title."""
    by_title = sorted(site.corpus.sources, key=lambda s: (site.title_of(s).casefold(), s.id))
    by_year = sorted(by_title, key=lambda s: site.year(s) or "", reverse=True)
    return sorted(by_year, key=lambda s: s.added, reverse=True)


def sources_data(site: Site) -> str:
    """Every source's facets, for the list of sources and the evidence map: browse/sources.js.
    A row is [address, label, title, findings, facets]; its facets are numbers, each value's
    place in `values` (10,000 sources: 2 MB, not 3.6)."""
    shown = labels(site)
    number = {name: {value: i for i, value in enumerate(values)} for name, values in shown.items()}
    rows = []
    for source in most_recent_first(site):
        facets = source_facets(site, source)
        coded = [[number[name][value] for value in facets[name]] for name in FACETS]
        url = site.links.url(f"sources/{source.id}")
        rows.append([url, site.label(source), site.title_of(source), len(source.findings), coded])
    confidence = {theme.id: [site.confidence(m).said for m in theme.key_messages] for theme in site.corpus.themes}
    data = {
        "labels": shown,
        "values": {name: list(values) for name, values in shown.items()},  # in order: JS sorts numeric keys
        "names": FACETS,
        "rows": rows,
        "confidence": confidence,
        "list": site.links.url("sources/index"),
        "themes": {theme.id: site.links.url(f"themes/{theme.id}") for theme in site.corpus.themes},
        "kinds": TYPE_SINGULAR,
        "empirical": EMPIRICAL,  # the kinds of source that are research (builder/synth.py evidence_gap)
    }
    payload = json.dumps(data, ensure_ascii=True, separators=(",", ":")).replace("</", "<\\/")
    return f"evidenceBrowse.load({payload});\n"
