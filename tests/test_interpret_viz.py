import keras
import matplotlib
import numpy as np
import pytest

import resnet_helpers as rh

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def model():
    keras.utils.set_random_seed(0)
    return rh.build_resnet(8)


@pytest.fixture
def images():
    return np.random.default_rng(0).integers(0, 256, (3, 32, 32, 3)).astype("float32")


def test_stage_outputs_and_feature_maps(model, images):
    names = rh.stage_outputs(model)
    assert names == ["stem_relu", "stage1_block1_out", "stage2_block1_out", "stage3_block1_out"]
    maps = rh.feature_maps(model, images, names)
    assert [m.shape for m in maps.values()] == [(3, 32, 32, 16), (3, 32, 32, 16),
                                                (3, 16, 16, 32), (3, 8, 8, 64)]
    assert all((m >= 0).all() for m in maps.values())  # after ReLUs
    single = rh.feature_maps(model, images[0], ["stem_relu"])["stem_relu"]
    np.testing.assert_allclose(single[0], maps["stem_relu"][0], atol=1e-5)


def test_unknown_layer_lists_valid_names(model, images):
    with pytest.raises(ValueError, match=r"no layer named 'stage9'.*stage1_block1_out"):
        rh.feature_maps(model, images, ["stage9"])
    with pytest.raises(ValueError, match=r"no layer named 'nope'.*stem_conv"):
        rh.grad_cam(model, images[0], "nope")


def test_grad_cam_shape_range_and_reference(model, images):
    cam = rh.grad_cam(model, images[0], "stage3_block1_out", class_index=3)
    assert cam.shape == (32, 32) and cam.min() >= 0 and cam.max() <= 1
    # reference: the same computation written out with a GradientTape
    import tensorflow as tf
    probe = keras.Model(model.input, [model.get_layer("stage3_block1_out").output,
                                      model.get_layer("logits").output])
    with tf.GradientTape() as tape:
        act, logits = probe(images[:1], training=False)
        score = logits[0, 3]
    g = tape.gradient(score, act)[0].numpy()
    raw = np.maximum((act[0].numpy() * g.mean(axis=(0, 1))).sum(-1), 0)
    small = tf.image.resize(cam[..., None], (8, 8), method="area")[..., 0].numpy()
    if raw.max() > 0:
        assert np.corrcoef(small.ravel(), (raw / raw.max()).ravel())[0, 1] > 0.9
    with pytest.raises(ValueError, match="class_index"):
        rh.grad_cam(model, images[0], "stage3_block1_out", class_index=10)
    with pytest.raises(ValueError, match="convolutional"):
        rh.grad_cam(model, images[0], "logits")
    with pytest.raises(ValueError, match="one image"):
        rh.grad_cam(model, images, "stage3_block1_out")


def test_residual_ratios_zero_for_zero_branches(images):
    zero = rh.build_resnet(8, branch_scale=0)
    ratios = rh.residual_ratios(zero, images)
    assert list(ratios) == ["stage1_block1", "stage2_block1", "stage3_block1"]
    assert all(r == pytest.approx(0.0, abs=1e-6) for r in ratios.values())
    assert all(r > 0.1 for r in rh.residual_ratios(rh.build_resnet(8), images).values())
    with pytest.raises(ValueError, match="no residual additions"):
        rh.residual_ratios(rh.build_plain(8), images)


def test_plots_return_figures(model, images, tmp_path):
    figs = [
        rh.show_images(images.astype("uint8"), [0, 1, 2]),
        rh.plot_history({"loss": [2, 1], "val_loss": [2.1, 1.5], "accuracy": [.3, .5],
                         "val_accuracy": [.2, .4]}),
        rh.plot_confusion_matrix(np.eye(10) * 5 + 1),
        rh.plot_per_class_accuracy(dict(zip(rh.CLASS_NAMES, np.linspace(0.5, 0.9, 10))), 0.7),
        rh.show_predictions(images, [0, 1, 2], np.eye(10)[[1, 2, 3]]),
        rh.plot_feature_maps(rh.feature_maps(model, images, ["stem_relu", "stage3_block1_out"])),
        rh.plot_filters(np.asarray(model.get_layer("stem_conv").kernel)),
        rh.plot_grad_cam(images[:2], [np.zeros((32, 32)), np.ones((32, 32))], ["a", "b"]),
        rh.plot_residual_ratios({"a": 0.5, "b": 1.2}),
        rh.plot_architecture(model),
    ]
    for i, fig in enumerate(figs):
        assert isinstance(fig, matplotlib.figure.Figure)
        path = rh.course.save_figure(fig, tmp_path, f"f{i}")
        assert path.stat().st_size > 1000
    matplotlib.pyplot.close("all")


@pytest.mark.parametrize("call,match", [
    (lambda: rh.show_images(np.zeros((32, 32, 3))), "images must be"),
    (lambda: rh.plot_history({"acc": [1]}), "'loss'"),
    (lambda: rh.plot_confusion_matrix(np.zeros((3, 4))), "square"),
    (lambda: rh.plot_filters(np.zeros((3, 3, 16, 8))), "kernel"),
])
def test_plot_input_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()
