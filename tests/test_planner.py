"""Lesson 03's run chosen per machine: progressive resizing, the speed probe and the plan."""
import ast
import json
from pathlib import Path

import keras
import numpy as np
import pytest

import resnet_helpers as rh
from resnet_helpers.training import distribute, planner
from resnet_helpers.training.planner import TABLE_COLUMNS, Candidate

ROOT = Path(__file__).resolve().parents[1]


def tiny_datasets(n=48, batch=16):
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, (n, 32, 32, 3), dtype=np.uint8)
    y = rng.integers(0, 10, n)
    return rh.make_datasets((x, y), (x[:16], y[:16]), batch_size=batch)


# --- progressive resizing -------------------------------------------------------------------

def test_resize_per_epoch_gives_each_epoch_its_size_and_keeps_the_batches():
    train_ds, _ = tiny_datasets()
    resized, callback = rh.resize_per_epoch(train_ds, [16, 24, 32])
    assert int(resized.cardinality()) == int(train_ds.cardinality()) == 3
    for epoch, side in enumerate([16, 24, 32]):
        callback.on_epoch_begin(epoch)
        shapes = {tuple(images.shape) for images, _ in resized}
        assert shapes == {(16, side, side, 3)}
    callback.on_epoch_begin(7)  # past the schedule (e.g. more epochs than sizes): the last size
    assert int(callback.size.numpy()) == 32


def test_resize_per_epoch_downscales_by_averaging():
    images = np.zeros((4, 32, 32, 3), np.uint8)
    images[:, :16] = 200  # top half bright
    import tensorflow as tf
    ds = tf.data.Dataset.from_tensor_slices((images.astype("float32"), np.arange(4))).batch(4)
    resized, callback = rh.resize_per_epoch(ds, [16, 32])
    callback.on_epoch_begin(0)
    small = next(iter(resized))[0].numpy()
    assert small.shape == (4, 16, 16, 3)
    np.testing.assert_allclose(small[:, :8], 200, atol=1e-3)
    np.testing.assert_allclose(small[:, 8:], 0, atol=1e-3)


@pytest.mark.parametrize("sizes, message", [
    ([16, 20, 32], "divisible by 8"), ([16, 24], "last epoch must train at the full"),
    ([], "divisible by 8"), ([48, 32], "from 8 to 32"), ([16.0, 32], "whole numbers"),
])
def test_resize_per_epoch_rejects_bad_sizes(sizes, message):
    train_ds, _ = tiny_datasets()
    with pytest.raises(ValueError, match=message):
        rh.resize_per_epoch(train_ds, sizes)


def test_check_sizes_counts_epochs():
    with pytest.raises(ValueError, match="one image size per epoch: 3 epochs but 2 sizes"):
        rh.data.resizing.check_sizes([16, 32], 32, epochs=3)


def test_training_with_resizing_runs_every_epoch_at_its_size(tmp_path):
    train_ds, val_ds = tiny_datasets()
    resized, callback = rh.resize_per_epoch(train_ds, [16, 32])
    seen = []

    class Sizes(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            seen.append(int(callback.size.numpy()))

    model = rh.build_resnet9(4)
    result = rh.train(model, resized, val_ds, epochs=2, run_dir=tmp_path / "run",
                      callbacks=[callback, Sizes()], tensorboard=False, verbose=0)
    assert result["epochs"] == 2 and seen == [16, 32]
    assert np.isfinite(result["history"]["val_loss"]).all()


# --- hardware detection --------------------------------------------------------------------

@pytest.mark.parametrize("flags, limit, expected", [
    ("fma avx2 avx512f avx512_bf16 amx_bf16", None, "amx"),
    ("fma avx2 avx512f avx512_bf16 amx_bf16", "AVX2", None),
    ("fma avx2 avx512f avx512_bf16 amx_bf16", "avx512_core_bf16", "avx512_bf16"),
    ("fma avx2 avx512f avx512_bf16", None, "avx512_bf16"),
    ("fma avx2", None, None),
    ("", None, None),
])
def test_cpu_bfloat16_units_honours_the_isa_limit(monkeypatch, flags, limit, expected):
    monkeypatch.setattr(distribute, "_cpu_info", lambda: flags)
    if limit:
        monkeypatch.setenv("ONEDNN_MAX_CPU_ISA", limit)
    else:
        monkeypatch.delenv("ONEDNN_MAX_CPU_ISA", raising=False)
    assert distribute.cpu_bfloat16_units() == expected


def test_pick_precision_follows_the_emulated_cpu_class(monkeypatch):
    import tensorflow as tf
    if tf.config.list_physical_devices("GPU"):
        pytest.skip("a GPU decides the precision")
    monkeypatch.setattr(distribute, "_cpu_info", lambda: "avx2 avx512_bf16 amx_bf16")
    monkeypatch.delenv("ONEDNN_MAX_CPU_ISA", raising=False)
    assert rh.pick_precision() == "mixed_bfloat16"
    monkeypatch.setenv("ONEDNN_MAX_CPU_ISA", "AVX2")  # a laptop-class CPU: no bfloat16 units
    assert rh.pick_precision() == "float32"


# --- the probe and the plan ----------------------------------------------------------------

def test_probe_speeds_measures_every_combination_and_restores_the_policy():
    keras.config.set_dtype_policy("float32")
    speeds = rh.training.planner.probe_speeds([(4, 16), (4, 32)], ["float32", "mixed_bfloat16"],
                                     batch_size=8, steps=1)
    assert set(speeds) == {(4, 16, "float32"), (4, 32, "float32"),
                           (4, 16, "mixed_bfloat16"), (4, 32, "mixed_bfloat16")}
    assert all(v["images_per_second"] > 0 and v["setup_seconds"] >= 0 for v in speeds.values())
    assert keras.config.dtype_policy().name == "float32"
    with pytest.raises(ValueError, match="steps must be a positive"):
        rh.training.planner.probe_speeds([(4, 32)], ["float32"], steps=0)


def test_probe_speeds_times_every_shape_in_the_precision_it_reports(monkeypatch):
    # keras.backend.clear_session() resets the global dtype policy to float32: a probe that set
    # the policy once per precision timed every shape after the first in float32 and reported
    # it as bfloat16 (lesson 03's plan timed w24's 24 px in float32 on the AVX-512 class).
    timed = []

    def spy(model, batch_size, steps, warmup=2, seed=0):
        conv = next(layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D))
        timed.append((model.input_shape[1], model.dtype_policy.name, conv.compute_dtype))
        return 0.01, 0.0
    monkeypatch.setattr(planner, "time_fit_steps", spy)
    speeds = planner.probe_speeds([(4, 16), (4, 24), (4, 32)], ["mixed_bfloat16", "float32"],
                                  batch_size=8, steps=1)
    assert len(speeds) == 6
    assert timed == [(16, "mixed_bfloat16", "bfloat16"), (24, "mixed_bfloat16", "bfloat16"),
                     (32, "mixed_bfloat16", "bfloat16"), (16, "float32", "float32"),
                     (24, "float32", "float32"), (32, "float32", "float32")]
    assert keras.config.dtype_policy().name == "float32"


def test_probe_speeds_times_a_kept_model_again_without_rebuilding_it(monkeypatch):
    built = []
    real_build = planner.build_resnet9
    monkeypatch.setattr(planner, "build_resnet9",
                        lambda *a, **k: built.append(a) or real_build(*a, **k))
    keras.config.set_dtype_policy("float32")
    models = {}
    first = planner.probe_speeds([(4, 16)], ["mixed_bfloat16"], batch_size=8, steps=1,
                                 keep=models)
    assert list(models) == [(4, 16, "mixed_bfloat16")] and len(built) == 1
    again = planner.probe_speeds([(4, 16)], ["mixed_bfloat16"], batch_size=8, steps=1,
                                 keep=models)
    assert len(built) == 1                                        # the kept model, no new one
    assert again[(4, 16, "mixed_bfloat16")]["setup_seconds"] == 0.0
    assert again[(4, 16, "mixed_bfloat16")]["images_per_second"] > 0
    assert first[(4, 16, "mixed_bfloat16")]["setup_seconds"] >= 0
    assert models[(4, 16, "mixed_bfloat16")].get_layer("stem_conv").compute_dtype == "bfloat16"
    assert keras.config.dtype_policy().name == "float32"


def test_plan_averages_two_timing_windows_of_the_run_it_chooses(monkeypatch):
    """The chosen candidate's sizes are timed twice; time per image is averaged. A second
    window slow enough to push it past the budget sends the search on to the next candidate
    instead of falling back to the fastest one."""
    readings = {}

    def probe(shapes, precisions, **kwargs):
        assert isinstance(kwargs["keep"], dict)
        out = {}
        for w, s in shapes:
            n = readings[(w, s)] = readings.get((w, s), 0) + 1
            slow = 1.0 if n == 1 else second_window_factor
            out[(w, s, "float32")] = {"images_per_second": FAST_CHEAP_SLOW_WIDE[w][s] * slow,
                                      "setup_seconds": 0.0}
        return out
    monkeypatch.setattr(planner, "probe_speeds", probe)
    kwargs = dict(images_per_epoch=6000, val_images=0, candidates=(CHEAP, WIDE),
                  precisions=["float32"])
    second_window_factor = 0.5               # WIDE read at half speed the second time
    plan = rh.plan_training(5.0, **kwargs)   # 108.3 s in the first window; averaged: 162.5 s
    assert readings == {(8, 32): 1, (32, 32): 2, (32, 16): 2, (32, 24): 2}
    assert plan.width == 32
    assert plan.speeds["w32 float32 32 px"] == round(2 / (1 / 100 + 1 / 50))
    assert plan.predicted_minutes == pytest.approx(1.5 * 108.33 / 60, rel=1e-3)
    readings.clear()
    second_window_factor = 0.25              # fits 2 min in one window; averaged: 108.3 × 2.5 s
    plan = rh.plan_training(2.0, **kwargs)
    assert plan.width == 8 and "most accurate" in plan.reason   # CHEAP, probed and re-timed
    assert readings == {(8, 32): 2, (32, 32): 2, (32, 16): 2, (32, 24): 2, (8, 16): 2, (8, 24): 2}


SMALL = Candidate(16, (16, 32), 0.70, "test")
BIG = Candidate(32, (32, 32, 32), 0.85, "test")
SPEEDS = {key: {"images_per_second": ips, "setup_seconds": setup} for key, ips, setup in [
    ((16, 16, "float32"), 1000.0, 0.5), ((16, 32, "float32"), 500.0, 1.0),
    ((32, 32, "float32"), 150.0, 2.0)]}


def test_predicted_seconds_adds_each_epoch_at_its_speed_and_validation():
    seconds = planner.predicted_seconds(SMALL, "float32", SPEEDS, images_per_epoch=1000,
                                        val_images=300)
    assert seconds == pytest.approx(1000 / 1000 + 1000 / 500 + 0.5 + 1.0 + 2 * 300 / (4 * 500))


def test_plan_takes_the_most_accurate_candidate_that_fits():
    plan = rh.plan_training(0.4, images_per_epoch=1000, val_images=0, candidates=(SMALL, BIG),
                            precisions=["float32"], speeds=SPEEDS)
    assert (plan.width, plan.sizes, plan.epochs, plan.precision) == (32, [32, 32, 32], 3, "float32")
    assert plan.expected_accuracy == 0.85 and plan.predicted_minutes == pytest.approx(22 / 60)
    assert [row["chosen"] for row in plan.table] == [False, True]
    assert "most accurate" in plan.reason
    assert plan.speeds == {"w16 float32 16 px": 1000, "w16 float32 32 px": 500,
                           "w32 float32 32 px": 150}
    json.dumps(plan.speeds)  # recorded in lesson 03's metrics.json


def test_plan_table_has_its_documented_columns_and_speaks_the_learners_language():
    kwargs = dict(images_per_epoch=1000, val_images=0, candidates=(SMALL, BIG),
                  precisions=["float32"], speeds=SPEEDS)
    plan = rh.plan_training(0.4, **kwargs)
    assert [list(row) for row in plan.table] == [list(TABLE_COLUMNS)] * 2
    assert plan.table[0]["candidate"] == "ResNet-9 w16, 2 epochs, 16×1→32×1 px"
    rh.set_language("zh")
    try:
        plan = rh.plan_training(0.4, **kwargs)
    finally:
        rh.set_language(None)
    assert list(plan.table[0]) == list(TABLE_COLUMNS)          # keys stay English (metrics.json)
    assert plan.table[0]["candidate"] == "ResNet-9 w16，2 个迭代周期，16×1→32×1 px"
    assert plan.table[1]["probed"] == "每种尺寸" and "最准确" in plan.reason


def test_plan_falls_back_to_the_fastest_when_nothing_fits():
    plan = rh.plan_training(0.01, images_per_epoch=1000, val_images=0, candidates=(SMALL, BIG),
                            precisions=["float32"], speeds=SPEEDS)
    assert plan.width == 16 and "no candidate is predicted to fit" in plan.reason


def _fake_probe(monkeypatch, speeds_by_width):
    """Replace the probe by ``{width: {side: images/s}}``; returns the shapes asked for."""
    asked = []

    def probe(shapes, precisions, **_):
        asked.extend(shapes)
        return {(w, s, p): {"images_per_second": speeds_by_width[w][s], "setup_seconds": 0.0}
                for w, s in shapes for p in precisions}
    monkeypatch.setattr(planner, "probe_speeds", probe)
    return asked


CHEAP = Candidate(8, (16, 24, 32), 0.70, "test")
WIDE = Candidate(32, (16, 24, 32), 0.90, "test")
FAST_CHEAP_SLOW_WIDE = {8: {16: 4000.0, 24: 1800.0, 32: 1000.0}, 32: {16: 400.0, 24: 180.0, 32: 100.0}}


def test_plan_probes_smaller_sizes_only_of_candidates_that_could_fit(monkeypatch):
    asked = _fake_probe(monkeypatch, FAST_CHEAP_SLOW_WIDE)
    plan = rh.plan_training(1.0, images_per_epoch=6000, val_images=0, candidates=(CHEAP, WIDE),
                            precisions=["float32"])
    # WIDE, optimistically from width 8 (1000 images/s / ((32/8)² / 2) = 125 at 32 px) and at
    # its pixel share: 6000/500 + 6000/(125 × 16/9) + 6000/125 = 87 s > 1.2 min: never probed
    # then CHEAP, the plan, a second time at its three sizes
    assert asked == [(8, 32), (8, 16), (8, 24), (8, 16), (8, 24), (8, 32)]
    assert plan.width == 8 and plan.predicted_minutes == pytest.approx((1.5 + 6000 / 1800 + 6) / 60)
    wide = plan.table[1]
    assert wide["probed"] == "not probed (a lower bound from a narrower width)"
    assert not wide["fits"] and wide["predicted minutes"] == round(87 / 60, 1)
    assert wide["images/s at 32 px"] == 125
    assert plan.table[0]["probed"] == "every size"


def test_plan_probes_a_wider_width_at_32_px_when_its_bound_could_fit(monkeypatch):
    asked = _fake_probe(monkeypatch, FAST_CHEAP_SLOW_WIDE)
    plan = rh.plan_training(1.3, images_per_epoch=6000, val_images=0, candidates=(CHEAP, WIDE),
                            precisions=["float32"])
    # optimistic 87 s <= 1.2 × 78 s: WIDE is probed at 32 px; measured, its pixel-share bound
    # (108.75 s) exceeds 93.6 s, so its smaller sizes are not
    assert asked == [(8, 32), (32, 32), (8, 16), (8, 24), (8, 16), (8, 24), (8, 32)]
    assert plan.table[1]["probed"] == "32 px only (a lower bound)"
    assert plan.table[1]["predicted minutes"] == round(108.75 / 60, 1)


def test_plan_stops_probing_once_the_most_accurate_hopeful_candidate_fits(monkeypatch):
    asked = _fake_probe(monkeypatch, FAST_CHEAP_SLOW_WIDE)
    plan = rh.plan_training(5.0, images_per_epoch=6000, val_images=0, candidates=(CHEAP, WIDE),
                            precisions=["float32"])
    # WIDE (90%) is probed at every size and fits (15 + 33.3 + 60 s < 300 s): CHEAP (70%)
    # could not be chosen, so its smaller sizes are not timed; WIDE's sizes get a second window
    assert asked == [(8, 32), (32, 32), (32, 16), (32, 24), (32, 16), (32, 24), (32, 32)]
    assert plan.width == 32 and plan.table[0]["probed"] == "32 px only (a lower bound)"


def test_plan_times_smaller_sizes_only_in_the_faster_precision(monkeypatch):
    asked = []

    def probe(shapes, precisions, **_):   # bfloat16 twice as fast as float32 for every shape
        asked.extend((w, s, p) for w, s in shapes for p in precisions)
        return {(w, s, p): {"images_per_second": FAST_CHEAP_SLOW_WIDE[w][s] * (
            2 if p == "mixed_bfloat16" else 1), "setup_seconds": 0.0}
            for w, s in shapes for p in precisions}
    monkeypatch.setattr(planner, "probe_speeds", probe)
    plan = rh.plan_training(5.0, images_per_epoch=6000, val_images=0, candidates=(CHEAP, WIDE),
                            precisions=["float32", "mixed_bfloat16"])
    assert [a for a in asked if a[1] != 32] == [(32, 16, "mixed_bfloat16"),
                                                (32, 24, "mixed_bfloat16")] * 2
    assert (plan.width, plan.precision) == (32, "mixed_bfloat16")
    wide_float32 = [r for r in plan.table if r["candidate"].startswith("ResNet-9 w32")
                    and r["precision"] == "float32"][0]
    assert not wide_float32["chosen"]
    # bfloat16 was faster at width 8: float32 is not timed at the wider width 32
    assert [a for a in asked if a[1] == 32] == [(8, 32, "float32"), (8, 32, "mixed_bfloat16"),
                                                (32, 32, "mixed_bfloat16"),
                                                (32, 32, "mixed_bfloat16")]  # second window
    assert wide_float32["probed"] == "not probed (a lower bound from a narrower width)"


def test_plan_times_both_precisions_at_every_width_while_float32_is_as_fast(monkeypatch):
    # a CPU whose bfloat16 does not pay off on narrow layers (AMX, ResNet-20: 264 against 288
    # images/s) may still gain on wide ones: both are timed at every width
    asked = []

    def probe(shapes, precisions, **_):
        asked.extend((w, s, p) for w, s in shapes for p in precisions)
        return {(w, s, p): {"images_per_second": FAST_CHEAP_SLOW_WIDE[w][s] * (
            (0.9 if w == 8 else 1.6) if p == "mixed_bfloat16" else 1), "setup_seconds": 0.0}
            for w, s in shapes for p in precisions}
    monkeypatch.setattr(planner, "probe_speeds", probe)
    plan = rh.plan_training(5.0, images_per_epoch=6000, val_images=0, candidates=(CHEAP, WIDE),
                            precisions=["float32", "mixed_bfloat16"])
    assert [a for a in asked if a[1] == 32] == [(8, 32, "float32"), (8, 32, "mixed_bfloat16"),
                                                (32, 32, "float32"), (32, 32, "mixed_bfloat16"),
                                                (32, 32, "mixed_bfloat16")]  # second window
    assert (plan.width, plan.precision) == (32, "mixed_bfloat16")


def test_plan_probes_every_size_of_a_candidate_near_the_budget(monkeypatch):
    asked = _fake_probe(monkeypatch, FAST_CHEAP_SLOW_WIDE)
    plan = rh.plan_training(1.6, images_per_epoch=6000, val_images=0, candidates=(CHEAP, WIDE),
                            precisions=["float32"])
    # its bound, 108.75 s, is within 1.2 × 96 s: probed, then too slow (6000/400 + 6000/180 + 60 s)
    assert sorted(asked) == sorted([(8, 16), (8, 24), (8, 32)] * 2
                                   + [(32, 16), (32, 24), (32, 32)])
    assert plan.width == 8 and plan.table[1]["probed"] == "every size"
    assert plan.table[1]["predicted minutes"] == round((15 + 6000 / 180 + 60) / 60, 1)
    asked.clear()
    plan = rh.plan_training(0.01, images_per_epoch=6000, val_images=0, candidates=(CHEAP, WIDE),
                            precisions=["float32"])
    # nothing fits: the wide width is not probed at all (even its optimistic bound is far off),
    # the cheapest candidate at every size, and it is the plan
    assert sorted(asked) == [(8, 16), (8, 24), (8, 32)] and plan.width == 8
    assert plan.table[1]["probed"].startswith("not probed") and "no candidate" in plan.reason


@pytest.mark.parametrize("budget", [0, -1, "10", True])
def test_plan_rejects_a_bad_budget(budget):
    with pytest.raises(ValueError, match="budget_minutes must be a positive number"):
        rh.plan_training(budget, candidates=(SMALL,), precisions=["float32"], speeds=SPEEDS)


def test_every_candidate_accuracy_is_a_recorded_measurement():
    """CANDIDATES' accuracies come from benchmark records in the repository, not by hand, and
    from runs with lesson 03's own recipe: its crop padding, peak learning rate and batch, the
    network of LESSON_MODEL (whitened first layer of min(24, width) filters, γ frozen), the
    alternating flip, label smoothing 0.1, weight decay 5e-3 (× lr), float32."""
    lesson = rh.course.DEFAULTS["03_train_cifar10"]["full"]
    assert rh.training.planner.LESSON_MODEL == {"whiten": True, "bn_scale": False}
    records = [json.loads(p.read_text()) for p in
               (ROOT / "benchmarks/results/short_run").glob("*.json")]   # short_run_recipe.py
    for candidate in rh.training.planner.CANDIDATES:
        rh.data.resizing.check_sizes(candidate.sizes, 32)
        matches = [r for r in records if r["width"] == candidate.width
                   and tuple(r["sizes"]) == candidate.sizes
                   and r["pad"] == lesson["CROP_PAD"] and r["lr"] == lesson["LEARNING_RATE"]
                   and r["batch"] == lesson["BATCH_SIZE"] and r["seed"] == 0
                   and r.get("whiten") == min(24, candidate.width) and r.get("stem_stride", 1) == 1
                   and not r.get("ema") and r.get("stem", True) and r.get("warmup", 1.0) == 1.0
                   and r.get("bn_momentum", 0.9) == 0.9
                   and r.get("flip") == "alternate" and not r.get("lookahead")
                   and r.get("bn_scale") is False and r.get("branch_scale", 1.0) == 1.0
                   and r.get("label_smoothing") == 0.1
                   and r.get("weight_decay", 5e-3) == 5e-3   # the key came after the first runs
                   and r.get("precision") == "float32"]
        assert matches, f"no benchmark record for {candidate.label}"
        assert any(candidate.test_accuracy == pytest.approx(r["test_accuracy"], abs=5e-4)
                   for r in matches), f"{candidate.label}: no record of {candidate.test_accuracy}"


def test_lesson_03_builds_the_network_the_planner_probes():
    """The lesson's own build_resnet9 call (both editions) passes exactly LESSON_MODEL's options,
    so the probe times the network the lesson trains."""
    for path in (ROOT / "notebooks/03_train_cifar10.ipynb",
                 ROOT / "notebooks/zh/03_train_cifar10.ipynb"):
        cells = json.loads(path.read_text())["cells"]
        calls = [node for cell in cells if cell["cell_type"] == "code"
                 for node in ast.walk(ast.parse("".join(cell["source"])))
                 if isinstance(node, ast.Call) and ast.unparse(node.func) == "rh.build_resnet9"
                 and node.args and ast.unparse(node.args[0]) == "width"]
        assert calls, f"{path.name}: no rh.build_resnet9(width, ...) call"
        for call in calls:
            assert {k.arg: ast.literal_eval(k.value) for k in call.keywords} == \
                rh.training.planner.LESSON_MODEL, f"{path.name}: {ast.unparse(call)}"


# --- lesson settings -----------------------------------------------------------------------

@pytest.mark.parametrize("given, message", [
    ({"IMAGE_SIZES": [16, 24]}, "last epoch must train at the full image size 32"),
    ({"IMAGE_SIZES": 32}, "IMAGE_SIZES must be a list"),
    ({"TIME_BUDGET": 0}, "TIME_BUDGET must be the minutes"),
    ({"CROP_PAD": -1}, "CROP_PAD must be the pixels of random shift"),
    ({"CROP_PAD": 2.5}, "CROP_PAD must be the pixels of random shift"),
])
def test_lesson_03_settings_reject_bad_plan_parameters(given, message):
    with pytest.raises(ValueError, match=message):
        rh.course.settings("03_train_cifar10", **given)


def test_quick_plan_probes_only_the_cheapest_candidate_in_float32():
    plan = rh.plan_training(10, images_per_epoch=64, val_images=16, batch_size=8,
                            candidates=(Candidate(4, (16, 32), 0.5, "test"),
                                        Candidate(8, (32,), 0.6, "test")), quick=True)
    assert [row["precision"] for row in plan.table] == ["float32"]
    assert plan.width == 4 and plan.sizes == [16, 32]
