"""A reference formatted in a Harvard author-date style, as escaped HTML."""

from __future__ import annotations

from markupsafe import Markup

from builder.bib import Person, Reference

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _initials(given: str) -> str:
    parts = given.replace(".", ". ").replace("-", " -").split()
    return "".join(p[0] + "." if not p.startswith("-") else "-" + p[1] + "." for p in parts if p.strip("-"))


def _person(p: Person) -> str:
    return f"{p.family}, {_initials(p.given)}" if p.given else p.family


def authors_text(ref: Reference) -> str:
    people = [_person(p) for p in ref.authors]
    if ref.et_al:
        return ", ".join(people) + " et al."
    return people[0] if len(people) == 1 else ", ".join(people[:-1]) + " and " + people[-1]


def _full_date(ref: Reference) -> str:
    parts = ref.get("date").split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts) and 1 <= int(parts[1]) <= 12:
        return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return ""


def link_for(ref: Reference) -> tuple[str, str] | None:
    """(href, text) for the reference's DOI or URL; only https/http links are ever made."""
    if ref.get("doi"):
        url = "https://doi.org/" + ref.get("doi")
        return url, url
    url = ref.get("url")
    if url.lower().startswith(("https://", "http://")):
        return url, url
    return None


def format_reference(ref: Reference) -> Markup:
    """Authors (Year) 'Title', *Container*, vol(issue), pp. pages. Publisher. Available at: link."""
    year = ref.year or "n.d."
    title = ref.get("title")
    container = ref.container
    is_part = bool(container) or ref.entry_type in ("article", "incollection", "inproceedings")
    out = []
    if ref.authors or ref.corporate_author:
        who = (
            Markup("{}").format(authors_text(ref))
            if ref.authors
            else Markup("<em>{}</em>").format(ref.corporate_author)
        )
        out.append(Markup("{} ({}) ").format(who, year))
        out.append(Markup("‘{}’").format(title) if is_part else Markup("<em>{}</em>").format(title))
    else:
        out.append(Markup("<em>{}</em> ({})").format(title or ref.key, year))
    if container and container != ref.corporate_author:
        out.append(
            Markup(", {}<em>{}</em>").format(
                "in " if ref.get("booktitle") and not ref.get("journal") else "", container
            )
        )
    volume, number, pages = ref.get("volume"), ref.get("number"), ref.get("pages")
    if volume:
        out.append(Markup(", {}").format(volume + (f"({number})" if number else "")))
    if ref.get("eid"):
        out.append(Markup(", {}").format(ref.get("eid")))
    if pages:
        out.append(Markup(", pp. {}").format(pages.replace("--", "–")))
    # A title ending in '?' or '!' needs no full stop after it.
    last = (pages or ref.get("eid") or volume or container or title).rstrip()
    if not last.endswith(("?", "!", ".")):
        out.append(Markup("."))
    publisher = ref.get("howpublished") or ref.get("publisher") or ref.get("institution") or ref.get("organization")
    publisher = "" if publisher == ref.corporate_author else publisher
    date = _full_date(ref)
    if publisher or date:
        out.append(Markup(" {}.").format(", ".join(x for x in (publisher, date) if x)))
    link = link_for(ref)
    if link:
        out.append(Markup(' Available at: <a href="{}">{}</a>.').format(*link))
    return Markup("").join(out)
