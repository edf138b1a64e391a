"""Read a commit's data two ways: the git command (``ls-tree`` + ``cat-file --batch``) or pygit2.

    pip install pygit2   # only for this benchmark; the tool itself uses the git command
    python benchmarks/bench_pygit2.py [--communities 2000 --donors 1000] [--repeat 3] [--repo DIR]

A synthetic repository (generate.py) is committed into a real git repository (or ``--repo``
names one already made, e.g. by ``bench_changed.py --keep``). Each way lists every file under
``data/`` of ``HEAD`` with its blob id and reads every blob, the way a revision is loaded; the
two run alternately in this process, best of ``--repeat``, and the figures are ratios to the
git command's time in the same run. Both must hand back the same bytes for the same paths.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import bench_changed  # the sibling module: this file is run as a script from benchmarks/
from solidarity_cli.gitrepo import BlobReader, list_tree, resolve_commit

Files = dict[str, bytes]


def with_git(root: Path, commit: str) -> Files:
    """What the tool does: one ls-tree, then blobs asked for 512 at a time from one process."""
    entries = [e for e in list_tree(root, commit, "data") if e.mode in ("100644", "100755")]
    with BlobReader(root) as blobs:
        blobs.plan([e.oid for e in entries])
        return {e.rel: blobs.read(e.oid) for e in entries}


def with_pygit2(root: Path, commit: str) -> Files:
    """The same through libgit2, in this process."""
    import pygit2

    repo = pygit2.Repository(str(root))
    out: Files = {}

    def walk(tree: pygit2.Tree, prefix: str) -> None:
        for entry in tree:
            path = f"{prefix}{entry.name}"
            if entry.type_str == "tree":
                walk(repo[entry.id], path + "/")
            elif entry.filemode in (pygit2.GIT_FILEMODE_BLOB, pygit2.GIT_FILEMODE_BLOB_EXECUTABLE):
                out[path] = repo[entry.id].data

    data = repo[commit].peel(pygit2.Tree) / "data"
    walk(repo[data.id], "data/")
    return out


def _best(read: Callable[[Path, str], Files], root: Path, commit: str) -> tuple[float, Files]:
    start = time.perf_counter()
    files = read(root, commit)
    return time.perf_counter() - start, files


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the figures (and the JSON with --json)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communities", type=int, default=2000)
    parser.add_argument("--donors", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--repo", type=Path, help="an existing git repository of a network")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    try:
        start = time.perf_counter()
        import pygit2  # noqa: F401

        import_s = time.perf_counter() - start
    except ImportError:
        sys.exit("this benchmark needs pygit2: pip install pygit2")
    with tempfile.TemporaryDirectory() as tmp:
        root = args.repo or Path(tmp) / "repo"
        if args.repo is None:
            bench_changed.commit_network(root, args.communities, args.donors)
        commit = resolve_commit(root, "HEAD")
        git_s, pygit2_s = [], []
        for _ in range(args.repeat):
            seconds, by_git = _best(with_git, root, commit)
            git_s.append(seconds)
            seconds, by_pygit2 = _best(with_pygit2, root, commit)
            pygit2_s.append(seconds)
        if by_git != by_pygit2:
            sys.exit("the two readers disagree")
    figures = {
        "files": len(by_git),
        "megabytes": round(sum(map(len, by_git.values())) / 1e6, 1),
        "git_command_s": round(min(git_s), 3),
        "pygit2_s": round(min(pygit2_s), 3),
        "pygit2_ratio": round(min(pygit2_s) / min(git_s), 3),
        "pygit2_import_s": round(import_s, 3),
    }
    for key, value in figures.items():
        print(f"{key:>16}: {value}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
