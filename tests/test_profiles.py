"""Profiles: the choice logic, the offline fallback, overrides and the banner."""

import os
import time

import pytest

from course_utils import environment, profiles
from course_utils.profiles import apply_env_overrides, banner, choose_profile_name, get_profile


@pytest.fixture
def clean_env(monkeypatch):
    for key in ("COURSE_PROFILE", *environment.OFFLINE_SWITCHES, *profiles.ENV_OVERRIDES):
        monkeypatch.delenv(key, raising=False)
    return monkeypatch


@pytest.mark.parametrize(
    ("requested", "device", "online", "cached", "expected"),
    [
        ("pocket", "cuda", True, True, ("pocket", False)),
        ("FULL", "cpu", False, False, ("full", False)),
        ("auto", "cuda", True, False, ("full", False)),
        (None, "cpu", True, False, ("small", False)),
        (None, "mps", True, False, ("small", False)),
        (None, "cpu", False, True, ("small", False)),
        (None, "cuda", False, False, ("pocket", True)),
        ("", "cpu", False, False, ("pocket", True)),
    ],
)
def test_choose_profile_name(requested, device, online, cached, expected):
    assert choose_profile_name(requested, device, online, cached) == expected


def test_unknown_profile_names_the_choices():
    with pytest.raises(ValueError, match="pocket, small, full"):
        choose_profile_name("huge", "cpu", True, True)


def test_auto_falls_back_to_pocket_offline_and_sets_switches(clean_env):
    clean_env.setattr(profiles, "hub_reachable", lambda timeout: False)
    clean_env.setattr(profiles, "model_cached", lambda model_id="gpt2": False)
    profile = get_profile()
    assert profile.name == "pocket" and profile.fell_back
    assert all(os.environ[k] == "1" for k in environment.OFFLINE_SWITCHES)
    assert "POCKET" in banner(profile)


def test_auto_uses_cache_when_offline(clean_env):
    clean_env.setattr(profiles, "hub_reachable", lambda timeout: False)
    clean_env.setattr(profiles, "model_cached", lambda model_id="gpt2": True)
    clean_env.setattr(profiles, "dataset_cached", lambda *a, **k: True)
    clean_env.setattr(profiles, "detect_device", lambda: "cpu")
    profile = get_profile()
    assert (profile.name, profile.model, profile.fell_back) == ("small", "gpt2", False)
    assert os.environ["HF_HUB_OFFLINE"] == "1"


def test_hub_probe_never_hangs(clean_env):
    # 192.0.2.0/24 is reserved for documentation: nothing answers there.
    clean_env.setattr(environment, "HUB_HOST", "192.0.2.1")
    started = time.perf_counter()
    assert environment.hub_reachable(timeout=0.5) is False
    assert time.perf_counter() - started < 3


def test_hub_probe_respects_offline_switch(clean_env):
    clean_env.setenv("HF_HUB_OFFLINE", "1")
    assert environment.hub_reachable() is False


def test_env_profile_is_used(clean_env):
    clean_env.setenv("COURSE_PROFILE", "pocket")
    profile = get_profile()
    assert profile.name == "pocket" and not profile.fell_back
    assert profile.device in ("cpu", "cuda", "mps")


def test_full_profile_is_the_tutorial_recipe():
    full = profiles.preset("full", "cuda", (7, 5))
    assert (full.model, full.train_size, full.test_size, full.epochs) == ("gpt2", 1000, 1000, 3)
    assert full.revision == environment.HUB_DATASET_REVISION and full.precision == "fp16"  # a T4
    assert profiles.preset("full", "cuda", (8, 0)).precision == "tf32"
    assert profiles.preset("full", "cpu").precision == "fp32"


def test_overrides_apply_and_reject_bad_values():
    base = profiles.preset("pocket", "cpu")
    changed = apply_env_overrides(base, {"COURSE_EPOCHS": "1", "COURSE_TRAIN_SIZE": "64"})
    assert (changed.epochs, changed.train_size) == (1.0, 64)
    with pytest.raises(ValueError, match="COURSE_EPOCHS"):
        apply_env_overrides(base, {"COURSE_EPOCHS": "many"})
    with pytest.raises(ValueError, match="positive"):
        apply_env_overrides(base, {"COURSE_TRAIN_SIZE": "0"})
    with pytest.raises(ValueError, match="COURSE_PRECISION"):
        apply_env_overrides(base, {"COURSE_PRECISION": "int4"})
    for bad in ("nan", "inf", "-inf"):
        with pytest.raises(ValueError, match="finite"):
            apply_env_overrides(base, {"COURSE_EPOCHS": bad})
    assert apply_env_overrides(base, {"COURSE_PLAN": "tiny"}).plan.few_shot_n == 6
    with pytest.raises(ValueError, match="COURSE_PLAN must be one of pocket, small, full, tiny"):
        apply_env_overrides(base, {"COURSE_PLAN": "huge"})


def test_precision_flags():
    assert profiles.preset("full", "cuda", (8, 6)).trainer_precision_args == {
        "bf16": False, "fp16": False, "tf32": True}
    assert profiles.preset("full", "cuda", (7, 5)).trainer_precision_args == {"bf16": False, "fp16": True, "tf32": None}
    assert profiles.preset("pocket", "cpu").trainer_precision_args["tf32"] is None


POCKET_NOTE = "[course] POCKET: tiny GPT-2"
NOT_GPT2 = "its numbers are not gpt2's on real tweets"


def test_banner_is_one_line_on_the_real_profiles(clean_env, capsys):
    for name in ("small", "full"):
        line = banner(profiles.preset(name, "cpu"))
        assert "\n" not in line and f"profile={name}" in line and "device=cpu" in line
        assert "POCKET" not in line and "not gpt2's" not in line
        assert capsys.readouterr().out.strip() == line


def test_explicit_pocket_banner_says_its_numbers_are_not_gpt2s(clean_env, capsys):
    clean_env.setenv("COURSE_PROFILE", "pocket")
    profile = get_profile()
    assert not profile.fell_back
    text = banner(profile)
    first, second = text.split("\n")
    assert "profile=pocket" in first and "device=" in first
    assert second.startswith(POCKET_NOTE) and NOT_GPT2 in second and "generated tweets" in second
    assert "M parameters" in second and "!!!" not in text
    assert capsys.readouterr().out.strip() == text


def test_fallback_pocket_banner_keeps_the_warning_and_adds_the_note(clean_env):
    clean_env.setattr(profiles, "hub_reachable", lambda timeout: False)
    clean_env.setattr(profiles, "model_cached", lambda model_id="gpt2": False)
    text = banner(get_profile())
    lines = text.split("\n")
    assert len(lines) == 3 and lines[0].startswith("!!! The Hugging Face Hub cannot be reached")
    assert "profile=pocket" in lines[1]
    assert lines[2].startswith(POCKET_NOTE) and NOT_GPT2 in lines[2]


def test_pocket_note_names_what_is_pocket():
    pocket = profiles.preset("pocket", "cpu")
    assert profiles.pocket_note(profiles.preset("small", "cpu")) is None
    assert "generated tweets" in profiles.pocket_note(pocket.replace(model="gpt2"))
    assert "tiny GPT-2" not in profiles.pocket_note(pocket.replace(model="gpt2"))
    own_data = profiles.pocket_note(pocket.replace(data="files", dataset="mine.csv"))
    assert own_data.startswith(POCKET_NOTE) and "generated" not in own_data


def test_pocket_parameters_follow_the_config(tmp_path):
    (tmp_path / "config.json").write_text(
        '{"vocab_size": 10, "n_positions": 4, "n_embd": 2, "n_layer": 1, "n_inner": null}')
    # embeddings 10*2 + 4*2; block: ln 4, attn 2*6+6 and 2*2+2, mlp 2*8+8 and 8*2+2, ln 4; final ln 4
    assert profiles.pocket_parameters(tmp_path) == 20 + 8 + (4 + 18 + 6 + 24 + 18 + 4) + 4
    assert profiles.pocket_parameters(tmp_path / "missing") is None


def test_auto_needs_the_dataset_cached_too(clean_env):
    clean_env.setattr(profiles, "hub_reachable", lambda timeout: False)
    clean_env.setattr(profiles, "model_cached", lambda model_id="gpt2": True)
    clean_env.setattr(profiles, "dataset_cached", lambda *a, **k: False)
    assert get_profile().name == "pocket"


def test_the_readme_profile_table_is_the_presets():
    """The README's profile table quotes PRESETS: change a preset and this test names the row."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    for name, values in profiles.PRESETS.items():
        row = next(line for line in readme.splitlines() if line.startswith(f"| `{name}` |"))
        mantissa, exponent = f"{values['learning_rate']:.0e}".split("e")
        epochs = values["epochs"]
        expected = (f"{values['train_size']:,} / {values['val_size']:,} / {values['test_size']:,} tweets, "
                    f"{epochs:g} epoch{'s' if epochs != 1 else ''}, batch {values['train_batch_size']}, "
                    f"lr {mantissa}e{int(exponent)}")
        assert expected in row, f"README's {name} row should say: {expected}"
    assert profiles.PROFILE_NAMES == ("pocket", "small", "full")
    assert profiles.TUTORIAL_LEARNING_RATE == profiles.preset("full", "cpu").learning_rate
