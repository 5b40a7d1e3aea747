"""The pocket model's English text from Debian's ``fortunes``: filters, the guarded rebuild and
the shipped files. Uses only the shipped files and synthetic inputs (no apt-get, no network)."""

import hashlib
import io
import re
import tarfile

import pytest

from course_utils.pocket import held_out_split
from pocket_builder import english
from pocket_builder.english import (
    CATEGORIES,
    ENGLISH_FILE,
    FORTUNES_DEB_SHA256,
    SOURCE_NAME,
    extract_english,
    passages_from_fortune_file,
    write_english,
)

LONG = "A fairly ordinary sentence that is long enough to pass the length filter."


def fortune_file(*entries: str) -> str:
    return "\n%\n".join(entries) + "\n%\n"


def fake_deb(files: dict[str, bytes], data_name: str = "data.tar.xz") -> bytes:
    """A .deb (``ar`` archive) whose data tarball holds ``files`` under ``./``."""
    tar_bytes = io.BytesIO()
    with tarfile.open(fileobj=tar_bytes, mode="w:xz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(f"./{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    deb = b"!<arch>\n"
    for name, data in (("debian-binary", b"2.0\n"), ("control.tar.xz", b"x"), (data_name, tar_bytes.getvalue())):
        deb += f"{name:<16}{0:<12}{0:<6}{0:<6}{100644:<8}{len(data):<10}`\n".encode() + data
        deb += b"\n" if len(data) % 2 else b""
    return deb


def package_files(extra: str = "") -> dict[str, bytes]:
    files = {f"{english.FORTUNES_DIR}/{name}": fortune_file(f"{LONG} ({name})", extra).encode()
             for name in CATEGORIES}
    files[f"{english.FORTUNES_DIR}/ethnic"] = fortune_file(f"{LONG} (excluded)").encode()
    files[english.COPYRIGHT_MEMBER] = b"Copyright (c) 1991 The Regents of the University of California.\n"
    return files


def test_splitting_joins_lines_and_keeps_attributions():
    text = fortune_file("Whenever you find yourself on the side of the majority,\n"
                        "it is time to pause and reflect.\n\t\t-- Mark Twain",
                        "Second   entry,\tspread over\n\n  several lines, long enough to keep.")
    assert passages_from_fortune_file(text) == [
        "Whenever you find yourself on the side of the majority, it is time to pause and "
        "reflect. -- Mark Twain",
        "Second entry, spread over several lines, long enough to keep.",
    ]
    assert passages_from_fortune_file("") == []
    assert passages_from_fortune_file("100% sure: a percent sign inside a line is no separator.\n") == [
        "100% sure: a percent sign inside a line is no separator."]


@pytest.mark.parametrize("entry", [
    "Too short to keep.",  # < 40 characters
    "word " * 130,  # > 600 characters
    "Caf\u00e9 society is a fine thing to talk about at some length.",  # not ASCII
    "Underlined with backspaces: _\bs_\bo, which is not printable text at all.",
    "  |\\__/|   (o o)   ==oOO==(_)==OOo==  ##### 12345 67890 |||| ok",  # ASCII art
    "See http://www.example.com/a/page for the whole story of it all.",
    "Ask me anything, by mail: someone@cs.example.edu, any day of the week.",
    "-- Lionel Hummel (uiucdcs!hummel), derived from a quote by someone else",
    "Everything about this is down at ucbarpa.berkeley.edu, they tell me.",
])
def test_filters_drop(entry):
    assert passages_from_fortune_file(fortune_file(entry)) == []


def test_excluded_categories_are_not_allowed():
    for name in ("ethnic", "men-women", "drugs", "politics", "zippy", "ascii-art", "art",
                 "songs-poems", "startrek", "debian", "linux", "perl", "tao", "pratchett"):
        assert name not in CATEGORIES
    assert len(set(CATEGORIES)) == len(CATEGORIES)


def test_synthetic_deb_end_to_end(tmp_path, monkeypatch):
    deb = tmp_path / "fortunes.deb"
    deb.write_bytes(fake_deb(package_files(extra=LONG.upper())))
    monkeypatch.setattr(english, "FORTUNES_DEB_SHA256", hashlib.sha256(deb.read_bytes()).hexdigest())
    passages = extract_english(deb)
    # one passage per category in CATEGORIES order; the shared entry only once (case-folded);
    # nothing from the excluded file.
    assert passages == [f"{LONG} ({CATEGORIES[0]})", LONG.upper()] + [
        f"{LONG} ({name})" for name in CATEGORIES[1:]]
    out = write_english(deb, tmp_path / "out")
    text = out.read_bytes()
    assert text == "".join(f"{passage}\n" for passage in passages).encode()
    assert hashlib.sha256(text).hexdigest() in (out.parent / SOURCE_NAME).read_text()
    assert (out.parent / english.LICENSE_NAME).read_bytes() == package_files()[english.COPYRIGHT_MEMBER]
    assert sorted(path.name for path in out.parent.iterdir()) == sorted(
        [ENGLISH_FILE.name, SOURCE_NAME, english.LICENSE_NAME])  # no temporary files left


def test_missing_category_is_refused(tmp_path, monkeypatch):
    files = package_files()
    del files[f"{english.FORTUNES_DIR}/{CATEGORIES[-1]}"]
    deb = tmp_path / "fortunes.deb"
    deb.write_bytes(fake_deb(files))
    monkeypatch.setattr(english, "FORTUNES_DEB_SHA256", hashlib.sha256(deb.read_bytes()).hexdigest())
    with pytest.raises(ValueError, match=CATEGORIES[-1]):
        extract_english(deb)


def test_wrong_hash_is_refused_and_existing_files_untouched(tmp_path):
    deb = tmp_path / "fortunes_1%3a1.99.1-7.3_all.deb"
    deb.write_bytes(fake_deb(package_files()))
    out_dir = tmp_path / "data"
    out_dir.mkdir()
    (out_dir / ENGLISH_FILE.name).write_text("old text\n")
    with pytest.raises(ValueError) as refused:
        write_english(deb, out_dir)
    message = str(refused.value)
    assert FORTUNES_DEB_SHA256 in message
    assert hashlib.sha256(deb.read_bytes()).hexdigest() in message
    assert "apt-get download fortunes=1:1.99.1-7.3" in message
    assert (out_dir / ENGLISH_FILE.name).read_text() == "old text\n"
    assert [path.name for path in out_dir.iterdir()] == [ENGLISH_FILE.name]


def test_failed_write_leaves_targets_untouched(tmp_path, monkeypatch):
    targets = {tmp_path / "a.txt": b"new a", tmp_path / "b.txt": b"new b"}
    for target in targets:
        target.write_bytes(b"old")
    real_fdopen, calls = english.os.fdopen, []

    def failing_fdopen(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise OSError("disk full")
        return real_fdopen(*args, **kwargs)

    monkeypatch.setattr(english.os, "fdopen", failing_fdopen)
    with pytest.raises(OSError, match="disk full"):
        english._replace_all(targets)
    assert all(target.read_bytes() == b"old" for target in targets)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a.txt", "b.txt"]


@pytest.fixture(scope="module")
def shipped():
    return ENGLISH_FILE.read_bytes()


def test_shipped_text_matches_its_source_note(shipped):
    note = (ENGLISH_FILE.parent / SOURCE_NAME).read_text(encoding="utf-8")
    text_sha = re.search(r"`english_text.txt`:.*?sha256 `([0-9a-f]{64})`", note, re.DOTALL).group(1)
    assert hashlib.sha256(shipped).hexdigest() == text_sha
    assert FORTUNES_DEB_SHA256 in note and english.FORTUNES_VERSION in note
    assert all(f"`{name}`" in note for name in CATEGORIES)
    assert "BSD" in note
    licence = (ENGLISH_FILE.parent / english.LICENSE_NAME).read_text(encoding="utf-8")
    assert "The Regents of the University of California" in licence


def test_shipped_text_is_clean_one_passage_per_line(shipped):
    assert shipped.isascii() and shipped.endswith(b"\n") and b"\r" not in shipped
    lines = shipped.decode("ascii").split("\n")[:-1]
    assert 5_000 < len(lines) and 0.8e6 < len(shipped) < 2.6e6
    assert all(line == " ".join(line.split()) for line in lines)  # no tabs or runs of spaces
    assert all(english.MIN_CHARS <= len(line) <= english.MAX_CHARS for line in lines)
    assert len({line.lower() for line in lines}) == len(lines)
    assert passages_from_fortune_file(fortune_file(*lines)) == lines  # the filters hold


def test_held_out_split_is_disjoint_and_deterministic(shipped):
    passages = shipped.decode("ascii").splitlines()
    train, held_out = held_out_split(passages)
    assert len(held_out) == 400 and len(train) + len(held_out) == len(passages)
    assert not set(train) & set(held_out)
    assert held_out_split(passages) == (train, held_out)
    assert held_out_split(list(passages)) == (train, held_out)
    assert sorted(train + held_out) == sorted(passages)
    with pytest.raises(ValueError):
        held_out_split(passages[:10], n_held_out=10)
