"""Lesion study: a deleted block passes its input through exactly; the model is restored."""
import keras
import numpy as np
import pytest

import resnet_helpers as rh
from resnet_helpers.inspect.analysis import restored_weights


def _trained_like(model, seed=0):
    """Give BatchNorm non-trivial statistics and γ/β, as training would."""
    rng = np.random.default_rng(seed)
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            n = layer.gamma.shape[0]
            layer.gamma.assign(rng.uniform(0.5, 1.5, n).astype("float32"))
            layer.beta.assign(rng.normal(0, 0.2, n).astype("float32"))
            layer.moving_mean.assign(rng.normal(0, 0.5, n).astype("float32"))
            layer.moving_variance.assign(rng.uniform(0.5, 2.0, n).astype("float32"))
    return model


def _io(model, block, x):
    probe = keras.Model(model.input, [model.get_layer(f"{block}_conv1").input,
                                       model.get_layer(f"{block}_out").output])
    return [np.asarray(t) for t in probe(x, training=False)]


@pytest.mark.parametrize("build", [rh.build_resnet, rh.build_plain])
def test_a_deleted_block_passes_its_input_through(build):
    keras.utils.set_random_seed(0)
    model = _trained_like(build(14, width=4))
    x = np.random.default_rng(1).uniform(0, 255, (4, 32, 32, 3)).astype("float32")
    blocks = rh.removable_blocks(model)
    # 14 layers: 2 blocks per stage; the first block of stages 2 and 3 changes the shape
    assert blocks == ["stage1_block1", "stage1_block2", "stage2_block2", "stage3_block2"]
    before = [np.array(v) for v in model.weights]
    block_in, block_out = _io(model, "stage2_block2", x)
    assert np.abs(block_out - block_in).max() > 0.1          # intact: the block changes its input
    with restored_weights(model):
        rh.delete_block(model, "stage2_block2")
        block_in, block_out = _io(model, "stage2_block2", x)
        np.testing.assert_allclose(block_out, block_in, rtol=1e-4, atol=1e-4)
    assert all(np.array_equal(a, np.array(b)) for a, b in zip(before, model.weights))


def test_a_deleted_block_passes_its_input_through_with_frozen_batchnorm_scales():
    """ResNet-9 as lesson 03 trains it: its γ are non-trainable weights, and deleting a block
    must still zero the branch's last γ, not only β."""
    keras.utils.set_random_seed(0)
    model = _trained_like(rh.build_resnet9(4, whiten=True, bn_scale=False))
    assert not any("gamma" in v.path for v in model.trainable_weights)
    x = np.random.default_rng(1).uniform(0, 255, (4, 32, 32, 3)).astype("float32")
    assert rh.removable_blocks(model) == ["stage1_block1", "stage3_block1"]
    block_in, block_out = _io(model, "stage3_block1", x)
    assert np.abs(block_out - block_in).max() > 0.1
    with restored_weights(model):
        rh.delete_block(model, "stage3_block1")
        block_in, block_out = _io(model, "stage3_block1", x)
        np.testing.assert_allclose(block_out, block_in, rtol=1e-4, atol=1e-4)


def test_lesion_study_reports_every_block_and_restores_the_model():
    keras.utils.set_random_seed(0)
    model = _trained_like(rh.build_resnet(8, width=4))
    rng = np.random.default_rng(0)
    x, y = rng.uniform(0, 255, (20, 32, 32, 3)).astype("float32"), rng.integers(0, 10, 20)
    before = model.predict(x, verbose=0)
    result = rh.lesion_study(model, (x, y))
    assert list(result) == ["none", "stage1_block1"]
    assert result["none"] == pytest.approx(float((before.argmax(1) == y).mean()))
    np.testing.assert_array_equal(model.predict(x, verbose=0), before)


def test_lesion_errors_name_the_problem():
    model = rh.build_resnet(8, width=4)
    with pytest.raises(ValueError, match="keeps its input's shape"):
        rh.delete_block(model, "stage2_block1")          # downsampling block
    inputs = keras.Input((8, 8, 3))
    other = keras.Model(inputs, keras.layers.Conv2D(2, 3, name="c")(inputs))
    with pytest.raises(ValueError, match="block naming"):
        rh.removable_blocks(other)


def test_plot_lesion_draws_one_line_per_network_and_the_intact_levels():
    fig = rh.plot_lesion({"plain-14": {"none": 0.6, "b1": 0.1, "b2": 0.12},
                          "resnet-14": {"none": 0.62, "b1": 0.55, "b2": 0.6}})
    ax = fig.axes[0]
    lines = [l for l in ax.get_lines() if len(l.get_xdata()) == 2 and l.get_marker() == "o"]
    assert len(lines) == 2 and list(lines[1].get_ydata()) == [0.55, 0.6]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "plain-14, intact (60.0%)" in labels and "chance (10%)" in labels
