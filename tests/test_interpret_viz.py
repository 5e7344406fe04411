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


def _shortcut_arcs(fig):
    return sorted(a.get_gid() for a in fig.axes[0].texts if (a.get_gid() or "").startswith("shortcut:"))


def test_architecture_draws_shape_changing_shortcuts_differently():
    padded = rh.plot_architecture(rh.build_resnet(8))
    projected = rh.plot_architecture(rh.build_resnet(8, shortcut="projection"))
    assert _shortcut_arcs(padded) == ["shortcut:identity", "shortcut:padding", "shortcut:padding"]
    assert _shortcut_arcs(projected) == ["shortcut:identity"] + ["shortcut:projection"] * 2
    arcs = {a.get_gid(): a.arrow_patch for a in padded.axes[0].texts if a.get_gid()}
    identity, padding = arcs["shortcut:identity"], arcs["shortcut:padding"]
    assert identity.get_linestyle() != padding.get_linestyle()
    assert identity.get_edgecolor() != padding.get_edgecolor()
    words = [t.get_text() for t in padded.axes[0].texts]
    assert words.count("padding") == 2
    assert min(t.get_fontsize() for t in padded.axes[0].texts if t.get_text()) >= 8
    matplotlib.pyplot.close("all")


def test_per_class_legend_hides_no_bar_label():
    fig = rh.plot_per_class_accuracy(dict(zip(rh.CLASS_NAMES, np.linspace(0.5, 0.99, 10))), 0.8)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    legend = fig.axes[0].get_legend().get_window_extent(renderer)
    labels = [t.get_window_extent(renderer) for t in fig.axes[0].texts]
    assert len(labels) == 10 and not any(legend.overlaps(box) for box in labels)
    matplotlib.pyplot.close(fig)


def test_landscape_and_interpolation_axes_read_plainly():
    grid = np.linspace(-1, 1, 5)
    bowl = 0.3 + 40 * np.add.outer(grid ** 2, grid ** 2)
    fig = rh.plot_loss_surfaces({"a": (grid, grid, bowl), "b": (grid, grid, bowl / 2 + 0.1)})
    fig.canvas.draw()
    panels = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
    widths = [ax.get_position().width for ax in panels]
    assert len(panels) == 2 and widths[0] == pytest.approx(widths[1], rel=1e-3)
    bar = [ax for ax in fig.axes if ax.get_label() == "<colorbar>"][0]
    ticks = [t.get_text() for t in bar.get_yticklabels() if t.get_text()]
    assert ticks and all(float(t) == float(f"{float(t):.1g}") for t in ticks), ticks
    alphas = np.linspace(0, 1, 6)
    fig = rh.plot_interpolation({"plain": (alphas, 3.3 - 3 * alphas), "resnet": (alphas, 2 - alphas)})
    fig.canvas.draw()
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels() if t.get_text()]
    assert labels and not any("10^" in t or "\\times" in t or "×" in t for t in labels), labels
    matplotlib.pyplot.close("all")


def test_feature_maps_show_the_input_image(model, images):
    maps = rh.feature_maps(model, images, ["stem_relu", "stage3_block1_out"])
    fig = rh.plot_feature_maps(maps, image_index=1, channels=4, image=images[1])
    assert len(fig.axes) == 2 * 5 and fig.axes[0].get_title() == "input"
    shown = fig.axes[0].get_images()[0].get_array()
    np.testing.assert_allclose(shown, images[1] / 255, atol=1e-6)
    assert len(rh.plot_feature_maps(maps, channels=4).axes) == 2 * 4
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


# --- models that are not the course's: keras.applications and a small model of our own ---

@pytest.fixture(scope="module")
def applications():
    """ResNet50 (v1, shortcut first in each Add) and ResNet50V2, untrained, at 64×64 pixels."""
    keras.utils.set_random_seed(0)
    return {build.__name__: build(weights=None, input_shape=(64, 64, 3))
            for build in (keras.applications.ResNet50, keras.applications.ResNet50V2)}


def _foreign_model(zero_branch=False):
    """Other layer names, the shortcut passed first to Add, a separate Softmax layer."""
    inputs = keras.Input((32, 32, 3), name="pixels")
    x = keras.layers.Conv2D(8, 3, padding="same", activation="relu", name="first")(inputs)
    branch = keras.layers.Conv2D(8, 3, padding="same", name="branch_a",
                                 kernel_initializer="zeros" if zero_branch else "he_normal")(x)
    x = keras.layers.Add(name="merge")([x, branch])
    x = keras.layers.Conv2D(16, 3, strides=2, padding="same", activation="relu", name="down")(x)
    x = keras.layers.GlobalAveragePooling2D(name="gap")(x)
    x = keras.layers.Dense(4, name="scores")(x)
    return keras.Model(inputs, keras.layers.Softmax(name="probs")(x), name="mine")


@pytest.fixture
def big_images():
    return np.random.default_rng(1).integers(0, 256, (2, 64, 64, 3)).astype("float32")


def test_stage_outputs_of_other_models(applications):
    assert rh.stage_outputs(applications["ResNet50"]) == [
        "conv1_relu", "conv2_block3_out", "conv3_block4_out", "conv4_block6_out",
        "conv5_block3_out"]
    v2 = rh.stage_outputs(applications["ResNet50V2"])
    assert v2[-1] == "post_relu" and len(v2) == 5          # 32, 16, 8, 4, 2 pixels
    sizes = [applications["ResNet50V2"].get_layer(n).output.shape[1] for n in v2]
    assert sizes == [32, 16, 8, 4, 2]
    assert rh.stage_outputs(_foreign_model()) == ["merge", "down"]


def test_grad_cam_finds_the_scores_before_a_folded_softmax(applications, big_images):
    softmax = applications["ResNet50"]
    cam, info = rh.grad_cam(softmax, big_images[0], return_info=True)
    assert cam.shape == (64, 64) and 0 <= cam.min() and cam.max() == pytest.approx(1.0)
    assert info["layer"] == "conv5_block3_out" and "before its softmax" in info["scores"]
    # reference: the same network built to output its scores (no softmax), same weights
    linear = keras.applications.ResNet50(weights=None, input_shape=(64, 64, 3),
                                         classifier_activation=None)
    linear.set_weights(softmax.get_weights())
    ref, ref_info = rh.grad_cam(linear, big_images[0], class_index=info["class_index"],
                                return_info=True)
    assert "no softmax" in ref_info["scores"]
    np.testing.assert_allclose(cam, ref, atol=1e-4)
    # the explicit override uses the layer as it is (probabilities here) and says so
    _, given = rh.grad_cam(softmax, big_images[0], "conv4_block6_out", class_index=3,
                           score_layer="predictions", return_info=True)
    assert given["scores"].endswith("(score_layer given)") and given["class_index"] == 3
    assert "before its softmax" in rh.class_scores(applications["ResNet50V2"])[2]


def test_grad_cam_uses_the_input_of_a_softmax_layer(images):
    model = _foreign_model()
    found, info = rh.grad_cam(model, images[0], "merge", class_index=2, return_info=True)
    assert "input of the softmax layer 'probs'" in info["scores"]
    np.testing.assert_allclose(found, rh.grad_cam(model, images[0], "merge", class_index=2,
                                                  score_layer="scores"), atol=1e-6)


def _classic_keras_cifar_resnet():
    """The keras.io CIFAR ResNet layout: its head pools 8×8 maps with AveragePooling2D and
    Flatten, so the last 4-D output is a 1×1 "map" (no course layer names)."""
    keras.utils.set_random_seed(0)
    inputs = keras.Input((32, 32, 3))
    x = keras.layers.Conv2D(8, 3, padding="same", activation="relu", name="conv_a")(inputs)
    y = keras.layers.Conv2D(8, 3, padding="same", activation="relu", name="conv_b")(x)
    x = keras.layers.Add(name="add")([x, y])
    x = keras.layers.Conv2D(16, 3, strides=4, padding="same", activation="relu", name="conv_c")(x)
    x = keras.layers.AveragePooling2D(pool_size=8, name="avg_pool")(x)
    x = keras.layers.Flatten(name="flatten")(x)
    return keras.Model(inputs, keras.layers.Dense(10, activation="softmax", name="probs")(x))


def test_grad_cam_never_defaults_to_a_pooled_1x1_layer(images):
    model = _classic_keras_cifar_resnet()
    assert tuple(model.get_layer("avg_pool").output.shape[1:3]) == (1, 1)
    assert rh.stage_outputs(model) == ["add", "conv_c"]   # the pooled layer is no feature map
    heatmap, info = rh.grad_cam(model, images[0], return_info=True)
    assert info["layer"] == "conv_c" and heatmap.shape == (32, 32)
    assert heatmap.max() - heatmap.min() > 0.1, "an 8×8 map varies over the image"
    with pytest.raises(ValueError, match=r"'avg_pool' outputs a 1×1 map.*'conv_c'"):
        rh.grad_cam(model, images[0], "avg_pool")


def test_residual_ratios_tell_branch_from_shortcut(applications, big_images, images):
    pairs = rh.residual_pairs(applications["ResNet50"])
    assert len(pairs) == 16
    assert pairs["conv2_block1"] == ("conv2_block1_3_bn", "conv2_block1_0_bn")  # projection
    assert pairs["conv2_block2"] == ("conv2_block2_3_bn", "conv2_block1_out")   # identity
    v2 = applications["ResNet50V2"]
    v2_pairs = rh.residual_pairs(v2)
    assert v2_pairs["conv2_block2_out"] == ("conv2_block2_3_conv", "conv2_block1_out")
    assert isinstance(v2.get_layer(v2_pairs["conv2_block3_out"][1]), keras.layers.MaxPooling2D)
    ratios = rh.residual_ratios(applications["ResNet50"], big_images)
    assert list(ratios) == list(pairs) and all(np.isfinite(r) and r > 0 for r in ratios.values())
    # a zero branch passed second-to-Add after the shortcut: the ratio is 0, not ‖x‖/0
    assert rh.residual_ratios(_foreign_model(zero_branch=True), images) == {
        "merge": pytest.approx(0.0, abs=1e-6)}
    assert rh.residual_pairs(_foreign_model()) == {"merge": ("branch_a", "first")}


def test_helpers_refuse_models_without_a_layer_graph(images):
    class Subclassed(keras.Model):
        def __init__(self):
            super().__init__()
            self.conv = keras.layers.Conv2D(4, 3)

        def call(self, x):
            return self.conv(x)

    subclassed = Subclassed()
    subclassed(images)
    unbuilt = keras.Sequential([keras.layers.Conv2D(4, 3)])
    for model in (subclassed, unbuilt):
        with pytest.raises(ValueError, match="no layer graph.*functional"):
            rh.grad_cam(model, images[0], "conv")
        with pytest.raises(ValueError, match="no layer graph"):
            rh.stage_outputs(model)
        with pytest.raises(ValueError, match="no layer graph"):
            rh.residual_ratios(model, images)
    built = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Conv2D(4, 3, name="c"),
                              keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(3)])
    assert rh.grad_cam(built, images[0], "c").shape == (32, 32)   # built on an Input: fine


def test_plots_of_other_models(applications, big_images, tmp_path):
    model = applications["ResNet50"]
    maps = rh.feature_maps(model, big_images, rh.stage_outputs(model)[:3])
    cams = [rh.grad_cam(model, image) for image in big_images]
    names = ["cats", "dogs", "owls", "pigs", "yaks"]
    figs = [rh.plot_feature_maps(maps),
            rh.plot_grad_cam(big_images, cams, ["a", "b"]),
            rh.plot_residual_ratios(rh.residual_ratios(model, big_images[:1])),
            rh.plot_filters(np.asarray(model.get_layer("conv1_conv").kernel)),
            rh.plot_architecture(_foreign_model()),
            rh.plot_confusion_matrix(np.eye(5) * 3 + 1, names),
            rh.show_predictions(big_images, [0, 4], np.eye(5)[[1, 4]], class_names=names)]
    for i, fig in enumerate(figs):
        assert rh.course.save_figure(fig, tmp_path, f"f{i}").stat().st_size > 1000
    labels = [t.get_text() for t in figs[5].axes[0].get_xticklabels()]
    assert labels == names
    with pytest.raises(ValueError, match="one name per class"):
        rh.plot_confusion_matrix(np.eye(5), rh.CLASS_NAMES)
    matplotlib.pyplot.close("all")


def test_history_of_one_epoch_has_one_whole_epoch_tick():
    fig = rh.plot_history({"loss": [2.4], "val_loss": [3.0], "accuracy": [.16],
                           "val_accuracy": [.12]})
    assert [list(ax.get_xticks()) for ax in fig.axes] == [[1], [1]]


def test_plot_curves_draws_one_line_per_run_and_chance():
    fig = rh.plot_curves({"a": [0.2, 0.4, 0.5], "b": [0.3, 0.6]}, "validation accuracy", chance=0.2)
    ax = fig.axes[0]
    assert [line.get_label() for line in ax.get_lines()] == ["a", "b", "chance"]
    np.testing.assert_allclose(ax.get_lines()[1].get_xdata(), [1, 2])  # epochs count from 1
    assert ax.get_ylabel() == "validation accuracy"
    with pytest.raises(ValueError, match="non-empty list of values per epoch"):
        rh.plot_curves({"a": []}, "loss")
    matplotlib.pyplot.close("all")


def test_plot_filters_frames_the_labelled_filters():
    kernel = np.random.default_rng(0).normal(size=(3, 3, 3, 4))
    fig = rh.plot_filters(kernel, labels=["edge", "", "colour", "edge"])
    titles = [ax.get_title() for ax in fig.axes[:4]]
    assert titles == ["0 edge", "1", "2 colour", "3 edge"]
    framed = [ax.spines["top"].get_visible() and ax.axison for ax in fig.axes[:4]]
    assert framed == [True, False, True, True]
    edge_colours = {ax.get_title(): ax.spines["top"].get_edgecolor() for ax in fig.axes[:4]}
    assert edge_colours["0 edge"] == edge_colours["3 edge"] != edge_colours["2 colour"]
    with pytest.raises(ValueError, match="one entry per filter: 4 filters, 3 labels"):
        rh.plot_filters(kernel, labels=["a", "b", "c"])
    matplotlib.pyplot.close("all")


def test_plot_grad_cam_draws_cell_borders_and_a_colour_bar(images):
    maps = [np.linspace(0, 1, 32 * 32).reshape(32, 32)] * 2
    fig = rh.plot_grad_cam(images[:2], maps, ["a", "b"], cells=(4, 4))
    first = fig.axes[0]
    assert len(first.lines) == 6  # 3 inner borders each way between 4×4 cells
    assert any(ax.get_ylabel().startswith("Grad-CAM") for ax in fig.axes)  # the colour bar
    plain = rh.plot_grad_cam(images[:2], maps, ["a", "b"])
    assert len(plain.axes[0].lines) == 0
    with pytest.raises(ValueError, match="one heatmap and one title per image"):
        rh.plot_grad_cam(images[:2], maps[:1], ["a", "b"])
    matplotlib.pyplot.close("all")
