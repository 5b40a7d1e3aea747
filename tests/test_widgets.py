"""The live widgets show themselves the same way with ipywidgets 7 (Colab's 7.7.1, which displays a
widget through ``_ipython_display_``) and 8 (``_repr_mimebundle_``): the widget's view for a live
front end, and a static copy for a reader without a kernel (issue 29). The Colab lane runs this
file under 7.7.1 (``.ci/colab-lane``); the browser tests draw both versions in JupyterLab."""

import ipywidgets
import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.display import display
from IPython.utils.capture import capture_output

from course_utils.widgets import WIDGET_VIEW, live_panel, tweet_widget
from tests.output_checks import cell_output_problems


def shown(widget) -> dict:
    """What IPython sends to the front end when a cell displays ``widget``."""
    InteractiveShell.instance()
    with capture_output() as captured:
        display(widget)
    (output,) = captured.outputs
    return output.data


def fake_classifier(text, top_k=None, truncation=True):
    return [{"label": "negative", "score": 0.1}, {"label": "neutral", "score": 0.2},
            {"label": "positive", "score": 0.7}]


@pytest.mark.parametrize("make", [
    lambda: live_panel(ipywidgets.Text(value="sooo <happy>", description="Tweet:"), ipywidgets.HTML("<b>3 tokens</b>")),
    lambda: tweet_widget(fake_classifier, value="great day"),
], ids=["live_panel", "tweet_widget"])
def test_a_panel_shows_its_view_and_its_static_copy(make):
    panel = make()
    data = shown(panel)
    assert data[WIDGET_VIEW] == {"version_major": 2, "version_minor": 0, "model_id": panel.model_id}
    assert "Tweet:" in data["text/plain"] and "snapshot" in data["text/plain"]
    assert panel.children[1].value in data["text/html"] and "&lt;" not in data["text/plain"]
    assert cell_output_problems([{"output_type": "display_data", "data": data}]) == []
    print(f"ipywidgets {ipywidgets.__version__}: {sorted(data)}")


def test_the_snapshot_follows_the_box():
    panel = tweet_widget(fake_classifier, value="first")
    panel.children[0].value = "second tweet"
    assert "<code>second tweet</code>" in shown(panel)["text/html"]
