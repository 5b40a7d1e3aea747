"""The widgets and a quiz under Colab's own Jupyter versions (issue 29), in a real browser.

Run by the Colab lane (``.ci/colab-lane``), which sets ``COURSE_COLAB_PYTHON`` to its
environment's Python: Colab's package versions, ipywidgets 7.7.1 among them. Colab's front end is
not to be had here, so the widget notebook of ``tests/test_browser.py`` (03's token box, 06's
tweet box, a quiz) is served by that environment's own classic Notebook 6.5.7 with
widgetsnbextension 3.6.10, the front end Colab's package list carries for ipywidgets 7 (JupyterLab
4's widget manager draws no 7.x widget). Without the variable the test is skipped: the main
suite checks ipywidgets 8 in JupyterLab.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import time
from pathlib import Path

import pytest

from tests.browser_site import CHROMIUM, CHROMIUM_ARGS, require
from tests.test_browser import (
    WIDGETS,
    _free_port,
    _stop_server,
    _tail,
    check_quiz,
    check_widget_boxes,
    wait_for_server,
    write_widgets_notebook,
)

pytestmark = pytest.mark.browser
PYTHON = os.environ.get("COURSE_COLAB_PYTHON")

# Ready once the kernel is connected and the widget extension listens for the kernel's widgets
# (a widget the kernel opens before that is never drawn).
JS_READY = """() => {
  const nb = window.Jupyter && window.Jupyter.notebook;
  return !!(nb && nb.kernel && nb.kernel.is_connected() && nb.kernel.comm_manager
            && nb.kernel.comm_manager.targets['jupyter.widget']);
}"""
JS_DONE = """() => {
  const cells = Jupyter.notebook.get_cells().filter((c) => c.cell_type === 'code');
  return cells.every((c) => typeof c.input_prompt_number === 'number') && !Jupyter.notebook.kernel_busy;
}"""
JS_ERRORS = """() => Jupyter.notebook.get_cells().filter((c) => c.cell_type === 'code')
  .flatMap((c) => c.output_area.outputs.filter((o) => o.output_type === 'error')
  .map((o) => o.ename + ': ' + o.evalue))"""


@pytest.fixture(scope="module")
def classic_notebook(tmp_path_factory):
    """``COURSE_COLAB_PYTHON -m notebook`` serving a folder with the widget notebook."""
    if not PYTHON:
        pytest.skip("COURSE_COLAB_PYTHON is not set: the Colab lane (.ci/colab-lane) runs this test")
    require(CHROMIUM.is_file(), f"{CHROMIUM} not found (Debian: apt-get install chromium)")
    root = tmp_path_factory.mktemp("classic")
    folder = root / "notebooks"
    folder.mkdir()
    write_widgets_notebook(folder / WIDGETS)
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, "COURSE_PROFILE": "pocket", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
           "HF_DATASETS_OFFLINE": "1", "JUPYTER_CONFIG_DIR": str(root / "config"),
           "JUPYTER_RUNTIME_DIR": str(root / "runtime"), "IPYTHONDIR": str(root / "ipython")}
    env.pop("MPLBACKEND", None)
    log = root / "notebook.log"
    command = [PYTHON, "-m", "notebook", "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}",
               "--NotebookApp.port_retries=0", f"--NotebookApp.token={token}", f"--NotebookApp.notebook_dir={folder}"]
    with open(log, "wb") as out:
        server = subprocess.Popen(command, cwd=folder, env=env, stdout=out, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(server, base, token, log, "the classic Notebook")
        yield {"base": base, "token": token, "log": log}
    finally:
        _stop_server(server, base, token)


@pytest.fixture(scope="module")
def executed_page(classic_notebook):
    """A Chromium page on the widget notebook, every cell run in the classic Notebook."""
    from playwright.sync_api import sync_playwright

    base, token = classic_notebook["base"], classic_notebook["token"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 1400, "height": 1100}).new_page()
            page.set_default_timeout(60_000)
            started = time.monotonic()
            page.goto(f"{base}/notebooks/{WIDGETS}?token={token}", wait_until="domcontentloaded")
            page.wait_for_function(JS_READY, timeout=120_000)
            page.evaluate("() => Jupyter.notebook.execute_all_cells()")
            page.wait_for_function(JS_DONE, timeout=120_000, polling=500)
            errors = page.evaluate(JS_ERRORS)
            assert not errors, f"cells raised {errors}:\n{_tail(Path(classic_notebook['log']))}"
            print(f"\n[colab-widgets] the notebook ran in {time.monotonic() - started:.0f} s with {PYTHON}")
            yield page
        finally:
            browser.close()


def test_the_quiz_answers_in_colabs_notebook_front_end(executed_page):
    check_quiz(executed_page.locator("#notebook-container"))


@pytest.mark.xfail(strict=True, reason=(
    "issue 29, open: in the classic Notebook 6.5.7 with widgetsnbextension 3.6.10 the course's two "
    "text boxes stay undrawn on a fresh kernel (their output area is hidden), though the kernel sends "
    "the same widget view and snapshot as under ipywidgets 8 (tests/test_widgets.py passes under 7.7.1). "
    "Strict: this fails the day they draw, so the mark must then go."))
def test_the_widgets_answer_in_colabs_notebook_front_end(executed_page):
    check_widget_boxes(executed_page, executed_page.locator("#notebook-container"), "output", PYTHON)
