"""The course's live widgets, each with a static copy of itself for readers without a kernel.

:func:`token_widget` is notebook 03's token box (a tweet's tokens, coloured, as the student
types); :func:`tweet_widget` is notebook 06's "try your own tweet" box around the saved model's
``pipeline``. Both are built with :func:`live_panel`, whose HTML fallback shows the box's current
text and view where no widget can be drawn (GitHub, nbconvert, the course book).
"""

from __future__ import annotations

import html

from course_utils.schema import LABELS
from course_utils.tokens import tokens_html


def token_widget(tokenizer, value: str = "sooo happy with my new phone!!! 😍 @bestie #blessed"):
    """A text box whose tokens are shown, coloured, as the student types (ipywidgets)."""
    import ipywidgets as widgets

    box = widgets.Text(value=value, description="Tweet:", layout=widgets.Layout(width="95%"),
                       continuous_update=True)
    view = widgets.HTML(tokens_html(tokenizer, value))

    def update(change) -> None:
        view.value = tokens_html(tokenizer, change["new"])

    box.observe(update, names="value")
    return live_panel(box, view)


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def live_panel(box, view):
    """``ipywidgets.VBox([box, view])`` that also carries a static rendering of itself.

    A copy of the notebook seen without a live kernel (GitHub, nbconvert, a printed course book)
    cannot draw a widget; it falls back to the widget's text repr, ``VBox(children=...)``. This
    panel gives it the box's current text and the view's HTML instead. Introduced in notebook 03
    (the token box); notebook 06's tweet box uses it too.

    The panel shows itself with ``_ipython_display_``, the hook IPython asks first: ipywidgets 7
    (Colab ships 7.7.1) displays a widget through that hook and never calls ``_repr_mimebundle_``,
    which ipywidgets 8 uses instead, so one hook serves both. The widget view's version (2.0) is the
    same in both.
    """
    import ipywidgets as widgets
    from IPython.display import display

    class LivePanel(widgets.VBox):
        def mimebundle(self) -> dict:
            """The widget's view, with the snapshot as ``text/plain`` and ``text/html``."""
            note = "(a snapshot: with a live kernel the box is editable)"
            return {
                "text/plain": f"{box.description} {box.value} {note}",
                "text/html": (f"<p><b>{html.escape(box.description)}</b> <code>{html.escape(box.value)}</code> "
                              f"<i>{note}</i></p>{view.value}"),
                WIDGET_VIEW: {"version_major": 2, "version_minor": 0, "model_id": self.model_id},
            }

        def _ipython_display_(self, **kwargs) -> None:
            display(self.mimebundle(), raw=True)

    return LivePanel([box, view])


LABEL_COLOURS = {"negative": "#d62728", "neutral": "#7f7f7f", "positive": "#2ca02c"}


def sentiment_html(scores: list[dict]) -> str:
    """HTML for one text-classification pipeline result (``top_k=None``: every label and its
    score): the predicted label in bold, then one bar per label, in the course's label order."""
    by_label = {item["label"]: float(item["score"]) for item in scores}
    order = [label for label in LABELS if label in by_label] + sorted(set(by_label) - set(LABELS))
    best = max(by_label, key=by_label.get)
    rows = "".join(
        f'<div style="display:flex;align-items:center;gap:6px;margin:2px 0">'
        f'<span style="width:70px">{html.escape(label)}</span>'
        f'<span style="display:inline-block;height:14px;width:{by_label[label] * 240:.0f}px;'
        f'background:{LABEL_COLOURS.get(label, "#1f77b4")};border-radius:2px"></span>'
        f"<span>{by_label[label]:.1%}</span></div>"
        for label in order
    )
    return (f'<div style="font-family:sans-serif;font-size:13px"><b>{html.escape(best)}</b> '
            f"({by_label[best]:.1%} sure){rows}</div>")


def tweet_widget(classifier, value: str = "just got the tickets for tonight, can't wait!!"):
    """A text box: type a tweet and see the classifier's label and its three probabilities.

    ``classifier`` is a ``pipeline("text-classification", ...)`` (or any callable taking
    ``(text, top_k=None, truncation=True)`` and returning a list of ``{"label", "score"}``);
    a pasted text longer than the model's 1,024 positions is truncated, not an error. The returned
    ipywidgets box has an ``update()`` method that re-scores the current text.
    """
    import ipywidgets as widgets

    box = widgets.Text(value=value, description="Tweet:", layout=widgets.Layout(width="95%"),
                       continuous_update=False, placeholder="type a tweet and press Enter")
    view = widgets.HTML()

    def update(change=None) -> str:
        text = box.value.strip()
        view.value = (sentiment_html(classifier(text, top_k=None, truncation=True)) if text
                      else "<i>type a tweet above</i>")
        return view.value

    box.observe(update, names="value")
    update()
    panel = live_panel(box, view)
    panel.update = update
    return panel


