"""The `evidence` command: check, new, build, serve, render, schema."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from builder.problems import Problem, fails, format_problems, summary
from builder.settings import Settings, load_settings

# Libraries that narrate their work at INFO (WeasyPrint's layout steps, fontTools' glyph
# lists): quiet unless asked for with -v.
_CHATTY = ("weasyprint", "fontTools", "PIL", "watchdog", "citeproc", "markdown")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="evidence", description="Evidence briefing site tools.")
    parser.add_argument(
        "--root", type=Path, default=Path("."), help="project folder, where mkdocs.yml is (default: here)"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_check = sub.add_parser("check", help="check evidence files, themes and references.bib (as the build does)")
    p_check.add_argument("--format", choices=("text", "github", "json"), default="text")
    p_check.add_argument("paths", nargs="*", type=Path, help="report only on these files (default: all)")
    p_new = sub.add_parser("new", help="start evidence/<id>.yaml from a BibTeX entry")
    p_new.add_argument("key", help="the BibTeX key in references.bib")
    p_new.add_argument("--id", help="the source id (default: made from the key)")
    p_new.add_argument("--text", type=Path, help="a text file of what was read, to store and check quotes against")
    p_build = sub.add_parser("build", help="build site/ (strict, and atomic: a failed build keeps the old site)")
    p_build.add_argument("--site-dir", type=Path)
    p_build.add_argument("-v", "--verbose", action="store_true", help="say what each step does")
    p_serve = sub.add_parser("serve", help="preview the site, rebuilding as you edit")
    p_serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: %(default)s)")
    p_serve.add_argument("-v", "--verbose", action="store_true", help="say what each step does")
    p_render = sub.add_parser("render", help="write the generated pages and downloads into a docs folder")
    p_render.add_argument("folder", type=Path)
    sub.add_parser("schema", help="regenerate schema/*.schema.json from the model")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    settings, problems = load_settings(root / "mkdocs.yml")
    if problems:
        print(format_problems(problems), file=sys.stderr)
        return 1
    if args.command == "check":
        return run_check(settings, args.format, [settings.shown(p.resolve()) for p in args.paths])
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
        return run_build(root, args.site_dir)
    return run_serve(root, args.dev_addr)


def run_check(settings: Settings, fmt: str, only: list[str]) -> int:
    from builder.build import check_project

    # The whole base is always checked (a cite or theme is only wrong relative to the rest);
    # with paths, only the problems in those files are reported and judged.
    problems = [p for p in check_project(settings).problems if not only or p.file in only]
    if problems:
        print(format_problems(problems, fmt))
    failed = fails(problems)
    if fmt == "text":
        verdict = "evidence check failed: " if failed else "evidence check passed: "
        note = " (warnings fail the build too: fix them)" if any(p.severity == "warning" for p in problems) else ""
        print(verdict + summary(problems) + note, file=sys.stderr)
    return 1 if failed else 0


def run_render(settings: Settings, folder: Path) -> int:
    """The generated pages and downloads, for an engine that runs no plugins (e.g. Zensical)."""
    from builder.build import build_core

    built = build_core(settings)
    _print_problems(built.problems)
    if built.rendered is None:
        return 1
    for path, content in built.files:
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    print(f"wrote {len(built.files)} files into {folder}", file=sys.stderr)
    return 0


def run_build(root: Path, site_dir: Path | None) -> int:
    from mkdocs.exceptions import MkDocsException

    from builder.site import build_site_with

    start = time.monotonic()
    try:
        result = build_site_with(root / "mkdocs.yml", site_dir)
    except (MkDocsException, SystemExit) as exc:
        print(f"build failed ({exc}); the previous site was left as it was.", file=sys.stderr)
        return 1
    except OSError as exc:
        print(
            f"build failed: {exc.strerror or exc} ({exc.filename}); the previous site was left as it was.",
            file=sys.stderr,
        )
        return 1
    built = result.built
    if built and built.corpus and built.rendered:
        corpus, pages = built.corpus, len(built.rendered.pages)
        findings = sum(len(s.findings) for s in corpus.sources)
        print(
            f"built {len(corpus.sources)} sources, {findings} findings and {len(corpus.themes)} themes "
            f"into {pages} pages and {len(built.files) - pages} other files in {time.monotonic() - start:.1f} s",
            file=sys.stderr,
        )
    print(f"open {result.path / 'index.html'}", file=sys.stderr)
    return 0


def run_serve(root: Path, dev_addr: str) -> int:
    from builder.serve import serve

    print(f"previewing at http://{dev_addr}/ (Ctrl+C to stop); pages are rebuilt as you edit", file=sys.stderr)
    serve(root / "mkdocs.yml", dev_addr, lambda seconds: print(f"rebuilt in {seconds:.1f} s", file=sys.stderr))
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
