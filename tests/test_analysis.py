import keras
import numpy as np
import pytest
import tensorflow as tf

import resnet_helpers as rh
from resnet_helpers.inspect import analysis


@pytest.fixture
def tiny():
    keras.utils.set_random_seed(0)
    model = rh.build_resnet(8, width=4)
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, (16, 32, 32, 3)).astype("float32")
    y = np.arange(16) % 10
    return model, x, y


def _snapshot(model):
    return [np.array(v) for v in model.weights]


def _same(a, b):
    return all(np.array_equal(u, v) for u, v in zip(a, b))


def test_gradient_norms_match_a_hand_written_tape(tiny):
    model, x, y = tiny
    before = _snapshot(model)
    names, norms = analysis.gradient_norms(model, x, y)
    assert _same(before, _snapshot(model))  # BatchNorm statistics restored
    convs = [l for l in model.layers if isinstance(l, keras.layers.Conv2D)]
    assert names == [l.name for l in convs] and names[0] == "stem_conv"
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(
            y, model(x, training=True)))
    grads = tape.gradient(loss, [l.kernel for l in convs])
    np.testing.assert_allclose(norms, [np.linalg.norm(g) for g in grads], rtol=1e-4)
    for variable, value in zip(model.weights, before):
        variable.assign(value)


def test_interpolation_endpoints(tiny):
    model, x, y = tiny
    w0 = model.get_weights()
    w1 = [w + 0.01 * np.random.default_rng(1).standard_normal(w.shape).astype(w.dtype)
          if w.ndim > 1 else w for w in w0]
    alphas, losses = analysis.interpolate_loss(model, w0, w1, (x, y), steps=5, batchnorm="frozen")
    assert alphas.tolist() == [0, 0.25, 0.5, 0.75, 1.0]
    assert losses[0] == pytest.approx(analysis.evaluate_loss(model, x, y), rel=1e-5)
    model.set_weights(w1)
    assert losses[-1] == pytest.approx(analysis.evaluate_loss(model, x, y), rel=1e-5)
    model.set_weights(w0)
    with pytest.raises(ValueError, match="one array per model weight"):
        analysis.interpolate_loss(model, w0[:-1], w1, (x, y))


def test_direction_is_normalised_filter_by_filter(tiny):
    model, _, _ = tiny
    direction = analysis.filter_normalized_direction(model, seed=3)
    for variable, d in zip(model.trainable_weights, direction):
        w = np.asarray(variable)
        assert d.shape == w.shape
        if w.ndim < 2:
            assert not d.any()  # biases and BatchNorm parameters stay put
        else:
            axes = tuple(range(w.ndim - 1))
            np.testing.assert_allclose(np.sqrt((d**2).sum(axis=axes)),
                                       np.sqrt((w**2).sum(axis=axes)), rtol=1e-4)
    again = analysis.filter_normalized_direction(model, seed=3)
    assert all(np.array_equal(a, b) for a, b in zip(direction, again))


def test_surface_centre_is_the_model_loss_and_weights_are_restored(tiny):
    model, x, y = tiny
    before = _snapshot(model)
    alphas, betas, losses = analysis.loss_surface(model, (x, y), grid=3, span=0.5,
                                                  batchnorm="frozen")
    assert losses.shape == (3, 3) and alphas.tolist() == [-0.5, 0, 0.5]
    assert losses[1, 1] == pytest.approx(analysis.evaluate_loss(model, x, y), rel=1e-5)
    assert losses[0, 0] != pytest.approx(losses[1, 1])
    assert _same(before, _snapshot(model))
    with pytest.raises(ValueError, match="odd integer"):
        analysis.loss_surface(model, (x, y), grid=4)


def test_weights_are_restored_even_on_error(tiny, monkeypatch):
    model, x, y = tiny
    before = _snapshot(model)
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("interrupted")
        return 1.0

    monkeypatch.setattr(analysis, "evaluate_loss", failing)
    with pytest.raises(RuntimeError, match="interrupted"):
        analysis.loss_surface(model, (x, y), grid=3)
    assert _same(before, _snapshot(model))


def test_degradation_experiment_trains_then_reuses(tmp_path, capsys):
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, (64, 32, 32, 3), dtype=np.uint8)
    y = np.arange(64) % 10
    kwargs = dict(epochs=1, run_dir=tmp_path, batch_size=32, verbose=0, branch_scale=0.25)
    first = rh.degradation_experiment([8], (x, y), (x[:32], y[:32]), **kwargs)
    assert list(first) == ["plain8", "resnet8"]
    for name, r in first.items():
        assert len(r["history"]["accuracy"]) == 1 and r["depth"] == 8
        assert (tmp_path / name / "model.keras").exists()
        assert not all(np.array_equal(a, b) for a, b in zip(r["initial_weights"],
                                                            r["model"].get_weights()))
    # the ResNet's residual branches started at a quarter (branch_scale), the plain net's at 1
    for name, gamma in (("resnet8", 0.25), ("plain8", 1.0)):
        start = dict(zip([w.path for w in first[name]["model"].weights],
                         first[name]["initial_weights"]))
        np.testing.assert_array_equal(start["stage1_block1_bn2/gamma"], np.full(16, gamma))
    capsys.readouterr()
    again = rh.degradation_experiment([8], (x, y), (x[:32], y[:32]), **kwargs)
    assert "reusing the finished run" in capsys.readouterr().out
    assert again["plain8"]["history"] == first["plain8"]["history"]
    for a, b in zip(again["resnet8"]["initial_weights"], first["resnet8"]["initial_weights"]):
        np.testing.assert_array_equal(a, b)
    # the same settings on smaller images (lesson 05's IMAGE_SIZE) train anew, at that size
    small = rh.resize_images(x, 16)
    resized = rh.degradation_experiment([8], (small, y), (small[:32], y[:32]), **kwargs)
    assert "reusing" not in capsys.readouterr().out
    assert resized["plain8"]["model"].input_shape == (None, 16, 16, 3)


def test_recomputed_batchnorm_statistics_are_those_of_the_data(tiny):
    model, x, y = tiny
    bn = model.get_layer("stem_bn")
    momentum = bn.momentum
    with analysis.restored_weights(model):
        analysis.recompute_batchnorm_statistics(model, x, batch_size=16)
        stem_out = keras.Model(model.input, model.get_layer("stem_conv").output)(x)
        np.testing.assert_allclose(bn.moving_mean, np.mean(stem_out, axis=(0, 1, 2)),
                                   rtol=1e-4, atol=1e-4)
        assert bn.momentum == momentum  # restored
        # two batches of 8: the average of their statistics, not the last one's
        analysis.recompute_batchnorm_statistics(model, x, batch_size=8)
        halves = [np.mean(np.asarray(stem_out)[i:i + 8], axis=(0, 1, 2)) for i in (0, 8)]
        np.testing.assert_allclose(bn.moving_mean, np.mean(halves, axis=0), rtol=1e-4, atol=1e-4)
        # inference with recomputed statistics = training mode on the whole batch
        recomputed = analysis.evaluate_loss(model, x, y, batch_size=16, batchnorm="recompute")
        batch_mode = float(np.mean(keras.losses.sparse_categorical_crossentropy(
            y, model(x, training=True))))
        assert recomputed == pytest.approx(batch_mode, rel=1e-3)


def test_landscapes_recompute_batchnorm_by_default_and_restore_everything(tiny):
    model, x, y = tiny
    before = _snapshot(model)
    frozen = analysis.loss_surface(model, (x, y), grid=3, span=0.5, batchnorm="frozen")[2]
    recomputed = analysis.loss_surface(model, (x, y), grid=3, span=0.5)[2]
    assert _same(before, _snapshot(model))
    assert not np.allclose(frozen, recomputed)
    w0 = model.get_weights()
    _, line = analysis.interpolate_loss(model, w0, w0, (x, y), steps=3)
    assert np.allclose(line, line[0]) and line[0] == pytest.approx(recomputed[1, 1], rel=1e-4)
    with pytest.raises(ValueError, match="batchnorm must be one of"):
        analysis.evaluate_loss(model, x, y, batchnorm="train")


def test_relative_gradient_norms_divide_by_the_kernel_norm(tiny):
    model, x, y = tiny
    names, raw = analysis.gradient_norms(model, x, y)
    _, relative = analysis.gradient_norms(model, x, y, relative=True)
    kernels = [np.linalg.norm(model.get_layer(n).kernel) for n in names]
    np.testing.assert_allclose(relative, raw / np.array(kernels), rtol=1e-5)


def test_degradation_experiment_trains_pre_activation_blocks_on_request(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, (32, 16, 16, 3), dtype=np.uint8)
    y = np.arange(32) % 10
    result = rh.degradation_experiment([8], (x, y), (x, y), epochs=1, run_dir=tmp_path,
                                       batch_size=32, verbose=0, kinds=("preact",))
    assert list(result) == ["preact8"] and (tmp_path / "preact8" / "model.keras").exists()
    names = [layer.name for layer in result["preact8"]["model"].layers]
    assert "final_bn" in names and "stem_bn" not in names   # pre-activation: BN before convs
    with pytest.raises(ValueError, match="kinds must name some of"):
        rh.degradation_experiment([8], (x, y), (x, y), epochs=1, run_dir=tmp_path,
                                  kinds=("dense",))
