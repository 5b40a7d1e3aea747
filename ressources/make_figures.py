"""Make the course's teaching figures (PNG) in ``ressources/``, from code only.

    python ressources/make_figures.py            # (re)write the PNGs next to this script
    python ressources/make_figures.py --check    # exit 1 if a committed PNG differs from the code's

Figures (see ``ressources/README.md`` for which notebook shows which), one module each beside
this script, sharing the drawing kit of ``figure_kit.py``:

- ``body_head`` (``figure_body_head.py``): GPT-2 for sequence classification = pre-trained body
  + new ``score`` head, read at the last real token, against the language-model head that
  pre-training used.
- ``padding`` (``figure_padding.py``): ``padding="max_length"`` (1,024 positions) against dynamic
  padding, to scale.
- ``fine_tuning_kinds`` (``figure_fine_tuning_kinds.py``): supervised fine-tuning, few-shot
  prompting, transfer learning and domain-specific adaptation: what goes in, which weights
  change, what comes out.

matplotlib only (Agg backend, matplotlib's default style and bundled DejaVu font). The output is
byte-for-byte deterministic for a given matplotlib version: no "Software" tag, no dates; the
matplotlib version is recorded in each PNG's "Source" text chunk, because another version may
draw a pixel differently.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # loaded by its path (the tests), not run: find the figure modules
    sys.path.insert(0, str(HERE))

# figure_kit selects the Agg backend; the figure modules import it, all before pyplot.
import matplotlib  # noqa: E402
from figure_body_head import body_head  # noqa: E402
from figure_fine_tuning_kinds import fine_tuning_kinds  # noqa: E402
from figure_kit import STYLE  # noqa: E402
from figure_padding import padding  # noqa: E402
from matplotlib import pyplot as plt  # noqa: E402

FIGURES = {"body_head": body_head, "padding": padding, "fine_tuning_kinds": fine_tuning_kinds}


def make_all(folder: Path) -> list[Path]:
    """Write every figure as ``folder/<name>.png``; return the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, draw in FIGURES.items():
        with plt.rc_context():
            plt.rcdefaults()
            plt.rcParams.update(STYLE)
            path = folder / f"{name}.png"
            draw(path)
        paths.append(path)
    return paths


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check(folder: Path = HERE) -> list[str]:
    """Names of the committed PNGs in ``folder`` that differ from (or lack) what the code makes."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = make_all(Path(tmp))
        return [p.name for p in fresh
                if not (folder / p.name).is_file() or _digest(folder / p.name) != _digest(p)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="regenerate into a temporary folder and compare with ressources/")
    args = parser.parse_args(argv)
    if args.check:
        stale = check()
        if stale:
            print("differ from what make_figures.py makes (run python ressources/make_figures.py):",
                  ", ".join(stale))
            print(f"this run used matplotlib {matplotlib.__version__}; another version may "
                  "draw some pixels differently")
            return 1
        print(f"{len(FIGURES)} figures up to date")
        return 0
    for path in make_all(HERE):
        print(f"wrote {path.relative_to(HERE.parent)} ({path.stat().st_size / 1024:.0f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
