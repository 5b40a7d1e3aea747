"""The teaching figures in ressources/: listed, present, made by the code, shown by course_utils.figures."""

import importlib
import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import matplotlib
import pytest
from PIL import Image

from course_utils import figures

ROOT = Path(__file__).resolve().parent.parent
RESSOURCES = ROOT / "ressources"
SCRIPT = RESSOURCES / "make_figures.py"
README = RESSOURCES / "README.md"


def readme_names() -> list[str]:
    """The figures ressources/README.md lists, one per line: "- `name.png`: ..."."""
    return re.findall(r"^- `([\w-]+)\.png`", README.read_text(encoding="utf-8"), re.M)


def load_script():
    spec = importlib.util.spec_from_file_location("make_figures", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def figure_module(name: str):
    """One figure module beside make_figures.py (``figure_body_head``...), imported from ressources/."""
    if str(RESSOURCES) not in sys.path:
        sys.path.insert(0, str(RESSOURCES))
    return importlib.import_module(name)


def made_with_other_matplotlib() -> str | None:
    """Why a byte comparison is not meaningful here (None when it is)."""
    for name in readme_names():
        with Image.open(RESSOURCES / f"{name}.png") as image:
            tag = image.info.get("Source", "")
        if f"(matplotlib {matplotlib.__version__})" not in tag:
            return f"{name}.png was {tag or 'made without a Source tag'}; this is matplotlib {matplotlib.__version__}"
    return None


def test_readme_lists_every_figure_and_each_exists():
    names = readme_names()
    assert len(names) == 3, f"ressources/README.md lists {names}"
    for name in names:
        assert (RESSOURCES / f"{name}.png").is_file(), f"{name}.png is listed but missing"
    assert sorted(names) == sorted(load_script().FIGURES), "README and make_figures.py disagree"
    assert sorted(names) == figures.available(), "a PNG in ressources/ is not in the README"
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith("- `"):
            assert "made by `python ressources/make_figures.py`" in line, line
            assert re.search(r"notebook 0\d", line), f"no notebook named: {line}"


@pytest.mark.parametrize("name", readme_names())
def test_figure_size_and_width(name):
    path = RESSOURCES / f"{name}.png"
    assert path.stat().st_size < 150 * 1024, f"{name}.png is {path.stat().st_size} bytes"
    with Image.open(path) as image:
        assert 1200 <= image.width <= 1600, image.size


def test_committed_figures_are_what_the_code_makes():
    reason = made_with_other_matplotlib()
    if reason:
        pytest.skip(f"byte comparison needs the same matplotlib: {reason}")
    done = subprocess.run([sys.executable, str(SCRIPT), "--check"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def test_check_names_a_figure_that_differs(tmp_path):
    copy = tmp_path / "ressources"
    shutil.copytree(RESSOURCES, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "padding.png").write_bytes((copy / "padding.png").read_bytes() + b"\0")
    (copy / "body_head.png").unlink()
    done = subprocess.run([sys.executable, str(copy / "make_figures.py"), "--check"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "padding.png" in done.stdout and "body_head.png" in done.stdout, done.stdout
    if not made_with_other_matplotlib():
        assert "fine_tuning_kinds.png" not in done.stdout.splitlines()[0], done.stdout


def test_make_figures_is_deterministic(tmp_path):
    script = load_script()
    first = {p.name: p.read_bytes() for p in script.make_all(tmp_path / "a")}
    second = {p.name: p.read_bytes() for p in script.make_all(tmp_path / "b")}
    assert first == second


def test_body_head_tokens_are_gpt2s():
    from transformers import AutoTokenizer

    from course_utils.gpt2_tokenizer import GPT2_TOKENIZER_DIR

    figure = figure_module("figure_body_head")
    tokenizer = AutoTokenizer.from_pretrained(str(GPT2_TOKENIZER_DIR))
    text = "".join(piece for piece, _ in figure.TWEET_TOKENS)
    ids = tokenizer(text)["input_ids"]
    assert [tokenizer.decode([i]) for i in ids] == [piece for piece, _ in figure.TWEET_TOKENS]
    assert ids == [token_id for _, token_id in figure.TWEET_TOKENS]
    assert figure.PAD_ID == tokenizer.eos_token_id
    assert figure.GPT2_SIZES["vocab"] == len(tokenizer)


def test_padding_shares_are_computed_from_the_drawn_lengths():
    figure = figure_module("figure_padding")
    real, fixed, dynamic = figure.padding_shares((20, 10), max_length=100)
    assert (real, fixed, dynamic) == (30, 200, 40)
    real, fixed, _ = figure.padding_shares()
    assert 0.01 < real / fixed < 0.03, "the max_length batch should be about 2% real tokens"


@pytest.mark.parametrize("name", readme_names())
def test_show_returns_the_png(name):
    from IPython.display import Image as IPythonImage

    shown = figures.show(name)
    assert isinstance(shown, IPythonImage)
    assert shown.data == (RESSOURCES / f"{name}.png").read_bytes()
    assert figures.figure_path(name) == RESSOURCES / f"{name}.png"


def test_show_unknown_name_lists_the_figures():
    with pytest.raises(FileNotFoundError) as error:
        figures.show("no_such_figure")
    message = str(error.value)
    assert "no_such_figure" in message
    for name in readme_names():
        assert name in message
