"""Real English for the pocket model: quotations from Debian's ``fortunes`` package.

``pocket_builder/build.py`` pre-trains the pocket bundle's tiny GPT-2 on this text, and
notebook 08's catastrophic-forgetting probe measures English perplexity on its held-out part
(:func:`held_out_split`). The text is the non-offensive fortune files of the Debian package
``fortunes`` (fortune-mod, BSD licence, University of California), pinned by version and the
.deb's SHA-256: only the categories in :data:`CATEGORIES`, one cleaned passage per line.

``python -m pocket_builder.english [--deb FILE]`` re-creates ``data/english_text.txt``,
``english_SOURCE.md`` and ``english_LICENSE.txt`` (``apt-get download`` fetches the .deb when
no file is given) and refuses a .deb with another hash.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from course_utils.gpt2_tokenizer import sha256
from course_utils.pocket import POCKET_DATA_DIR, POCKET_ENGLISH_FILE

FORTUNES_PACKAGE = "fortunes"
FORTUNES_VERSION = "1:1.99.1-7.3"
FORTUNES_DEB_NAME = "fortunes_1%3a1.99.1-7.3_all.deb"
FORTUNES_DEB_SHA256 = "41d0551dc0ff52f875a2ecef7c39da2f672ab468c37e170119f7e0245a9d63c5"
DEBIAN_ARCHIVE = "Debian 12 (bookworm), main, https://deb.debian.org/debian"
FORTUNES_DIR = "usr/share/games/fortunes"
COPYRIGHT_MEMBER = "usr/share/doc/fortunes/copyright"
# The inoffensive, general-English fortune files, in reading order. This version of the
# package has no ``fortunes``, ``literature`` or ``riddles`` file (those came with fortune-mod
# 2/3), so they are not listed; every other file (ethnic, men-women, drugs, politics, zippy,
# songs-poems, startrek, ascii-art, art, debian, linux, perl, tao, ...) is left out on purpose.
CATEGORIES = (
    "wisdom", "science", "platitudes", "education", "work", "people", "humorists", "computers",
    "kids", "food", "pets", "love", "sports", "miscellaneous", "definitions", "cookie", "law",
    "magic", "news", "medicine",
)
MIN_CHARS, MAX_CHARS = 40, 600
MIN_LETTER_SHARE = 0.6  # letters / non-space characters; below this it is art, code or a table
ENGLISH_FILE = POCKET_ENGLISH_FILE
SOURCE_NAME, LICENSE_NAME = "english_SOURCE.md", "english_LICENSE.txt"
DOWNLOAD_COMMAND = f"apt-get download {FORTUNES_PACKAGE}={FORTUNES_VERSION}"

# URLs, host names, e-mail (user@host) and UUCP (host!user) addresses.
_ADDRESS = re.compile(r"(https?|ftp)://|www\.|\w@[\w-]|\w![\w-]|\w\.(com|edu|org|net|gov|arpa|uucp)\b",
                      re.IGNORECASE)


# Subjects a classroom corpus of quips handles badly (religion, ethnicity, war, violence, sex):
# passages that name them are left out, whatever their tone.
_SENSITIVE = re.compile(
    r"\b(jews?|jewish|nazis?|hitler|kkk|klan|blacks?|negro\w*|rac(e|ism|ist)|ethnic|god|gods|jesus|christ\w*|"
    r"church|bible|lord|religio\w*|muslim\w*|islam\w*|rabbi|messiah|sex\w*|naked|nude|thighs?|navel|"
    r"breasts?|rape\w*|kill\w*|murder\w*|suicide|gun|guns|war|wars|bomb\w*|drunk\w*|whores?|damn\w*|"
    r"hell|bitch\w*|bastards?|penis|virgin\w*|abortion|porn\w*)\b",
    re.IGNORECASE,
)


def _clean(entry: str) -> str | None:
    """One fortune entry as one line, or None when a filter rejects it."""
    text = " ".join(entry.split())
    if not MIN_CHARS <= len(text) <= MAX_CHARS or not (text.isascii() and text.isprintable()):
        return None
    visible = text.replace(" ", "")
    if sum(char.isalpha() for char in visible) < MIN_LETTER_SHARE * len(visible):
        return None
    return None if _ADDRESS.search(text) or _SENSITIVE.search(text) else text


def passages_from_fortune_file(text: str) -> list[str]:
    """The passages of one fortune file (entries separated by lines holding only ``%``), each
    on one line with its whitespace collapsed, attributions kept; entries that are too short or
    long, not printable ASCII, mostly non-letters, hold a URL or e-mail address, or name a
    subject in ``_SENSITIVE`` are dropped."""
    entries = re.split(r"^%[ \t]*$", text, flags=re.MULTILINE)
    return [passage for passage in map(_clean, entries) if passage is not None]


def _ar_member(deb: bytes, prefix: str) -> bytes:
    """The first member of an ``ar`` archive (a .deb) whose name starts with ``prefix``."""
    if not deb.startswith(b"!<arch>\n"):
        raise ValueError("not a .deb (ar) archive")
    at = 8
    while at + 60 <= len(deb):
        header = deb[at:at + 60]
        name, size = header[:16].decode("ascii").strip().rstrip("/"), int(header[48:58])
        if name.startswith(prefix):
            return deb[at + 60:at + 60 + size]
        at += 60 + size + size % 2
    raise ValueError(f"the .deb has no {prefix}* member")


def _read_package(deb_path: Path) -> dict[str, bytes]:
    """``{category or "copyright": bytes}`` from the .deb's data.tar (needs no dpkg), after
    refusing a .deb whose SHA-256 is not :data:`FORTUNES_DEB_SHA256`."""
    actual = sha256(deb_path)
    if actual != FORTUNES_DEB_SHA256:
        raise ValueError(
            f"{Path(deb_path).name} has sha256 {actual}, not the pinned {FORTUNES_DEB_SHA256} of "
            f"{FORTUNES_PACKAGE} {FORTUNES_VERSION}: refusing it. Fetch that version with "
            f"`{DOWNLOAD_COMMAND}` and pass the file, or check that the download was not altered.")
    data = _ar_member(Path(deb_path).read_bytes(), "data.tar")
    wanted = {f"{FORTUNES_DIR}/{name}": name for name in CATEGORIES} | {COPYRIGHT_MEMBER: "copyright"}
    found: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as archive:
        for member in archive:
            key = wanted.get(member.name.removeprefix("./"))
            stream = archive.extractfile(member) if key and member.isfile() else None
            if key and stream:
                found[key] = stream.read()
    missing = [name for name in wanted.values() if name not in found]
    if missing:
        raise ValueError(f"{Path(deb_path).name} lacks {', '.join(missing)}")
    return found


def extract_english(deb_path: Path) -> list[str]:
    """The passages of the allowed categories (in :data:`CATEGORIES` order) of the pinned
    .deb, each kept at its first occurrence (compared lower-cased, spaces collapsed). Bytes
    that are not UTF-8 become U+FFFD, so the ASCII filter drops their passages."""
    files = _read_package(deb_path)
    seen: set[str] = set()
    passages = []
    for category in CATEGORIES:
        for passage in passages_from_fortune_file(files[category].decode("utf-8", errors="replace")):
            key = " ".join(passage.lower().split())
            if key not in seen:
                seen.add(key)
                passages.append(passage)
    return passages


def _source_note(passages: list[str], text: bytes) -> str:
    """``english_SOURCE.md``: where the text comes from, how it was filtered, its licence."""
    categories = ", ".join(f"`{name}`" for name in CATEGORIES)
    return f"""# English text for the pocket model

- `{ENGLISH_FILE.name}`: {len(passages):,} passages ({len(text.split()):,} words, {len(text):,} characters),
  one per line, UTF-8 (all printable ASCII); sha256 `{hashlib.sha256(text).hexdigest()}`.
- Source: the Debian package `{FORTUNES_PACKAGE}` version `{FORTUNES_VERSION}`
  ({DEBIAN_ARCHIVE}), file `{FORTUNES_DEB_NAME}`,
  sha256 `{FORTUNES_DEB_SHA256}`; the fortune files in `/{FORTUNES_DIR}/`.
- Categories used, in this order: {categories}.
  All other files of the package are left out.
- Filters: entries split on lines holding only `%`; whitespace collapsed so that each is one
  line, attributions kept; dropped when shorter than {MIN_CHARS} or longer than {MAX_CHARS} characters,
  not printable ASCII, with letters under {MIN_LETTER_SHARE:.0%} of the non-space characters (ASCII art,
  code, tables), holding a URL, host name or e-mail/UUCP address, or naming a subject a
  classroom corpus of quips handles badly (religion, ethnicity, war, violence, sex); duplicates dropped (first
  occurrence wins, compared lower-cased with spaces collapsed).
- Licence: BSD (Copyright (c) 1991 The Regents of the University of California), per the
  package's copyright file `/{COPYRIGHT_MEMBER}`, copied unchanged to `{LICENSE_NAME}`.

Written by `pocket_builder/english.py`; rebuild with
`python -m pocket_builder.english [--deb FILE]` (it refuses a .deb with another hash).
"""


def _replace_all(contents: dict[Path, bytes]) -> None:
    """Write every file to a temporary file next to it, then replace the targets; if any
    write fails, no target is touched and the temporary files are removed."""
    staged: dict[Path, Path] = {}
    try:
        for target, data in contents.items():
            handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
            staged[target] = Path(name)
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.chmod(name, 0o644)  # mkstemp makes 0o600; these are shipped data files
        for target, temporary in staged.items():
            os.replace(temporary, target)
    finally:
        for temporary in staged.values():
            temporary.unlink(missing_ok=True)


def write_english(deb_path: Path, out_dir: Path = POCKET_DATA_DIR) -> Path:
    """Write ``english_text.txt``, ``english_SOURCE.md`` and ``english_LICENSE.txt`` into
    ``out_dir`` from the pinned .deb; existing files stay as they were if anything fails."""
    out_dir, passages = Path(out_dir), extract_english(deb_path)
    text = "".join(f"{passage}\n" for passage in passages).encode("utf-8")
    out_dir.mkdir(parents=True, exist_ok=True)
    _replace_all({out_dir / ENGLISH_FILE.name: text,
                  out_dir / SOURCE_NAME: _source_note(passages, text).encode("utf-8"),
                  out_dir / LICENSE_NAME: _read_package(deb_path)["copyright"]})
    return out_dir / ENGLISH_FILE.name


_NOT_NOUNS = re.compile(r"(ly|ful|ous|ive|able|ible|less|ish|est|ing|ed)$")
_FUNCTION_WORDS = frozenset(
    "that this there their them they then than what which when where while with would could should "
    "other same such only very much many more most some every each both either neither first last "
    "next whole own even just also about into from over under upon after before again once here "
    "ever never always often still those these your yours mine ours theirs him her his hers its "
    "itself myself yourself himself herself anything nothing something everything anyone someone "
    "everyone nobody somebody everybody".split()
)


def nouns(passages: list[str], min_length: int = 4) -> tuple[str, ...]:
    """Lower-case words that follow "the", "a", "my", "his", "this"... and precede a verb, a
    preposition, "and", "or" or punctuation somewhere in ``passages``: mostly nouns, in order of first
    occurrence (function words and adjective or adverb endings left out).

    The synthetic tweets borrow them for the long tail of everyday words (the words, never the
    sentences: no passage appears in a tweet)."""
    pattern = re.compile(rf"\b(?:the|a|an|my|your|his|her|this|our|their|no|every|any) ([a-z]{{{min_length},}})"
                         r"(?= is\b| was\b| are\b| of\b| and\b| in\b| that\b| to\b| for\b| with\b| on\b"
                         r"| or\b| has\b| will\b|[.,;:!?])")
    found = dict.fromkeys(m.group(1) for passage in passages for m in pattern.finditer(passage))
    return tuple(w for w in found if w not in _FUNCTION_WORDS and not _NOT_NOUNS.search(w))


def gerunds(passages: list[str], min_length: int = 6) -> tuple[str, ...]:
    """Lower-case "-ing" words that follow "was", "is", "keep", "start", "enjoy"... in
    ``passages`` (mostly pastimes and actions), in order of first occurrence."""
    pattern = re.compile(rf"\b(?:was|were|is|are|am|been|be|keep|stop|start|enjoy|avoid|love|hate|try) "
                         rf"([a-z]{{{min_length - 3},}}ing)\b")
    found = dict.fromkeys(m.group(1) for passage in passages for m in pattern.finditer(passage))
    return tuple(w for w in found if w not in _FUNCTION_WORDS)


def _download(directory: Path) -> Path:
    """Fetch the pinned .deb into ``directory`` with ``apt-get download``."""
    try:
        done = subprocess.run(DOWNLOAD_COMMAND.split(), cwd=directory, capture_output=True,
                              text=True, check=False)
    except FileNotFoundError:
        raise ValueError("apt-get is not available here: download the .deb of "
                         f"{FORTUNES_PACKAGE} {FORTUNES_VERSION} elsewhere and pass --deb FILE") from None
    debs = sorted(directory.glob("*.deb"))
    if done.returncode != 0 or not debs:
        raise ValueError(f"`{DOWNLOAD_COMMAND}` failed ({done.stderr.strip()[-300:]}): pass --deb FILE")
    return debs[0]


def main(argv: list[str] | None = None) -> int:
    """CLI: ``python -m pocket_builder.english [--deb FILE] [--out DIR]``."""
    parser = argparse.ArgumentParser(prog="python -m pocket_builder.english",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--deb", type=Path, help=f"the .deb (default: run `{DOWNLOAD_COMMAND}`)")
    parser.add_argument("--out", type=Path, default=POCKET_DATA_DIR, help="output folder")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        try:
            path = write_english(args.deb or _download(Path(scratch)), args.out)
        except ValueError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
    data = path.read_bytes()
    print(f"wrote {path}: {len(data.splitlines()):,} passages, {len(data.split()):,} words, "
          f"{len(data):,} characters ({len(data) / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
