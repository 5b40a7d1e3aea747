"""Recorded outputs for the notebooks' NBVAL_CHECK_OUTPUT cells: recording and injection."""

import json
from types import SimpleNamespace

import nbformat
import pytest

from course_utils.cli import expected as eo


def executed_notebook():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# title"),
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("# NBVAL_CHECK_OUTPUT\nprint(2)",
                                  outputs=[nbformat.v4.new_output("stream", name="stdout", text="2\n")],
                                  execution_count=7),
    ]
    return nb


def test_marker_detection():
    assert eo.is_checked("# NBVAL_CHECK_OUTPUT\nprint(1)")
    assert eo.is_checked("import os\n  #  NBVAL_CHECK_OUTPUT")
    assert not eo.is_checked("print('# NBVAL_CHECK_OUTPUT')")


def test_checked_outputs_keep_only_marked_cells_without_counts():
    entries = eo.checked_outputs(executed_notebook())
    assert list(entries) == ["1"]  # code cell number, as nbval counts
    assert entries["1"]["outputs"] == [{"name": "stdout", "output_type": "stream", "text": "2\n"}]


def test_record_writes_one_file_per_notebook(tmp_path):
    executed, out = tmp_path / "build", tmp_path / "expected"
    executed.mkdir()
    nbformat.write(executed_notebook(), executed / "01_demo.ipynb")
    nbformat.write(executed_notebook(), executed / "02_other.ipynb")
    assert [p.name for p in eo.record(executed, out, only="01")] == ["01_demo.json"]
    assert (json.loads((out / "01_demo.json").read_text())["1"]["source_hash"]
            == eo.source_hash("# NBVAL_CHECK_OUTPUT\nprint(2)"))


def fake_item(path, cell_num, source):
    cell = nbformat.v4.new_code_cell(source)
    return SimpleNamespace(fspath=path, cell_num=cell_num, cell=cell, runtest=lambda: None)


def test_apply_injects_recorded_outputs_and_fails_stale_ones(tmp_path):
    executed, out = tmp_path / "build", tmp_path / "expected"
    executed.mkdir()
    nbformat.write(executed_notebook(), executed / "01_demo.ipynb")
    eo.record(executed, out)
    good = fake_item(tmp_path / "01_demo.ipynb", 1, "# NBVAL_CHECK_OUTPUT\nprint(2)")
    stale = fake_item(tmp_path / "01_demo.ipynb", 1, "# NBVAL_CHECK_OUTPUT\nprint(3)")
    unrecorded = fake_item(tmp_path / "01_demo.ipynb", 0, "# NBVAL_CHECK_OUTPUT\nx = 1")
    plain = fake_item(tmp_path / "01_demo.ipynb", 0, "x = 1")
    eo.apply_to_items([good, stale, unrecorded, plain], directory=out)
    assert good.cell.execution_count == 1 and good.cell.outputs[0]["text"] == "2\n"
    with pytest.raises(AssertionError, match="changed since its output was recorded"):
        stale.runtest()
    with pytest.raises(AssertionError, match="has no recorded output"):
        unrecorded.runtest()
    assert plain.cell.execution_count is None and plain.runtest() is None


def test_split_stream_pieces_are_recorded_as_one():
    from course_utils.cli.expected import _merge_streams

    pieces = [{"output_type": "stream", "name": "stdout", "text": "a\n"},
              {"output_type": "stream", "name": "stdout", "text": "b\n"},
              {"output_type": "stream", "name": "stderr", "text": "warn\n"},
              {"output_type": "execute_result", "data": {"text/plain": "1"}}]
    assert _merge_streams(pieces) == [{"output_type": "stream", "name": "stdout", "text": "a\nb\n"}, *pieces[2:]]
