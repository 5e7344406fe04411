"""The fast network (ResNet-9), mixed precision, the backend-neutral recipe, and the shipped
pretrained checkpoint."""
import shutil
from pathlib import Path

import keras
import numpy as np
import pytest

import resnet_helpers as rh
from resnet_helpers import pretrained

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
])
def test_resnet9_bad_arguments(kwargs, words):
    with pytest.raises(ValueError, match=words):
        rh.build_resnet9(**kwargs)


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
        amx = "amx_bf16" in Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() \
            else False
        assert choice == ("mixed_bfloat16" if amx else "float32")


def test_recipe_and_models_need_no_tensorflow():
    """The GPU benchmark runs these modules under Keras's JAX backend, where TensorFlow is
    absent: neither they nor the package modules they import may import TensorFlow."""
    import ast

    def imports(module: str) -> set[str]:
        tree = ast.parse((ROOT / "resnet_helpers" / f"{module}.py").read_text())
        found = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                found.add("." + (node.module or "") if node.level else node.module.split(".")[0])
        return found

    seen, todo = set(), ["recipe", "fastnet", "data"]
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        found = imports(module)
        assert "tensorflow" not in found, f"{module}.py imports tensorflow"
        todo += [name[1:] for name in found if name.startswith(".") and name != "."]
    assert {"recipe", "fastnet", "models", "blocks", "data", "imagefolder"} <= seen


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
    with pytest.raises(ValueError, match=r"No pretrained model 'resnet56'.*\['resnet20'\]"):
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


def test_pretrained_accuracy_remeasured(real_cifar10):
    """The manifest's test accuracy, measured again here (on the CPU, with TensorFlow)."""
    (_, _), (x_test, y_test) = real_cifar10
    entry = rh.pretrained_manifest()["resnet20"]
    probs = rh.predict_probabilities(rh.load_pretrained("resnet20"), x_test, batch_size=500)
    accuracy = float((probs.argmax(1) == y_test.reshape(-1)).mean())
    assert len(x_test) == entry["test_images"] == 10_000
    assert accuracy == pytest.approx(entry["test_accuracy"], abs=0.003), accuracy
