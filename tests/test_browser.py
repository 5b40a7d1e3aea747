"""A real browser: JupyterLab and headless Chromium run the Trainer notebook as a student would.

The test copies ``notebooks/`` to a temporary folder (the repository is never modified), starts
JupyterLab on 127.0.0.1 with a random token and the pocket profile, opens ``06_trainer.ipynb``
in Debian's Chromium driven by Playwright, runs all cells, checks that no cell raised, types a
tweet into the "try your own tweet" widget and checks that it answers with a label
(negative / neutral / positive). Then it answers the first question of the notebook's quiz
(``course_utils.quiz``) once wrongly and once rightly, pressing "Check" each time, and checks the
verdict and the chosen option's explanation shown in the page. Screenshots go to
``build/browser/`` (their paths are printed; ``pytest -s`` shows them).

Requirements: ``/usr/bin/chromium`` (Debian's ``chromium`` package; ``COURSE_CHROMIUM`` points
elsewhere) and the ``playwright`` Python package. Playwright's own browser download is not used.
Without them the test is skipped, except under ``CI`` where it fails, so that CI cannot skip it
silently (``.ci/run`` installs both).

``COURSE_BROWSER_RUN_TIMEOUT`` (seconds, default 360) bounds the notebook's run.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.browser_site import answer_quiz

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
TRAINER = "06_trainer.ipynb"
WIDGETS = "widgets_check.ipynb"  # written by lab_folder: the course's widgets and a quiz, no training
CHROMIUM = Path(os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium"))
SHOTS = REPO / "build" / "browser"
RUN_TIMEOUT_S = float(os.environ.get("COURSE_BROWSER_RUN_TIMEOUT", "360"))
LABELS = ("negative", "neutral", "positive")
# Two tweets with different wording, so the widget's answer has to change between them.
TWEETS = (
    "absolutely loving this sunny day, best coffee ever!! #happy",
    "worst customer service ever, my flight got cancelled again. furious",
)
# Flags for Chromium on a closed network as root; Playwright adds --headless and its own
# fresh --user-data-dir (a temporary profile per launch).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _require(ok: bool, reason: str) -> None:
    """Skip when a browser prerequisite is missing, but fail under CI (it must run there)."""
    if ok:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI is set, so this fails instead of skipping (.ci/run installs it)")
    pytest.skip(reason)


def _check_prerequisites() -> None:
    _require(CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK),
             f"{CHROMIUM} not found (Debian: apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _require(False, "the playwright Python package is not installed (pip install playwright)")
    try:
        import jupyterlab  # noqa: F401
        import jupyterlab_widgets  # noqa: F401
    except ImportError as error:
        _require(False, f"JupyterLab or its widgets extension is missing ({error.name})")


# --------------------------------------------------------------------------------------------
# The notebook under test
# --------------------------------------------------------------------------------------------

def _widget_hints(notebook: Path) -> list[str]:
    """The ``placeholder=`` / ``description=`` strings of the notebook's text widgets.

    Searched in the notebook's code cells and in the ``course_utils`` functions they call (the
    Trainer notebook builds its widget with ``course_utils.widgets.tweet_widget``), so the test
    finds the "try your own tweet" box by the wording the course uses.
    """
    import ast

    nb = json.loads(notebook.read_text(encoding="utf-8"))
    code = "\n".join("".join(c.get("source", "")) for c in nb.get("cells", [])
                     if c.get("cell_type") == "code")
    hints = [m.group(2) for m in
             re.finditer(r"""(?:placeholder|description)\s*=\s*(['"])(.+?)\1""", code)]
    for path in sorted((REPO / "course_utils").rglob("*.py")):
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (OSError, SyntaxError, UnicodeDecodeError):
            continue
        for func in ast.walk(tree):
            if not (isinstance(func, ast.FunctionDef)
                    and re.search(rf"\b{re.escape(func.name)}\s*\(", code)):
                continue
            for node in ast.walk(func):
                if isinstance(node, ast.keyword) and node.arg in ("placeholder", "description") \
                        and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                    hints.append(node.value.value)
    return [h for h in dict.fromkeys(hints) if h.strip()]


# --------------------------------------------------------------------------------------------
# Fixtures: a notebook folder, a JupyterLab server, a browser page
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lab_folder(tmp_path_factory):
    """A copy of ``notebooks/`` (and a link to ``ressources/``) in a temporary folder."""
    _check_prerequisites()
    root = tmp_path_factory.mktemp("browser")
    notebooks = root / "course" / "notebooks"
    shutil.copytree(REPO / "notebooks", notebooks,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "test_trainer", "outputs", "__pycache__"))
    if (REPO / "ressources").is_dir():
        (root / "course" / "ressources").symlink_to(REPO / "ressources")
    write_widgets_notebook(notebooks / WIDGETS)
    return root, notebooks, TRAINER


WIDGET_CELLS = (
    "import ipywidgets\nfrom transformers import pipeline\n\n"
    "from course_utils.model import load_classifier, load_tokenizer, quiet_library_output\n"
    "from course_utils.profiles import get_profile\nfrom course_utils.quiz import quiz\n"
    "from course_utils.widgets import token_widget, tweet_widget\n\n"
    "quiet_library_output()\nprofile = get_profile()\ntokenizer = load_tokenizer(profile.model)\n"
    'print(f"kernel ipywidgets {ipywidgets.__version__}")',
    "token_widget(tokenizer)",
    'classifier = pipeline("text-classification", model=load_classifier(profile.model, tokenizer), '
    "tokenizer=tokenizer)\ntweet_widget(classifier)",
    'quiz("03_tokenizer")',
)


def write_widgets_notebook(path: Path) -> None:
    """Notebook 03's token box, notebook 06's tweet box (on the untrained pocket classifier: any
    label will do) and a quiz, in four cells that run in seconds."""
    import nbformat

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code) for code in WIDGET_CELLS])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, path)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, token: str, timeout: float = 5.0, method: str = "GET"):
    request = urllib.request.Request(url, method=method,
                                     headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, response.read()


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@pytest.fixture(scope="module")
def jupyter_lab(lab_folder):
    """JupyterLab serving the copied notebooks on 127.0.0.1; shut down (kernels too) at the end."""
    root, notebooks, _ = lab_folder
    port, token = _free_port(), secrets.token_hex(16)
    settings = root / "lab-settings"
    # Quiet, deterministic UI: no news/update toasts; every cell attached to the DOM.
    for plugin, values in {
        "apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
        "notebook-extension/tracker": {"windowingMode": "none", "autoStartDefaultKernel": True},
    }.items():
        path = settings / "@jupyterlab" / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    env = dict(os.environ)
    env.update({
        "COURSE_PROFILE": "pocket",
        "HF_HUB_OFFLINE": "1",
        "HF_DATASETS_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "TOKENIZERS_PARALLELISM": "false",
        "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1"),
        "JUPYTER_CONFIG_DIR": str(root / "jupyter-config"),
        "JUPYTER_DATA_DIR": str(root / "jupyter-data"),
        "JUPYTER_RUNTIME_DIR": str(root / "jupyter-runtime"),
        "IPYTHONDIR": str(root / "ipython"),
    })
    env.pop("MPLBACKEND", None)  # conftest sets Agg; in the browser plots should show inline
    log_path = root / "jupyterlab.log"
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
        "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
        f"--ServerApp.token={token}", f"--ServerApp.root_dir={notebooks}",
        "--LabApp.expose_app_in_browser=True",
        f"--LabApp.user_settings_dir={settings}",
        f"--LabApp.workspaces_dir={root / 'lab-workspaces'}",
    ]
    with open(log_path, "wb") as log:
        server = subprocess.Popen(command, cwd=notebooks, env=env, stdout=log,
                                  stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                  start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(server, base, token, log_path, "JupyterLab")
        yield {"base": base, "token": token, "log": log_path, "root": root}
    finally:
        _stop_server(server, base, token)


def wait_for_server(server: subprocess.Popen, base: str, token: str, log_path: Path, what: str) -> None:
    """Wait until a Jupyter server answers ``/api/status``; fail with its log if it exits or stays
    silent for 90 s."""
    deadline = time.monotonic() + 90
    while True:
        if server.poll() is not None:
            pytest.fail(f"{what} exited with {server.returncode}:\n{_tail(log_path)}")
        try:
            if _get(f"{base}/api/status", token)[0] == 200:
                return
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not answer on {base} in 90 s:\n{_tail(log_path)}")
        time.sleep(0.5)


def _stop_server(server: subprocess.Popen, base: str, token: str) -> None:
    """Ask the server to shut down (it stops its kernels), then terminate, then kill."""
    if server.poll() is None:
        try:
            _get(f"{base}/api/shutdown", token, method="POST")
        except (urllib.error.URLError, OSError):
            pass
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait(timeout=10)


@pytest.fixture(scope="module")
def browser_page():
    """A Chromium page (Debian's binary, driven by Playwright), closed at the end."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                    args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1100})
            page = context.new_page()
            page.set_default_timeout(60_000)
            yield page
        finally:
            browser.close()


# --------------------------------------------------------------------------------------------
# JavaScript run in the page (JupyterLab is exposed as window.jupyterapp)
# --------------------------------------------------------------------------------------------

JS_FIND_PANEL = """
(name) => {
  const app = window.jupyterapp;
  if (!app) return null;
  for (const w of app.shell.widgets('main')) {
    if (w.context && w.context.path && w.context.path.split('/').pop() === name) return w;
  }
  return null;
}
"""

JS_PANEL_READY = f"""
async (name) => {{
  const find = {JS_FIND_PANEL};
  const panel = find(name);
  if (!panel) return 'no panel';
  const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), 120000));
  const ready = Promise.all([panel.context.ready, panel.sessionContext.ready]);
  if (await Promise.race([ready, timeout]) === 'timeout') return 'timeout';
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  return kernel ? kernel.status : 'no kernel';
}}
"""

JS_RUN_ALL = f"""
async (name) => {{
  const app = window.jupyterapp;
  const panel = ({JS_FIND_PANEL})(name);
  app.shell.activateById(panel.id);
  window.__courseRunAll = {{done: false, ok: null, error: null}};
  app.commands.execute('notebook:run-all-cells').then(
    (ok) => {{ window.__courseRunAll = {{done: true, ok: ok, error: null}}; }},
    (err) => {{ window.__courseRunAll = {{done: true, ok: false, error: String(err)}}; }});
  return true;
}}
"""

JS_PROGRESS = f"""
(name) => {{
  const panel = ({JS_FIND_PANEL})(name);
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  const prompts = Array.from(panel.node.querySelectorAll('.jp-InputPrompt'))
                      .map((p) => p.textContent.trim());
  const cells = [];
  const model = panel.content.model;
  for (let i = 0; i < model.cells.length; i++) {{
    const cell = model.cells.get(i);
    if (cell.type !== 'code') continue;
    const outputs = cell.outputs.toJSON();
    cells.push({{
      index: i,
      source: cell.sharedModel.getSource(),
      count: cell.executionCount,
      errors: outputs.filter((o) => o.output_type === 'error')
                     .map((o) => o.ename + ': ' + o.evalue),
    }});
  }}
  return {{
    run: window.__courseRunAll || null,
    kernel: kernel ? kernel.status : 'none',
    busy: prompts.filter((p) => p.includes('*')).length,
    cells: cells,
  }};
}}
"""


def _error_outputs_in_dom(page) -> list[str]:
    """Tracebacks as the student sees them: error outputs and stderr that holds a Traceback."""
    found = page.eval_on_selector_all(
        ".jp-NotebookPanel .jp-OutputArea-output",
        """(nodes) => nodes.filter((n) => {
             const mime = n.getAttribute('data-mime-type') || '';
             const text = n.innerText || '';
             return mime === 'application/vnd.jupyter.error'
                 || (mime === 'application/vnd.jupyter.stderr' && /Traceback \\(most recent/.test(text));
           }).map((n) => (n.innerText || '').slice(0, 400))""",
    )
    return list(found)


def _answer_text(area) -> str:
    """The text the widget's output area shows (``innerText`` leaves out the text box's value)."""
    return area.evaluate("(node) => (node.innerText || '').trim()")


def _settled_text(area, quiet_s: float = 1.5, limit_s: float = 30.0) -> str:
    """The widget's text once it has stopped changing (a live box answers on every keystroke)."""
    text, since, deadline = _answer_text(area), time.monotonic(), time.monotonic() + limit_s
    while time.monotonic() - since < quiet_s and time.monotonic() < deadline:
        time.sleep(0.25)
        now = _answer_text(area)
        if now != text:
            text, since = now, time.monotonic()
    return text


def _has_label(text: str) -> bool:
    return any(re.search(rf"\b{label}\b", text, re.IGNORECASE) for label in LABELS)


# --------------------------------------------------------------------------------------------
# The test
# --------------------------------------------------------------------------------------------


def test_trainer_notebook_runs_in_jupyterlab_and_widget_answers(lab_folder, jupyter_lab,
                                                                browser_page):
    _, notebooks, name = lab_folder
    page = browser_page
    base, token = jupyter_lab["base"], jupyter_lab["token"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    stem = Path(name).stem
    page_shot, widget_shot = SHOTS / f"{stem}_page.png", SHOTS / f"{stem}_widget.png"
    quiz_shot, failure_shot = SHOTS / f"{stem}_quiz.png", SHOTS / f"{stem}_failure.png"
    for old in (page_shot, widget_shot, quiz_shot, failure_shot):
        old.unlink(missing_ok=True)
    print(f"\n[browser] notebook: {name}")
    started = time.monotonic()
    try:
        _open_notebook(page, base, token, name)
        progress = _run_all_cells(page, name, log=jupyter_lab["log"])
        problems = _cell_problems(page, progress)
        for problem in problems:
            print(f"[browser] PROBLEM {problem}")
        # The widgets are checked even when a later cell failed, so one run reports both.
        try:
            _check_widget(page, notebooks / name, page_shot, widget_shot)
            _check_quiz(page, stem, quiz_shot)
        except Exception as widget_error:
            if problems:
                raise AssertionError("\n".join(problems) + "\nand the widget or quiz check failed "
                                     f"too: {widget_error}") from widget_error
            raise
        assert not problems, "\n".join(problems)
    except BaseException:
        try:
            errors = page.locator('.jp-NotebookPanel [data-mime-type="application/vnd.jupyter.error"]')
            if errors.count():
                errors.first.scroll_into_view_if_needed(timeout=5_000)
            page.screenshot(path=str(failure_shot))
            print(f"[browser] failure screenshot: {failure_shot}")
        except Exception:  # noqa: BLE001 - the screenshot is a diagnostic, never the failure
            pass
        print(f"[browser] JupyterLab log (tail):\n{_tail(jupyter_lab['log'])}")
        raise
    print(f"[browser] total {time.monotonic() - started:.0f} s in the browser")


def test_widgets_and_quiz_answer_in_jupyterlab(lab_folder, jupyter_lab, browser_page):
    """The token box types, the tweet box answers with a label, the quiz answers, with this
    environment's ipywidgets (8.x) in JupyterLab. Colab's 7.7.1 is checked by the Colab lane in
    Colab's own classic Notebook (``tests/test_colab_widgets.py``)."""
    page = browser_page
    _open_notebook(page, jupyter_lab["base"], jupyter_lab["token"], WIDGETS)
    problems = _cell_problems(page, _run_all_cells(page, WIDGETS, log=jupyter_lab["log"]))
    assert not problems, "\n".join(problems)
    panel = page.locator(".jp-NotebookPanel:visible").first
    check_widget_boxes(page, panel, "jp-OutputArea", sys.executable)
    check_quiz(panel)


def check_widget_boxes(page, scope, area_class: str, python: str) -> None:
    """In the executed widget notebook shown in ``scope``: it ran with ``python``'s ipywidgets, the
    token box re-tokenises what is typed, the tweet box answers with a label. ``area_class`` is the
    front end's class of a cell's output area."""
    version = subprocess.run([python, "-c", "import ipywidgets; print(ipywidgets.__version__)"],
                             capture_output=True, text=True, check=True).stdout.strip()
    boxes = scope.locator(".widget-text input[type=text]")
    try:  # a front end draws a widget once its model has come over from the kernel
        page.wait_for_function("""([node]) => node.querySelectorAll('.widget-text input[type=text]').length >= 2
                                   && !/Loading widget|Error displaying widget/.test(node.innerText)""",
                               arg=[scope.element_handle()], timeout=30_000)
    except Exception:  # noqa: BLE001 - reported by the assertion below
        pass
    shown = scope.inner_text()
    assert f"kernel ipywidgets {version}" in shown, f"the notebook did not run with {python}: {shown[:300]!r}"
    print(f"[browser] kernel ipywidgets {version}")
    assert boxes.count() == 2, (f"{boxes.count()} text boxes drawn, not the token box and the tweet box; "
                                f"the outputs read: {shown[:600]!r}")
    answers = {}
    for box, text, expected in ((boxes.nth(0), "hello world", "2 tokens, 11 characters"),
                                (boxes.nth(1), TWEETS[0], None)):
        area = box.locator("xpath=ancestor::*[contains(concat(' ', normalize-space(@class), ' '),"
                           f" ' {area_class} ')][1]")
        box.fill(text)
        box.press("Enter")
        page.wait_for_function(
            """([node, expected]) => {
                 const text = node.innerText || '';
                 return expected ? text.includes(expected) : /\\b(negative|neutral|positive)\\b/.test(text);
               }""", arg=[area.element_handle(), expected], timeout=30_000)
        answers[text] = _settled_text(area)
        print(f"[browser] typed {text!r} -> {answers[text]!r}")
    assert _has_label(answers[TWEETS[0]])


def check_quiz(scope) -> None:
    """The widget notebook's quiz answers (``browser_site.answer_quiz``)."""
    for line in answer_quiz(scope, "03_tokenizer"):
        print(f"[browser] quiz 03_tokenizer, question 1 -> {line!r}")


def _open_notebook(page, base: str, token: str, name: str) -> None:
    """Open the notebook in JupyterLab and wait for its kernel to be idle."""
    t0 = time.monotonic()
    page.goto(f"{base}/lab/tree/{name}?reset&token={token}", timeout=120_000,
              wait_until="domcontentloaded")
    page.wait_for_function("() => !!window.jupyterapp && window.jupyterapp.started !== undefined",
                           timeout=120_000)
    page.wait_for_function(f"() => !!({JS_FIND_PANEL})({json.dumps(name)})", timeout=120_000)
    status = page.evaluate(JS_PANEL_READY, name)
    assert status not in ("no panel", "no kernel", "dead", "timeout"), (
        f"the notebook's kernel did not start: {status}")
    page.wait_for_function(
        f"""() => {{
              const p = ({JS_FIND_PANEL})({json.dumps(name)});
              const k = p && p.sessionContext.session && p.sessionContext.session.kernel;
              return k && k.status === 'idle';
            }}""",
        timeout=120_000,
    )
    print(f"[browser] JupyterLab open, kernel idle after {time.monotonic() - t0:.0f} s")


def _run_all_cells(page, name: str, log: Path) -> dict:
    """Run > Run All Cells, then wait until the kernel has finished every cell."""
    t1 = time.monotonic()
    page.evaluate(JS_RUN_ALL, name)
    deadline, last_report, progress = t1 + RUN_TIMEOUT_S, 0.0, None
    while True:
        progress = page.evaluate(JS_PROGRESS, name)
        done = (progress["run"] or {}).get("done")
        if done and progress["busy"] == 0 and progress["kernel"] == "idle":
            break
        if progress["kernel"] in ("dead", "unknown"):
            pytest.fail(f"the kernel died while running {name} (status {progress['kernel']}):\n"
                        f"{_tail(log)}")
        now = time.monotonic()
        if now > deadline:
            pytest.fail(f"{name} did not finish in {RUN_TIMEOUT_S:.0f} s "
                        f"({progress['busy']} cell(s) still [*], kernel {progress['kernel']})")
        if now - last_report > 30:
            ran = sum(c["count"] is not None for c in progress["cells"])
            print(f"[browser] running... {now - t1:.0f} s, {ran}/{len(progress['cells'])} "
                  f"code cells done, kernel {progress['kernel']}")
            last_report = now
        time.sleep(1.0)
    print(f"[browser] all cells ran in {time.monotonic() - t1:.0f} s")
    return progress


def _cell_problems(page, progress: dict) -> list[str]:
    """What went wrong in the run, as seen in the notebook model and on screen (empty: nothing)."""
    problems = [f"cell {c['index']} raised {e}" for c in progress["cells"] for e in c["errors"]]
    not_run = [c["index"] for c in progress["cells"] if c["source"].strip() and c["count"] is None]
    if not_run:
        problems.append(f"code cells never executed (the run stopped early?): {not_run}")
    if progress["run"].get("ok") is False and not problems:
        problems.append(f"Run All Cells reported a failure: {progress['run']}")
    shown = _error_outputs_in_dom(page)
    if shown and not problems:
        problems.append("error output shown in the notebook:\n" + "\n---\n".join(shown))
    return problems


def _check_widget(page, notebook: Path, page_shot: Path, widget_shot: Path) -> None:
    """Type tweets into the "try your own tweet" box; it must answer with a label each time."""
    # Widgets must render (ipywidgets' lab extension), not stay "Loading widget..." or fail.
    panel = page.locator(".jp-NotebookPanel:visible").first
    page.wait_for_function(
        """() => !Array.from(document.querySelectorAll('.jp-NotebookPanel .jp-OutputArea-output'))
                 .some((n) => /Loading widget|Error displaying widget/.test(n.innerText || ''))""",
        timeout=30_000,
    )
    inputs = panel.locator(".jp-OutputArea .jupyter-widgets input[type=text], "
                           ".jp-OutputArea .widget-text input")
    assert inputs.count() > 0, "no ipywidgets text box rendered in the notebook's outputs"

    # The "try your own tweet" box: the one named by the notebook's placeholder/description.
    hints = _widget_hints(notebook)
    chosen = None
    described = []
    for i in range(inputs.count()):
        box = inputs.nth(i)
        text = box.evaluate(
            """(input) => {
                 const w = input.closest('.widget-text') || input.parentElement;
                 const label = w ? (w.querySelector('label, .widget-label') || {}).textContent : '';
                 return [input.placeholder || '', label || ''];
               }"""
        )
        described.append(text)
        if any(h and (h in text[0] or h in text[1]) for h in hints):
            chosen = box  # keep the last match: the widget comes at the end of the notebook
    if chosen is None:
        chosen = inputs.last
    print(f"[browser] text boxes (placeholder, label): {described}; notebook hints: {hints}")

    # The cell's whole output area: the widget's answer may be a sibling output of the box.
    area = chosen.locator("xpath=ancestor::*[contains(concat(' ', normalize-space(@class), ' '),"
                          " ' jp-OutputArea ')][1]")
    chosen.scroll_into_view_if_needed()
    initial = before = _answer_text(area)
    answers = []
    for tweet in TWEETS:
        chosen.click()
        chosen.fill("")
        chosen.press_sequentially(tweet, delay=5)
        chosen.press("Enter")
        button = area.locator("button").filter(
            has_text=re.compile(r"classif|predict|submit|go|run|send|try", re.IGNORECASE))
        if button.count() == 1:
            button.click()
        try:
            page.wait_for_function(
                """([node, before]) => {
                     const text = (node.innerText || '').trim();
                     return text !== before && /\\b(negative|neutral|positive)\\b/i.test(text);
                   }""",
                arg=[area.element_handle(), before],
                timeout=60_000,
            )
        except Exception:  # noqa: BLE001 - reported by the assertion below
            pass
        after = _settled_text(area)
        answers.append(after)
        print(f"[browser] typed {tweet!r} -> {after!r}")
        before = after
    assert all(_has_label(a) for a in answers), (
        f"the widget did not answer with one of {LABELS} for every tweet; it showed: {answers}")
    shown_texts = [initial, *answers]
    assert any(b != a for a, b in zip(shown_texts, shown_texts[1:], strict=False)), (
        f"the widget's answer never changed: {shown_texts}")

    area.scroll_into_view_if_needed()
    page.screenshot(path=str(page_shot), full_page=True)
    area.screenshot(path=str(widget_shot))
    print(f"[browser] screenshots: {page_shot} and {widget_shot}")


def _check_quiz(page, stem: str, shot: Path) -> None:
    """Answer the quiz's first question wrongly, then rightly (``browser_site.answer_quiz``), in
    the notebook's output: the quiz's own script answers, with no kernel round trip."""
    panel = page.locator(".jp-NotebookPanel:visible").first
    for text in answer_quiz(panel, stem):
        print(f"[browser] quiz {stem}, question 1 -> {text!r}")
    panel.locator(f'.course-quiz[data-quiz="{stem}"] .course-quiz-question').first.screenshot(path=str(shot))
    print(f"[browser] quiz screenshot: {shot}")
