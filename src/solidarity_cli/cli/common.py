"""Options, consoles and error handling shared by every command."""

from __future__ import annotations

import datetime as dt
import enum
import errno
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.measure import Measurement
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from solidarity_cli.cli.i18n import _
from solidarity_cli.errors import SolidarityError, UsageError
from solidarity_cli.reading import find_root
from solidarity_cli.words import M_, N_, say

T = TypeVar("T")

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_FAILURE = 2


class OutputFormat(enum.StrEnum):
    """How findings are printed."""

    TEXT = "text"
    JSON = "json"
    GITHUB = "github"
    SARIF = "sarif"


RepoOption = Annotated[
    Path | None,
    typer.Option(
        "--repo",
        help="The data repository (the folder with solidarity.yaml). "
        "Default: found by walking up from the current folder.",
        file_okay=False,
        show_default=False,
    ),
]

ScopeArgument = Annotated[
    str | None,
    typer.Argument(
        help="A community, platform, donor or partnership id, or nothing for the network.",
        show_default=False,
    ),
]

RevOption = Annotated[
    str | None,
    typer.Option(
        "--rev",
        help="Read the data as it was at this git version (a branch, tag or commit, e.g. "
        "main or HEAD~3), straight from git. Default: the files as they are now.",
        show_default=False,
    ),
]

AsOfOption = Annotated[
    dt.datetime | None,
    typer.Option(
        "--as-of",
        formats=["%Y-%m-%d"],
        help="Judge dates as on this day (YYYY-MM-DD). Default: today.",
        show_default=False,
    ),
]


def stderr_console() -> Console:
    """Human output goes to stderr; rich honours NO_COLOR and plain pipes by itself."""
    return Console(stderr=True, highlight=False, soft_wrap=True)


def stdout_console() -> Console:
    """A command's human result goes to stdout, so that ``cmd > file`` keeps it."""
    return Console(highlight=False, soft_wrap=True)


def print_note(console: Console, text: str) -> None:
    """``note: text``, the label in the reader's language."""
    label = _("note:")
    console.print(f"[yellow]{label}[/] {escape(text)}", markup=True)


def _on_screen(console: Console) -> bool:
    """Whether ``console`` writes to a terminal itself (FORCE_COLOR makes rich call a pipe a
    terminal, for the colours; the width is still the pipe's business)."""
    if not console.is_terminal:
        return False
    try:
        return os.isatty(console.file.fileno())
    except (AttributeError, OSError, ValueError):
        return False


#: The widest a column of sentences is, in characters (it wraps there).
SENTENCES = 72
#: The widest a table is printed to a file or a pipe.
WIDEST = 1000


def print_table(console: Console, table: Table) -> None:
    """``table`` at the terminal's width; into a file or a pipe, at its own width, so that no id
    or reference is broken over two lines (it could not be copied back into a command). Give
    columns of sentences a ``max_width``: they wrap there, and the table stays readable."""
    if _on_screen(console):
        console.print(table)
        return
    wanted = Measurement.get(console, console.options.update_width(WIDEST), table).maximum
    width = console.width
    console.width = max(wanted, width)  # print(width=) may only narrow
    try:
        console.print(table)
    finally:
        console.width = width


@contextmanager
def progress_bar(label: str, *, show: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A transient rich progress bar on stderr, as a ``(done, total)`` callback; None if hidden."""
    if not show:
        yield None
        return
    with Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        console=stderr_console(),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def stdout_write(text: str) -> None:
    """Machine output goes to stdout, untouched."""
    sys.stdout.write(text)
    sys.stdout.flush()


def stdout_write_pieces(pieces: Iterable[str], batch: int = 8192) -> None:
    """Machine output given in pieces (``output.dumps_in_pieces``), written ``batch`` pieces
    at a time: the JSON of a large match is tens of megabytes, never held whole."""
    held: list[str] = []
    for piece in pieces:
        held.append(piece)
        if len(held) >= batch:
            sys.stdout.write("".join(held))
            held.clear()
    sys.stdout.write("".join(held))
    sys.stdout.flush()


def repo_root(repo: Path | None) -> Path:
    """The repository root from ``--repo`` or the current folder."""
    if repo is not None:
        if not repo.is_dir():
            raise UsageError(
                M_("--repo {folder}: no such folder", folder=repo),
                hint=M_("give the folder that holds solidarity.yaml"),
            )
        return find_root(repo) if not (repo / "solidarity.yaml").is_file() else repo
    return find_root(Path.cwd())


def refuse_unknown_paths(root: Path, paths: list[Path], *, on_disk: bool) -> None:
    """A path outside the repository, or missing from it, is a typo: say so, never "All good"."""
    real_root = root.resolve()
    for path in paths:
        absolute = path.resolve()
        if absolute != real_root and real_root not in absolute.parents:
            raise UsageError(
                M_("{path} is outside the repository {root}", path=path, root=root),
                hint=M_("give files or folders inside it, or the repository with --repo"),
            )
        if on_disk and not absolute.exists():
            raise UsageError(
                M_("{path}: no such file or folder", path=path),
                hint=M_("check the spelling: a path is read from the folder you are in"),
            )


def no_answer(question: str, flag: str) -> UsageError:
    """A question left without an answer because the input ended (a pipe, a script, Ctrl-D)."""
    return UsageError(
        M_("no answer to “{question}”: the input ended", question=question),
        hint=M_("give {flag} VALUE, or run the command in a terminal to be asked", flag=flag),
    )


def as_date(value: dt.datetime | None) -> dt.date:
    """The ``--as-of`` day, or today."""
    return value.date() if value is not None else dt.date.today()


_OS_WORDS = {
    errno.ENOENT: N_("no such file or folder"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("permission denied"),
    errno.ENOSPC: N_("the disk is full"),
    errno.EROFS: N_("this place cannot be written to (read-only)"),
    errno.EISDIR: N_("this is a folder, not a file"),
    errno.ENOTDIR: N_("part of this path is a file, not a folder"),
}
"""The machine's common refusals, in the user's language (the rest as the system says them)."""


def _fail(console: Console, message: str, hint: str | None) -> NoReturn:
    """Say what went wrong and what to do, in the user's language, and exit 2."""
    error, what_to_do = _("error:"), _("what to do:")
    console.print(f"[bold red]{error}[/] {escape(message)}", markup=True)
    if hint:
        console.print(f"  [dim]{what_to_do}[/] {escape(hint)}", markup=True)
    raise typer.Exit(EXIT_FAILURE) from None


@contextmanager
def failures_reported() -> Iterator[None]:
    """Turn operational failures into a plain message and exit code 2, in one place."""
    console = stderr_console()
    try:
        yield
    except SolidarityError as exc:
        _fail(console, say(exc.message, _), say(exc.hint, _) if exc.hint else None)
    except OSError as exc:
        # The machine said no (a missing folder, no permission, a full disk): not a bug.
        place = f"{exc.filename}: " if exc.filename is not None else ""
        words = _OS_WORDS.get(exc.errno or 0)
        _fail(
            console,
            place + (_(words) if words else exc.strerror or str(exc)),
            _("check that the folder exists, that you may write there and that the disk has room"),
        )
    except KeyboardInterrupt:
        console.print(_("interrupted"))
        raise typer.Exit(130) from None
    except (typer.Exit, typer.Abort, SystemExit):
        raise
    except Exception as exc:
        if os.environ.get("SOLIDARITY_DEBUG"):
            raise
        internal, what_to_do = _("internal error:"), _("what to do:")
        console.print(f"[bold red]{internal}[/] {type(exc).__name__}: {exc}", markup=True)
        advice = _(
            "this is a bug in solidarity, not in your data. Please report it with the command "
            "you ran; set SOLIDARITY_DEBUG=1 to see the details."
        )
        console.print(f"  [dim]{what_to_do}[/] {advice}", markup=True)
        raise typer.Exit(EXIT_FAILURE) from None


def command(func: Callable[..., T]) -> Callable[..., T]:
    """Run a command body with failures reported (keeps typer's signature intact)."""
    import functools

    @functools.wraps(func)
    def wrapper(*args: object, **kwargs: object) -> T:
        with failures_reported():
            return func(*args, **kwargs)

    return wrapper
