import json

import pytest

import resnet_helpers as rh
from resnet_helpers.course import lessons as course


def test_defaults_and_smoke_defaults(monkeypatch):
    monkeypatch.delenv("RESNET_SMOKE", raising=False)
    full = course.settings("03_train_cifar10")
    assert (full.SMOKE, full.MODEL, full.WIDTH, full.EPOCHS, full.PRECISION, full.explicit) == (
        False, "resnet9", 32, 5, "auto", [])
    smoke = course.settings("03_train_cifar10", SMOKE=True)
    assert (smoke.SMOKE, smoke.DEPTH, smoke.EPOCHS, smoke.LIMIT) == (True, 8, 1, 512)


@pytest.mark.parametrize("model, width", [("resnet9", 32), ("resnet", 16), ("plain", 16),
                                          ("simple", None)])
def test_width_none_means_the_models_own_width(model, width):
    assert course.settings("03_train_cifar10", MODEL=model).WIDTH == width
    assert course.settings("03_train_cifar10", MODEL=model, WIDTH=24).WIDTH == 24


def test_environment_switches_smoke_on_unless_a_value_is_given(monkeypatch):
    monkeypatch.setenv("RESNET_SMOKE", "1")
    assert course.settings("03_train_cifar10").SMOKE is True          # SMOKE = None: the environment
    assert course.settings("03_train_cifar10", SMOKE=False).SMOKE is False  # an explicit value wins
    monkeypatch.setenv("RESNET_SMOKE", "0")
    assert course.settings("03_train_cifar10").SMOKE is False
    assert course.settings("03_train_cifar10", SMOKE=True).SMOKE is True


def test_explicit_values_win_over_smoke_defaults():
    cfg = course.settings("03_train_cifar10", SMOKE=True, DEPTH=32, EPOCHS=None)
    assert cfg.DEPTH == 32 and cfg.EPOCHS == 1 and cfg.explicit == ["DEPTH"]


@pytest.mark.parametrize("name,value,match", [
    ("EPOCHS", 0, "EPOCHS must be a positive whole number"),
    ("EPOCHS", -3, "EPOCHS"), ("EPOCHS", 2.5, "EPOCHS"), ("BATCH_SIZE", True, "BATCH_SIZE"),
    ("DEPTH", 21, r"6n\+2"), ("MODEL", "vgg", "MODEL must be one of"),
    ("LEARNING_RATE", 0, "LEARNING_RATE"), ("LEARNING_RATE", "fast", "LEARNING_RATE"),
    ("SEED", 1.5, "SEED"), ("OVERWRITE", "yes", "OVERWRITE"), ("LIMIT", 0, "LIMIT"),
    ("WIDTH", 0, "WIDTH"), ("PRECISION", "float16", "PRECISION must be one of"),
    ("DATA_SOURCE", "/no/such/file.tar.gz", "does not exist"), ("RUN_DIR", "", "RUN_DIR"),
])
def test_bad_parameters_are_explained(name, value, match):
    with pytest.raises(ValueError, match=match):
        course.settings("03_train_cifar10", **{name: value})


@pytest.mark.parametrize("value", [-0.25, "small", True, 11])
def test_bad_branch_scale_is_explained(value):
    with pytest.raises(ValueError, match="BRANCH_SCALE must be a number between 0 and 10"):
        course.settings("05_why_residuals_work", BRANCH_SCALE=value)


def test_lesson05_starts_residual_branches_at_a_quarter():
    assert course.settings("05_why_residuals_work").BRANCH_SCALE == 0.25
    assert course.settings("05_why_residuals_work", BRANCH_SCALE=0).BRANCH_SCALE == 0


def test_unknown_parameter_and_lesson():
    with pytest.raises(ValueError, match=r"Unknown parameter\(s\) \['EPOCH'\].*EPOCHS"):
        course.settings("03_train_cifar10", EPOCH=3)
    with pytest.raises(ValueError, match="Unknown lesson"):
        course.settings("99_nothing")
    with pytest.raises(ValueError, match="SMOKE"):
        course.settings("01_residual_block", SMOKE="no")


def test_run_dir_protects_finished_runs(tmp_path):
    run = course.prepare_run_dir(tmp_path / "run")
    assert (run / "figures").is_dir()
    (run / "history.json").write_text("{}")
    course.prepare_run_dir(run)  # unfinished: kept for resuming
    assert (run / "history.json").exists()
    rh.course.write_json(run / "metrics.json", {"test_accuracy": 0.9})
    with pytest.raises(FileExistsError, match="finished run.*OVERWRITE=True"):
        course.prepare_run_dir(run)
    assert json.loads((run / "metrics.json").read_text()) == {"test_accuracy": 0.9}
    course.prepare_run_dir(run, overwrite=True)
    assert not (run / "metrics.json").exists() and not (run / "history.json").exists()
    bare = course.prepare_run_dir(tmp_path / "bare", figures=False)
    assert bare.is_dir() and not (bare / "figures").exists()


def test_write_json_is_atomic_and_converts_numpy(tmp_path):
    import numpy as np
    path = rh.course.write_json(tmp_path / "a" / "m.json", {"x": np.float32(0.5), "y": np.arange(2)})
    assert json.loads(path.read_text()) == {"x": 0.5, "y": [0, 1]}
    assert [p.name for p in path.parent.iterdir()] == ["m.json"]  # no temporary left behind


def test_save_figure_and_device(tmp_path):
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots()
    ax.plot([0, 1])
    path = course.save_figure(fig, tmp_path, "line")
    assert path == tmp_path / "figures" / "line.png" and path.read_bytes()[:4] == b"\x89PNG"
    assert rh.course.device_description().startswith(("CPU: ", "GPU: "))


def test_chinese_lessons_share_the_english_run_folders(tmp_path, monkeypatch):
    """A lesson run from notebooks/zh writes to the same runs/ folder as its English twin."""
    monkeypatch.delenv("RESNET_SMOKE", raising=False)
    (tmp_path / "notebooks" / "zh").mkdir(parents=True)
    (tmp_path / "notebooks" / "03_train_cifar10.ipynb").write_text("{}")
    monkeypatch.chdir(tmp_path / "notebooks")
    english = course.settings("03_train_cifar10")
    monkeypatch.chdir(tmp_path / "notebooks" / "zh")
    chinese = course.settings("03_train_cifar10")
    assert (tmp_path / "notebooks" / "zh" / chinese.RUN_DIR).resolve() == \
        (tmp_path / "notebooks" / english.RUN_DIR).resolve() == (tmp_path / "runs" / "latest")
    assert course.settings("03_train_cifar10", RUN_DIR="mine").RUN_DIR == "mine"


def test_lesson06_fine_tuning_settings_are_checked(monkeypatch):
    monkeypatch.delenv("RESNET_SMOKE", raising=False)  # the full run's defaults
    cfg = course.settings("06_your_own_images")
    assert (cfg.HEAD_EPOCHS, cfg.HEAD_LEARNING_RATE) == (3, 0.1) and cfg.HEAD_EPOCHS < cfg.EPOCHS
    assert 0 < cfg.FINE_TUNE_LEARNING_RATE < cfg.LEARNING_RATE  # step 2 trains gently
    with pytest.raises(ValueError, match="HEAD_EPOCHS must be a positive whole number"):
        course.settings("06_your_own_images", HEAD_EPOCHS=0)
    with pytest.raises(ValueError, match="HEAD_LEARNING_RATE must be a number between 0 and 10"):
        course.settings("06_your_own_images", HEAD_LEARNING_RATE=-1)


def test_lesson05_compares_a_plain_network_that_can_train_in_its_budget(monkeypatch):
    monkeypatch.delenv("RESNET_SMOKE", raising=False)
    cfg = course.settings("05_why_residuals_work")
    assert cfg.DEPTHS == [20, 44] and cfg.TRAIN_IMAGES == 10000 and cfg.EPOCHS == 4
