"""The `evidence` command: check, new, build, serve."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from builder.pipeline import DEFAULT_CACHE_DIR, Project, check
from builder.problems import errors, format_problems, summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="evidence", description="Evidence briefing site tools.")
    parser.add_argument("--root", type=Path, default=Path("."), help="project folder (default: here)")
    sub = parser.add_subparsers(dest="command", required=True)
    p_check = sub.add_parser("check", help="validate evidence files, themes and references.bib")
    p_check.add_argument("--format", choices=("text", "github", "json"), default="text")
    p_check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p_check.add_argument("--no-cache", action="store_true", help=f"ignore {DEFAULT_CACHE_DIR}/")
    p_check.add_argument("paths", nargs="*", type=Path, help="report only on these files (default: all)")
    p_new = sub.add_parser("new", help="scaffold evidence/<id>.yaml from a BibTeX entry")
    p_new.add_argument("key", help="the BibTeX key in references.bib")
    p_new.add_argument("--id", help="the source id (default: derived from the key)")
    p_build = sub.add_parser("build", help="build site/ (atomically, with --strict)")
    p_build.add_argument("--site-dir", type=Path)
    p_serve = sub.add_parser("serve", help="preview the site, rebuilding on every change")
    p_serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: %(default)s)")
    sub.add_parser("schema", help="regenerate schema/*.schema.json from the model")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if args.command == "check":
        project = Project(root, cache_dir="" if args.no_cache else DEFAULT_CACHE_DIR)
        return run_check(project, args.format, args.strict, [project.shown(p) for p in args.paths])
    if args.command == "new":
        from builder.scaffold import new_source

        return new_source(Project(root), args.key, args.id)
    if args.command == "build":
        return run_build(root, args.site_dir)
    if args.command == "schema":
        from builder.schema import write_schemas

        for path in write_schemas(root / "schema"):
            print(f"wrote {path.relative_to(root)}", file=sys.stderr)
        return 0
    from mkdocs.commands.serve import serve

    serve(str(root / "mkdocs.yml"), dev_addr=args.dev_addr)
    return 0


def run_check(project: Project, fmt: str, strict: bool, only: list[str]) -> int:
    # The whole base is always checked (a cite or theme is only wrong relative to the rest);
    # with paths, only the problems in those files are reported and counted.
    problems = [p for p in check(project).problems if not only or p.file in only]
    if problems:
        print(format_problems(problems, fmt))
    failed = bool(errors(problems)) or (strict and bool(problems))
    if fmt == "text":
        print(("evidence check failed: " if failed else "evidence check passed: ") + summary(problems), file=sys.stderr)
    return 1 if failed else 0


def run_build(root: Path, site_dir: Path | None) -> int:
    import logging

    from mkdocs.exceptions import MkDocsException

    from builder.site import build_site

    logging.basicConfig(format="%(levelname)-7s -  %(message)s", level=logging.INFO)
    try:
        out = build_site(root / "mkdocs.yml", site_dir)
    except (MkDocsException, SystemExit) as exc:
        print(f"build failed; the previous site was left as it was.\n{exc}", file=sys.stderr)
        return 1
    print(f"built {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
