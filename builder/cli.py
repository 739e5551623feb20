"""The `evidence` command: check, new, build, serve."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from builder.pipeline import Project, check
from builder.problems import errors, format_problems, summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="evidence", description="Evidence briefing site tools.")
    parser.add_argument("--root", type=Path, default=Path("."), help="project folder (default: here)")
    sub = parser.add_subparsers(dest="command", required=True)
    p_check = sub.add_parser("check", help="validate evidence files, themes and references.bib")
    p_check.add_argument("--format", choices=("text", "github", "json"), default="text")
    p_check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p_new = sub.add_parser("new", help="scaffold evidence/<id>.yaml from a BibTeX entry")
    p_new.add_argument("key", help="the BibTeX key in references.bib")
    p_new.add_argument("--id", help="the source id (default: derived from the key)")
    p_build = sub.add_parser("build", help="build site/ (atomically, with --strict)")
    p_build.add_argument("--site-dir", type=Path)
    sub.add_parser("serve", help="preview the site, rebuilding on every change")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if args.command == "check":
        return run_check(Project(root), args.format, args.strict)
    if args.command == "new":
        from builder.scaffold import new_source

        return new_source(Project(root), args.key, args.id)
    if args.command == "build":
        return run_build(root, args.site_dir)
    from mkdocs.commands.serve import serve

    serve(str(root / "mkdocs.yml"))
    return 0


def run_check(project: Project, fmt: str, strict: bool) -> int:
    result = check(project)
    problems = result.problems
    if problems:
        print(format_problems(problems, fmt))
    failed = errors(problems) or (strict and problems)
    if fmt == "text":
        print(("evidence check failed: " if failed else "evidence check passed: ") + summary(problems), file=sys.stderr)
    return 1 if failed else 0


def run_build(root: Path, site_dir: Path | None) -> int:
    from mkdocs.exceptions import MkDocsException

    from builder.site import build_site

    try:
        out = build_site(root / "mkdocs.yml", site_dir)
    except (MkDocsException, SystemExit) as exc:
        print(f"build failed; the previous site was left as it was.\n{exc}", file=sys.stderr)
        return 1
    print(f"built {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
