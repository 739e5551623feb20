"""The `evidence` command: check, new, build, review, serve, render, schema, init."""

from __future__ import annotations

import argparse
import dataclasses
import errno
import logging
import sys
import time
from pathlib import Path

from builder import installed_version
from builder.config import load_settings
from builder.problems import Problem, did_you_mean, fails, format_problems, summary
from builder.settings import Settings

_REQUIRE_TEXTS = "fail for each source whose named stored text cannot be found (for publishing)"
# The site generators that can build the site: MkDocs, with the evidence plugin, is the default.
_ENGINES = ("mkdocs", "zensical")
_ENGINE = "the site generator that builds the site (default: %(default)s; zensical: README.md, 'Life after MkDocs 1.x')"
# Libraries that narrate their work at INFO (WeasyPrint's layout steps, fontTools' glyph
# lists): quiet unless asked for with -v.
_CHATTY = ("weasyprint", "fontTools", "PIL", "watchdog", "citeproc", "markdown")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="evidence", description="Evidence briefing site tools.")
    parser.add_argument(
        "--version", action="version", version=f"evidence {installed_version() or '(not installed: no version)'}"
    )
    parser.add_argument(
        "--root", type=Path, default=Path("."), help="project folder, where mkdocs.yml is (default: here)"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_check = sub.add_parser("check", help="check evidence files, themes and references.bib (as the build does)")
    p_check.add_argument("--format", choices=("text", "github", "json"), default="text")
    p_check.add_argument("paths", nargs="*", type=Path, help="report only on these files (default: all)")
    p_check.add_argument("--require-texts", action="store_true", help=_REQUIRE_TEXTS)
    p_new = sub.add_parser("new", help="start evidence/<id>.yaml from a BibTeX entry")
    p_new.add_argument("key", help="the BibTeX key in references.bib")
    p_new.add_argument("--id", help="the source id (default: made from the key)")
    p_new.add_argument("--text", type=Path, help="a text file of what was read, to store and check quotes against")
    p_build = sub.add_parser("build", help="build site/ (strict, and atomic: a failed build keeps the old site)")
    p_build.add_argument("--site-dir", type=Path)
    p_build.add_argument("-v", "--verbose", action="store_true", help="say what each step does")
    p_build.add_argument("--require-texts", action="store_true", help=_REQUIRE_TEXTS)
    p_build.add_argument("--engine", choices=_ENGINES, default="mkdocs", help=_ENGINE)
    p_review = sub.add_parser("review", help="record that an editor reviewed a source's stored text (editors)")
    p_review.add_argument("source", help="the id of the source whose stored text you compared with its address")
    p_review.add_argument("--by", required=True, help="who reviewed it (a name or a role)")
    p_appraise = sub.add_parser(
        "appraise",
        help="bind an appraisal, a strength rating or a key message's confidence to what it now judges, once judged "
        "again (editors)",
    )
    p_appraise.add_argument("source", nargs="?", help="the id of the source appraised, or whose finding was rated")
    p_appraise.add_argument("--finding", help="the id of the finding rated (without it: the source's appraisal)")
    p_appraise.add_argument(
        "--message", help="THEME-ID/MESSAGE-ID: the key message whose confidence was judged (in evidence/themes.yaml)"
    )
    p_serve = sub.add_parser("serve", help="preview the site, rebuilding as you edit")
    p_serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: %(default)s)")
    p_serve.add_argument("-v", "--verbose", action="store_true", help="say what each step does")
    p_serve.add_argument("--engine", choices=_ENGINES, default="mkdocs", help=_ENGINE)
    p_serve.add_argument(
        "--poll",
        action="store_true",
        help="look for changes four times a second, where edits are not noticed otherwise "
        "(a network drive, a folder shared into a container)",
    )
    p_diff = sub.add_parser("diff", help="what a change does to the synthesis, in Markdown (for reviewers)")
    p_diff.add_argument("base", help="the git revision to compare with: a branch, a tag or a commit")
    p_diff.add_argument("--head", help="the git revision to compare (default: the working tree)")
    p_render = sub.add_parser("render", help="write the generated pages and downloads into a docs folder")
    p_render.add_argument("folder", type=Path)
    sub.add_parser("schema", help="regenerate schema/*.schema.json from the model")
    p_init = sub.add_parser("init", help="make a new briefing project in FOLDER, ready to check and build")
    p_init.add_argument("folder", type=Path, help="a new folder (or an empty one), e.g. ../social-prescribing")
    p_init.add_argument("--title", required=True, help="the briefing's title, as its site shows it")
    p_init.add_argument(
        "--generator", help="the generator the project installs, as pip reads it (default: this version, pinned)"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "init":  # before mkdocs.yml is read: there is none yet
        from builder.starter import init_project

        return init_project(args.folder, args.title, args.generator)
    root = args.root.resolve()
    if args.command == "diff":  # each revision has its own mkdocs.yml
        from builder.revisions import run_diff

        return run_diff(root, args.base, args.head)
    settings, problems = load_settings(root / "mkdocs.yml")
    if problems:
        print(format_problems(problems), file=sys.stderr)
        return 1
    if getattr(args, "require_texts", False):
        settings = dataclasses.replace(settings, options=dataclasses.replace(settings.options, require_texts=True))
    if args.command == "check":
        return run_check(settings, args.format, [settings.shown(p.resolve()) for p in args.paths])
    if args.command == "review":
        return run_review(settings, args.source, args.by)
    if args.command == "appraise":
        if (args.source is None) == (args.message is None) or (args.message and args.finding):
            parser.error(
                "appraise takes a SOURCE-ID (with --finding ID for a rating), or --message THEME-ID/MESSAGE-ID"
            )
        return run_appraise(settings, args.source, args.finding, args.message)
    if args.command == "new":
        from builder.scaffold import new_source

        return new_source(settings, args.key, args.id, args.text)
    if args.command == "render":
        return run_render(settings, args.folder)
    if args.command == "schema":
        from builder.schema import write_schemas

        for path in write_schemas(root / "schema"):
            print(f"wrote {path.relative_to(root)}", file=sys.stderr)
        return 0
    _quiet_logging(args.verbose)
    if args.command == "build":
        return run_build(root, args.site_dir, settings.options.require_texts, args.engine)
    return run_serve(root, args.dev_addr, args.engine, args.poll)


def run_check(settings: Settings, fmt: str, only: list[str]) -> int:
    from builder.build import check_project
    from builder.reviews import awaiting_review, awaiting_said

    # The whole base is always checked (a cite or theme is only wrong relative to the rest);
    # with paths, only the problems in those files are reported and judged.
    result = check_project(settings)
    problems = [p for p in result.problems if not only or p.file in only]
    if problems:
        print(format_problems(problems, fmt))
    awaiting = [a for a in awaiting_review(result.corpus) if not only or a.file in only] if result.corpus else []
    if fmt == "github":
        for review in awaiting:
            print(review.github())
    failed = fails(problems)
    if fmt == "text":
        verdict = "evidence check failed: " if failed else "evidence check passed: "
        note = " (warnings fail the build too: fix them)" if any(p.severity == "warning" for p in problems) else ""
        print(verdict + summary(problems) + note, file=sys.stderr)
        if awaiting:
            print(awaiting_said(awaiting), file=sys.stderr)
    return 1 if failed else 0


def run_review(settings: Settings, source_id: str, by: str) -> int:
    """`evidence review`: an editor records that a source's stored text is what its `read:` says."""
    import datetime as dt

    from pydantic import ValidationError

    from builder.build import check_project
    from builder.model import TextReview
    from builder.reviews import review_lines, with_review

    def refuse(message: str) -> int:
        print(f"evidence review: {message}", file=sys.stderr)
        return 1

    result = check_project(settings)
    if result.corpus is None:
        print(format_problems([p for p in result.problems if p.fails]), file=sys.stderr)
        return refuse("the check fails: fix the problems above first")
    entry, checked = result.corpus.by_id.get(source_id), result.corpus.checked.get(source_id)
    if entry is None:
        return refuse(f"there is no source '{source_id}'{did_you_mean(source_id, result.corpus.by_id)}")
    read = entry.source.read
    if checked is None:
        return refuse(f"{entry.file} names no stored text that was found: nothing to review")
    if read is None or read.url is None or read.copied is None:
        return refuse(
            f"{entry.file} does not say what its stored text is: give 'read:' the 'url' it was copied from "
            "and the date it was 'copied', so that you can compare the text with it"
        )
    if checked.review:
        earlier = checked.review
        print(f"{checked.text} was reviewed already, by {earlier.reviewed_by} on {earlier.reviewed}", file=sys.stderr)
        return 0
    try:
        review = TextReview(
            source=source_id,
            text=checked.text,
            sha256=checked.sha256,
            about=checked.about,
            reviewed_by=by,
            reviewed=dt.date.today(),
        )
    except ValidationError:
        return refuse("give who reviewed it with --by: a name or a role, in plain text")
    relative = settings.options.text_reviews
    path = settings.path(relative)
    after = with_review(path.read_text(encoding="utf-8") if path.exists() else "", relative, review)
    if after is None:
        lines = review_lines(review)
        return refuse(f"cannot add to {relative} as it is written: add these lines under 'reviews:' by hand\n{lines}")
    path.write_text(after, encoding="utf-8")
    print(f"recorded in {relative}: {by} reviewed {checked.text} ({source_id}); commit the file", file=sys.stderr)
    return 0


def run_appraise(settings: Settings, source_id: str | None, finding_id: str | None, message: str | None) -> int:
    """`evidence appraise`: an editor who has judged a source, finding or key message again binds
    the judgement recorded in evidence/appraisals.yaml (or themes.yaml) to what it now judges."""
    from builder.appraisals import rebound
    from builder.assessments import rebound_message
    from builder.build import check_project

    result = check_project(settings)
    corpus = result.corpus
    if corpus is None:
        print(format_problems([p for p in result.problems if p.fails]), file=sys.stderr)
        print("evidence appraise: the check fails: fix the problems above first", file=sys.stderr)
        return 1
    relative = settings.options.themes_file if message else settings.options.appraisals
    path = settings.path(relative)
    before = path.read_text(encoding="utf-8") if path.exists() else ""
    after, said = (
        rebound_message(corpus, before, relative, message)
        if message
        else rebound(corpus, before, relative, source_id or "", finding_id)
    )
    if after is not None and after != before:
        path.write_text(after, encoding="utf-8")
    print(f"evidence appraise: {said}", file=sys.stderr)
    return 1 if after is None else 0


def run_render(settings: Settings, folder: Path) -> int:
    """The generated pages and downloads, for an engine that runs no plugins: as Zensical is given
    them by `evidence build --engine zensical` (builder/zensical_site.py)."""
    from builder.build import build_core
    from builder.zensical_site import docs_files, write_files

    built = build_core(settings)
    _print_problems(built.problems)
    if built.pages is None:
        return 1
    files = docs_files(built)
    write_files(folder, files)
    print(f"wrote {len(files)} files into {folder}", file=sys.stderr)
    return 0


def run_build(root: Path, site_dir: Path | None, require_texts: bool = False, engine: str = "mkdocs") -> int:
    if engine == "zensical":
        from builder.zensical_site import ZensicalError, build_site_with

        failed: tuple[type[BaseException], ...] = (ZensicalError,)
    else:
        from mkdocs.exceptions import MkDocsException

        from builder.site import build_site_with

        failed = (MkDocsException, SystemExit)
    from builder.atomic import RefusedSite

    start = time.monotonic()
    try:
        result = build_site_with(root / "mkdocs.yml", site_dir, require_texts=require_texts)
    except RefusedSite as exc:
        print(f"build failed: {exc}. Nothing was changed.", file=sys.stderr)
        return 1
    except failed as exc:
        print(f"build failed ({exc}); the previous site was left as it was.", file=sys.stderr)
        return 1
    except OSError as exc:
        print(
            f"build failed: {exc.strerror or exc} ({exc.filename}); the previous site was left as it was.",
            file=sys.stderr,
        )
        return 1
    built = result.built
    if built and built.corpus and built.pages:
        corpus, pages = built.corpus, len(built.pages)
        findings = sum(len(s.findings) for s in corpus.sources)
        print(
            f"built {len(corpus.sources)} sources, {findings} findings and {len(corpus.themes)} themes "
            f"into {pages} pages and {len(built.extras)} other files in {time.monotonic() - start:.1f} s",
            file=sys.stderr,
        )
    print(f"open {result.path / 'index.html'}", file=sys.stderr)
    return 0


def run_serve(root: Path, dev_addr: str, engine: str = "mkdocs", poll: bool = False) -> int:
    if engine == "zensical":
        from builder.zensical_site import serve
    else:
        from builder.serve import serve

    from builder.zensical_site import ZensicalError

    print(f"previewing at http://{dev_addr}/ (Ctrl+C to stop); pages are rebuilt as you edit", file=sys.stderr)
    try:
        serve(root / "mkdocs.yml", dev_addr, lambda line: print(line, file=sys.stderr), poll)
    except ZensicalError as exc:
        print(f"evidence serve: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EMFILE) or poll:  # not the system's limit of watches
            raise
        print(
            f"evidence serve: the system will not tell the preview when a file changes ({exc.strerror}). "
            "Run `evidence serve --poll`, which looks for changes instead, or raise the limit "
            "(sysctl fs.inotify.max_user_watches and fs.inotify.max_user_instances).",
            file=sys.stderr,
        )
        return 1
    return 0


def _print_problems(problems: tuple[Problem, ...]) -> None:
    if problems:
        print(format_problems(problems), file=sys.stderr)


class _Plain(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        return message if record.levelno >= logging.ERROR else f"{record.levelname.lower()}: {message}"


class _Progress(logging.Handler):
    """One line that counts the pages as MkDocs writes them (on a terminal only)."""

    def emit(self, record: logging.LogRecord) -> None:
        done, total = getattr(record, "evidence_progress", (0, 0))
        end = "\n" if done >= total else ""
        sys.stderr.write(f"\rwriting pages: {done:,} of {total:,}{end}")
        sys.stderr.flush()


def _quiet_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Plain())
    mkdocs = logging.getLogger("mkdocs")
    mkdocs.setLevel(logging.DEBUG if verbose else logging.WARNING)
    mkdocs.addHandler(handler)
    mkdocs.propagate = False
    for name in _CHATTY:
        logging.getLogger(name).setLevel(logging.WARNING if verbose else logging.ERROR)
    progress = logging.getLogger("mkdocs.plugins.evidence.progress")
    progress.propagate = False
    if sys.stderr.isatty() and not verbose:
        progress.setLevel(logging.DEBUG)
        progress.addHandler(_Progress())


if __name__ == "__main__":
    sys.exit(main())
