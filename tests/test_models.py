import keras
import numpy as np
import pytest

import resnet_helpers as rh


def test_simple_resnet_matches_origin_snippet():
    model = rh.build_simple_resnet()
    assert model.count_params() == 679_562
    assert model.output_shape == (None, 10)
    stages = [model.get_layer(f"stage{s}_block{b}_out").output.shape for s in (1, 2) for b in (1, 2)]
    assert stages == [(None, 32, 32, 64)] * 2 + [(None, 16, 16, 128)] * 2


@pytest.mark.parametrize("depth", [20, 32, 44, 56, 110])
def test_resnet_parameter_counts_match_paper(depth):
    for shortcut in ("padding", "projection"):
        params = rh.build_resnet(depth, shortcut=shortcut).count_params()
        assert abs(params - rh.PAPER_PARAMS[depth]) / rh.PAPER_PARAMS[depth] < 0.03, (depth, params)


def test_resnet20_layout():
    model = rh.build_resnet(20)
    convs = [l for l in model.layers if isinstance(l, keras.layers.Conv2D)]
    dense = [l for l in model.layers if isinstance(l, keras.layers.Dense)]
    assert len(convs) + len(dense) == 20  # 6n+2 weighted layers with n = 3
    for stage, (size, channels) in enumerate([(32, 16), (16, 32), (8, 64)], start=1):
        for block in range(1, 4):
            assert model.get_layer(f"stage{stage}_block{block}_out").output.shape == (
                None, size, size, channels)
    assert model.get_layer("logits").output.shape == (None, 10)


def test_outputs_are_probabilities_from_raw_pixels():
    model = rh.build_resnet(8)
    x = np.random.default_rng(0).integers(0, 256, (3, 32, 32, 3)).astype("float32")
    p = np.asarray(model(x))
    assert p.shape == (3, 10)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-5)
    assert (p >= 0).all()


def test_normalize_layer_standardises_cifar_statistics():
    model = rh.build_resnet(8)
    normalize = keras.Model(model.input, model.get_layer("normalize").output)
    images = np.broadcast_to(np.array(rh.CIFAR10_MEAN, "float32"), (1, 32, 32, 3))
    out = np.asarray(normalize(images))
    np.testing.assert_allclose(out, 0.0, atol=1e-4)


def test_plain_has_same_layers_but_no_shortcuts():
    res, plain = rh.build_resnet(20), rh.build_plain(20)
    assert plain.count_params() == res.count_params()  # option A shortcuts have no parameters
    assert not any(l.name.endswith("_add") for l in plain.layers)
    assert sum(l.name.endswith("_add") for l in res.layers) == 9


def test_preact_and_width():
    model = rh.build_resnet(20, preact=True, width=32)
    assert model.get_layer("stage3_block3_out").output.shape == (None, 8, 8, 128)
    assert "final_bn" in [l.name for l in model.layers]


@pytest.mark.parametrize("depth", [0, 19, 21, 51, "20"])
def test_invalid_depth_names_valid_ones(depth):
    with pytest.raises(ValueError, match=r"6n\+2.*20, 32, 44, 56, 110"):
        rh.build_resnet(depth)
    with pytest.raises(ValueError, match=r"6n\+2"):
        rh.build_plain(depth)


@pytest.mark.parametrize("kwargs,match", [
    (dict(input_shape=(32, 32)), "input_shape"), (dict(input_shape=(32, 32, 4)), "channels"),
    (dict(num_classes=1), "num_classes"), (dict(shortcut="identity"), "shortcut"),
    (dict(width=0), "width"),
])
def test_bad_model_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        rh.build_resnet(20, **kwargs)


def test_count_multiply_adds_by_hand():
    inputs = keras.Input((8, 8, 3))
    x = keras.layers.Conv2D(4, 3, padding="same")(inputs)             # 8·8·3·3·3·4 = 6912
    x = keras.layers.Conv2D(6, 1, strides=2)(x)                        # 4·4·1·1·4·6 = 384
    x = keras.layers.Conv2D(2, 3, padding="valid")(x)                  # 2·2·3·3·6·2 = 432
    x = keras.layers.Flatten()(x)
    outputs = keras.layers.Dense(5)(x)                                 # 8·5 = 40
    assert rh.count_multiply_adds(keras.Model(inputs, outputs)) == 6912 + 384 + 432 + 40


def test_snippet_costs_about_seven_resnet20s():
    ratio = rh.count_multiply_adds(rh.build_simple_resnet()) / rh.count_multiply_adds(
        rh.build_resnet(20))
    assert 6.5 < ratio < 7.5


def test_saved_model_round_trip_in_safe_mode(tmp_path):
    model = rh.build_resnet(8, shortcut="padding")
    x = np.random.default_rng(0).integers(0, 256, (2, 32, 32, 3)).astype("float32")
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras", safe_mode=True)
    np.testing.assert_allclose(loaded(x), model(x), atol=1e-6)


def test_tiny_model_overfits_one_batch():
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, (16, 32, 32, 3)).astype("float32")
    y = rng.integers(0, 10, 16)
    model = rh.build_resnet(8)
    model.compile(keras.optimizers.Adam(1e-2), "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(x, y, batch_size=16, epochs=40, verbose=0)
    assert history.history["loss"][-1] < 0.1 * history.history["loss"][0]
    assert history.history["accuracy"][-1] == 1.0


@pytest.mark.parametrize("name", ["resnet", "plain", "resnet9", "simple"])
def test_every_model_takes_num_classes_and_input_shape(name):
    model = rh.build_model(name, **({"depth": 8} if name in ("resnet", "plain") else {}),
                           num_classes=7, input_shape=(48, 40, 3))
    assert model.input_shape == (None, 48, 40, 3) and model.output_shape == (None, 7)
    x = np.random.default_rng(0).integers(0, 256, (2, 48, 40, 3)).astype("float32")
    np.testing.assert_allclose(np.asarray(model(x)).sum(axis=1), 1.0, rtol=1e-5)


def test_models_and_fastnet_do_not_import_each_other():
    import inspect

    from resnet_helpers.models import fastnet
    from resnet_helpers.models import parts as model_parts
    assert "from .models" not in inspect.getsource(fastnet)
    assert "from .models" not in inspect.getsource(model_parts)
    assert rh.build_model("resnet9", 16).name == "resnet9-w16"


def test_fine_tune_model_reuses_the_trained_weights_for_new_classes_and_sizes():
    keras.utils.set_random_seed(1)
    base = rh.build_resnet(8)
    base.get_layer("stem_bn").moving_mean.assign(np.full(16, 0.3, "float32"))  # not the default
    tuned = rh.fine_tune_model(base, 4, (48, 48, 3), seed=0)
    assert tuned.input_shape == (None, 48, 48, 3) and tuned.output_shape == (None, 4)
    assert [l.name for l in tuned.layers][-2:] == ["logits", "predictions"]
    # reference: the same architecture built directly for 48×48, weights copied by name
    reference = rh.build_resnet(8, input_shape=(48, 48, 3))
    for layer in reference.layers:
        if layer.name not in ("logits", "predictions") and layer.weights:
            layer.set_weights(base.get_layer(layer.name).get_weights())
    x = np.random.default_rng(0).integers(0, 256, (2, 48, 48, 3)).astype("float32")
    features = [keras.Model(m.inputs[0], m.get_layer("pool").output)(x) for m in (tuned, reference)]
    np.testing.assert_allclose(features[0], features[1], atol=1e-5)
    np.testing.assert_allclose(np.asarray(tuned(x)).sum(axis=1), 1.0, rtol=1e-5)
    # the same size keeps the input; freeze leaves only the new head trainable
    frozen = rh.fine_tune_model(base, 3, freeze=True)
    assert frozen.input_shape == (None, 32, 32, 3)
    assert {w.path.split("/")[0] for w in frozen.trainable_weights} == {"logits"}
    # only the classifier changed size: 64 features × (10 → 4 classes), plus biases
    assert rh.count_params(tuned) == rh.count_params(base) - 65 * 10 + 65 * 4


@pytest.mark.parametrize("kwargs,match", [
    (dict(num_classes=1), "num_classes"),
    (dict(num_classes=3, input_shape=(48, 48, 1)), "channels"),
    (dict(num_classes=3, features="stage3_block1_out"), "vector"),
    (dict(num_classes=3, features="nope"), "no feature layer named 'nope'"),
])
def test_fine_tune_model_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        rh.fine_tune_model(rh.build_resnet(8), **kwargs)


def test_fine_tune_the_shipped_network():
    base = rh.load_pretrained("resnet20")
    tuned = rh.fine_tune_model(base, 5, (40, 40, 3), seed=0)
    np.testing.assert_array_equal(tuned.get_layer("stage3_block3_conv2").kernel.numpy(),
                                  base.get_layer("stage3_block3_conv2").kernel.numpy())
    assert tuned.name == "resnet20-finetuned" and tuned.output_shape == (None, 5)
