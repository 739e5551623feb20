"""The edge of `evidence diff`: two revisions of the briefing, read from git, checked and compared.

A revision's files are read from git's objects (`git ls-tree`, `git cat-file`) into a temporary
folder: nothing is checked out over the working tree, and no .gitattributes applies (an
`export-ignore` cannot hide a file from the diff). Each side is checked as `evidence check`
checks it, with its own mkdocs.yml and source-texts/, then the folders EVIDENCE_SOURCE_TEXTS
names; a stored text that is in neither leaves its source's quotes "not checked", on either side,
rather than failing the diff. The Markdown is printed only when the two sides could be compared;
otherwise one message says why, and nothing is written.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from builder.build import check_project
from builder.check import CheckResult
from builder.config import load_settings
from builder.diff import compare, summarise
from builder.diffmarkdown import code, markdown
from builder.problems import quoted, shown_text, summary
from builder.schema import SCHEMAS, schema_text
from builder.settings import Settings

USAGE = 2  # the exit code of a diff that cannot be made: argparse's, for a command used wrongly
_LINK = b"120000"  # git's mode of a symbolic link


@dataclass(frozen=True)
class Repository:
    top: Path
    prefix: str  # the project's folder inside it: '' or 'a/b/'


def run_diff(root: Path, base: str, head: str | None) -> int:
    """`evidence diff BASE [--head REV]`: 0 when the head passes the check, 1 when it does not
    (the diff is printed all the same), 2 when no diff can be made (nothing is printed)."""
    repo, problem = repository(root)
    revs = [base] if head is None else [base, head]
    commits = [resolve(repo, rev) for rev in revs] if repo else []
    problem = problem or next((said for _, said in commits if said), "")
    if repo is None or problem:
        return _refuse(problem)
    shas = [sha for sha, _ in commits]
    names = [*(_named(rev, sha) for rev, sha in zip(revs, shas, strict=True)), "the working tree"]
    with tempfile.TemporaryDirectory(prefix="evidence-diff-") as folder:
        roots = [Path(folder) / f"side-{i}" for i in range(len(shas))]
        problem = next((said for sha, at in zip(shas, roots, strict=True) if (said := export(repo, sha, at))), "")
        if problem:
            return _refuse(problem)
        before = _checked(roots[0])
        refused = _base_refused(f"{shown_text(base, 80)} ({shas[0][:10]})", *before)
        if refused:
            return _refuse(refused)
        after = _checked(roots[1] if head else root)
        diff = compare(summarise(*before), summarise(*after))
    print(markdown(diff, names[0], names[1]), end="")
    if diff.fails:
        named = shown_text(head, 80) if head else "the working tree"
        print(f"evidence diff: the check fails on {named}: see the new problems", file=sys.stderr)
    return 1 if diff.fails else 0


def repository(root: Path) -> tuple[Repository | None, str]:
    """The git repository the project at `root` is in; or why there is none."""
    if not root.is_dir():
        return None, f"there is no folder {root}"
    if shutil.which("git") is None:
        return None, "git is not installed: the diff reads the two revisions with it"
    found = _git(root, "rev-parse", "--show-toplevel", "--show-prefix")
    if found.returncode != 0:
        return None, (
            f"{root} is not in a git repository: the diff compares two revisions of one. Run it in a clone "
            "of the briefing's repository, or name the clone's folder with --root"
        )
    top, prefix = os.fsdecode(found.stdout).split("\n")[:2]
    return Repository(Path(top), prefix), ""


def resolve(repo: Repository, rev: str) -> tuple[str, str]:
    """The commit `rev` names; or why it names none."""
    found = _git(repo.top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    if rev and found.returncode == 0:
        return os.fsdecode(found.stdout).strip(), ""
    shallow = _git(repo.top, "rev-parse", "--is-shallow-repository").stdout.strip() == b"true"
    hint = (
        "this clone is shallow, so fetch it first (`git fetch origin BRANCH`; in a workflow, check out with "
        "`fetch-depth: 0`)"
        if shallow
        else "name a branch, a tag or a commit of this repository (`git log --oneline` lists the commits)"
    )
    return "", f"there is no revision {quoted(rev, 80)} in {repo.top}: {hint}"


def export(repo: Repository, commit: str, dest: Path) -> str:
    """Write the project's files as they are in `commit` under `dest`; '' or why they could not be.
    They are read from git's objects one by one, so that a large file never has to fit in memory;
    symbolic links are made last, so that no file is written through one."""
    dest.mkdir(parents=True)
    with subprocess.Popen(["git", "-C", str(repo.top), "cat-file", "--batch"], stdin=-1, stdout=-1) as cat:
        assert cat.stdin is not None and cat.stdout is not None
        for mode, sha, target in sorted(_entries(repo, commit, dest), key=lambda entry: entry[0] == _LINK):
            cat.stdin.write(sha + b"\n")
            cat.stdin.flush()
            header = cat.stdout.readline().split()  # "<sha> blob <size>", or "<sha> missing"
            if len(header) != 3:
                return (
                    f"git does not have {target.relative_to(dest)} as it is in {commit[:10]} (a partial clone?): "
                    "fetch that revision whole, then diff again"
                )
            target.parent.mkdir(parents=True, exist_ok=True)
            if mode == _LINK:
                os.symlink(os.fsdecode(cat.stdout.read(int(header[2]))).replace("\0", "") or ".", target)
            else:
                with open(target, "wb") as out:
                    _copy(cat.stdout, out, int(header[2]))
            cat.stdout.read(1)  # the newline after each object
        cat.stdin.close()
    return ""


def _entries(repo: Repository, commit: str, dest: Path) -> list[tuple[bytes, bytes, Path]]:
    """The mode, object and place under `dest` of each file of the project in `commit`."""
    listing = _git(repo.top, "ls-tree", "-r", "-z", "--full-tree", commit).stdout
    entries = []
    for item in listing.split(b"\0"):
        meta, _, name = item.partition(b"\t")
        fields, path = meta.split(b" "), os.fsdecode(name)
        if len(fields) != 3 or fields[1] != b"blob" or not path.startswith(repo.prefix):
            continue  # a submodule, or outside the project
        parts = path[len(repo.prefix) :].split("/")
        if all(part not in ("", ".", "..") for part in parts):
            entries.append((fields[0], fields[2], dest.joinpath(*parts)))
    return entries


def _copy(source, out, size: int, chunk: int = 1 << 20) -> None:
    while size > 0 and (data := source.read(min(chunk, size))):
        out.write(data)
        size -= len(data)


def _checked(root: Path) -> tuple[Settings, CheckResult]:
    """One side, checked as `evidence check` checks it (a missing stored text is a note, not an error)."""
    settings, problems = load_settings(root / "mkdocs.yml")
    settings = dataclasses.replace(settings, options=dataclasses.replace(settings.options, require_texts=False))
    result = check_project(settings)
    return settings, dataclasses.replace(result, problems=(*problems, *result.problems))


def _base_refused(name: str, settings: Settings, result: CheckResult) -> str:
    """Why the base cannot be compared ('' when it can): it must pass the check."""
    failing = [p for p in result.problems if p.fails]
    if not failing:
        return ""
    said = summary(failing)
    if _older_schema(settings.root):
        return (
            f"the base, {name}, was written for another version of the evidence schema (its schema/ differs from "
            f"the one this generator writes), and does not pass this generator's check ({said}). Diff against a "
            "revision made after the schema changed: `git log -1 -- schema/` names the last change"
        )
    first = failing[0]
    where = f"{first.file}:{first.line}: {first.key_path + ': ' if first.key_path else ''}{first.message}"
    return (
        f"the base, {name}, does not pass the check ({said}; the first: {where}). A diff needs a base that "
        "passes: diff against a revision whose check passes"
    )


def _older_schema(root: Path) -> bool:
    folder = root / "schema"
    if not folder.is_dir():
        return False
    return any(
        not (folder / name).is_file() or (folder / name).read_text(encoding="utf-8") != schema_text(name)
        for name in SCHEMAS
    )


def _named(rev: str, commit: str) -> str:
    """A revision as the Markdown names it: 'main' (3f17081a2b), or the commit alone."""
    short = code(commit[:10])
    return short if commit.startswith(rev) else f"{code(rev, 80)} ({short})"


def _refuse(message: str) -> int:
    print(f"evidence diff: {message}", file=sys.stderr)
    return USAGE


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True)
