"""Checks that every sentence of a notebook is true in every run (issue 19).

Shared by ``tests/test_prose.py`` and by the nbval hook in ``conftest.py``, which runs
:func:`cell_output_problems` on every notebook cell that nbval executes.

- **Markdown states no outcome.** Prose says what we do and why; a sentence that states a result
  ("expect", "beats", "more than the noise", "still learns", ...) belongs in a printed line
  computed from the run. :data:`OUTCOME_PHRASES` is the list; :data:`EXEMPTIONS` names the few
  sentences where such a word is about method, not outcome, each with its reason.
- **A printed verdict agrees with its own numbers.** ``course_utils.metrics.Verdict`` prints
  ``[verdict] name: a=0.270 b=0.400 diff=-0.130 noise=0.062 (2 SE of b on 200 tweets) -> lower``;
  :func:`verdict_problems` recomputes the difference and the outcome from the printed numbers,
  independently of that class, and refuses a noise word printed outside such a line.
- **Exercise checks agree with where they run.** :func:`exercise_check_problems`: a check cell
  says "not attempted" in a notebook as shipped and "correct" in its solutions notebook.
- **Executed outputs are clean.** :func:`junk_problems` finds what a reader of an executed copy
  should never see: a progress bar stopped short of its end, a widget shown as its text repr
  (``VBox(...)``), an empty table.
"""

from __future__ import annotations

import re

OUTCOME_PHRASES = {  # regex (case-insensitive) -> what it claims
    r"\bexpect\b|\bexpecting\b|\bthat is expected\b": "a predicted result",
    r"\bbeats\b|\boutperforms?\b|\bfar (above|below)\b": "a ranking of scores",
    r"\b(more|less|larger|smaller) than (the |its )?noise\b|\bwithin (the )?noise\b": "a noise verdict",
    r"\bstill learns?\b|\bcan still learn\b": "a learning outcome",
    r"\bnear (chance|the majority|the level of guessing)\b|\bstays near\b": "a score level",
    r"\btwo thirds\b|\babout half\b": "a score level",
    r"\bthe more\b[^.]{0,80}\bthe more\b": "a trend",
    r"\b(forgets|forgot|forgetting) (more|less)\b": "a forgetting ranking",
    r"\bshould (fall|rise|turn|get|be higher|be lower|score)\b|\bfalls? steadily\b": "a predicted curve",
    r"\blands?\b (in|near|above|below)\b|\bsame low range\b|\bbarely follows\b": "a score level",
    r"\bclear drop\b|\bmore misses\b|\bdoes not follow the rows\b": "a predicted result",
}
EXEMPTIONS = {  # (file name, fragment of the sentence) -> why the sentence is about method
    ("01_pretrained_language_models.ipynb", 'calls a difference smaller than the noise "within noise"'):
        "defines the verdict line's rule once, where it is introduced",
    ("08_forgetting_leakage_and_data.ipynb", '"LoRA Learns Less and Forgets Less"'):
        "the title of the cited paper",
}

VERDICT = re.compile(
    r"\[verdict\] (?P<name>[^:\n]+): (?:a=(?P<a>-?\d+\.\d{3}) b=(?P<b>-?\d+\.\d{3}) )?"
    r"diff=(?P<diff>[+-]\d+\.\d{3}) noise=(?P<noise>\d+\.\d{3}) \((?P<yardstick>[^)\n]+)\) "
    r"-> (?P<outcome>higher|lower|within noise)$")
NOISE_WORDS = re.compile(r"within noise|more than the noise|than its noise", re.I)
STALE_BAR = re.compile(r"(?<![\d/])(\d+)/(\d+) \[[^\]\n]*\]|\[(\d+)/(\d+) [^\]\n]*\]"
                       r"|<progress value='(\d+)' max='(\d+)'")
BLANK_TIMES = re.compile(r"\[\d+/\d+ : < :")  # a Trainer bar drawn before its first time estimate
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_REPR = re.compile(r"^(VBox|HBox|Box|Text|Textarea|Output|HTML|Label|Button|Dropdown)\(", re.M)
EMPTY_TABLE = re.compile(r"^Empty DataFrame$|<tbody>\s*</tbody>", re.M)


def source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def sentences(text: str) -> list[str]:
    """The sentences of a markdown text, one line each (list items and paragraphs split too)."""
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z*`(\"])|\n\s*\n|\n\s*(?:[-*]|\d+\.)\s+", text)
    parts = [re.sub(r"^\s*(?:[-*>]|\d+\.)\s+", "", part) for part in parts]
    return [" ".join(part.split()) for part in parts if part.strip()]


def markdown_outcome_hits(notebook: dict, name: str, exemptions=EXEMPTIONS) -> list[str]:
    """``"name [cell] 'phrase': sentence"`` for every markdown sentence with an outcome phrase."""
    exempt = [fragment for (file, fragment) in exemptions if file == name]
    hits = []
    for number, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        for sentence in sentences(source(cell)):
            if any(fragment in sentence for fragment in exempt):
                continue
            for pattern in OUTCOME_PHRASES:
                found = re.search(pattern, sentence, re.I)
                if found:
                    hits.append(f"{name} [{number}] {found.group(0)!r}: {sentence}")
                    break
    return hits


def verdict_problems(text: str) -> list[str]:
    """Printed ``[verdict]`` lines whose outcome or difference disagrees with their own numbers,
    malformed ones, and noise words printed outside a verdict line."""
    problems = []
    for line in text.splitlines():
        if "[verdict]" not in line:
            if NOISE_WORDS.search(line):
                problems.append(f"a noise verdict outside a [verdict] line: {line.strip()}")
            continue
        found = VERDICT.search(line.strip())
        if not found:
            problems.append(f"malformed verdict line: {line.strip()}")
            continue
        diff, noise = round(float(found["diff"]) * 1000), round(float(found["noise"]) * 1000)
        if found["a"] is not None and round((float(found["a"]) - float(found["b"])) * 1000) != diff:
            problems.append(f"a - b is not diff: {line.strip()}")
        outcome = "within noise" if diff == 0 or abs(diff) < noise else "higher" if diff > 0 else "lower"
        if found["outcome"] != outcome:
            problems.append(f"says {found['outcome']!r}, its numbers say {outcome!r}: {line.strip()}")
    return problems


def junk_problems(text: str) -> list[str]:
    """Progress bars stopped short of their end, widget reprs and empty tables in an output."""
    problems = []
    for found in STALE_BAR.finditer(text):
        done, total = next((found[i], found[i + 1]) for i in (1, 3, 5) if found[i])
        if done != total:
            problems.append(f"a progress bar stopped at {done}/{total}: {found.group(0)}")
    problems += [f"a progress bar with blank times: {m.group(0)}" for m in BLANK_TIMES.finditer(text)]
    problems += [f"a widget shown as its repr: {m.group(0)}..." for m in WIDGET_REPR.finditer(text)]
    problems += [f"an empty table: {m.group(0)}" for m in EMPTY_TABLE.finditer(text)]
    return problems


def output_text(output: dict) -> str:
    """What a reader of a static copy sees of one output: its stream text, else its HTML, else
    its plain text."""
    if output.get("output_type") == "stream":
        return source({"source": output.get("text", "")})
    data = output.get("data", {})
    return next((source({"source": data[kind]}) for kind in ("text/html", "text/plain") if kind in data), "")


def cell_output_problems(outputs: list[dict], junk: bool = True) -> list[str]:
    """Every verdict problem in the outputs of one executed cell and, with ``junk``, every junk
    problem. A widget must carry a static fallback (HTML or an image) for copies viewed without a
    live kernel."""
    problems = []
    for output in outputs:
        text, data = output_text(output), output.get("data", {})
        if output.get("output_type") == "stream":
            problems += verdict_problems(text)
        if not junk:
            continue
        if WIDGET_MIME in data and not {"text/html", "image/png"} & set(data):
            problems.append(f"a widget with no static fallback: {source({'source': data.get('text/plain', '')})[:60]}")
        problems += junk_problems(text)
    return problems


CHECK_CALL = re.compile(r"\bcheck\.exercise_\d+\(")
CHECK_LINE = re.compile(r"^\[check\] exercise (\d\d\.\d+) (correct|hint|not attempted): \S", re.M)


def exercise_check_problems(cell_source: str, outputs: list[dict], expected: str) -> list[str]:
    """A cell that calls an exercise check prints one ``[check]`` line per call, each with the
    status ``expected``: "not attempted" in a notebook as shipped, "correct" in its solutions."""
    calls = len(CHECK_CALL.findall(cell_source))
    if not calls:
        return []
    text = "".join(output_text(output) for output in outputs if output.get("output_type") == "stream")
    lines = CHECK_LINE.findall(text)
    problems = [f"{len(lines)} [check] lines for {calls} check calls"] if len(lines) != calls else []
    return problems + [f"exercise {name} says {status!r}, not {expected!r}"
                       for name, status in lines if status != expected]


def executed_problems(notebook: dict, name: str) -> list[str]:
    """:func:`cell_output_problems` for every code cell of an executed notebook, with the cell."""
    return [f"{name} [{number}] {problem}" for number, cell in enumerate(notebook["cells"])
            if cell["cell_type"] == "code" for problem in cell_output_problems(cell.get("outputs", []))]
