"""Run folders: what identifies a training run, where it lives, how it resumes, who may write it.

Introduced in notebook 06: :func:`run_dir` names a run's folder after a hash of
:func:`run_identity` (re-running a cell with the same settings finds its checkpoints) and
:func:`resume_point` says whether a run starts, resumes or is reused. The ``train`` command adds the
folder's guards: a finished run (``metrics.json``) or an interrupted one (checkpoints) is never
overwritten without ``--overwrite``; the folder must be writable with room for a checkpoint; it is
locked for the whole run (a second ``train`` on it is refused at once, naming the holder; the
operating system drops the lock of a killed process, so a stale lock never blocks); it holds
``run.json``, the run's identity, written before training and compared by ``--resume``; and a
checkpoint is trusted only when it is complete.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import socket
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from course_utils.environment import repo_root
from course_utils.model import safetensors_complete
from course_utils.pocket import POCKET_DATA_FILES
from course_utils.profiles import Profile


def model_fingerprint(source: str) -> str:
    """What identifies the weights ``source`` names: for a local folder, the size and a hash of the
    start of its weights file and of its config; for a Hub id, the commit of the cached snapshot
    (``"not cached"`` before the first download)."""
    folder = Path(source)
    if not folder.is_dir():
        from huggingface_hub import try_to_load_from_cache

        try:
            config = try_to_load_from_cache(source, "config.json")
        except ValueError:  # neither a folder nor a valid Hub id: loading the model says so clearly
            return "not found"
        return Path(config).parent.name if isinstance(config, str) else "not cached"
    digest = hashlib.sha256()
    for name in ("config.json", "model.safetensors"):
        path = folder / name
        if path.is_file():
            with path.open("rb") as handle:
                digest.update(f"{name}:{path.stat().st_size}:".encode() + handle.read(1 << 20))
    return digest.hexdigest()[:16]


# TrainingArguments fields that change where or how a run is logged and saved, not what it learns.
NOT_IDENTITY = ("output_dir", "logging_", "report_to", "run_name", "project", "trackio_", "push_to_hub", "hub_",
                "disable_tqdm", "log_level", "log_on_each_node", "skip_memory_metrics", "save_total_limit",
                "resume_from_checkpoint")


def run_identity(profile: Profile, args=None, **settings) -> dict:
    """Everything that decides what a run learns, as plain JSON values: the profile (less device),
    the model's weights (:func:`model_fingerprint`), the pocket tweets' files on the pocket profile
    (Hub data is pinned by the profile's revision), every field of ``args`` (a
    ``TrainingArguments``) less :data:`NOT_IDENTITY`, and ``settings`` (anything else that changes
    the result). :func:`run_dir` hashes it; ``train --resume`` compares it field by field."""
    fields = {k: v for k, v in profile.__dict__.items() if k not in ("fell_back", "device")}
    identity = {"profile": fields, "weights": model_fingerprint(profile.model), **settings}
    if args is not None:
        identity["training_arguments"] = {k: v for k, v in args.to_dict().items() if not k.startswith(NOT_IDENTITY)}
    if profile.data == "pocket":
        identity["data"] = [hashlib.sha256(Path(f).read_bytes()).hexdigest() for f in POCKET_DATA_FILES.values()]
    return json.loads(json.dumps(identity, sort_keys=True, default=str))


def identity_changes(before: dict, after: dict, prefix: str = "") -> list[str]:
    """``"field: old -> new"`` for every value that differs between two :func:`run_identity` dicts."""
    changes = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key, "(unset)"), after.get(key, "(unset)")
        if isinstance(old, dict) and isinstance(new, dict):
            changes += identity_changes(old, new, f"{prefix}{key}.")
        elif old != new:
            changes.append(f"{prefix}{key}: {old} -> {new}")
    return changes


def run_dir(name: str, profile: Profile, args=None, **settings) -> Path:
    """The output folder of one training configuration: ``outputs/<name>-<hash>``.

    The hash covers :func:`run_identity`: so re-running a cell with the same configuration finds
    its earlier checkpoints (reuse after a rehearsal, resume after an interruption), while a
    changed hyperparameter or other weights start afresh. ``COURSE_OUTPUT_DIR`` moves the root
    (e.g. to Google Drive).
    """
    key = json.dumps(run_identity(profile, args, **settings), sort_keys=True)
    digest = hashlib.sha256(key.encode()).hexdigest()[:10]
    root = Path(os.environ.get("COURSE_OUTPUT_DIR") or repo_root() / "outputs")
    return root / f"{name}-{digest}"


def resume_point(output_dir: str | Path) -> str | None:
    """The newest checkpoint in ``output_dir`` for ``trainer.train(resume_from_checkpoint=...)``.

    Prints what it found: a finished run is reused (the Trainer reloads it and has no step left
    to train), an interrupted one resumes from its last checkpoint, nothing means a fresh start.
    """
    from transformers.trainer_utils import get_last_checkpoint

    output_dir = Path(output_dir)
    checkpoint = get_last_checkpoint(str(output_dir)) if output_dir.is_dir() else None
    if checkpoint is None:
        print(f"[train] no checkpoint in {output_dir.name}: training from the start")
        return None
    state = json.loads((Path(checkpoint) / "trainer_state.json").read_text())
    when = datetime.datetime.fromtimestamp(Path(checkpoint).stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    done = state["global_step"] >= state["max_steps"]
    print(f"[train] {'REUSING the finished run' if done else 'RESUMING the interrupted run'} saved "
          f"{when} in {output_dir.name}/{Path(checkpoint).name} (step {state['global_step']}/"
          f"{state['max_steps']}, epoch {state['epoch']:g})"
          + (": nothing left to train, the model is reloaded." if done else "."))
    return checkpoint


FINISHED_MARKER = "metrics.json"  # written last: its presence means the run finished
IDENTITY_FILE = "run.json"
LOCK_FILE, OWNER_FILE = ".train.lock", ".train.owner.json"
CHECKPOINT_FILES = ("trainer_state.json", "model.safetensors")  # what a complete checkpoint holds


class RunFolderError(ValueError):
    """The output folder cannot take this run; the message says why and what to do."""


def check_writable(folder: Path, needed_mb: int) -> None:
    """Create ``folder`` if needed; refuse a file in the way, a read-only place or a full disk."""
    if folder.exists() and not folder.is_dir():
        raise RunFolderError(f"--output-dir {folder} is a file, not a folder: choose a folder path.")
    existing = next(p for p in (folder, *folder.parents) if p.exists())
    if not existing.is_dir():
        raise RunFolderError(f"--output-dir {folder} cannot be created: {existing} is a file.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise RunFolderError(f"--output-dir {folder} cannot be created ({error.strerror}): "
                             "choose a folder you can write to.") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise RunFolderError(f"--output-dir {folder} is not writable: choose a folder you can write to.")
    free_mb = shutil.disk_usage(folder).free / 2**20
    if free_mb < needed_mb:
        raise RunFolderError(f"only {free_mb:,.0f} MB are free on the disk of {folder}; a checkpoint of "
                             f"this model needs about {needed_mb:,} MB. Free some space or choose "
                             "another --output-dir.")


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold ``folder``'s lock for the block; refuse at once if another process holds it."""
    lock = FileLock(str(folder / LOCK_FILE), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        try:
            owner = json.loads((folder / OWNER_FILE).read_text())
            holder = f"process {owner['pid']} on {owner['host']}, started {owner['started']}"
        except (OSError, ValueError, KeyError):
            holder = "another process"
        raise RunFolderError(f"{folder} is in use by another train run ({holder}). Wait for it to "
                             "end, or choose another --output-dir.") from None
    try:
        (folder / OWNER_FILE).write_text(json.dumps({
            "pid": os.getpid(), "host": socket.gethostname(), "command": sys.argv,
            "started": time.strftime("%Y-%m-%d %H:%M:%S")}))
        yield
    finally:
        (folder / OWNER_FILE).unlink(missing_ok=True)
        lock.release()


def write_identity(folder: Path, identity: dict) -> None:
    (folder / IDENTITY_FILE).write_text(json.dumps(identity, indent=2) + "\n")


def check_identity(folder: Path, identity: dict) -> None:
    """For ``--resume``: refuse when the interrupted run was started with other settings."""
    try:
        saved = json.loads((folder / IDENTITY_FILE).read_text())
    except (OSError, ValueError):
        raise RunFolderError(f"{folder} has no readable {IDENTITY_FILE}, so its settings cannot be "
                             "checked against these: use --overwrite to start again.") from None
    changes = identity_changes(saved, identity)
    if changes:
        shown = "; ".join(changes[:4]) + (f"; and {len(changes) - 4} more" if len(changes) > 4 else "")
        raise RunFolderError(f"--resume: the run in {folder} was started with other settings ({shown}). "
                             "Resume with the same settings, or use --overwrite to start again.")


def incomplete_checkpoint(checkpoint: Path) -> str | None:
    """Why ``checkpoint`` cannot be resumed from (a missing, cut-off or unreadable file), or None."""
    for name in CHECKPOINT_FILES:
        if not (checkpoint / name).is_file():
            return f"it has no {name}"
    try:
        json.loads((checkpoint / "trainer_state.json").read_text())
        if not safetensors_complete(checkpoint / "model.safetensors"):
            return "its model.safetensors is cut off"
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
        return "its files cannot be read"
    return None


def _checkpoints(folder: Path) -> list[Path]:
    """The Trainer's ``checkpoint-<step>`` folders, oldest step first (checkpoint-12 after -4)."""
    found = folder.glob("checkpoint-*") if folder.is_dir() else []
    steps = [p for p in found if p.is_dir() and p.name.rsplit("-", 1)[-1].isdigit()]
    return sorted(steps, key=lambda p: int(p.name.rsplit("-", 1)[-1]))


def resume_advice(folder: Path | None) -> str:
    """What to do after a run stopped: ``--resume`` only where a complete checkpoint exists."""
    checkpoints = [c for c in _checkpoints(folder) if incomplete_checkpoint(c) is None] if folder else []
    if checkpoints:
        return (f"Run the same command with --resume to continue from {checkpoints[-1].name} "
                "(one checkpoint is saved per epoch).")
    return ("No checkpoint was saved yet (one is saved at the end of each epoch): run the same command "
            "again to start over.")


def check_output_folder(folder: Path, resume: bool, overwrite: bool) -> None:
    """Refuse to overwrite a trained run: a finished one (``metrics.json``) or an interrupted one
    (checkpoints), unless ``overwrite`` (or ``resume``, for an interrupted run)."""
    if resume and overwrite:
        raise RunFolderError("--resume and --overwrite contradict each other: resume keeps the "
                             "checkpoints, overwrite deletes them. Choose one.")
    if overwrite:
        return
    if (folder / FINISHED_MARKER).is_file():
        raise RunFolderError(f"{folder} holds a finished run ({FINISHED_MARKER} is there)"
                             f"{': nothing to resume' if resume else ''}. Use another --output-dir, "
                             "or --overwrite to replace it.")
    checkpoints = _checkpoints(folder)
    if checkpoints and not resume:
        raise RunFolderError(f"{folder} holds an interrupted run ({checkpoints[-1].name}). Use --resume "
                             "to continue it, --overwrite to start again, or another --output-dir.")


def clear_output_folder(folder: Path) -> None:
    """Delete what a previous run wrote in ``folder`` (only the course's own files)."""
    for path in [*_checkpoints(folder), folder / "final"]:
        if path.is_dir():
            shutil.rmtree(path)
    for name in (FINISHED_MARKER, "config.json", IDENTITY_FILE):
        (folder / name).unlink(missing_ok=True)


def checkpoint_to_resume(folder: Path) -> str:
    """The newest checkpoint, refused with the fix when it is incomplete (a full disk, a crash)."""
    checkpoints = _checkpoints(folder)
    if not checkpoints:
        raise RunFolderError(f"--resume: {folder} holds no checkpoint to resume from; run without "
                             "--resume to start.")
    newest = checkpoints[-1]
    why = incomplete_checkpoint(newest)
    if why:
        older = [c.name for c in checkpoints[:-1] if incomplete_checkpoint(c) is None]
        fix = (f"delete {newest} to resume from {older[-1]}, or use --overwrite to start again"
               if older else "use --overwrite to start again")
        raise RunFolderError(f"--resume: {newest.name} in {folder} is incomplete ({why}; a full disk "
                             f"or a crash while saving?): {fix}.")
    return str(newest)


def space_needed_mb(model: str) -> int:
    """Disk room one checkpoint needs: weights, the optimizer's two moments, a margin."""
    weights = Path(model) / "model.safetensors"
    return int(weights.stat().st_size * 4 / 2**20) + 16 if weights.is_file() else 2048
