"""The fast network (ResNet-9), mixed precision, the backend-neutral recipe, and the shipped
pretrained checkpoint."""
import json
import shutil
from pathlib import Path

import keras
import numpy as np
import pytest

import resnet_helpers as rh
from resnet_helpers.models import pretrained

ROOT = Path(__file__).resolve().parents[1]


def resnet9_param_count(w: int, classes: int = 10) -> int:
    """Page's ResNet-9 by hand: 3×3 convolutions without bias, 4 BN numbers per channel."""
    convs = [(3, w), (w, 2 * w), (2 * w, 2 * w), (2 * w, 2 * w), (2 * w, 4 * w), (4 * w, 8 * w),
             (8 * w, 8 * w), (8 * w, 8 * w)]
    conv = sum(9 * cin * cout for cin, cout in convs)
    bn = 4 * sum(cout for _, cout in convs)
    return conv + bn + 8 * w * classes + classes  # normalisation constants are not weights


@pytest.mark.parametrize("width", [16, 64])
def test_resnet9_counts_and_shapes(width):
    model = rh.build_resnet9(width)
    assert model.count_params() == resnet9_param_count(width)
    assert model.name == ("resnet9" if width == 64 else f"resnet9-w{width}")
    names = rh.stage_outputs(model)
    assert names == ["stem_relu", "stage1_block1_out", "stage2_relu", "stage3_block1_out"]
    maps = rh.feature_maps(model, np.zeros((2, 32, 32, 3), "uint8"), names)
    assert [m.shape[1:] for m in maps.values()] == [
        (32, 32, width), (16, 16, 2 * width), (8, 8, 4 * width), (4, 4, 8 * width)]
    probs = model.predict(np.random.default_rng(0).integers(0, 256, (3, 32, 32, 3)), verbose=0)
    assert probs.shape == (3, 10) and np.allclose(probs.sum(1), 1, atol=1e-5)


def test_resnet9_page_size_and_build_model():
    assert rh.build_resnet9(64).count_params() == 6_577_610  # Page (2018): "6.5M parameters"
    assert rh.build_model("resnet9", width=16).name == "resnet9-w16"
    w = 32  # multiply-adds by hand: pixels × 9 × c_in × c_out per 3×3 convolution
    by_hand = (1024 * 9 * 3 * w + 1024 * 9 * w * 2 * w + 2 * 256 * 9 * (2 * w) ** 2
               + 256 * 9 * 2 * w * 4 * w + 64 * 9 * 4 * w * 8 * w + 2 * 16 * 9 * (8 * w) ** 2
               + 8 * w * 10)
    assert rh.count_multiply_adds(rh.build_resnet9(w)) == by_hand


@pytest.mark.parametrize("kwargs, words", [
    ({"width": 0}, "width must be a positive integer"),
    ({"width": True}, "width must be a positive integer"),
    ({"input_shape": (36, 36, 3)}, "divisible by 8"),
    ({"whiten": 3}, "even number of filters from 2 to 24"),
    ({"whiten": 26}, "even number of filters from 2 to 24"),
    ({"stem_stride": 2}, "stem_stride must be 1, or 2 with a whitened stem"),
    ({"whiten": True, "stem_stride": 3}, "stem_stride must be 1, or 2 with a whitened stem"),
    ({"stem": False, "whiten": True}, "with stem=False leave them at False and 1"),
    ({"stem": False, "stem_stride": 2}, "with stem=False leave them at False and 1"),
])
def test_resnet9_bad_arguments(kwargs, words):
    with pytest.raises(ValueError, match=words):
        rh.build_resnet9(**kwargs)


@pytest.mark.parametrize("width, filters", [(16, 16), (32, 24), (7, 6)])
def test_whitened_stem_is_a_frozen_2x2_convolution(width, filters):
    model = rh.build_resnet9(width, whiten=True)
    stem = model.get_layer("stem_conv")
    assert tuple(stem.kernel.shape) == (2, 2, 3, filters) and not stem.trainable
    assert model.get_layer("stage1_conv").kernel.shape[2] == filters
    strided = rh.build_resnet9(width, whiten=True, stem_stride=2)
    assert strided.get_layer("stem_conv").output.shape[1:3] == (16, 16)
    assert "stage1_pool" not in [layer.name for layer in strided.layers]
    assert strided.get_layer("stage1_block1_out").output.shape[1:3] == (16, 16)


def test_frozen_batchnorm_scales_keep_gamma_but_do_not_train_it():
    """bn_scale=False: every γ stays (at 1, or branch_scale) as a non-trainable weight; β and
    everything else still train, so the trainable count drops by exactly the BN channels."""
    w = 16
    model = rh.build_resnet9(w, bn_scale=False, branch_scale=0.5)
    bns = [layer for layer in model.layers if isinstance(layer, keras.layers.BatchNormalization)]
    channels = sum(layer.gamma.shape[0] for layer in bns)
    assert channels == w + 2 * w * 3 + 4 * w + 8 * w * 3
    trainable = sum(int(np.prod(v.shape)) for v in model.trainable_weights)
    assert model.count_params() == resnet9_param_count(w)
    assert trainable == resnet9_param_count(w) - 3 * channels     # γ, mean, variance per channel
    assert not any("gamma" in v.path for v in model.trainable_weights)
    assert np.all(np.asarray(model.get_layer("stage1_block1_bn2").gamma) == 0.5)
    model.compile(optimizer=keras.optimizers.SGD(0.5), loss="sparse_categorical_crossentropy")
    x = np.random.default_rng(0).uniform(0, 255, (8, 32, 32, 3)).astype("float32")
    gammas = [np.array(layer.gamma) for layer in bns]
    betas = [np.array(layer.beta) for layer in bns]
    model.fit(x, np.arange(8) % 10, epochs=1, verbose=0)
    assert all(np.array_equal(g, np.array(layer.gamma)) for g, layer in zip(gammas, bns))
    assert any(not np.array_equal(b, np.array(layer.beta)) for b, layer in zip(betas, bns))


def test_resnet9_without_stem_reads_the_image_with_stage1():
    """stem=False: the first convolution is stage 1's (2w filters over the 3 colour channels,
    pooled at once); every other layer is unchanged, so the count loses exactly the stem's
    convolution and BatchNorm and stage 1's convolution gains 3 input channels instead of w."""
    w = 16
    model = rh.build_resnet9(w, stem=False)
    names = [layer.name for layer in model.layers]
    assert not [n for n in names if n.startswith("stem")]
    assert model.get_layer("stage1_conv").input.shape[1:] == (32, 32, 3)
    assert tuple(model.get_layer("stage1_conv").kernel.shape) == (3, 3, 3, 2 * w)
    assert model.get_layer("stage1_pool").output.shape[1:] == (16, 16, 2 * w)
    stem_weights = 9 * 3 * w + 4 * w                    # the stem's convolution and BatchNorm
    stage1_change = 9 * (3 - w) * 2 * w                  # stage 1 now reads 3 channels, not w
    assert model.count_params() == resnet9_param_count(w) - stem_weights + stage1_change
    assert rh.stage_outputs(model)[-1] == "stage3_block1_out"


def test_fit_whitening_decorrelates_image_patches():
    """After fit_whitening, the stem's ± filter pairs respond to 2×2 patches with unit variance
    and no correlation (the whitening), the strongest directions first."""
    rng = np.random.default_rng(0)
    smooth = rng.normal(size=(400, 8, 8, 3)).cumsum(1).cumsum(2)        # correlated pixels
    images = (128 + 10 * smooth[:, :, :, [0, 0, 0]] + 5 * rng.normal(size=smooth.shape))
    model = rh.build_resnet9(8, input_shape=(8, 8, 3), whiten=8)
    values = rh.fit_whitening(model, images, epsilon=0.0)
    assert values.shape == (12,) and np.all(np.diff(values) <= 0)
    normalised = keras.ops.convert_to_numpy(model.get_layer("normalize")(images.astype("float32")))
    kernel = model.get_layer("stem_conv").get_weights()[0].reshape(12, 8)
    patches = np.stack([normalised[:, i:7 + i, j:7 + j] for i in range(2) for j in range(2)], 3)
    responses = patches.reshape(-1, 12) @ kernel[:, :4]                 # the + half of the pairs
    assert np.allclose(np.cov(responses, rowvar=False), np.eye(4), atol=0.05)
    assert np.allclose(kernel[:, 4:], -kernel[:, :4])
    with pytest.raises(ValueError, match="at least 100 RGB images"):
        rh.fit_whitening(model, images[:10])
    with pytest.raises(ValueError, match="must be a 2×2 convolution over 3 channels"):
        rh.fit_whitening(rh.build_resnet9(8, input_shape=(8, 8, 3)), images)


def test_mixed_precision_keeps_softmax_float32():
    try:
        keras.mixed_precision.set_global_policy("mixed_bfloat16")
        model = rh.build_resnet9(16)
        assert model.get_layer("stage1_conv").compute_dtype == "bfloat16"
        assert model.get_layer("stage1_conv").kernel.dtype == "float32"
        out = model(np.zeros((2, 32, 32, 3), "float32"), training=False)
        assert keras.backend.standardize_dtype(out.dtype) == "float32"
    finally:
        keras.mixed_precision.set_global_policy("float32")


def test_pick_precision_matches_the_hardware():
    import tensorflow as tf

    choice = rh.pick_precision()
    assert choice in ("float32", "mixed_bfloat16", "mixed_float16")
    if not tf.config.list_physical_devices("GPU"):
        amx = rh.cpu_bfloat16_units() == "amx"  # honours ONEDNN_MAX_CPU_ISA
        assert choice == ("mixed_bfloat16" if amx else "float32")


def test_pretrained_resnet20_loads_verified():
    entry = rh.pretrained_manifest()["resnet20"]
    path = pretrained.PRETRAINED_DIR / entry["file"]
    assert path.stat().st_size <= 2 * 1024 * 1024 and path.stat().st_size == entry["bytes"]
    model = rh.load_pretrained("resnet20")
    assert model.name == "resnet20" and model.count_params() == 271_098
    assert getattr(model, "optimizer", None) is None  # shipped without optimizer state
    assert model.get_layer("stage1_block1_conv1").compute_dtype == "float32"
    probs = model.predict(np.full((2, 32, 32, 3), 128, "uint8"), verbose=0)
    assert probs.shape == (2, 10) and np.allclose(probs.sum(1), 1, atol=1e-5)


def test_pretrained_refuses_unknown_missing_and_modified(tmp_path, monkeypatch):
    with pytest.raises(ValueError, match=r"No pretrained model 'resnet57'.*\['resnet20'\]"):
        rh.load_pretrained("resnet57")
    with pytest.raises(ValueError, match=r"'resnet56' is planned but not shipped yet; shipped: "
                                         r"\['resnet20'\]\. Train it with `.*paper_table6\.py"):
        rh.load_pretrained("resnet56")
    copy = tmp_path / "pretrained"
    shutil.copytree(pretrained.PRETRAINED_DIR, copy)
    monkeypatch.setattr(pretrained, "PRETRAINED_DIR", copy)
    data = bytearray((copy / "resnet20.keras").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (copy / "resnet20.keras").write_bytes(bytes(data))
    with pytest.raises(ValueError, match="corrupt or was modified.*not loaded"):
        rh.load_pretrained("resnet20")
    (copy / "resnet20.keras").unlink()
    with pytest.raises(FileNotFoundError, match="missing from this installation"):
        rh.load_pretrained("resnet20")


@pytest.mark.parametrize("name", rh.shipped_pretrained())
def test_pretrained_accuracy_remeasured(real_cifar10, name):
    """Each shipped network's test accuracy in the manifest, measured again here (on the CPU,
    with TensorFlow)."""
    (_, _), (x_test, y_test) = real_cifar10
    entry = rh.pretrained_manifest()[name]
    probs = rh.predict_probabilities(rh.load_pretrained(name), x_test, batch_size=500)
    accuracy = float((probs.argmax(1) == y_test.reshape(-1)).mean())
    assert len(x_test) == entry["test_images"] == 10_000
    assert accuracy == pytest.approx(entry["test_accuracy"], abs=0.003), accuracy


def _tiny_zoo(folder: Path, names=("plain8", "resnet8")) -> dict:
    """A model zoo of tiny float16 stand-ins in ``folder``, with its manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest = {"resnet20": {**rh.pretrained_manifest()["resnet20"], "status": "pending",
                             "file": None, "command": "python benchmarks/paper_table6.py"}}
    for name in names:
        kind, depth = name.rstrip("0123456789"), int(name[len(name.rstrip("0123456789")):])
        keras.utils.set_random_seed(1)
        model = (rh.build_plain if kind == "plain" else rh.build_resnet)(depth)
        path = pretrained.save_float16(model, folder / f"{name}.npz",
                                       {"builder": kind, "depth": depth})
        manifest[name] = {"status": "shipped", "file": path.name,
                          "sha256": rh.sha256_file(path), "bytes": path.stat().st_size}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return manifest


def test_float16_checkpoint_round_trip(tmp_path):
    keras.utils.set_random_seed(0)
    model = rh.build_resnet(8)
    images = np.random.default_rng(0).integers(0, 256, (16, 32, 32, 3)).astype("uint8")
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    model.fit(images, np.arange(16) % 10, epochs=1, verbose=0)  # BN statistics move off 0/1
    path = pretrained.save_float16(model, tmp_path / "r8.npz", {"builder": "resnet", "depth": 8})
    model.save(tmp_path / "r8.keras")
    assert path.stat().st_size < 0.5 * (tmp_path / "r8.keras").stat().st_size
    loaded = pretrained.load_float16(path)
    assert loaded.name == "resnet8" and loaded.count_params() == model.count_params()
    assert all(w.dtype == "float32" for w in loaded.weights)
    for a, b in zip(model.get_weights(), loaded.get_weights()):  # float16: 3 significant digits
        np.testing.assert_allclose(b, a, rtol=1e-3, atol=1e-4)
    p_model, p_loaded = (m.predict(images, verbose=0) for m in (model, loaded))
    np.testing.assert_allclose(p_loaded, p_model, atol=2e-3)
    assert (p_loaded.argmax(1) == p_model.argmax(1)).all()


def test_float16_refuses_wrong_specs_and_overflow(tmp_path):
    model = rh.build_resnet(8)
    with pytest.raises(ValueError, match="weights do not match"):
        pretrained.save_float16(model, tmp_path / "a.npz", {"builder": "resnet", "depth": 14})
    with pytest.raises(ValueError, match="must name a builder"):
        pretrained.save_float16(model, tmp_path / "a.npz", {"builder": "os.system", "depth": 8})
    with pytest.raises(ValueError, match=r"\.npz file"):
        pretrained.save_float16(model, tmp_path / "a.keras", {"builder": "resnet", "depth": 8})
    model.get_layer("logits").kernel.assign(np.full((64, 10), 1e5, "float32"))
    with pytest.raises(ValueError, match="beyond float16"):
        pretrained.save_float16(model, tmp_path / "a.npz", {"builder": "resnet", "depth": 8})
    np.savez(tmp_path / "other.npz", w0000=np.zeros(3))
    with pytest.raises(ValueError, match="not a float16 checkpoint"):
        pretrained.load_float16(tmp_path / "other.npz")


def test_zoo_of_float16_files_checks_hash_and_presence(tmp_path, monkeypatch):
    zoo = tmp_path / "pretrained"
    _tiny_zoo(zoo)
    monkeypatch.setattr(pretrained, "PRETRAINED_DIR", zoo)
    assert rh.shipped_pretrained() == ["plain8", "resnet8"]
    assert rh.load_pretrained("resnet8").name == "resnet8"
    with pytest.raises(ValueError, match=r"'resnet20' is planned but not shipped yet; shipped: "
                                         r"\['plain8', 'resnet8'\]"):
        rh.load_pretrained("resnet20")
    data = bytearray((zoo / "plain8.npz").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (zoo / "plain8.npz").write_bytes(bytes(data))
    with pytest.raises(ValueError, match="corrupt or was modified"):
        rh.load_pretrained("plain8")
    (zoo / "plain8.npz").unlink()
    with pytest.raises(FileNotFoundError, match="missing from this installation"):
        rh.load_pretrained("plain8")


def test_lesson05_uses_the_shipped_pair_only_when_present(tmp_path, monkeypatch):
    assert rh.trained_pair(56) is None  # today: not shipped, the lesson trains its own
    with pytest.raises(ValueError, match="TRAINED_PAIR=True needs the shipped plain56"):
        rh.trained_pair(56, use=True)
    zoo = tmp_path / "pretrained"
    _tiny_zoo(zoo)
    monkeypatch.setattr(pretrained, "PRETRAINED_DIR", zoo)
    assert rh.trained_pair(8, use=False) is None and rh.trained_pair(14) is None
    pair = rh.trained_pair(8)
    assert sorted(pair) == ["plain8", "resnet8"]
    assert [m.name for m in pair.values()] == ["plain8", "resnet8"]
    # What lesson 05 computes on the pair: gradient norms per convolution and a loss surface.
    rng = np.random.default_rng(0)
    probe = (rng.integers(0, 256, (8, 32, 32, 3)).astype("uint8"), np.arange(8) % 10)
    names, norms = rh.gradient_norms(pair["plain8"], *probe)
    assert len(names) == len(norms) == 7 and (norms > 0).all()
    _, _, surface = rh.loss_surface(pair["resnet8"], probe, grid=3, seed=0)
    assert surface.shape == (3, 3) and np.isfinite(surface).all()


def test_lesson_settings_accept_shipped_names(tmp_path, monkeypatch):
    assert rh.course.settings("04_feature_maps", PRETRAINED="resnet20").PRETRAINED == "resnet20"
    assert rh.course.settings("04_feature_maps", PRETRAINED=True).PRETRAINED is True
    with pytest.raises(ValueError, match=r"one of \['resnet20'\]; got 'resnet56'.*paper_table6"):
        rh.course.settings("04_feature_maps", PRETRAINED="resnet56")
    assert rh.course.settings("05_why_residuals_work").TRAINED_PAIR is None
    with pytest.raises(ValueError, match="TRAINED_PAIR must be None"):
        rh.course.settings("05_why_residuals_work", TRAINED_PAIR="yes")
    zoo = tmp_path / "pretrained"
    _tiny_zoo(zoo)
    monkeypatch.setattr(pretrained, "PRETRAINED_DIR", zoo)
    assert rh.course.settings("04_feature_maps", PRETRAINED="plain8").PRETRAINED == "plain8"

