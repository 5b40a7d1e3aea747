"""The rehearsal: gpt2 and the Hub dataset served offline from a stand-in cache, through the code
students run (from_pretrained("gpt2"), load_dataset(id, revision), the cache checks, auto choice)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from course_utils import costs
from course_utils.cli import rehearse as rehearsal
from course_utils.environment import HUB_DATASET, HUB_DATASET_REVISION, STANDIN_LABEL, repo_root
from course_utils.profiles import apply_env_overrides, get_profile

# Runs in a fresh interpreter: HF_HOME is read when huggingface_hub is first imported.
CHECKS = r"""
import json
from course_utils import environment, profiles
from course_utils.cli import prefetch
from course_utils.data import load_tweets
from course_utils.model import load_classifier, load_tokenizer

facts = {"model_cached": environment.model_cached(), "dataset_cached": environment.dataset_cached()}
profile = profiles.get_profile()  # automatic: offline, so it must find the cache
facts.update(auto=profile.name, fell_back=profile.fell_back, banner=profiles.banner(profile))
facts["cache_status"] = prefetch.cache_status(profile)
tokenizer = load_tokenizer("gpt2")
model = load_classifier("gpt2", tokenizer)
facts.update(hello=tokenizer("Hello world")["input_ids"], vocab=len(tokenizer), layers=model.config.n_layer,
             positions=model.config.n_positions, standin=getattr(model.config, "course_standin", None))
tweets = load_tweets(profile)
facts["rows"] = {split: len(rows) for split, rows in tweets.items()}
facts["columns"] = tweets["train"].column_names
print("FACTS " + json.dumps(facts))
"""


def run_checks(env: dict) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "COURSE_", "TRANSFORMERS_"))}
    done = subprocess.run([sys.executable, "-c", CHECKS], env={**clean, **env}, capture_output=True, text=True,
                          cwd=repo_root(), timeout=300)
    line = next((line for line in done.stdout.splitlines() if line.startswith("FACTS ")), None)
    assert line, done.stderr[-2000:]
    return json.loads(line[6:])


@pytest.fixture(scope="module")
def trimmed_env(tmp_path_factory):
    return rehearsal.prepare(trim=True, hf_home=tmp_path_factory.mktemp("rehearsal") / "hf")


@pytest.mark.slow
def test_the_real_code_path_finds_the_stand_ins(trimmed_env):
    env = {k: v for k, v in trimmed_env.items() if not k.startswith("COURSE_")}  # no profile forced
    facts = run_checks({**env, rehearsal.REHEARSAL_SWITCH: "1"})
    assert facts["model_cached"] and facts["dataset_cached"]
    assert (facts["auto"], facts["fell_back"]) == ("small", False)  # offline, cached, CPU
    assert facts["cache_status"]["model gpt2"] is True
    assert facts["cache_status"][f"dataset {HUB_DATASET}@{HUB_DATASET_REVISION[:7]}"] is True
    assert facts["hello"] == [15496, 995] and facts["vocab"] == 50257  # gpt2's own tokenizer
    assert (facts["layers"], facts["positions"]) == (2, 1024)  # trimmed, but gpt2's positions
    assert facts["standin"] == STANDIN_LABEL
    assert "STAND-IN" in facts["banner"] and STANDIN_LABEL in facts["banner"]
    assert facts["rows"] == {"train": 5997, "test": 1500}  # the pocket tweets, blanks dropped
    assert facts["columns"] == ["id", "text", "label", "label_text"]


@pytest.mark.slow
def test_without_the_prepared_dataset_auto_falls_back_to_pocket(tmp_path):
    hf_home = tmp_path / "hf"
    rehearsal.write_model(hf_home / "hub", rehearsal.TRIMMED_SHAPE)  # the model alone
    env = {"HF_HOME": str(hf_home), **dict.fromkeys(("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE"), "1")}
    facts_script = "from course_utils import profiles; p = profiles.get_profile(); print('FACTS', p.name, p.fell_back)"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "COURSE_", "TRANSFORMERS_"))}
    out = subprocess.run([sys.executable, "-c", facts_script], env={**clean, **env}, capture_output=True,
                         text=True, timeout=120).stdout
    assert "FACTS pocket True" in out


def test_rehearsal_environment(trimmed_env):
    assert trimmed_env["HF_HUB_OFFLINE"] == trimmed_env["HF_DATASETS_OFFLINE"] == "1"
    assert trimmed_env["COURSE_PLAN"] == "tiny" and trimmed_env[rehearsal.REHEARSAL_SWITCH] == "1"
    # never the user's real cache, and checkpoints of the stand-in never mix with real runs
    assert trimmed_env["HF_HOME"] != os.path.expanduser("~/.cache/huggingface")
    assert trimmed_env["COURSE_OUTPUT_DIR"].endswith("-outputs")


def test_writing_the_cache_twice_reuses_it(trimmed_env):
    snapshot = rehearsal.write_model(Path(trimmed_env["HF_HOME"]) / "hub", rehearsal.TRIMMED_SHAPE)
    before = (snapshot / "model.safetensors").stat().st_mtime_ns
    assert rehearsal.write_model(snapshot.parents[2], rehearsal.TRIMMED_SHAPE) == snapshot
    assert (snapshot / "model.safetensors").stat().st_mtime_ns == before


def test_the_stand_in_has_gpt2s_shape():
    model = rehearsal.standin_model()
    config = model.config
    assert (config.n_layer, config.n_embd, config.n_head, config.vocab_size, config.n_positions) == (
        12, 768, 12, 50257, 1024)
    assert 124_000_000 < sum(p.numel() for p in model.parameters()) < 125_000_000
    assert config.course_standin == STANDIN_LABEL


def announced_work(notebook: Path) -> dict[str, float]:
    """Sum the work of every ``[cost]`` line in an executed notebook, by unit."""
    import nbformat

    phrases = {phrase: unit for unit, phrase in costs.UNITS.items()}
    totals: dict[str, float] = {}
    for cell in nbformat.read(notebook, as_version=4).cells:
        for output in cell.get("outputs", []):
            for line in output.get("text", "").splitlines():
                if line.startswith("[cost] "):
                    for item in line.split(" | ")[1].split(", "):
                        count, phrase = item.split(" ", 1)
                        totals[phrases[phrase]] = totals.get(phrases[phrase], 0) + float(count.replace(",", ""))
    return totals


@pytest.fixture(scope="module")
def trimmed_rehearsals(tmp_path_factory):
    """Both trimmed rehearsals, run at the same time: most of their time is starting kernels and
    importing libraries, one core each, so together they take little more than one alone. The
    stand-in cache is prepared first, so the two runs only read it."""
    rehearsal.prepare(trim=True)
    results = tmp_path_factory.mktemp("rehearsal-results")
    env = {**os.environ, "COURSE_RESULTS_DIR": str(results)}
    runs = {profile: subprocess.Popen([sys.executable, "-m", "course_utils", "run", "--rehearse", "--trim",
                                       "--profile", profile], env=env, cwd=repo_root(), text=True,
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            for profile in ("small", "full")}
    outputs = {profile: run.communicate(timeout=1200)[0] for profile, run in runs.items()}
    return results, {profile: (run.returncode, outputs[profile]) for profile, run in runs.items()}


@pytest.mark.slow
@pytest.mark.parametrize("profile", ["small", "full"])
def test_every_notebook_runs_on_the_trimmed_rehearsal(profile, trimmed_rehearsals):
    """CI: the whole series under small and full, through their real code paths, trimmed; each
    notebook announces the work that the series estimate (``costs.series_work``) counts."""
    results, runs = trimmed_rehearsals
    code, output = runs[profile]
    assert code == 0, output[-4000:]
    record = json.loads((results / "runs" / f"{profile}-rehearsal-trimmed.json").read_text())
    assert len(record["notebooks"]) == 8 and all(n["status"] == "ok" for n in record["notebooks"].values())

    trimmed = apply_env_overrides(get_profile(profile).replace(device="cpu"), rehearsal.TRIMMED_OVERRIDES)
    expected = costs.series_work(trimmed)
    for notebook in sorted((repo_root() / "build" / f"notebooks-{profile}-rehearsal-trimmed").glob("0*.ipynb")):
        found, wanted = announced_work(notebook), expected[notebook.name[:2]]
        assert set(found) == {unit for unit, count in wanted.items() if count}, notebook.name
        for unit, count in found.items():
            tolerance = 0.5 if unit == "lm_tokens" else 0  # texts are counted at 20 tokens each
            assert count == pytest.approx(wanted[unit], rel=tolerance), (notebook.name, unit)
