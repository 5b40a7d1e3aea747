"""A small Sphinx extension of the course book: no page refers to a script or stylesheet on
another host (``python -m course_utils book`` loads it through ``_config.yml``).

Jupyter Book always loads ``sphinx-thebe``, which writes thebe's address on a CDN into every page
(thebe runs code through Binder; the book shows stored outputs and has no use for it). This
extension drops that script and any other script or stylesheet whose address names a host, so the
site works from a folder and from any static host without a request elsewhere. The book's browser
test checks the result.

Opened from a folder (``file://``), a browser refuses the requests Sphinx's search makes to show a
summary of each page it finds; there the search lists the pages without summaries instead.
"""

from __future__ import annotations

THEBE_FILES = ("sphinx-thebe.js",)
# Run after documentation_options.js (priority 200): the search reads the option when it shows results.
NO_SUMMARY_FROM_FILES = 'if (location.protocol === "file:") { DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false; }'


def remote(asset) -> bool:
    """Whether a Sphinx script or stylesheet entry loads from another host, or is thebe's."""
    name = str(getattr(asset, "filename", asset) or "")
    body = str(getattr(asset, "attributes", {}).get("body", ""))
    return "://" in name or name.startswith("//") or name.endswith(THEBE_FILES) or "THEBE_JS_URL" in body


def drop_remote_assets(app, pagename, templatename, context, doctree) -> None:
    """``html-page-context``: leave out the page's remote and thebe scripts and stylesheets."""
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [asset for asset in context[key] if not remote(asset)]


def setup(app) -> dict:
    app.connect("html-page-context", drop_remote_assets, priority=900)
    app.add_js_file(None, body=NO_SUMMARY_FROM_FILES, priority=300)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
