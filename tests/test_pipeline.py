import numpy as np
import pytest
import tensorflow as tf

import resnet_helpers as rh


def _fake(n=200, seed=0):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (n, 32, 32, 3), dtype=np.uint8), np.arange(n) % 10


def test_split_sizes_stratified_and_reproducible():
    x, y = _fake(1000)
    (xa, ya), (xv, yv) = rh.train_val_split(x, y, val_size=100, seed=3)
    assert len(xa) == 900 and len(xv) == 100
    assert np.bincount(yv).tolist() == [10] * 10
    (xb, _), (xv2, yv2) = rh.train_val_split(x, y, val_size=100, seed=3)
    np.testing.assert_array_equal(xv, xv2)
    (_, _), (xv3, _) = rh.train_val_split(x, y, val_size=100, seed=4)
    assert not np.array_equal(xv, xv3)
    # no image in both parts, none lost
    key = lambda a: {im.tobytes() for im in a}  # noqa: E731
    assert not key(xa) & key(xv) and len(key(xa) | key(xv)) == len(key(x))


def test_split_handles_uneven_classes():
    x, _ = _fake(103)
    y = np.array([0] * 50 + [1] * 53)
    _, (_, yv) = rh.train_val_split(x, y, val_size=10)
    assert len(yv) == 10 and set(np.bincount(yv)) == {5}


@pytest.mark.parametrize("val_size", [0, 200, -1, 2.5])
def test_split_rejects_bad_sizes(val_size):
    x, y = _fake()
    with pytest.raises(ValueError, match="val_size"):
        rh.train_val_split(x, y, val_size=val_size)


def test_augmentation_keeps_shape_and_dtype_and_moves_pixels():
    x = tf.constant(_fake(64)[0])
    out = rh.augment_batch(x, seed=1)
    assert out.shape == x.shape and out.dtype == x.dtype
    assert not np.array_equal(out, x)
    # every output is a shifted (and maybe mirrored) window of its zero-padded input
    padded = np.pad(x.numpy(), [(0, 0), (4, 4), (4, 4), (0, 0)])
    for i in range(8):
        o = out[i].numpy()
        found = any(np.array_equal(o, w) or np.array_equal(o, w[:, ::-1])
                    for dy in range(9) for dx in range(9)
                    for w in [padded[i, dy:dy + 32, dx:dx + 32]])
        assert found


def test_datasets_augment_training_only():
    x, y = _fake(64)
    train, val = rh.make_datasets((x, y), (x, y), batch_size=32, seed=0)
    xb, yb = next(iter(train))
    assert xb.shape == (32, 32, 32, 3) and xb.dtype == tf.float32 and yb.dtype == tf.int32
    assert float(tf.reduce_max(xb)) > 1.0  # raw 0–255 values: the model normalises
    xv, yv = next(iter(val))
    np.testing.assert_array_equal(xv.numpy(), x.astype("float32"))  # in order, unaugmented
    np.testing.assert_array_equal(yv.numpy(), y)
    seen = np.concatenate([b[1].numpy() for b in train])
    assert sorted(seen.tolist()) == sorted(y.tolist())  # one epoch sees every image once
    # two epochs are shuffled differently
    assert not np.array_equal(next(iter(train))[1].numpy(), next(iter(train))[1].numpy())


def test_limit_takes_a_subset():
    x, y = _fake(100)
    train, val = rh.make_datasets((x, y), (x, y), batch_size=10, limit=30)
    assert sum(len(b[0]) for b in train) == 30 and sum(len(b[0]) for b in val) == 30


@pytest.mark.parametrize("bad,match", [
    (dict(x=np.zeros((4, 32, 32), np.uint8)), "shape"),
    (dict(x=np.zeros((4, 32, 32, 2), np.uint8)), "channels"),
    (dict(x=np.full((4, 32, 32, 3), 0.5, np.float32)), r"\[0, 1\]"),
    (dict(x=np.full((4, 32, 32, 3), 300.0, np.float32)), "0–255"),
    (dict(y=np.array([0, 1, 2, 10]), num_classes=10), r"0\.\.9"),
    (dict(y=np.array([0, 1, 2, -1])), r"0\.\.2; got values -1"),
    (dict(y=np.array([0, 1, 2])), "one label per image"),
])
def test_bad_arrays_are_explained(bad, match):
    x = bad.get("x", np.zeros((4, 32, 32, 3), np.uint8))
    y = bad.get("y", np.array([0, 1, 2, 3]))
    with pytest.raises(ValueError, match=match):
        rh.make_datasets((x, y), (x, y), batch_size=2, num_classes=bad.get("num_classes"))


def test_batch_larger_than_data():
    x, y = _fake(20)
    with pytest.raises(ValueError, match="larger than the 20 training images"):
        rh.make_datasets((x, y), (x, y), batch_size=64)


def test_cutout_hides_one_square_per_image_with_its_mean_colour():
    images = np.random.default_rng(0).integers(0, 256, (16, 32, 32, 3)).astype("uint8")
    out = rh.augment_batch(tf.constant(images), pad=0, flip=False, seed=1, cutout=8).numpy()
    changed = (out != images).any(axis=-1)                          # (16, 32, 32)
    hidden = changed.sum(axis=(1, 2))
    assert hidden.max() <= 64 and (hidden > 0).mean() > 0.8        # at most 8×8, partly outside
    for image, original, mask in zip(out, images, changed):
        if mask.any():
            rows, cols = np.nonzero(mask)
            assert np.ptp(rows) < 8 and np.ptp(cols) < 8            # one square
            mean = original.reshape(-1, 3).mean(axis=0).astype("uint8")
            assert (np.abs(image[mask].astype(int) - mean) <= 1).all()


def test_make_datasets_for_other_sizes_and_class_counts():
    x = np.random.default_rng(0).integers(0, 256, (24, 48, 40, 3)).astype("uint8")
    y = np.arange(24) % 12
    train_ds, val_ds = rh.make_datasets((x, y), (x[:6], y[:6]), batch_size=8, cutout=12)
    images, labels = next(iter(train_ds))
    assert images.shape == (8, 48, 40, 3) and labels.numpy().max() < 12
    with pytest.raises(ValueError, match="cutout"):
        rh.make_datasets((x, y), (x, y), batch_size=8, cutout=-1)


def test_resize_images_averages_when_shrinking_and_checks_its_input():
    images = np.zeros((2, 32, 32, 3), np.uint8)
    images[:, ::2, ::2] = 200  # one bright pixel in every 2×2 square
    small = rh.resize_images(images, 16)
    assert small.shape == (2, 16, 16, 3) and small.dtype == np.uint8
    assert (small == 50).all()  # the mean of 200, 0, 0, 0
    assert rh.resize_images(images, 32) is images
    assert rh.resize_images(images, 48).shape == (2, 48, 48, 3)
    with pytest.raises(ValueError, match="side must be a whole number of pixels >= 8"):
        rh.resize_images(images, 4)
    with pytest.raises(ValueError, match=r"stack \(N, H, W, C\)"):
        rh.resize_images(images[0], 16)


def test_pipelines_run_without_tf_data_autotuning():
    """Autotuning's thread delayed the start of about every other epoch by seconds
    (benchmarks/epoch_stall.py): every pipeline the course builds has it off, also after
    lesson 03's per-epoch resizing, and still delivers every image once per epoch."""
    x, y = _fake(256)
    train, val = rh.make_datasets((x, y), (x, y), batch_size=32, seed=0)
    resized, _ = rh.resize_per_epoch(train, [16, 32])
    for ds in (train, val, resized, rh.make_eval_dataset(x, y)):
        assert ds.options().autotune.enabled is False
    for ds in (train, resized):
        assert sorted(np.concatenate([b[1].numpy() for b in ds]).tolist()) == sorted(y.tolist())
