"""What the browser tests share (the book, ``tests/test_book.py``; the slide decks,
``tests/test_slides.py``; JupyterLab, ``tests/test_browser.py``): headless Chromium's path and
options, a static host, a record of what the browser saw (console errors, failed requests, requests
to another host), the command that builds a site, a browser opened on it, and answering a quiz."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

CHROMIUM = Path(os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",  # as tests/test_browser.py
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
JS_IMAGES = """async () => Promise.all(Array.from(document.images).map(async (img) => {
  try { await img.decode(); } catch (error) { return {src: img.src, ok: false}; }
  return {src: img.src, ok: img.naturalWidth > 0};
}))"""


def require(ok: bool, reason: str) -> None:
    """Skip when a prerequisite is missing, but fail under CI, which installs them (.ci/run)."""
    if not ok:
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI is set, so this fails instead of skipping (.ci/run installs it)")
        pytest.skip(reason)


class Visits:
    """What the browser saw: console errors, failed requests, requests to another host."""

    def __init__(self, context):
        self.problems: list[str] = []
        self.aborted: set[str] = set()
        self.requests, self.local = 0, ("http://127.0.0.1:", "file://", "data:", "blob:")
        context.on("request", self._request)
        context.on("requestfailed", self._failed)
        context.on("response", lambda r: r.status >= 400 and self.problems.append(f"HTTP {r.status} for {r.url}"))

    def _request(self, request) -> None:
        self.requests += 1
        if not request.url.startswith(self.local):
            self.problems.append(f"request to another host: {request.url}")

    def _failed(self, request) -> None:
        # A request cut short because the page moved on (net::ERR_ABORTED, e.g. the favicon of a
        # page just left) says nothing about the site: unserved() fetches it again at the end.
        if request.failure == "net::ERR_ABORTED":
            self.aborted.add(request.url)
        else:
            self.problems.append(f"failed request {request.url}: {request.failure}")

    def unserved(self) -> list[str]:
        """The aborted requests whose file the site does not serve when asked again."""
        from urllib.request import url2pathname, urlopen

        missing = []
        for url in sorted(self.aborted):
            if url.startswith("file://"):
                found = Path(url2pathname(url.removeprefix("file://").split("#")[0].split("?")[0])).is_file()
            else:
                try:
                    with urlopen(url, timeout=10) as response:
                        found = response.status < 400
                except OSError:
                    found = False
            if not found:
                missing.append(f"failed request {url}: aborted, and not served when asked again")
        return missing

    def watch(self, page) -> None:
        page.on("console", lambda m: m.type == "error"
                and self.problems.append(f"console error on {page.url}: {m.text}"))
        page.on("pageerror", lambda error: self.problems.append(f"uncaught error on {page.url}: {error}"))


def serve(site: Path):
    """A static host for the site on 127.0.0.1 (the standard library's server, in a thread)."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def build_site(command: str, source: Path, out: Path, timeout: int) -> str:
    """Run ``python -m course_utils COMMAND --from SOURCE --out OUT`` (the run records of
    ``results/`` read, never written) and return what it printed; it must succeed."""
    done = subprocess.run([sys.executable, "-m", "course_utils", command, "--from", str(source), "--out", str(out)],
                          capture_output=True, text=True, cwd=REPO, timeout=timeout,
                          env={**os.environ, "COURSE_RESULTS_DIR": str(REPO / "results")})
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


@contextlib.contextmanager
def browsing(site: Path, **context_options):
    """Serve ``site`` on 127.0.0.1 and open headless Chromium with a :class:`Visits` on it. Yields
    ``(page, bases, visits)``, where ``bases`` are the site's two addresses (over HTTP, and from
    the folder with ``file://``); on the way out the browser closes, the server stops, and the
    aborted requests the site does not serve join ``visits.problems``."""
    from playwright.sync_api import sync_playwright

    server = serve(site)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            context = browser.new_context(**context_options)
            visits = Visits(context)
            page = context.new_page()
            visits.watch(page)
            yield page, (f"http://127.0.0.1:{server.server_address[1]}/", site.as_uri() + "/"), visits
            browser.close()
        visits.problems += visits.unserved()
    finally:
        server.shutdown()


def answer_quiz(scope, name: str) -> list[str]:
    """Answer question 1 of quiz ``name`` shown in ``scope`` (a page or a locator) with a wrong
    option, then the right one, pressing "Check" each time; the quiz's own script must have shown
    the buttons and folded the static answers away. Returns the two feedback lines, each checked
    to hold the verdict and that option's explanation (and the second not the first's)."""
    from course_utils.quiz import RIGHT, WRONG, load_quiz, plain

    question = load_quiz(name).questions[0]
    right = next(i for i, option in enumerate(question.options) if option.correct)
    wrong = next(i for i, option in enumerate(question.options) if not option.correct)
    card = scope.locator(f'.course-quiz[data-quiz="{name}"] .course-quiz-question').first
    card.scroll_into_view_if_needed()
    assert card.locator(".course-quiz-live").is_visible(), f"quiz {name}: its script did not run (no buttons)"
    assert card.locator(".course-quiz-answers").is_hidden(), f"quiz {name}: the static answers stay unfolded"
    shown = []
    for choice, verdict in ((wrong, WRONG), (right, RIGHT)):
        card.locator(f'input[type="radio"][value="{choice}"]').check()
        card.locator("button.course-quiz-check").click()
        text = " ".join(card.locator(".course-quiz-feedback").inner_text().split())
        expected = [verdict, plain(question.options[choice].explanation)]
        assert all(part in text for part in expected), (
            f"quiz {name}: after option {choice} and Check it showed {text!r}, not {expected!r}")
        shown.append(text)
    assert plain(question.options[wrong].explanation) not in shown[-1], "the wrong option's explanation stayed"
    return shown
