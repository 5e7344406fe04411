"""Progressive resizing: early epochs on smaller images, the last ones at full size.

A convolutional network with global average pooling accepts any image size, and its cost per
image grows with the number of pixels: an epoch at 24×24 costs about 56% of one at 32×32, an
epoch at 16×16 about 25% (fewer in practice: small convolutions use the CPU less well —
``benchmarks/README.md`` has the measured speeds). Early in training the network learns coarse
shapes and colours, which survive downscaling; the final epochs at full size teach it the fine
detail and let BatchNorm's statistics settle at the size it will be tested on. fast.ai's
DAWNBench entries (2018) trained this way; FixRes (Touvron et al., 2019) explains why the last
epochs must be at (or above) the test size.

Usage (one ``fit``, so resuming after an interruption keeps working)::

    sizes = [16, 24, 32, 32]                       # one image side per epoch
    train_ds, val_ds = rh.make_datasets(...)       # 32×32 batches
    train_ds, resize = rh.resize_per_epoch(train_ds, sizes)
    rh.train(model, train_ds, val_ds, epochs=len(sizes), callbacks=[resize], ...)

Validation and test images stay at full size. The model keeps its declared input of
``(32, 32, 3)``: Keras checks an input against it only in the dimensions both know, and the
resized stream's height and width are known only when it runs.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np
import tensorflow as tf

__all__ = ["EpochImageSize", "check_sizes", "resize_per_epoch"]


class EpochImageSize(keras.callbacks.Callback):
    """Sets the image side of the training stream at the start of every epoch.

    Keras creates a fresh iterator over a finite dataset for each epoch, after
    ``on_epoch_begin``, so every batch of epoch ``e`` has side ``sizes[e]`` — also when
    training resumes in the middle of the schedule.
    """

    def __init__(self, sizes: Sequence[int]):
        super().__init__()
        self.sizes = [int(s) for s in sizes]
        self.size = tf.Variable(self.sizes[0], trainable=False, dtype=tf.int32,
                                name="epoch_image_size")

    def on_epoch_begin(self, epoch, logs=None):
        self.size.assign(self.sizes[min(epoch, len(self.sizes) - 1)])


def check_sizes(sizes: Sequence[int], full_size: int, epochs: int | None = None) -> list[int]:
    """The validated list of per-epoch image sides.

    Raises:
        ValueError: a side is not a whole number from 8 to ``full_size`` divisible by 8, the
            last epoch is not at ``full_size``, or the list does not have ``epochs`` entries.
    """
    sizes = list(sizes)
    if not sizes or any(isinstance(s, bool) or not isinstance(s, (int, np.integer))
                        or not 8 <= s <= full_size or s % 8 for s in sizes):
        raise ValueError(f"image sizes must be whole numbers from 8 to {full_size} divisible by 8 "
                         f"(the network halves the image three times), one per epoch; got "
                         f"{sizes!r}.")
    if sizes[-1] != full_size:
        raise ValueError(f"the last epoch must train at the full image size {full_size} (the size "
                         f"the network is tested on); got {sizes!r}.")
    if epochs is not None and len(sizes) != epochs:
        raise ValueError(f"give one image size per epoch: {epochs} epochs but {len(sizes)} sizes "
                         f"({sizes!r}).")
    return [int(s) for s in sizes]


def resize_per_epoch(train_ds: tf.data.Dataset, sizes: Sequence[int]
                     ) -> tuple[tf.data.Dataset, EpochImageSize]:
    """Make a training stream's images shrink to a size set per epoch.

    Args:
        train_ds: batches ``(images (B, H, H, C) float32 0–255, labels (B,))`` of square
            images, e.g. from :func:`resnet_helpers.make_datasets` (after augmentation).
        sizes: the image side for each epoch, e.g. ``[16, 24, 32, 32]``; the last must be
            ``H``, each a multiple of 8 (see :func:`check_sizes`).

    Returns:
        ``(dataset, callback)``: the dataset yields ``(images (B, s, s, C), labels)`` with ``s``
        the current epoch's side (area-averaged downscaling of the whole image); pass the
        callback to ``fit`` (or to :func:`resnet_helpers.train`'s ``callbacks``).
    """
    height, width = train_ds.element_spec[0].shape[1:3]
    if height is None or height != width:
        raise ValueError(f"resize_per_epoch needs square images of known size, got "
                         f"{height}×{width}.")
    callback = EpochImageSize(check_sizes(sizes, int(height)))

    def resize(images, labels):
        side = callback.size
        images = tf.cond(side < height,
                         lambda: tf.image.resize(images, tf.stack([side, side]), method="area"),
                         lambda: images)
        return tf.ensure_shape(images, [None, None, None, images.shape[-1]]), labels

    return train_ds.map(resize, num_parallel_calls=tf.data.AUTOTUNE), callback
