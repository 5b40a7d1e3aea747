"""The course book's own pages and settings (``python -m course_utils book``).

The landing page (what the course is, the notebooks with links to their pages, the README's
profile and time tables, the note on which run produced the outputs), the table of contents and
Jupyter Book's ``_config.yml``, all written into the book's source folder. The README's tables are
taken from README.md as they stand (a test checks them against ``profiles.PRESETS`` and
``results/``), with its links to its own sections pointed at the README on GitHub.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from course_utils.cli.badges import GITHUB_BRANCH, GITHUB_OWNER, GITHUB_REPO

REPOSITORY_URL = f"https://github.com/{GITHUB_OWNER}/{GITHUB_REPO}"
TITLE = "Fine-tune GPT-2 to classify the sentiment of tweets"
GUIDE = "instructor_guide"  # the instructor's guide page, docs/instructor_guide.md
TIMES_BEGIN, TIMES_END = "<!-- notebook-times:begin -->", "<!-- notebook-times:end -->"
# The book's stylesheet: the Colab button of every notebook page (drawn here, no image from Colab).
CSS = """\
a.course-colab {
  display: inline-block; padding: 0.2em 0.8em; border-radius: 4px; font-weight: 600;
  background: #f9ab00; color: #202124 !important; text-decoration: none;
}
a.course-colab:hover { background: #e37400; }
"""
# The site's icon (without one, a browser asks the host for /favicon.ico, a failed request).
FAVICON = """\
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
<rect width="32" height="32" rx="6" fill="#f9ab00"/>
<text x="16" y="22" font-size="14" font-family="sans-serif" text-anchor="middle" fill="#202124">GPT</text>
</svg>
"""


def readme_table(readme: str, header_start: str) -> str:
    """The Markdown table of README.md whose header line starts with ``header_start``."""
    lines = readme.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith(header_start)), None)
    if start is None:
        raise ValueError(f"README.md has no table starting {header_start!r}: the book takes it from there.")
    end = start
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    return "\n".join(lines[start:end])


def readme_times_table(readme: str) -> str:
    """The README's table of notebook times (between its ``notebook-times`` markers)."""
    if TIMES_BEGIN not in readme or TIMES_END not in readme:
        raise ValueError("README.md has no notebook-times table (its markers are missing); "
                         "`python -m course_utils results` writes it.")
    return readme.split(TIMES_BEGIN, 1)[1].split(TIMES_END, 1)[0].strip()


def readme_links(text: str) -> str:
    """README text for the book: a link to one of the README's own sections (``#anchor``) points
    at that section of the README on GitHub."""
    return re.sub(r"\]\(#([\w-]+)\)", rf"]({REPOSITORY_URL}#\1)", text)


def notebooks_table(readme: str, pages: list[str]) -> str:
    """The README's table of notebooks, each notebook's name a link to its page in the book
    (``pages``: the notebook file names in the book); rows of notebooks not in the book dropped."""
    rows = readme_table(readme, "| # | notebook |").splitlines()
    kept = rows[:2]
    for row in rows[2:]:
        stem = next((Path(page).stem for page in pages if f"`{Path(page).stem}`" in row), None)
        if stem:
            kept.append(row.replace(f"`{stem}`", f"[{stem}](notebooks/{stem}.ipynb)"))
    return "\n".join(kept)


def landing_page(readme: str, pages: list[str], banner: str) -> str:
    """The book's first page, in MyST Markdown."""
    return f"""# {TITLE}

A course kit for one lesson, in numbered notebooks: from what a pre-trained language model does
to a fine-tuned GPT-2 that labels tweets as negative, neutral or positive, then the usual
pitfalls, each measured. Every page below is a notebook as it ran, with all its outputs and
figures. To run one yourself, press its **Open in Colab** button, or clone the
[repository]({REPOSITORY_URL}) and follow its README.

{banner}

## The notebooks

{readme_links(notebooks_table(readme, pages))}

Instructors: the [instructor's guide]({GUIDE}.md) plans a 90-minute and a 3-hour session, with
times measured on each profile, and says what to do when the network or the GPU fails.

## Profiles: one switch for every notebook

Every notebook starts with one banner line saying which profile is active (`COURSE_PROFILE`).
The table comes from the README.

{readme_links(readme_table(readme, "| profile | model |"))}

## Time per notebook

From the records that `python -m course_utils run --record` writes to `results/runs/`, as the
README shows them.

{readme_links(readme_times_table(readme))}
"""


def table_of_contents(pages: list[str], guide: bool) -> dict:
    """Jupyter Book's ``_toc.yml``: the landing page, the notebooks, then the instructor's guide."""
    parts = [{"caption": "The notebooks", "chapters": [{"file": f"notebooks/{Path(p).stem}"} for p in pages]}]
    if guide:
        parts.append({"caption": "Teaching", "chapters": [{"file": GUIDE}]})
    return {"format": "jb-book", "root": "index", "parts": parts}


def book_config(profile: str) -> dict:
    """Jupyter Book's ``_config.yml``: stored outputs only (nothing is executed), no extension
    that loads from another host (no MathJax: ``dollarmath`` off; no widget JavaScript), a Colab
    launch button on every notebook page, the course's small Sphinx extension, and Sphinx's
    ``githubpages`` (an empty ``.nojekyll``: GitHub Pages would hide the ``_static`` folder)."""
    return {
        "title": TITLE,
        "author": "the course kit",
        "copyright": "the course kit",
        "only_build_toc_files": True,
        "exclude_patterns": ["_build", "**.ipynb_checkpoints"],
        "execute": {"execute_notebooks": "off"},
        "parse": {"myst_enable_extensions": ["colon_fence"]},
        "html": {"home_page_in_navbar": True, "use_repository_button": True, "favicon": "_static/favicon.svg",
                 "extra_footer": f"Outputs from the <b>{profile}</b> profile."},
        "launch_buttons": {"colab_url": "https://colab.research.google.com", "thebe": False},
        "repository": {"url": REPOSITORY_URL, "branch": GITHUB_BRANCH, "path_to_book": ""},
        "sphinx": {"extra_extensions": ["sphinx.ext.githubpages", "course_utils.cli.book_sphinx"],
                   "config": {"nb_ipywidgets_js": {}, "html_show_sphinx": False,
                              "html_context": {"default_mode": "auto"},  # else the theme logs an error
                              "suppress_warnings": ["mystnb.unknown_mime_type"]}},
    }


def write_yaml(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def write_book_files(source: Path, readme: str, pages: list[str], banner: str, profile: str,
                     guide: str | None) -> None:
    """The landing page, the guide (already filled in), ``_toc.yml``, ``_config.yml`` and the
    stylesheet, written into the book's source folder ``source``."""
    (source / "index.md").write_text(landing_page(readme, pages, banner), encoding="utf-8")
    if guide is not None:
        (source / f"{GUIDE}.md").write_text(guide, encoding="utf-8")
    write_yaml(source / "_toc.yml", table_of_contents(pages, guide is not None))
    write_yaml(source / "_config.yml", book_config(profile))
    (source / "_static").mkdir(exist_ok=True)
    (source / "_static" / "course-book.css").write_text(CSS, encoding="utf-8")
    (source / "_static" / "favicon.svg").write_text(FAVICON, encoding="utf-8")
