"""benchmarks/paper_table6.py (He et al. 2015, Table 6 / Fig. 6) at toy scale on the CPU: the
paper's recipe, the resumable per-epoch records, and the report that turns them into the table
and the curves."""
import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

import resnet_helpers as rh
from conftest import fake_batches

ROOT = Path(__file__).resolve().parents[1]


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def table6():
    return _script("paper_table6")


def test_toy_run_stops_on_budget_resumes_and_reports(tmp_path, monkeypatch, table6):
    source = fake_batches(tmp_path / "cifar-10-batches-py", per_batch=64)
    out = tmp_path / "table6"
    toy = ["--data", str(source), "--out", str(out), "--toy"]
    assert table6.main(toy + ["--budget-s", "0"]) == 0  # a call always trains one epoch
    first = json.loads((out / "resnet8.json").read_text())
    assert [h["epoch"] for h in first["history"]] == [1] and not first["finished"]
    assert (out / "state" / "resnet8.npz").exists() and not (out / "plain8.json").exists()

    (out / "state" / "resnet8.npz").rename(tmp_path / "aside.npz")
    with pytest.raises(SystemExit, match="resnet8.npz is missing"):
        table6.main(toy)  # recorded epochs are never silently retrained
    (tmp_path / "aside.npz").rename(out / "state" / "resnet8.npz")
    assert table6.main(toy) == 0  # the same command continues
    for name in ("resnet8", "plain8"):
        record = json.loads((out / f"{name}.json").read_text())
        history = record["history"]
        assert [h["epoch"] for h in history] == [1, 2] and record["finished"]
        for h in history:
            assert 0 <= h["train_error"] <= 1 and 0 <= h["test_error"] <= 1
            assert 0 <= h["val_error"] <= 1
        assert record["train_images"] == 288 and record["val_images"] == 32
        assert record["recipe"]["epochs"] == 2 and record["recipe"]["nesterov"] is False
        assert (out / f"{name}.keras").exists() and not (out / "state" / f"{name}.npz").exists()
        final = record["final"]
        assert final["float16"]["bytes"] < final["float32"]["bytes"] / 2
        assert final["float16"]["test_accuracy"] == pytest.approx(
            final["float32"]["test_accuracy"], abs=1 / 64)
    resnet = json.loads((out / "resnet8.json").read_text())
    assert [c["resumed_at_epoch"] for c in resnet["invocations"]] == [1, 2]
    # The optimizer's step count came back with the state: epoch 2 starts past the 50%
    # milestone (9 steps of 32 per epoch, 18 in all), at a tenth of the first epoch's rate.
    lrs = [h["learning_rate"] for h in resnet["history"]]
    assert lrs[0] == pytest.approx(0.1 * 32 / 128) and lrs[1] == pytest.approx(lrs[0] / 10)

    zoo = tmp_path / "zoo"  # --ship: into the model zoo, with a re-measured manifest entry
    zoo.mkdir()
    (zoo / "manifest.json").write_text("{}")
    monkeypatch.setattr(rh.models.pretrained, "PRETRAINED_DIR", zoo)
    assert table6.main(toy + ["--ship", "resnet8"]) == 0
    entry = rh.pretrained_manifest()["resnet8"]
    assert entry["sha256"] == rh.sha256_file(zoo / "resnet8.npz") and entry["status"] == "shipped"
    assert entry["test_accuracy"] == pytest.approx(resnet["final"]["float16"]["test_accuracy"],
                                                   abs=1e-4)
    assert rh.load_pretrained("resnet8").count_params() == resnet["params"]
    with pytest.raises(SystemExit, match="--overwrite"):
        table6.main(toy + ["--ship", "resnet8"])

    report = _script("table6_report")
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n{report.BEGIN}\nold\n{report.END}\nafter\n")
    assert report.main(["--results", str(out), "--figure", str(tmp_path / "fig6.png"),
                        "--update-readme", str(readme)]) == 0
    text = readme.read_text()
    assert "old" not in text and text.endswith(f"{report.END}\nafter\n")
    row8 = next(line for line in text.splitlines() if line.startswith("| 8 |"))
    error = 100 * (1 - resnet["final"]["float32"]["test_accuracy"])
    assert f"**{error:.2f}%**" in row8 and "75,290" in row8
    assert "| 56 | – | 6.97% | not run |" in text and "fig6.png" in text
    assert (tmp_path / "fig6.png").stat().st_size > 10_000


def test_step_schedule_divides_by_ten_at_half_and_three_quarters():
    # The paper's length at batch 128: 182 epochs of 351 steps = 63,882 iterations.
    lr = rh.training.recipe.step_schedule(0.1, 182, 351)
    at = {t: float(lr(t)) for t in (0, 31940, 31941, 47911, 47912, 63881)}
    assert at == pytest.approx({0: 0.1, 31940: 0.1, 31941: 0.01, 47911: 0.01, 47912: 0.001,
                                63881: 0.001})
    # ResNet-110: a tenth of the rate for the first 400 iterations, then the schedule.
    warm = rh.training.recipe.step_schedule(0.1, 182, 351, warmup_steps=400)
    assert [float(warm(t)) for t in (0, 399, 400, 31941)] == pytest.approx([0.01, 0.01, 0.1, 0.01])
    with pytest.raises(ValueError, match="milestones"):
        rh.training.recipe.step_schedule(0.1, 10, 10, milestones=(0.75, 0.5))


def test_script_recipe_scales_with_the_batch(table6):
    args = type("Args", (), {"batch": 256, "epochs": 182, "precision": "float32", "seed": 0})
    r20 = table6.recipe_for("resnet20", table6.NETWORKS, args, 175)
    r110 = table6.recipe_for("resnet110", table6.NETWORKS, args, 175)
    assert r20["learning_rate"] == pytest.approx(0.2) and r20["iterations"] == 31_850
    assert r20["warmup_steps_at_lr_x0.1"] == 0 and r110["warmup_steps_at_lr_x0.1"] == 200


def test_paper_recipe_is_plain_momentum_with_coupled_l2():
    import tensorflow as tf

    model = rh.build_resnet(8)
    rh.compile_for_training(model, epochs=4, steps_per_epoch=10, momentum=0.9,
                            weight_decay=1e-4, weight_decay_mode="l2", nesterov=False,
                            schedule="step", label_smoothing=0.0, warmup_epochs=0)
    opt = model.optimizer
    assert opt.nesterov is False and opt.momentum == 0.9 and opt.weight_decay is None
    kernels = [v for v in model.trainable_variables if v.path.endswith("/kernel")]
    assert len(kernels) == 8  # 7 convolutions + the dense layer; BN and biases are not decayed
    assert all(v.regularizer is None for v in model.trainable_variables
               if not v.path.endswith("/kernel"))
    with tf.GradientTape() as tape:
        penalty = tf.add_n(model.losses)
    grads = tape.gradient(penalty, [v.value for v in kernels])
    for v, g in zip(kernels, grads):  # the penalty adds 1e-4 × w to each kernel's gradient
        np.testing.assert_allclose(g.numpy(), 1e-4 * v.numpy(), rtol=1e-4, atol=1e-10)
    rh.compile_for_training(model, epochs=4, steps_per_epoch=10)  # the course recipe again
    assert model.losses == [] and model.optimizer.weight_decay == 5e-3


@pytest.mark.parametrize("depth, trainable", [(20, 269_722), (32, 464_154), (44, 658_586),
                                              (56, 853_018)])
def test_paper_networks_have_the_papers_parameter_counts(table6, depth, trainable):
    """The padding-shortcut ResNets and their plain twins: same trainable parameters."""
    for kind in ("resnet", "plain"):
        model = table6.build(f"{kind}{depth}", table6.NETWORKS)
        assert table6.spec_of(f"{kind}{depth}", table6.NETWORKS)["depth"] == depth
        assert sum(int(np.prod(v.shape)) for v in model.trainable_weights) == trainable
        assert model.name == f"{kind}{depth}"
