"""benchmarks/tta.py: the shifted views and the accuracies it reports."""

import importlib.util
from pathlib import Path

import keras
import numpy as np
import pytest

import resnet_helpers as rh

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def tta():
    spec = importlib.util.spec_from_file_location("tta", ROOT / "benchmarks" / "tta.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_shifted_views_move_the_content_one_way_each_and_reflect_the_border(tta):
    x = np.arange(2 * 5 * 5 * 3, dtype="float32").reshape(2, 5, 5, 3)
    towards_bottom_right, towards_top_left = tta.shifted(x, 1)
    assert towards_bottom_right.shape == towards_top_left.shape == x.shape
    np.testing.assert_array_equal(towards_bottom_right[:, 1:, 1:], x[:, :-1, :-1])
    np.testing.assert_array_equal(towards_top_left[:, :-1, :-1], x[:, 1:, 1:])
    np.testing.assert_array_equal(towards_bottom_right[:, 0, 1:], x[:, 1, :-1])   # reflected row
    two, _ = tta.shifted(x, 2)
    np.testing.assert_array_equal(two[:, 2:, 2:], x[:, :-2, :-2])


def test_evaluate_reports_each_variant_as_the_predictions_give_it(tta):
    """A model that answers from the left half's brightness alone: plain and mirrored views
    disagree, so the variants' accuracies differ in the way the averaging dictates."""
    inputs = keras.Input((8, 8, 3))
    left = keras.layers.Cropping2D(((0, 0), (0, 4)))(inputs)
    mean = keras.layers.GlobalAveragePooling2D()(left)
    logits = keras.layers.Dense(2)(mean)
    model = keras.Model(inputs, keras.layers.Softmax()(logits))
    model.layers[-2].set_weights([np.array([[-1.0, 1.0]] * 3, "float32") / 50,
                                  np.array([1.0, -1.0], "float32") * 3 * 127.5 / 50])
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 255, (64, 8, 8, 3)).astype("float32")
    y = (x[:, :, :4].mean(axis=(1, 2, 3)) > 127.5).astype("int64")   # the plain view is right
    row = tta.evaluate(model, x, y)
    assert set(row) == {"plain", "flip", "flip_shift1", "flip_shift2"}
    assert row["plain"]["test_accuracy"] == 1.0
    flip = rh.predict_probabilities(model, x, flip_tta=True)
    assert row["flip"]["test_accuracy"] == pytest.approx(float((flip.argmax(1) == y).mean()),
                                                         abs=1e-4)
    assert row["flip"]["test_accuracy"] < 1.0      # the mirror image's left half is the right
    a, b = tta.shifted(x, 1)
    six = 0.5 * flip + 0.25 * (rh.predict_probabilities(model, a, flip_tta=True)
                               + rh.predict_probabilities(model, b, flip_tta=True))
    assert row["flip_shift1"]["test_accuracy"] == pytest.approx(
        float((six.argmax(1) == y).mean()), abs=1e-4)
    assert all(v["seconds"] >= 0 for v in row.values())


def test_main_names_a_missing_model_file(tta, tmp_path, capsys):
    assert tta.main([str(tmp_path / "none.keras"), "--out", str(tmp_path / "t.json")]) == 2
    assert "no model file" in capsys.readouterr().err
    assert not (tmp_path / "t.json").exists()
