"""The course's main job, ``python -m course_utils run``: every notebook in order, then a summary.

Each ``notebooks/NN_*.ipynb`` runs in a fresh kernel (nbclient) in the notebooks folder; the
executed copies go to ``build/notebooks[-<label>]/`` and the sources are never modified. A failing
cell stops its notebook only (cell index and first error line recorded). A progress line every 10 s
names the running cell; each run's times are recorded in
``results/runs/`` (:mod:`course_utils.records`). A notebook's result is its last line that
starts with ``[headline] `` (see :func:`find_headline`). Ctrl-C or SIGTERM stops the whole run:
the running notebook's kernel is shut down and no later notebook starts. About 350 lines:
running, watching, stopping and reporting a series are one job.
"""

from __future__ import annotations

import contextlib
import fnmatch
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from course_utils.cli.arguments import RECORD_HELP, not_blank
from course_utils.costs import format_duration
from course_utils.environment import rehearsing, repo_root
from course_utils.plan import PLANS
from course_utils.profiles import PROFILE_NAMES, banner, get_profile
from course_utils.records import last_seconds, write_run

NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
PROGRESS_EVERY = 10.0  # seconds between progress lines while a notebook runs
HEADLINE_PREFIX = "[headline] "
STOP = threading.Event()  # set by Ctrl-C or SIGTERM while `run` executes notebooks (cleared per run)


@dataclass
class NotebookResult:
    """The outcome of executing one notebook."""

    name: str  # file name, e.g. "03_fine_tune.ipynb"
    status: str  # "ok" or "failed"
    seconds: float
    headline: str | None = None  # e.g. "accuracy=0.734" (see find_headline)
    error: str | None = None  # e.g. "cell 12: ValueError: bad shape"
    output_path: Path | None = None  # the executed copy under build/notebooks/

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def default_notebooks_dir() -> Path:
    return repo_root() / "notebooks"


def default_out_dir(label: str = "pocket") -> Path:
    """``build/notebooks`` for pocket runs (what ``expected`` records from), else
    ``build/notebooks-<label>`` (e.g. ``build/notebooks-small-rehearsal``)."""
    return repo_root() / "build" / ("notebooks" if label == "pocket" else f"notebooks-{label}")


def find_notebooks(notebooks_dir: Path | None = None, only: str | None = None) -> list[Path]:
    """The series' notebooks (``NN_*.ipynb``) in name order, filtered by ``only``.

    ``only`` keeps a file whose name contains it as a substring or matches it as a glob.
    """
    notebooks_dir = Path(notebooks_dir) if notebooks_dir is not None else default_notebooks_dir()
    paths = sorted(p for p in notebooks_dir.glob(NOTEBOOK_GLOB) if p.is_file())
    if only:
        paths = [p for p in paths if only in p.name or fnmatch.fnmatch(p.name, only)]
    return paths


def find_headline(nb) -> str | None:
    """The last ``[headline] key=value`` line in a notebook's outputs, without the prefix.

    A notebook reports its result by printing such a line, e.g.
    ``print(f"[headline] accuracy={accuracy:.3f}")``; printed text and the plain-text form of a
    displayed result both count."""
    found = None
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "stream" and output.get("name") == "stdout":
                text = output.get("text", "")
            elif kind in ("execute_result", "display_data"):
                text = output.get("data", {}).get("text/plain", "")
            else:
                continue
            if isinstance(text, list):
                text = "".join(text)
            for line in text.splitlines():
                line = line.strip()
                if kind != "stream":  # the repr of a string comes quoted
                    line = line.strip("'\"")
                if line.startswith(HEADLINE_PREFIX) and "=" in line:
                    found = line[len(HEADLINE_PREFIX) :].strip()
    return found


def _first_line(text: object) -> str:
    lines = str(text).strip().splitlines()
    return lines[0].strip() if lines else ""


def _describe_error(exc: BaseException, cell_index: int | None) -> str:
    ename = getattr(exc, "ename", None) or type(exc).__name__
    evalue = getattr(exc, "evalue", None)
    if evalue is None:
        evalue = str(exc)
    message = f"{ename}: {_first_line(evalue)}" if _first_line(evalue) else ename
    where = f"cell {cell_index}" if cell_index is not None else "kernel"
    return f"{where}: {message}"


def stopped_by_signal(client) -> bool:
    """Whether nbclient's own Ctrl-C/SIGTERM handler stopped ``client``'s notebook.

    While a notebook runs, nbclient handles those signals itself: it shuts the kernel down and the
    running cell then fails with some unrelated error. nbclient has no public way to tell; the one
    trace it leaves is the future of that clean-up, a private attribute read here and nowhere else
    (if a release renames it, tests/test_runner.py's SIGTERM test fails)."""
    return getattr(client, "_async_cleanup_kernel_future", None) is not None


class _Progress:
    """Which code cell of a running notebook is executing; with ``progress``, a line every
    ``PROGRESS_EVERY`` seconds (the cell, k of N, the time so far and the last recorded run)."""

    def __init__(self, name: str, nb, last_seconds: float | None, progress: bool):
        self.name, self.start, self.cell = name, time.perf_counter(), None
        self.code_cells = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code"]
        self.last = f"; last recorded run {format_duration(last_seconds, 1)}" if last_seconds else ""
        self.finished = threading.Event()
        if progress:
            threading.Thread(target=self._heartbeat, daemon=True).start()

    def on_cell_start(self, cell, cell_index, **_) -> None:
        self.cell = cell_index

    def _heartbeat(self) -> None:  # a long cell is not a silent cell
        while not self.finished.wait(PROGRESS_EVERY):
            if self.cell in self.code_cells:
                so_far = format_duration(time.perf_counter() - self.start, 1)
                print(f"[run]   {self.name}: code cell {self.code_cells.index(self.cell) + 1}/{len(self.code_cells)}, "
                      f"{so_far} so far{self.last}", flush=True)


def _interrupted(client, status: str, error: str | None, cell: int | None) -> tuple[str, str | None]:
    """``(status, error)`` after a run: "interrupted" (and the kernel shut down) when Ctrl-C or
    SIGTERM stopped it. Between notebooks, main_run's handler sets STOP; during one, nbclient's
    does (:func:`stopped_by_signal`). Either way: stop (tests/test_runner.py checks it)."""
    if not (stopped_by_signal(client) or STOP.is_set() or status == "failed" and error.endswith("KeyboardInterrupt")):
        return status, error
    STOP.set()
    # The kernel may already be gone or half shut down; whatever shutting it fails with, the run
    # is reported as interrupted either way.
    with contextlib.suppress(Exception):
        if getattr(client, "km", None) is not None:
            client.km.shutdown_kernel(now=True)
    return "interrupted", f"interrupted in cell {cell}" if cell is not None else "interrupted at start-up"


def run_notebook(
    path: Path, out_dir: Path, profile: str | None = None, timeout: int = 900,
    last_seconds: float | None = None, progress: bool = False,
) -> NotebookResult:
    """Execute one notebook in a new kernel and write the executed copy to ``out_dir``.

    With ``progress``, print a line every ``PROGRESS_EVERY`` seconds: the code cell running (k of
    N), the time so far, and ``last_seconds`` (the last recorded run of this notebook) when known.
    """
    import nbformat
    from nbclient import NotebookClient

    path, out_dir = Path(path), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    nb = nbformat.read(path, as_version=4)
    tracker = _Progress(path.name, nb, last_seconds, progress)
    client = NotebookClient(nb, kernel_name="python3", timeout=timeout, on_cell_start=tracker.on_cell_start,
                            resources={"metadata": {"path": str(path.parent.resolve())}})
    env = {**os.environ, **({"COURSE_PROFILE": profile} if profile else {})}
    error, status = None, "ok"
    try:
        client.execute(env=env)
    except (KeyboardInterrupt, Exception) as exc:  # a cell's error, a timeout, a dead kernel, a stop
        error, status = _describe_error(exc, tracker.cell), "failed"
    finally:
        tracker.finished.set()
    status, error = _interrupted(client, status, error, tracker.cell)
    seconds = time.perf_counter() - tracker.start
    nbformat.write(nb, out_dir / path.name)
    return NotebookResult(name=path.name, status=status, seconds=seconds, headline=find_headline(nb),
                          error=error, output_path=out_dir / path.name)


def run_notebooks(
    profile: str | None = None,
    only: str | None = None,
    notebooks_dir: Path | None = None,
    out_dir: Path | None = None,
    timeout: int = 900,
    progress: bool = True,
    label: str | None = None,
) -> list[NotebookResult]:
    """Execute the series' notebooks in name order; one :class:`NotebookResult` each.

    ``profile`` sets ``COURSE_PROFILE`` in each kernel; ``only`` filters file names (substring or
    glob); ``timeout`` is the limit per cell in seconds. Executed copies go to ``out_dir``
    (default: :func:`default_out_dir` of ``label``). A failure never stops the series.
    ``label`` names the recorded runs whose times the progress lines quote (see :func:`run_label`).
    """
    out_dir = Path(out_dir) if out_dir is not None else default_out_dir(label or "pocket")
    watching_stop_signals = signal.getsignal(signal.SIGTERM) is _interrupt
    results = []
    for path in find_notebooks(notebooks_dir, only):
        if progress:
            print(f"[run] {path.name} ...", flush=True)
        result = run_notebook(path, out_dir, profile=profile, timeout=timeout, progress=progress,
                              last_seconds=last_seconds(label, path.name) if label else None)
        if progress:
            detail = f" ({result.error})" if result.error else ""
            print(
                f"[run] {path.name}: {result.status} in {result.seconds:.1f} s{detail}", flush=True
            )
        results.append(result)
        if result.status == "interrupted" or STOP.is_set():  # told to stop: start no later notebook
            break
        if watching_stop_signals:  # nbclient reset them to the defaults when its notebook ended
            watch_stop_signals()
    return results


def _interrupt(signum, frame) -> None:
    STOP.set()
    raise KeyboardInterrupt


def watch_stop_signals() -> None:
    """Make Ctrl-C and SIGTERM (``timeout``, a closed session) stop the whole run."""
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop_signal, _interrupt)


def format_summary(results: list[NotebookResult]) -> str:
    """A plain-text table (notebook, status, seconds, headline) and the series' total time."""
    header = ("notebook", "status", "seconds", "headline")
    rows = [(r.name, r.status, f"{r.seconds:.1f}", r.headline or "-") for r in results]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(row):
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1]), row[2].rjust(widths[2]), row[3]]
        return "  ".join(cells).rstrip()

    out = [line(header), "  ".join("-" * w for w in widths)]
    out += [line(row) for row in rows]
    total = sum(r.seconds for r in results)
    failed = sum(not r.ok for r in results)
    out.append(
        f"total: {len(results)} notebook{'s' if len(results) != 1 else ''}, "
        f"{len(results) - failed} ok, {failed} failed, {total:.1f} s ({format_duration(total, 1)})"
    )
    for r in results:
        if r.error:
            out.append(f"{'INTERRUPTED' if r.status == 'interrupted' else 'FAILED'} {r.name}: {r.error}")
    return "\n".join(out)


def run_label(profile) -> str:
    """The name a run is recorded under: the profile, ``-rehearsal`` on the stand-in, ``-trimmed``
    with the tiny plan (e.g. ``pocket``, ``small-rehearsal``, ``full-rehearsal-trimmed``)."""
    label = profile.name + ("-rehearsal" if rehearsing() and profile.data == "hub" else "")
    return label + ("-trimmed" if profile.plan == PLANS["tiny"] else "")


def add_arguments(parser) -> None:
    """``run``'s options."""
    parser.add_argument("--profile", choices=PROFILE_NAMES,
                        help="profile for every notebook (default: COURSE_PROFILE or automatic)")
    parser.add_argument("--only", metavar="PATTERN", type=not_blank, help="run only notebooks whose name matches")
    parser.add_argument("--rehearse", action="store_true",
                        help="offline rehearsal of small/full: gpt2 is a random-weight stand-in of its "
                             "shape, the Hub dataset holds the pocket tweets (own HF_HOME under build/)")
    parser.add_argument("--trim", action="store_true",
                        help="with --rehearse: a 2-block stand-in and tiny subsets (minutes, for CI)")
    parser.add_argument("--record", action="store_true", help=RECORD_HELP)


def main(args) -> int:
    """``run``: the series (or, with ``--rehearse``, the rehearsal of small/full)."""
    if args.rehearse:
        from course_utils.cli.rehearse import main_rehearse

        return main_rehearse(args)
    if args.trim:
        print("--trim only makes sense with --rehearse.")
        return 2
    return main_run(args)


def main_run(args) -> int:
    """CLI entry (``python -m course_utils run [--profile P] [--only PATTERN]``).

    Returns 0 when every notebook ran, 1 when one failed, 2 when no notebook matched.
    """
    profile = getattr(args, "profile", None)
    only = getattr(args, "only", None)
    notebooks_dir = getattr(args, "notebooks_dir", None)
    out_dir = getattr(args, "out_dir", None)
    timeout = getattr(args, "timeout", None) or 900

    active = get_profile(profile)
    banner(active)
    label = run_label(active)
    if not find_notebooks(notebooks_dir, only):
        where = notebooks_dir or default_notebooks_dir()
        what = f" matching {only!r}" if only else ""
        print(f"No notebook{what} in {where} (expected names like 01_intro.ipynb).")
        return 2
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    STOP.clear()  # an earlier run in this process may have been stopped
    watch_stop_signals()
    try:
        results = run_notebooks(
            profile=profile, only=only, notebooks_dir=notebooks_dir, out_dir=out_dir, timeout=timeout,
            label=label,
        )
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print()
    print(format_summary(results))
    print(f"Executed copies: {out_dir or default_out_dir(label)}")
    if notebooks_dir is None:
        stopped_early = any(r.status == "interrupted" for r in results)  # keep the other notebooks' times
        record = write_run(label, "python -m course_utils " + " ".join(sys.argv[1:]), results,
                           partial=bool(only) or stopped_early)
        print(f"Times recorded in {record}")
    stopped = [r for r in results if r.status == "interrupted"]
    if stopped:
        print(f"\nInterrupted while running {stopped[0].name} ({stopped[0].error}): its kernel was shut "
              "down and the later notebooks were not run.")
        return 130
    failed = [r for r in results if not r.ok]
    if failed:
        first = failed[0]
        print(f"\n{len(failed)} notebook(s) failed; first: {first.name}, {first.error}")
        return 1
    return 0
