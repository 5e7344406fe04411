import json
import warnings

import keras
import numpy as np
import tensorflow as tf
import pytest

import resnet_helpers as rh


def _data(n=64, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 256, (n, 32, 32, 3), dtype=np.uint8)
    return x, np.arange(n) % 10


def test_smoothed_loss_matches_keras_categorical():
    y = np.array([0, 3, 9])
    probs = keras.ops.softmax(np.random.default_rng(0).normal(size=(3, 10)).astype("float32"))
    expected = keras.losses.CategoricalCrossentropy(label_smoothing=0.1)(
        keras.ops.one_hot(y, 10), probs)
    got = rh.SmoothedSparseCrossentropy(0.1)(y, probs)
    np.testing.assert_allclose(got, expected, rtol=1e-5)
    plain = keras.losses.SparseCategoricalCrossentropy()(y, probs)
    np.testing.assert_allclose(rh.SmoothedSparseCrossentropy(0.0)(y, probs), plain, rtol=1e-5)
    with pytest.raises(ValueError, match="label_smoothing"):
        rh.SmoothedSparseCrossentropy(1.5)


def test_schedule_warms_up_then_decays_to_zero():
    schedule = rh.learning_rate_schedule(0.1, epochs=10, steps_per_epoch=100)
    lr = [float(schedule(step)) for step in (0, 50, 100, 550, 1000)]
    assert lr[0] == pytest.approx(0.01) and lr[1] == pytest.approx(0.055, rel=1e-3)
    assert lr[2] == pytest.approx(0.1) and 0.04 < lr[3] < 0.06 and lr[4] == pytest.approx(0.0)


def test_weight_decay_skips_batchnorm_and_bias():
    model = rh.build_resnet(8)
    rh.compile_for_training(model, epochs=1, steps_per_epoch=1)
    opt = model.optimizer
    decayed = {v.name for v in model.trainable_variables if opt._use_weight_decay(v)}
    assert decayed and all(n == "kernel" for n in decayed)


@pytest.mark.parametrize("kwargs,match", [
    (dict(epochs=0, steps_per_epoch=1), "epochs"), (dict(epochs=1, steps_per_epoch=-1), "steps"),
    (dict(epochs=1, steps_per_epoch=1, learning_rate=0), "learning_rate"),
    (dict(epochs=1, steps_per_epoch=1, optimizer="rmsprop"), "optimizer"),
])
def test_compile_rejects_bad_values(kwargs, match):
    with pytest.raises(ValueError, match=match):
        rh.compile_for_training(rh.build_resnet(8), **kwargs)


def test_train_writes_run_folder_and_resumes(tmp_path):
    x, y = _data()
    train_ds, val_ds = rh.make_datasets((x, y), (x[:32], y[:32]), batch_size=32)
    result = rh.train(rh.build_resnet(8), train_ds, val_ds, epochs=2, run_dir=tmp_path,
                      verbose=0)
    assert result["epochs"] == 2 and result["images_per_second"] > 0
    assert len(result["history"]["val_accuracy"]) == 2
    for name in ("model.keras", "best.keras", "history.json"):
        assert (tmp_path / name).exists(), name
    assert any((tmp_path / "logs").rglob("events.out.tfevents*"))
    records = json.loads((tmp_path / "history.json").read_text())["epochs"]
    assert [r["epoch"] for r in records] == [1, 2]
    assert records[1]["learning_rate"] < records[0]["learning_rate"]
    loaded = rh.load_model(tmp_path / "model.keras")
    assert loaded.count_params() == rh.build_resnet(8).count_params()


def test_estimate_training_time_leaves_the_model_alone():
    x, y = _data()
    train_ds, _ = rh.make_datasets((x, y), (x[:32], y[:32]), batch_size=16)
    model = rh.build_resnet(8)
    before = [w.copy() for w in model.get_weights()]
    train_ds, val_ds = rh.make_datasets((x, y), (x[:32], y[:32]), batch_size=16)
    eta = rh.estimate_training_time(model, train_ds, epochs=3, steps=2, warmup=1)
    assert eta["steps_per_epoch"] == 4 and eta["seconds_per_step"] > 0
    assert eta["seconds_per_epoch"] == pytest.approx(4 * eta["seconds_per_step"])
    assert eta["validation_seconds"] == 0 and eta["setup_seconds"] > 0   # the first step traces
    assert eta["seconds"] == pytest.approx(3 * eta["seconds_per_epoch"] + eta["setup_seconds"])
    with warnings.catch_warnings(record=True) as caught:  # nothing printed into the lesson
        warnings.simplefilter("always")
        with_val = rh.estimate_training_time(model, train_ds, epochs=3, steps=2, warmup=1,
                                             val_ds=val_ds)
    assert not [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    assert with_val["validation_seconds"] > 0
    assert with_val["seconds"] == pytest.approx(3 * with_val["seconds_per_epoch"]
                                                + with_val["validation_seconds"]
                                                + with_val["setup_seconds"])
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))
    assert not model.compiled, "the model to be trained must not be compiled by the ETA"
    with pytest.raises(ValueError, match="finite"):
        rh.estimate_training_time(model, train_ds.repeat(), epochs=1)
    with pytest.raises(ValueError, match="steps"):
        rh.estimate_training_time(model, train_ds, epochs=1, steps=0)


def test_estimate_training_time_uses_the_loss_of_a_compiled_model():
    """Lesson 03 compiles with one-hot labels and a categorical loss before it asks for the
    ETA: the timing copy must train on those batches, and the model keep its own compile."""
    x, y = _data()
    train_ds, _ = rh.make_datasets((x, y), (x[:32], y[:32]), batch_size=16)
    one_hot = train_ds.map(lambda images, labels: (images, tf.one_hot(labels, 10)))
    model = rh.build_resnet(8)
    loss = keras.losses.CategoricalCrossentropy(label_smoothing=0.1)
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss=loss, metrics=["accuracy"])
    eta = rh.estimate_training_time(model, one_hot, epochs=2, steps=2, warmup=1)
    assert eta["steps_per_epoch"] == 4 and eta["seconds"] > 0
    assert model.loss is loss and float(model.optimizer.iterations) == 0


def test_accuracy_report_by_hand():
    probs = np.eye(3)[[0, 1, 1, 2]]
    report = rh.accuracy_report(np.array([0, 1, 2, 2]), probs, ["a", "b", "c"])
    assert report["accuracy"] == 0.75
    assert report["per_class_accuracy"] == {"a": 1.0, "b": 1.0, "c": 0.5}
    assert report["confusion"] == [[1, 0, 0], [0, 1, 0], [0, 1, 1]]


def test_flip_tta_averages_mirrored_predictions():
    model = rh.build_resnet(8)
    x = _data(4)[0].astype("float32")
    tta = rh.predict_probabilities(model, x, flip_tta=True)
    manual = (model.predict(x, verbose=0) + model.predict(x[:, :, ::-1], verbose=0)) / 2
    np.testing.assert_allclose(tta, manual, atol=1e-6)


def test_load_model_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="lesson 03"):
        rh.load_model(tmp_path / "missing.keras")
    bad = tmp_path / "bad.keras"
    bad.write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="Could not load"):
        rh.load_model(bad)


def test_unsafe_model_is_refused(tmp_path):
    inputs = keras.Input((4,))
    model = keras.Model(inputs, keras.layers.Lambda(lambda t: t * 2)(inputs))
    model.save(tmp_path / "lambda.keras")
    with pytest.raises(ValueError, match="safe mode"):
        rh.load_model(tmp_path / "lambda.keras")
