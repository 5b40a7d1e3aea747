"""Every sentence true in every run (issue 19): no outcome stated in markdown, no printed verdict
against its own numbers, no junk in the executed copies.

The checks live in ``tests/output_checks.py``; here they are tested on made-up notebooks, run on
the markdown of every notebook and solution, and on the executed copies that
``python -m course_utils run`` writes to ``build/notebooks/``. The nbval hook in ``conftest.py``
runs the same output checks on every cell of every notebook that the slow lane executes.
"""

import json
from pathlib import Path

import pytest

from course_utils.metrics import Verdict, compare_accuracies, compare_over_seeds
from tests.output_checks import (
    EXEMPTIONS,
    cell_output_problems,
    executed_problems,
    junk_problems,
    markdown_outcome_hits,
    sentences,
    source,
    verdict_problems,
)

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted([*ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("solutions/*.ipynb")])
EXECUTED = ROOT / "build" / "notebooks"


def notebook(*cells):
    return {"cells": [{"cell_type": kind, "source": text, "metadata": {}, "outputs": outputs}
                      for kind, text, outputs in cells]}


def stream(text):
    return {"output_type": "stream", "name": "stdout", "text": text}


# --------------------------------------------------------------------------------- made-up notebooks
def test_outcome_words_in_markdown_are_found_and_code_is_ignored():
    made_up = notebook(
        ("markdown", "## Few-shot\n\nWe score three label words. Expect an accuracy near chance.", []),
        ("code", "# expect anything in code: it is printed from the run", []),
        ("markdown", "- Fine-tuning beats every baseline.\n- Even at 50 % noise the model still learns.", []),
        ("markdown", "The more it moves, the more it forgets. The gap is more than the noise.", []),
        ("markdown", "We train for 3 epochs and score the validation tweets after each one.", []),
    )
    hits = markdown_outcome_hits(made_up, "99_made_up.ipynb", exemptions={})
    assert [hit.split(":")[0] for hit in hits] == [
        "99_made_up.ipynb [0] 'Expect'", "99_made_up.ipynb [2] 'beats'", "99_made_up.ipynb [2] 'still learns'",
        "99_made_up.ipynb [3] 'The more it moves, the more'", "99_made_up.ipynb [3] 'more than the noise'"]
    exempt = {("99_made_up.ipynb", "Fine-tuning beats every"): "made up"}
    assert len(markdown_outcome_hits(made_up, "99_made_up.ipynb", exemptions=exempt)) == 4
    assert markdown_outcome_hits(made_up, "other.ipynb", exemptions=exempt)[1].startswith("other.ipynb [2] 'beats'")


def test_sentences_split_paragraphs_items_and_full_stops():
    assert sentences("One idea. Two ideas!\n\n- a list item\n- another") == [
        "One idea.", "Two ideas!", "a list item", "another"]


def test_verdict_lines_agree_with_their_numbers():
    good = ("[verdict] few-shot vs majority: a=0.270 b=0.400 diff=-0.130 noise=0.069 "
            "(2 SE of b on 200 tweets) -> lower\n"
            "[verdict] early stopping: diff=+0.012 noise=0.011 (sd over 3 seeds) -> higher\n"
            "[verdict] lr: diff=+0.010 noise=0.011 (sd over 3 seeds) -> within noise\n"
            "[verdict] tie: diff=+0.000 noise=0.000 (sd over 2 seeds) -> within noise\n"
            "[verdict] edge: diff=-0.020 noise=0.020 (sd over 3 seeds) -> lower\n"
            "a plain line with no verdict")
    assert verdict_problems(good) == []
    wrong_outcome = "[verdict] x: a=0.270 b=0.400 diff=-0.130 noise=0.069 (2 SE of b on 200 tweets) -> within noise"
    wrong_diff = "[verdict] x: a=0.270 b=0.400 diff=-0.100 noise=0.069 (2 SE of b on 200 tweets) -> lower"
    malformed = "[verdict] x: 0.27 vs 0.40 -> lower"
    loose = "LoRA vs full fine-tuning: lower by 0.030, more than the noise (0.020)"
    problems = verdict_problems("\n".join([wrong_outcome, wrong_diff, malformed, loose]))
    assert [p.split(":")[0] for p in problems] == [
        "says 'within noise', its numbers say 'lower'", "a - b is not diff", "malformed verdict line",
        "a noise verdict outside a [verdict] line"]


def test_the_verdict_printer_passes_the_checker_on_both_sides_of_the_noise():
    lines = [compare_accuracies("few-shot vs majority", 0.27, 0.40, 200),
             compare_accuracies("same", 0.41, 0.40, 200),
             compare_accuracies("perfect reference", 0.999, 1.0, 50),
             compare_over_seeds("early stopping", [0.010, -0.002, 0.016]),
             compare_over_seeds("big gain", [0.10, 0.11, 0.12])]
    assert [v.outcome for v in lines] == ["lower", "within noise", "lower", "within noise", "higher"]
    assert verdict_problems("\n".join(map(str, lines))) == []
    assert str(lines[0]) == ("[verdict] few-shot vs majority: a=0.270 b=0.400 diff=-0.130 noise=0.069 "
                             "(2 SE of b on 200 tweets) -> lower")
    # decided on the printed (rounded) numbers, so a line never contradicts itself at the edge
    assert Verdict("edge", 0.0199996, 0.0200004, "made up").outcome == "higher"


def test_junk_in_executed_outputs_is_found():
    assert junk_problems(" 75%|███████▌  | 30/40 [00:10<00:03,  3.00it/s]")[0].startswith(
        "a progress bar stopped at 30/40")
    assert junk_problems("100%|██████████| 40/40 [00:13<00:00,  3.00it/s]") == []
    assert junk_problems("<progress value='30' max='40' style='width:300px;'></progress> [30/40 00:10]")
    assert junk_problems("[96/96 : < :, Epoch 3/3]")[-1].startswith("a progress bar with blank times")
    assert junk_problems("VBox(children=(Text(value=''),))")[0].startswith("a widget shown as its repr")
    assert junk_problems("Empty DataFrame\nColumns: [a, b]\nIndex: []")[0].startswith("an empty table")
    assert junk_problems("<table><thead><tr><th>a</th></tr></thead>\n<tbody>\n  </tbody></table>")
    widget = {"output_type": "display_data",
              "data": {"text/plain": "VBox(children=(Text(value=''),))",
                       "application/vnd.jupyter.widget-view+json": {"model_id": "x"}}}
    assert cell_output_problems([widget])[0].startswith("a widget with no static fallback")
    widget["data"]["text/html"] = "<b>type a tweet</b>"
    assert cell_output_problems([widget]) == []
    executed = notebook(("markdown", "", []), ("code", "", [stream("[verdict] x: diff=+0.5 noise=0.1 (y) -> up\n")]))
    assert executed_problems(executed, "99.ipynb") == ["99.ipynb [1] malformed verdict line: "
                                                        "[verdict] x: diff=+0.5 noise=0.1 (y) -> up"]


# --------------------------------------------------------------------------------- the course
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_markdown_states_no_outcome(path):
    hits = markdown_outcome_hits(json.loads(path.read_text(encoding="utf-8")), path.name)
    assert not hits, "outcome words in markdown (print them from the run instead):\n" + "\n".join(hits)


def test_every_exemption_is_still_needed():
    texts = {path.name: "\n".join(" ".join(source(c).split()) for c in json.loads(path.read_text())["cells"]
                                  if c["cell_type"] == "markdown") for path in NOTEBOOKS}
    stale = [key for key in EXEMPTIONS if key[1] not in texts.get(key[0], "")]
    assert not stale, f"exemptions that no sentence uses any more: {stale}"


@pytest.mark.parametrize("name", [p.name for p in ROOT.glob("notebooks/*.ipynb")])
def test_executed_copies_have_true_verdicts_and_clean_outputs(name):
    path = EXECUTED / name
    if not path.is_file():
        pytest.skip("no executed copy: run `python -m course_utils run --profile pocket` first "
                    "(the slow lane checks every executed cell through conftest.py)")
    problems = executed_problems(json.loads(path.read_text(encoding="utf-8")), name)
    assert not problems, "\n".join(problems)
