"""rh.load_image_folder: your own images in any size, mode and class names, and its messages."""
import re
import tracemalloc
from pathlib import Path

import keras
import numpy as np
import pytest
from PIL import Image

import resnet_helpers as rh

ROOT = Path(__file__).resolve().parents[1]


def _write(path: Path, pixels: np.ndarray, mode: str = "RGB", fmt: str | None = None):
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.fromarray(pixels)
    if mode == "P":
        image = image.quantize(16)
    elif mode != "RGB":
        image = image.convert(mode)
    image.save(path, fmt)
    return path


def _photos(root: Path, classes, per_class: int, size=(40, 56), seed=0, suffix="png"):
    rng = np.random.default_rng(seed)
    for c, name in enumerate(classes):
        for i in range(per_class):
            pixels = rng.integers(0, 256, (*size, 3), dtype=np.uint8)
            pixels[..., c % 3] = 255   # each class has its own strong colour channel
            _write(root / name / f"{i:03d}.{suffix}", pixels)
    return root


def test_train_test_layout_with_any_sizes_modes_and_names(tmp_path, capsys):
    root = tmp_path / "photos"
    rng = np.random.default_rng(0)
    wide = np.zeros((32, 96, 3), np.uint8)
    wide[:, :32, 0], wide[:, 32:64, 1], wide[:, 64:, 2] = 255, 255, 255  # red | green | blue
    _write(root / "train" / "Zebra crossing" / "wide.jpg", wide)
    _write(root / "train" / "Zebra crossing" / "small.bmp", rng.integers(0, 256, (20, 20, 3),
                                                                        dtype=np.uint8))
    gray = rng.integers(0, 256, (50, 30, 3), dtype=np.uint8)
    _write(root / "train" / "älg" / "gray.png", gray, mode="L")
    rgba = np.zeros((40, 40, 4), np.uint8)                               # fully transparent
    Image.fromarray(rgba, "RGBA").save(root / "train" / "älg" / "clear.png")
    _write(root / "train" / "älg" / "palette.gif", rng.integers(0, 256, (64, 64, 3),
                                                                dtype=np.uint8), mode="P")
    _write(root / "test" / "Zebra crossing" / "t.png", wide)
    _write(root / "test" / "älg" / "t.webp", gray)
    (root / "train" / "älg" / "notes.txt").write_text("not an image")
    (root / "train" / "älg" / ".DS_Store").write_bytes(b"\0")

    loaded = rh.load_image_folder(root, image_size=32)
    (x_train, y_train), (x_test, y_test), names = loaded
    assert names == ["Zebra crossing", "älg"]
    assert x_train.shape == (5, 32, 32, 3) and x_train.dtype == np.uint8
    assert x_test.shape == (2, 32, 32, 3) and sorted(y_train.tolist()) == [0, 0, 1, 1, 1]
    assert sorted(y_test.tolist()) == [0, 1]
    # centre crop, not squashing: the middle (green) third of the wide image is kept
    wide_out = x_test[y_test == 0][0].astype(int)
    assert wide_out[..., 1].mean() > 240 and wide_out[..., 0].mean() < 15
    assert wide_out[..., 2].mean() < 15
    # grayscale repeated on three channels; transparent pixels on white
    class1 = x_train[y_train == 1]
    assert any((im[..., 0] == im[..., 1]).all() and im.std() > 10 for im in class1)
    assert any((im == 255).all() for im in class1)
    out = capsys.readouterr().out
    assert "2 classes, 5 training and 2 test images" in out
    assert re.search(r"converted to RGB: .*grayscale \(L\).*", out) and "RGBA" in out
    assert "palette (P)" in out and "centre-cropped" in out
    assert "ignored 1 file" in out and "notes.txt" in out
    # what the summary printed is returned too, for code that checks it
    report = loaded.report
    assert report["classes"] == names and report["split"] == "split as given (train/, test/)"
    assert (report["train_images"], report["test_images"]) == (5, 2)
    assert report["train_per_class"] == {"Zebra crossing": 2, "älg": 3}
    assert report["test_per_class"] == {"Zebra crossing": 1, "älg": 1}
    assert report["image_size"] == (32, 32) and report["untested_classes"] == []
    assert {"L", "RGBA", "P"} <= set(report["converted"])
    assert [Path(p).name for p in report["ignored"]] == ["notes.txt"]


def test_single_folder_is_split_stratified_and_seeded(tmp_path, capsys):
    root = _photos(tmp_path / "flat", ["cats", "dogs", "owls"], per_class=10, size=(30, 20))
    (x_train, y_train), (x_test, y_test), names = rh.load_image_folder(root, (24, 16),
                                                                       test_fraction=0.2)
    assert names == ["cats", "dogs", "owls"] and x_train.shape == (24, 24, 16, 3)
    assert np.bincount(y_test).tolist() == [2, 2, 2] and np.bincount(y_train).tolist() == [8] * 3
    assert y_train[:6].tolist() != sorted(y_train[:6].tolist())  # classes mixed
    # labels follow the images: each class's colour channel is saturated
    for image, label in zip(x_train, y_train):
        assert image[4:-4, 4:-4, label % 3].min() > 200
    again = rh.load_image_folder(root, (24, 16), test_fraction=0.2, verbose=False)
    np.testing.assert_array_equal(again[1][0], x_test)
    other = rh.load_image_folder(root, (24, 16), test_fraction=0.2, seed=1, verbose=False)
    assert not np.array_equal(np.sort(other[1][0], axis=0), np.sort(x_test, axis=0))
    assert "20% of each class for testing" in capsys.readouterr().out


def _bad_folders(root: Path):
    rng = np.random.default_rng(0)
    img = lambda: rng.integers(0, 256, (12, 12, 3), dtype=np.uint8)  # noqa: E731
    yield "one class", lambda r: _write(r / "cats" / "a.png", img()), "only one class"
    yield "empty class", lambda r: (_write(r / "cats" / "a.png", img()),
                                    (r / "dogs").mkdir()), r"\['dogs'\] hold no images"
    yield "unreadable", lambda r: (_write(r / "cats" / "a.png", img()),
                                   _write(r / "dogs" / "b.png", img()),
                                   _write(r / "dogs" / "c.png", img()),
                                   _write(r / "cats" / "d.png", img()),
                                   (r / "dogs" / "broken.jpg").write_bytes(b"no jpeg")), \
        r"(?s)1 file\(s\) could not be read.*broken\.jpg"
    yield "class only in test", lambda r: (_write(r / "train" / "cats" / "a.png", img()),
                                           _write(r / "train" / "dogs" / "a.png", img()),
                                           _write(r / "test" / "cats" / "a.png", img()),
                                           _write(r / "test" / "emus" / "a.png", img())), \
        r"\['emus'\] are in test/ but not in train/"
    yield "no images", lambda r: ((r / "cats").mkdir(parents=True),
                                  (r / "cats" / "x.txt").write_text("x")), "has no images"
    yield "train without test", lambda r: _write(r / "train" / "cats" / "a.png", img()), \
        "has train/ but no test/"
    yield "one image to split", lambda r: (_write(r / "cats" / "a.png", img()),
                                           _write(r / "dogs" / "a.png", img()),
                                           _write(r / "dogs" / "b.png", img())), \
        "class 'cats' has 1 image"


@pytest.mark.parametrize("case", list(_bad_folders(Path("."))), ids=lambda c: c[0])
def test_bad_folders_get_clear_messages(tmp_path, case):
    _, make, message = case
    root = tmp_path / "bad"
    root.mkdir()
    make(root)
    with pytest.raises(ValueError, match=message):
        rh.load_image_folder(root, 16, verbose=False)


def test_bad_arguments(tmp_path):
    with pytest.raises(FileNotFoundError, match="No folder"):
        rh.load_image_folder(tmp_path / "missing", 32)
    _photos(tmp_path / "ok", ["a", "b"], per_class=3, size=(8, 8))
    for size in (0, (32,), "big", True):
        with pytest.raises(ValueError, match="image_size"):
            rh.load_image_folder(tmp_path / "ok", size)
    with pytest.raises(ValueError, match="test_fraction"):
        rh.load_image_folder(tmp_path / "ok", 16, test_fraction=1.5)


def test_images_are_decoded_into_one_preallocated_array(tmp_path):
    root = _photos(tmp_path / "many", ["a", "b"], per_class=100, size=(100, 80), suffix="jpg")
    tracemalloc.start()
    (x_train, _), (x_test, _), _ = rh.load_image_folder(root, 64, verbose=False)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    result = x_train.nbytes + x_test.nbytes                       # 2.5 MB
    assert peak < 1.25 * result, (peak, result)                   # a copy would need 2×


def _readme_snippet(heading: str, page: str = "README.md") -> str:
    text = (ROOT / page).read_text()
    section = text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.S)[0]


def test_readme_instructions_train_a_folder_of_your_own(tmp_path, monkeypatch):
    """A new user's folder — 300 images of 40×56 pixels, other class names, no test/ split —
    through the README's snippet and docs/helpers.md's alone (only the folder and the number of
    epochs changed)."""
    import matplotlib

    matplotlib.use("Agg")
    _photos(tmp_path / "my_photos", ["red kites", "green frogs", "blue tits"], per_class=100,
            size=(40, 56), suffix="jpg")
    monkeypatch.chdir(tmp_path)
    code = _readme_snippet("Your own images")
    assert 'load_image_folder("my_photos"' in code and "epochs=3)" in code and "epochs=12)" in code
    namespace = {}
    exec(code.replace("epochs=3)", "epochs=1)").replace("epochs=12)", "epochs=2)"),  # noqa: S102
         namespace)                                          # (the README's code)
    report = namespace["report"]
    assert namespace["class_names"] == ["blue tits", "green frogs", "red kites"]
    assert namespace["x_train"].shape == (240, 48, 48, 3) and len(report["confusion"]) == 3
    assert report["accuracy"] > 0.6          # the classes differ by colour: easy to learn
    model = namespace["model"]                  # step 2: every layer trains but BatchNorm
    batchnorm = [l for l in model.layers if isinstance(l, keras.layers.BatchNormalization)]
    assert batchnorm and not any(l.trainable for l in batchnorm)
    assert model.get_layer("stem_conv").trainable and model.get_layer("logits").trainable
    assert namespace["heatmap"].shape == (48, 48)
    other = _readme_snippet("Using the helpers with other Keras models", "docs/helpers.md")
    namespace = {}
    exec(other, namespace)                                   # noqa: S102
    assert len(namespace["ratios"]) == 16 and namespace["heatmap"].shape == (64, 64)
    assert "before its softmax" in namespace["info"]["scores"]
