import keras
import numpy as np
import pytest

import resnet_helpers as rh


def _run_block(block, input_shape=(8, 8, 16), **kwargs):
    inputs = keras.Input(input_shape)
    model = keras.Model(inputs, block(inputs, **kwargs))
    return model


@pytest.mark.parametrize("stride,filters,out", [(1, 16, (8, 8, 16)), (2, 32, (4, 4, 32)),
                                                (1, 32, (8, 8, 32))])
@pytest.mark.parametrize("shortcut", ["projection", "padding"])
@pytest.mark.parametrize("preact", [False, True])
def test_residual_block_output_shape(stride, filters, out, shortcut, preact):
    model = _run_block(rh.residual_block, filters=filters, stride=stride, shortcut=shortcut,
                       preact=preact, name="b")
    assert model.output_shape == (None, *out)
    y = model(np.random.rand(2, 8, 8, 16).astype("float32"))
    assert y.shape == (2, *out)


def test_layer_names_are_predictable():
    model = _run_block(rh.residual_block, filters=32, stride=2, name="stage2_block1")
    names = {layer.name for layer in model.layers}
    for suffix in ["conv1", "bn1", "relu1", "conv2", "bn2", "shortcut_conv", "shortcut_bn",
                   "add", "out"]:
        assert f"stage2_block1_{suffix}" in names
    pad = _run_block(rh.residual_block, filters=32, stride=2, shortcut="padding", name="s")
    assert "s_shortcut_pad" in {layer.name for layer in pad.layers}


def test_identity_shortcut_has_no_projection():
    model = _run_block(rh.residual_block, filters=16, name="b")
    assert not any("shortcut" in layer.name for layer in model.layers)


def test_parameter_counts_of_projection_and_padding():
    # conv1 3·3·16·32 + 32 bias, conv2 3·3·32·32 + 32, two BNs 4·32 each, projection 16·32 + 32
    # and its BN 4·32
    expected_branch = (3 * 3 * 16 * 32 + 32) + (3 * 3 * 32 * 32 + 32) + 2 * 4 * 32
    proj = _run_block(rh.residual_block, filters=32, stride=2, name="b")
    pad = _run_block(rh.residual_block, filters=32, stride=2, shortcut="padding", name="b")
    assert pad.count_params() == expected_branch
    assert proj.count_params() == expected_branch + (16 * 32 + 32) + 4 * 32


def test_padding_shortcut_is_strided_identity_with_zero_channels():
    x = np.random.rand(2, 8, 8, 16).astype("float32")
    y = np.asarray(rh.ChannelPadShortcut(32, 2)(x))
    assert y.shape == (2, 4, 4, 32)
    np.testing.assert_allclose(y[..., 8:24], x[:, ::2, ::2, :])
    assert not y[..., :8].any() and not y[..., 24:].any()


def test_zero_branch_scale_block_is_relu_of_input():
    model = _run_block(rh.residual_block, filters=16, branch_scale=0, name="b")
    x = np.random.randn(4, 8, 8, 16).astype("float32")
    np.testing.assert_allclose(model(x, training=False), np.maximum(x, 0), atol=1e-6)
    np.testing.assert_allclose(model(x, training=True), np.maximum(x, 0), atol=1e-6)


def test_zero_branch_scale_preact_block_is_identity():
    model = _run_block(rh.residual_block, filters=16, branch_scale=0, preact=True, name="b")
    x = np.random.randn(4, 8, 8, 16).astype("float32")
    np.testing.assert_allclose(model(x), x, atol=1e-6)


def test_branch_scale_scales_the_residual_branch_at_initialisation():
    x = np.random.randn(4, 8, 8, 16).astype("float32")
    full = _run_block(rh.residual_block, filters=16, name="b")
    quarter = _run_block(rh.residual_block, filters=16, branch_scale=0.25, name="b")
    np.testing.assert_array_equal(quarter.get_layer("b_bn2").gamma.numpy(), np.full(16, 0.25))
    for layer in full.layers:
        if layer.weights and layer.name != "b_bn2":
            quarter.get_layer(layer.name).set_weights(layer.get_weights())
    # the branch before the add is exactly a quarter of He et al.'s (BN in training mode)
    branch = lambda m: keras.Model(m.input, m.get_layer("b_add").input[0])(x, training=True)
    np.testing.assert_allclose(branch(quarter), 0.25 * np.asarray(branch(full)), rtol=1e-5,
                               atol=1e-5)
    bottleneck = _run_block(rh.bottleneck_block, input_shape=(8, 8, 64), filters=16,
                            branch_scale=0.5, name="n")
    np.testing.assert_array_equal(bottleneck.get_layer("n_bn3").gamma.numpy(), np.full(64, 0.5))


def test_branch_scale_preact_scales_the_last_kernel():
    keras.utils.set_random_seed(0)
    big = _run_block(rh.residual_block, filters=64, input_shape=(8, 8, 64), preact=True, name="b")
    small = _run_block(rh.residual_block, filters=64, input_shape=(8, 8, 64), preact=True,
                       branch_scale=0.25, name="b")
    std = lambda m: float(np.std(m.get_layer("b_conv2").kernel.numpy()))
    assert std(small) / std(big) == pytest.approx(0.25, rel=0.05)


@pytest.mark.parametrize("bad", [-0.5, float("nan"), float("inf"), "small", True, None])
def test_branch_scale_must_be_a_non_negative_number(bad):
    with pytest.raises(ValueError, match="branch_scale must be a number >= 0"):
        _run_block(rh.residual_block, filters=16, branch_scale=bad, name="b")


def test_plain_block_differs_from_residual_with_same_weights():
    x = np.random.randn(2, 8, 8, 16).astype("float32")
    plain = _run_block(rh.plain_block, filters=16, name="b")
    res = _run_block(rh.residual_block, filters=16, name="b")
    for layer in plain.layers:
        if layer.weights:
            res.get_layer(layer.name).set_weights(layer.get_weights())
    assert not any(layer.name.endswith("_add") for layer in plain.layers)
    # the residual output is ReLU(branch + x), the plain output ReLU(branch): they differ by x
    branch = keras.Model(res.inputs[0], res.get_layer("b_bn2").output)(x)
    np.testing.assert_allclose(plain(x), np.maximum(branch, 0), atol=1e-5)
    np.testing.assert_allclose(res(x), np.maximum(branch + x, 0), atol=1e-5)


def test_bottleneck_block_expands_channels():
    model = _run_block(rh.bottleneck_block, filters=8, stride=2, name="b")
    assert model.output_shape == (None, 4, 4, 32)
    assert [l.name for l in model.layers if isinstance(l, keras.layers.Conv2D)] == [
        "b_conv1", "b_conv2", "b_conv3", "b_shortcut_conv"]


@pytest.mark.parametrize("kwargs,match", [
    (dict(filters=0), "filters"), (dict(filters=16, stride=3), "stride"),
    (dict(filters=16, shortcut="magic"), "shortcut"),
    (dict(filters=8, shortcut="padding"), "projection"),
])
def test_block_rejects_bad_arguments(kwargs, match):
    inputs = keras.Input((8, 8, 16))
    with pytest.raises(ValueError, match=match):
        rh.residual_block(inputs, **kwargs)


def test_block_rejects_wrong_rank():
    with pytest.raises(ValueError, match="4-D"):
        rh.residual_block(keras.Input((8, 16)), 16)
