"""The course book (``python -m course_utils book``): its page-building helpers, then the site in a
real browser.

The unit tests build pages from small notebooks made here. The browser test builds the book from
the notebooks that nbval executed earlier in the same session (``tests/executed_copies.py``; in
CI, the pocket run of every notebook) and opens every page in headless Chromium, over HTTP as a
static host serves it and from the folder (``file://``): no console error, no failed request, no
request to another host, every image decoded, every internal link and anchor found, and the search
finds ``pad_token``. Run alone, without the notebooks, it executes the series itself first
(``run``'s code, pocket profile: a few minutes).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from course_utils.cli import book, book_guide, book_notebooks, book_pages, book_sphinx
from course_utils.cli.run import find_notebooks
from course_utils.costs import format_duration
from tests.browser_site import CHROMIUM, JS_IMAGES, Visits, answer_quiz, browsing, build_site, require

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
BADGE = ("[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
         "(https://colab.research.google.com/github/o/r/blob/main/notebooks/01_a.ipynb)")
BANNER = "[course] profile=pocket | model=pocket tiny GPT-2 | data=pocket"


def notebook(outputs: list | None = None, title: str = "# 01 · A notebook", headline: str = "score=0.500") -> dict:
    """A small executed notebook: badge and title, a code cell printing the banner, one more cell."""
    printed = [{"output_type": "stream", "name": "stdout", "text": f"{BANNER}\n[course] POCKET: tiny\n"}]
    last = outputs if outputs is not None else [
        {"output_type": "stream", "name": "stdout", "text": f"[headline] {headline}\n"}]
    return {"cells": [
        {"cell_type": "markdown", "id": "a", "metadata": {}, "source": f"{BADGE}\n\n{title}\n\nIntro."},
        {"cell_type": "code", "id": "b", "metadata": {}, "execution_count": 1, "source": "banner()",
         "outputs": printed},
        {"cell_type": "markdown", "id": "c", "metadata": {}, "source": "## 1 · Predicting the next token\n\nText."},
        {"cell_type": "code", "id": "d", "metadata": {}, "execution_count": 2, "source": "x", "outputs": last},
    ], "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                    "widgets": {"state": {}}}, "nbformat": 4, "nbformat_minor": 5}


def write(folder: Path, name: str, content: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps(content))
    return folder / name


# ------------------------------------------------------------------------------ executed copies

def test_a_folder_without_executed_notebooks_is_refused(tmp_path):
    with pytest.raises(ValueError, match="not a folder of executed notebooks.*course_utils run"):
        book_notebooks.executed_copies(tmp_path / "missing")
    with pytest.raises(ValueError, match="holds no notebook"):
        book_notebooks.executed_copies(tmp_path)
    unexecuted = notebook()
    for cell in unexecuted["cells"]:
        cell.pop("outputs", None)
    write(tmp_path, "01_a.ipynb", unexecuted)
    with pytest.raises(ValueError, match="01_a.ipynb has no outputs"):
        book_notebooks.executed_copies(tmp_path)
    (tmp_path / "01_a.ipynb").write_text("{not json")
    with pytest.raises(ValueError, match="cannot be read as a notebook"):
        book_notebooks.executed_copies(tmp_path)


def test_the_banner_and_the_folders_label_are_read_from_the_copies():
    assert book_notebooks.banner_lines(notebook()) == [BANNER, "[course] POCKET: tiny"]
    assert book_notebooks.banner_lines({"cells": []}) == []
    assert book_notebooks.folder_label(Path("build/notebooks")) == "pocket"
    assert book_notebooks.folder_label(Path("build/notebooks-small-rehearsal")) == "small-rehearsal"


def test_the_record_must_agree_with_every_copys_headline(tmp_path):
    folder = tmp_path / "notebooks"
    paths = [write(folder, "01_a.ipynb", notebook(headline="score=0.500"))]
    record = {"command": "python -m course_utils run --profile pocket", "date": "2026-12-06T10:00:00",
              "machine": {"cpu": "Some CPU", "cores": 2, "gpu": None},
              "notebooks": {"01_a.ipynb": {"status": "ok", "headline": "score=0.400"}}}
    (folder / "run.json").write_text(json.dumps(record))
    source = book_notebooks.provenance(folder, paths)
    assert source.record is None and source.machine() == "a machine this run kept no record of"
    record["notebooks"]["01_a.ipynb"]["headline"] = "score=0.500"
    (folder / "run.json").write_text(json.dumps(record))
    source = book_notebooks.provenance(folder, paths)
    assert (source.profile, source.machine()) == ("pocket", "Some CPU, 2 cores (2026-12-06)")
    banner = book_notebooks.banner_markdown(source)
    assert "**pocket** profile" in banner and "`python -m course_utils run --profile pocket`" in banner
    assert BANNER in banner
    (folder / "run.json").write_text(json.dumps({"notebooks": record["notebooks"]}))  # not a whole record
    assert book_notebooks.provenance(folder, paths).machine() == "a machine this run kept no record of"


def test_a_page_has_a_local_colab_button_the_banner_and_static_widgets():
    widget = {"output_type": "display_data", "metadata": {},
              "data": {book_notebooks.WIDGET_VIEW: {"model_id": "x"}, "text/html": "<p>snapshot</p>",
                       "text/plain": "VBox()"}}
    bare = {"output_type": "display_data", "metadata": {}, "data": {book_notebooks.WIDGET_VIEW: {"model_id": "y"}}}
    original = notebook([widget, bare])
    page = book_notebooks.book_page(original, "01_a.ipynb", "BANNER NOTE")
    first = page["cells"][0]["source"]
    assert "colab-badge.svg" not in first and 'class="course-colab"' in first
    assert "https://colab.research.google.com/github/" in first and first.count("notebooks/01_a.ipynb") == 1
    assert first.index("# 01 · A notebook") < first.index("BANNER NOTE") < first.index("Intro.")
    shown = page["cells"][3]["outputs"]
    assert shown[0]["data"] == {"text/html": "<p>snapshot</p>", "text/plain": "VBox()"}
    assert list(shown[1]["data"]) == ["text/plain"] and "widget" in shown[1]["data"]["text/plain"]
    assert "widgets" not in page["metadata"] and page["metadata"]["language_info"]["pygments_lexer"] == "ipython3"
    assert book_notebooks.WIDGET_VIEW in original["cells"][3]["outputs"][0]["data"]  # the run's copy is untouched
    assert "colab-badge.svg" in original["cells"][0]["source"]


# ------------------------------------------------------------------------------ the book's own pages

def test_the_readme_tables_are_taken_as_they_stand():
    profiles = book_pages.readme_table(README, "| profile | model |")
    assert [line.split("|")[1].strip() for line in profiles.splitlines()[2:]] == ["`pocket`", "`small`", "`full`"]
    times = book_pages.readme_times_table(README)
    assert times.startswith("| notebook |") and "**series**" in times
    with pytest.raises(ValueError, match="no table starting"):
        book_pages.readme_table("no table here", "| profile |")
    with pytest.raises(ValueError, match="markers are missing"):
        book_pages.readme_times_table("no markers")


def test_readme_links_to_its_own_sections_point_at_github():
    text = book_pages.readme_links("see [The pocket bundle](#the-pocket-bundle) and [x](https://a.b/#c)")
    assert f"[The pocket bundle]({book_pages.REPOSITORY_URL}#the-pocket-bundle)" in text
    assert "[x](https://a.b/#c)" in text


def test_the_landing_page_links_the_notebooks_in_the_book():
    pages = ["01_pretrained_language_models.ipynb", "06_trainer.ipynb"]
    page = book_pages.landing_page(README, pages, "THE BANNER")
    assert "[01_pretrained_language_models](notebooks/01_pretrained_language_models.ipynb)" in page
    assert "[06_trainer](notebooks/06_trainer.ipynb)" in page and "02_data" not in page.split("## Profiles")[0]
    assert "THE BANNER" in page and "| profile | model |" in page and "| notebook | pocket |" in page
    assert "](#" not in page  # no link to a section that only the README has


def test_table_of_contents_and_settings():
    toc = book_pages.table_of_contents(["01_a.ipynb", "02_b.ipynb"], guide=True)
    assert toc["root"] == "index"
    assert [c["file"] for c in toc["parts"][0]["chapters"]] == ["notebooks/01_a", "notebooks/02_b"]
    assert toc["parts"][1]["chapters"] == [{"file": book_pages.GUIDE}]
    assert len(book_pages.table_of_contents(["01_a.ipynb"], guide=False)["parts"]) == 1
    config = book_pages.book_config("pocket")
    assert config["execute"]["execute_notebooks"] == "off"
    assert "dollarmath" not in config["parse"]["myst_enable_extensions"]  # MathJax would come from a CDN
    assert config["sphinx"]["config"]["nb_ipywidgets_js"] == {}  # so would the widgets' JavaScript
    assert "course_utils.cli.book_sphinx" in config["sphinx"]["extra_extensions"]


# ------------------------------------------------------------------------------ the instructor's guide

def real_notebooks() -> dict[str, dict]:
    return {path.name: json.loads(path.read_text(encoding="utf-8")) for path in find_notebooks()}


def test_every_session_fills_its_time_and_names_real_sections():
    assert sum(slot.minutes for slot in book_guide.SESSIONS["90 minutes"]) == 90
    assert sum(slot.minutes for slot in book_guide.SESSIONS["3 hours"]) == 180
    notebooks = real_notebooks()
    for slots in book_guide.SESSIONS.values():
        for slot in slots:
            name = next((n for n in notebooks if slot.notebook and n.startswith(slot.notebook + "_")), None)
            assert slot.notebook is None or name, slot
            for part in slot.rerun:
                assert book_guide.section(notebooks[name], part, name)
    with pytest.raises(ValueError, match="names a section 'Nowhere'"):
        book_guide.section(notebook(), "Nowhere", "01_a.ipynb")


def test_a_session_table_adds_the_live_notebooks_recorded_times():
    run = {"date": "2026-12-01T00:00:00", "machine": {"cpu": "Some CPU", "cores": 2, "gpu": None},
           "notebooks": {"01_a.ipynb": {"status": "ok", "seconds": 700.0},
                         "02_b.ipynb": {"status": "ok", "seconds": 5}}}
    slots = (book_guide.Slot(10, "01", True, ("Predicting",)), book_guide.Slot(5, "02", False),
             book_guide.Slot(5, label="Break"))
    table = book_guide.session_table(slots, {"01_a.ipynb": notebook(), "02_b.ipynb": notebook()}, {"pocket": run})
    rows = table.splitlines()
    assert rows[0].startswith("| minutes | notebook | in class | re-run with the class | Run All: pocket |")
    assert rows[2].startswith("| 10 | [01 · A notebook](notebooks/01_a.ipynb) | live | 1 · Predicting the next token"
                              " | 11 min 40 s")
    assert "(longer than the slot)" in rows[2]
    assert rows[3].startswith("| 5 | [01 · A notebook](notebooks/02_b.ipynb) | pre-executed")
    assert "5 s" not in rows[3]  # shown, not run
    assert rows[4].startswith("| 5 | Break |")
    assert "| **20** | **in all** |" in rows[5] and "**11 min 40 s**" in rows[5]
    assert "Some CPU, 2 cores, 2026-12-01" in rows[6]


def test_the_guide_gets_every_table_from_the_records(monkeypatch):
    monkeypatch.setenv("COURSE_RESULTS_DIR", str(REPO / "results"))  # read only
    text = (REPO / book.GUIDE_SOURCE).read_text(encoding="utf-8")
    assert text.count("<!-- book:") == 3
    filled = book_guide.fill_guide(text, real_notebooks(), book_guide.plan_runs())
    assert "<!-- book:" not in filled
    assert filled.count("machine time of the live notebooks") == 2 and "| notebook | pocket |" in filled
    recorded = json.loads((REPO / "results" / "runs" / "pocket.json").read_text())
    seconds = format_duration(recorded["notebooks"]["06_trainer.ipynb"]["seconds"])
    row = next(line for line in filled.splitlines() if line.startswith("| 35 | [06 · Fine-tuning GPT-2 with the "))
    assert row.split(" | ")[4] == seconds  # the first run-time column: pocket
    with pytest.raises(ValueError, match="asks for a session 'a day'"):
        book_guide.fill_guide("<!-- book:session a day -->", {}, {})


# ------------------------------------------------------------------------------ self-contained, safe output

def test_scripts_and_stylesheets_from_another_host_are_dropped():
    class Script:
        def __init__(self, filename, body=""):
            self.filename, self.attributes = filename, {"body": body} if body else {}

    kept = [Script("_static/doctools.js"), Script(None, "const x = 1")]
    dropped = [Script("https://unpkg.com/a.js"), Script("//cdn.example/b.js"), Script("_static/sphinx-thebe.js"),
               Script(None, 'const THEBE_JS_URL = "https://unpkg.com/thebe"')]
    context = {"script_files": kept + dropped, "css_files": ["_static/a.css", "https://fonts.example/f.css"]}
    book_sphinx.drop_remote_assets(None, "index", "page.html", context, None)
    assert context["script_files"] == kept and context["css_files"] == ["_static/a.css"]


def test_remote_loads_are_found_in_pages_and_stylesheets(tmp_path):
    (tmp_path / "a.html").write_text('<img src="_images/x.png"><a href="https://example.org/">a link</a>'
                                     '<script src="https://cdn.example/x.js"></script>')
    (tmp_path / "b.css").write_text("@font-face { src: url(fonts/x.woff2) } body { background: url('//cdn.x/y.png') }")
    found = book.remote_loads(tmp_path)
    assert len(found) == 2 and found[0].startswith("a.html: src=\"https://cdn") and found[1].startswith("b.css: url(")


def test_the_output_folder_is_replaced_only_when_it_holds_a_book(tmp_path):
    html = tmp_path / "html"
    html.mkdir()
    (html / "index.html").write_text("new")
    (html / ".buildinfo").write_text("sphinx")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.tex").write_text("keep me")
    with pytest.raises(ValueError, match="not a book this command built"):
        book.publish(html, mine)
    assert (mine / "thesis.tex").read_text() == "keep me"
    book.publish(html, tmp_path / "site")
    (html / "index.html").write_text("newer")
    book.publish(html, tmp_path / "site")
    assert (tmp_path / "site" / "index.html").read_text() == "newer"


def test_the_command_refuses_a_folder_without_notebooks_in_one_line(tmp_path):
    done = subprocess.run([sys.executable, "-m", "course_utils", "book", "--from", str(tmp_path / "nothing"),
                           "--out", str(tmp_path / "site")], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        f"error: {tmp_path / 'nothing'} is not a folder of executed notebooks; run `python -m course_utils run` "
        "first (it writes the executed copies to build/notebooks/)."]


def test_help_loads_no_machine_learning_or_book_library():
    code = ("import sys; from course_utils.cli import build_parser; build_parser(); "
            "print([m for m in ('torch', 'transformers', 'datasets', 'sphinx', 'jupyter_book') if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=60)
    assert done.stdout.strip() == "[]", done.stderr


# ------------------------------------------------------------------------------ the site in a real browser

JS_LINKS = "() => Array.from(document.querySelectorAll('a[href]')).map((a) => a.href)"


def local_target(href: str, base: str, site: Path) -> tuple[Path, str] | None:
    """The file and anchor an internal link points at (None for a link to another site)."""
    from urllib.parse import unquote, urlsplit

    if not href.startswith(base):
        return None
    parts = urlsplit(href)
    path = site / unquote(href[len(base):].split("#")[0].split("?")[0])
    return (path / "index.html" if path.is_dir() else path), parts.fragment


def check_links(hrefs: list[str], base: str, site: Path, where: str) -> tuple[int, list[str]]:
    """Every internal link's file exists, and its anchor is an id in that page."""
    import re

    problems, checked = [], 0
    for href in hrefs:
        target = local_target(href, base, site)
        if target is None:
            continue
        checked += 1
        path, anchor = target
        if not path.is_file():
            problems.append(f"{where}: link to a missing file {href}")
        elif anchor and path.suffix == ".html" and not re.search(
                rf'\b(?:id|name)="{re.escape(anchor)}"', path.read_text(encoding="utf-8", errors="replace")):
            problems.append(f"{where}: link to a missing anchor {href}")
    return checked, problems


def search_results(page, base: str) -> list[str]:
    """The pages the book's search lists for ``pad_token``."""
    page.goto(f"{base}search.html?q=pad_token", wait_until="load")
    page.wait_for_function("() => /Search finished/.test((document.getElementById('search-results') || {})"
                           ".innerText || '')", timeout=30_000)
    return page.eval_on_selector_all("#search-results li a", "(links) => links.map((a) => a.href)")


@pytest.mark.browser
@pytest.mark.after_notebooks
def test_the_book_in_a_browser(executed_notebooks, tmp_path):
    require(CHROMIUM.is_file(), f"{CHROMIUM} not found (Debian: apt-get install chromium)")
    for package, advice in (("playwright", "requirements.txt"), ("jupyter_book", "requirements-book.txt")):
        require(importlib.util.find_spec(package) is not None, f"{package} is missing (pip install -r {advice})")

    site, started = tmp_path / "site", time.monotonic()
    built = build_site("book", executed_notebooks, site, timeout=900)
    print(f"[book] built in {time.monotonic() - started:.0f} s: {built.strip().splitlines()[-2]}")
    names = [path.stem for path in sorted(executed_notebooks.glob("[0-9][0-9]_*.ipynb"))]
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if "_static" not in p.parts)
    assert {f"notebooks/{name}.html" for name in names} | {"index.html", "instructor_guide.html", "search.html"} \
        <= set(pages)
    problems, counts = [], {"pages": 0, "images": 0, "links": 0, "quiz answers": 0}
    with browsing(site) as (page, bases, visits):
        for base in bases:
            for name in pages:
                page.goto(base + name, wait_until="load")
                images = page.evaluate(JS_IMAGES)
                problems += [f"{name}: image not decoded: {image['src']}" for image in images if not image["ok"]]
                checked, broken = check_links(page.evaluate(JS_LINKS), base, site, name)
                problems += broken
                counts["pages"] += 1
                counts["images"] += len(images)
                counts["links"] += checked
                if name.startswith("notebooks/"):
                    button = page.locator("a.course-colab")
                    assert button.count() == 1, f"{name}: no Colab button"
                    assert button.get_attribute("href").endswith(f"/notebooks/{Path(name).stem}.ipynb")
                    assert "produced by the pocket profile" in page.inner_text("main"), f"{name}: no banner"
                    ready = page.locator(".course-quiz[data-ready]").count()
                    assert ready == 1, f"{name}: {ready} quizzes set up by their script, not 1"
                    if name == "notebooks/06_trainer.html":  # no kernel here: the quiz's own script answers
                        counts["quiz answers"] += len(answer_quiz(page, "06_trainer"))
            found = search_results(page, base)
            assert any(href.endswith("notebooks/03_tokenizer.html") for href in found), (base, found)
            counts["search results"] = len(found)
    problems += visits.problems
    print(f"[book] {counts['pages']} page loads (HTTP and file://), {visits.requests} requests, "
          f"{counts['images']} images decoded, {counts['links']} internal links checked, search for pad_token: "
          f"{counts['search results']} pages; quiz answered {counts['quiz answers']} times; {len(problems)} problems; "
          f"{time.monotonic() - started:.0f} s in all")
    assert not problems, "\n".join(problems[:40])


def test_an_aborted_request_counts_only_when_the_file_is_missing(tmp_path):
    class Context:
        def on(self, event, handler):
            pass

    (tmp_path / "favicon.svg").write_text("<svg/>")
    visits = Visits(Context())
    visits.aborted = {(tmp_path / "favicon.svg").as_uri(), (tmp_path / "gone.png").as_uri()}
    assert visits.unserved() == [f"failed request {(tmp_path / 'gone.png').as_uri()}: aborted, "
                                 "and not served when asked again"]
