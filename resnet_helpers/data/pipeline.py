"""From uint8 arrays to ``tf.data`` pipelines: split, augment, batch, prefetch.

Normalisation is *not* done here: every course model normalises inside itself (its first
layer), so a saved model takes raw images and nobody has to remember the statistics. The
pipeline only casts to float32 (values stay 0–255) and augments the training stream.
:func:`channel_stats` gives the per-channel statistics of a training split, to pass to the
model builders (``mean=``, ``std=``) when you train on data other than CIFAR-10.
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

__all__ = ["check_images_and_labels", "train_val_split", "channel_stats", "augment_batch",
           "resize_images", "make_eval_dataset", "make_datasets"]


def check_images_and_labels(x: np.ndarray, y: np.ndarray, num_classes: int | None = None
                            ) -> None:
    """Raise ValueError unless ``x`` is ``(N, H, W, C)`` uint8 0–255 and ``y`` is ``(N,)`` of
    whole numbers in ``0..num_classes-1`` (any non-negative whole numbers when None)."""
    x, y = np.asarray(x), np.asarray(y)
    if x.ndim != 4 or x.shape[-1] not in (1, 3):
        raise ValueError(
            f"Images must have shape (N, height, width, channels) with 1 or 3 channels; got "
            f"{x.shape}. For one image use x[None] to add the batch axis."
        )
    if x.dtype != np.uint8:
        if x.size and (np.nanmin(x) < 0 or np.nanmax(x) > 255):
            raise ValueError(f"Image values must lie in 0–255 (raw pixels); got "
                             f"{np.nanmin(x):.3g}…{np.nanmax(x):.3g}.")
        if x.size and np.nanmax(x) <= 1.0:
            raise ValueError("Images look scaled to [0, 1]; the course's models and pipelines "
                             "expect raw 0–255 pixels (multiply by 255, or pass the uint8 arrays).")
    if y.ndim == 2 and y.shape[1] == 1:
        y = y.reshape(-1)
    if y.ndim != 1 or len(y) != len(x):
        raise ValueError(f"Labels must be a flat array with one label per image; got labels "
                         f"{y.shape} for images {x.shape}.")
    limit = np.inf if num_classes is None else num_classes
    if y.size and (y.min() < 0 or y.max() >= limit or not np.all(np.equal(np.mod(y, 1), 0))):
        allowed = "non-negative" if num_classes is None else f"in 0..{num_classes - 1}"
        raise ValueError(f"Labels must be integers {allowed}; got values {y.min()}…{y.max()}.")


def train_val_split(x: np.ndarray, y: np.ndarray, val_size: int = 5000, seed: int = 0):
    """Stratified, reproducible split into training and validation parts.

    Every class keeps its share: with CIFAR-10's 50,000 training images and ``val_size=5000``,
    each class gives 500 validation images.

    Args:
        x: images ``(N, H, W, C)``.
        y: integer labels ``(N,)`` (``(N, 1)`` is accepted).
        val_size: number of validation images, ``0 < val_size < N``.
        seed: the same seed gives the same split.

    Returns:
        ``(x_train, y_train), (x_val, y_val)`` with ``N - val_size`` and ``val_size`` images.
    """
    y = np.asarray(y).reshape(-1)
    check_images_and_labels(x, y, num_classes=int(y.max(initial=0)) + 1)
    if not isinstance(val_size, (int, np.integer)) or not 0 < val_size < len(y):
        raise ValueError(f"val_size must be an integer between 1 and {len(y) - 1} (the number "
                         f"of images minus one); got {val_size!r}.")
    rng = np.random.default_rng(seed)
    classes, counts = np.unique(y, return_counts=True)
    share = counts / counts.sum() * val_size
    per_class = np.floor(share).astype(int)
    # hand out the remainder to the classes with the largest fractional parts
    for i in np.argsort(per_class - share)[: val_size - per_class.sum()]:
        per_class[i] += 1
    val_idx = np.concatenate([
        rng.permutation(np.flatnonzero(y == c))[:k] for c, k in zip(classes, per_class)
    ])
    val_idx = rng.permutation(val_idx)
    train_mask = np.ones(len(y), dtype=bool)
    train_mask[val_idx] = False
    train_idx = rng.permutation(np.flatnonzero(train_mask))
    return (x[train_idx], y[train_idx]), (x[val_idx], y[val_idx])


def channel_stats(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-channel mean and standard deviation ``(C,)`` of images ``(N, H, W, C)`` (0–255)."""
    x = np.asarray(x)
    return x.mean(axis=(0, 1, 2), dtype=np.float64), x.std(axis=(0, 1, 2), dtype=np.float64)


def augment_batch(images: tf.Tensor, pad: int = 4, flip: bool = True, seed: int | None = None,
                  cutout: int = 0) -> tf.Tensor:
    """Random crop after zero padding, random horizontal flip and optional cutout, for a batch.

    Each image is padded by ``pad`` pixels on every side, a window of the original size is cut at
    a random offset, and with probability 1/2 it is mirrored left–right (He et al. 2015). With
    ``cutout > 0`` a ``cutout × cutout`` square at a random centre (partly outside the image
    near its edges) is filled with the image's mean colour (DeVries & Taylor 2017), so the
    network cannot rely on any single part of an object.

    Args:
        images: ``(batch, H, W, C)`` tensor of any dtype.
        pad: padding in pixels (0 disables cropping).
        flip: mirror half of the images.
        seed: op-level seed for reproducibility.
        cutout: side of the square hidden in every image, in pixels (0: none).

    Returns:
        A tensor of the same shape and dtype.
    """
    shape = tf.shape(images)
    batch, height, width = shape[0], shape[1], shape[2]
    if pad:
        padded = tf.pad(images, [[0, 0], [pad, pad], [pad, pad], [0, 0]])
        offsets = tf.random.uniform([batch, 2], 0, 2 * pad + 1, dtype=tf.int32, seed=seed)
        rows = offsets[:, :1] + tf.range(height)[None]          # (batch, H)
        cols = offsets[:, 1:] + tf.range(width)[None]           # (batch, W)
        images = tf.gather(padded, rows, axis=1, batch_dims=1)  # (batch, H, W + 2·pad, C)
        images = tf.gather(images, cols, axis=2, batch_dims=1)  # (batch, H, W, C)
    if flip:
        mirror = tf.random.uniform([batch], seed=seed) < 0.5
        images = tf.where(mirror[:, None, None, None], tf.reverse(images, axis=[2]), images)
    if cutout:
        centres = tf.random.uniform([batch, 2], 0, 1, seed=seed) * tf.cast(
            tf.stack([height, width]), tf.float32)                        # (batch, 2)
        rows = tf.abs(tf.cast(tf.range(height), tf.float32)[None] - centres[:, :1])  # (batch, H)
        cols = tf.abs(tf.cast(tf.range(width), tf.float32)[None] - centres[:, 1:])   # (batch, W)
        hidden = (rows[:, :, None] < cutout / 2) & (cols[:, None, :] < cutout / 2)  # (batch, H, W)
        mean = tf.cast(tf.reduce_mean(tf.cast(images, tf.float32), axis=(1, 2), keepdims=True),
                       images.dtype)                                      # (batch, 1, 1, C)
        images = tf.where(hidden[..., None], mean, images)
    return images


def resize_images(images: np.ndarray, side: int) -> np.ndarray:
    """Shrink (or enlarge) a stack of images to ``side × side`` pixels.

    Args:
        images: uint8 images ``(N, H, W, C)``.
        side: the new height and width (at least 8).

    Returns:
        uint8 images ``(N, side, side, C)``: area averaging when shrinking (each new pixel the
        mean of the old pixels it covers), bilinear when enlarging; the same array when the
        size is already ``side``.
    """
    if isinstance(side, bool) or not isinstance(side, (int, np.integer)) or side < 8:
        raise ValueError(f"side must be a whole number of pixels >= 8, got {side!r}.")
    images = np.asarray(images)
    if images.ndim != 4:
        raise ValueError(f"images must be a stack (N, H, W, C), got shape {images.shape}.")
    if images.shape[1:3] == (side, side):
        return images
    method = "area" if side <= min(images.shape[1:3]) else "bilinear"
    out = tf.image.resize(tf.cast(images, tf.float32), [side, side], method=method)
    return np.clip(np.round(out.numpy()), 0, 255).astype(np.uint8)


def make_eval_dataset(x: np.ndarray, y: np.ndarray, batch_size: int = 256,
                      limit: int | None = None) -> tf.data.Dataset:
    """Batches ``(float32 images 0–255 (B, H, W, C), int32 labels (B,))`` in order, no augmentation."""
    x, y = _take(x, y, limit)
    ds = tf.data.Dataset.from_tensor_slices((x, y.astype("int32"))).batch(batch_size)
    return _finish(ds)


def _finish(ds: tf.data.Dataset) -> tf.data.Dataset:
    """float32 → prefetch, with tf.data's autotuning off.

    The autotuner's background thread makes deleting an epoch's iterator wait for it: in
    ``fit`` that stalled the start of about every other epoch by 2–6 s on a 2-core CPU
    (``benchmarks/epoch_stall.py``). Without it the map runs on every core and prefetches; the
    pipeline still delivers some 60,000 augmented CIFAR-10 images/s there, far more than any
    course network trains on.
    """
    options = tf.data.Options()
    options.autotune.enabled = False
    ds = ds.map(_to_float, num_parallel_calls=tf.data.AUTOTUNE).prefetch(tf.data.AUTOTUNE)
    return ds.with_options(options)


def make_datasets(train: tuple[np.ndarray, np.ndarray], val: tuple[np.ndarray, np.ndarray],
                  *, batch_size: int = 128, augment: bool = True, seed: int = 0,
                  limit: int | None = None, num_classes: int | None = None,
                  pad: int | None = None, cutout: int = 0
                  ) -> tuple[tf.data.Dataset, tf.data.Dataset]:
    """Training and validation pipelines, for images of any size and any number of classes.

    Training: shuffle (reshuffled each epoch) → batch → augment (pad + random crop + flip, and
    cutout if asked) → float32 → prefetch. Validation: batch → float32 → prefetch, never
    augmented.

    Args:
        train: ``(x, y)`` uint8 images ``(N, H, W, C)`` and integer labels ``(N,)``.
        val: ``(x, y)`` for validation.
        batch_size: images per batch (the last, smaller batch is kept).
        augment: augment the training stream.
        seed: shuffle and augmentation seed.
        limit: use only the first ``limit`` images of each part (smoke runs).
        num_classes: labels must lie in ``0..num_classes-1``; None: the training labels' largest
            value + 1 (validation labels must not exceed it).
        pad: crop padding in pixels; None: an eighth of the image height (4 for CIFAR-10's
            32×32, 8 for 64×64). Larger values shift the images further.
        cutout: side of the square hidden in each training image (0: none); see
            :func:`augment_batch`.

    Returns:
        ``(train_ds, val_ds)`` yielding ``(images float32 (B, H, W, C) in 0–255, labels int32 (B,))``.
    """
    if num_classes is None:
        num_classes = int(np.asarray(train[1]).max(initial=0)) + 1
    for images, labels in (train, val):
        check_images_and_labels(images, labels, num_classes)
    pad = max(1, np.shape(train[0])[1] // 8) if pad is None else pad
    for name, value in (("pad", pad), ("cutout", cutout)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
            raise ValueError(f"{name} must be a whole number of pixels >= 0, got {value!r}.")
    if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}.")
    x, y = _take(*train, limit)
    if batch_size > len(x):
        raise ValueError(f"batch_size {batch_size} is larger than the {len(x)} training images; "
                         "use a smaller batch or more data.")
    ds = tf.data.Dataset.from_tensor_slices((x, y.astype("int32")))
    ds = ds.shuffle(len(x), seed=seed, reshuffle_each_iteration=True).batch(batch_size)
    if augment:
        ds = ds.map(lambda im, lab: (augment_batch(im, pad=int(pad), seed=seed,
                                                   cutout=int(cutout)), lab),
                    num_parallel_calls=tf.data.AUTOTUNE)
    return _finish(ds), make_eval_dataset(*val, batch_size=max(batch_size, 256), limit=limit)


def _to_float(images, labels):
    return tf.cast(images, tf.float32), labels


def _take(x, y, limit):
    y = np.asarray(y).reshape(-1)
    if limit is None:
        return x, y
    if not isinstance(limit, (int, np.integer)) or limit < 1:
        raise ValueError(f"limit must be a positive integer or None, got {limit!r}.")
    return x[:limit], y[:limit]
