"""The parts every course model shares: the raw-image input with its normalisation layer, and
the classifier head. Both :mod:`resnet_helpers.models.resnets` and :mod:`resnet_helpers.models.fastnet` build
on them (so neither has to import the other).
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np
from keras import layers

__all__ = ["CIFAR10_MEAN", "CIFAR10_STD", "model_inputs", "classifier_head"]

#: Per-channel mean and standard deviation of the official CIFAR-10 training images (0–255).
CIFAR10_MEAN = (125.307, 122.950, 113.865)
CIFAR10_STD = (62.993, 62.089, 66.705)


def model_inputs(input_shape: Sequence[int], mean, std):
    """``keras.Input`` named ``images`` and its standardised version (layer ``normalize``).

    Args:
        input_shape: ``(height, width, channels)`` with 1 or 3 channels, at least 8×8 pixels.
        mean: per-channel mean of the raw 0–255 pixels (a number or one value per channel).
        std: per-channel standard deviation of the raw pixels.

    Returns:
        ``(inputs (batch, H, W, C), normalised (batch, H, W, C))``.
    """
    input_shape = tuple(input_shape)
    if len(input_shape) != 3 or input_shape[-1] not in (1, 3) or min(input_shape[:2]) < 8:
        raise ValueError(
            f"input_shape must be (height, width, channels) with 1 or 3 channels and at least 8×8 "
            f"pixels, got {input_shape}. CIFAR-10 images are (32, 32, 3)."
        )
    channels = input_shape[-1]
    mean = np.broadcast_to(np.asarray(mean, "float32"), (channels,))
    std = np.broadcast_to(np.asarray(std, "float32"), (channels,))
    inputs = keras.Input(shape=input_shape, name="images")
    x = layers.Normalization(mean=mean, variance=std**2, name="normalize")(inputs)
    return inputs, x


def classifier_head(x, num_classes: int):
    """Global average pooling (``pool``), dense scores (``logits``), softmax (``predictions``).

    ``(batch, h, w, channels)`` → probabilities ``(batch, num_classes)`` in float32, even under a
    mixed-precision policy (the loss needs precise probabilities).
    """
    if isinstance(num_classes, bool) or not isinstance(num_classes, (int, np.integer)) \
            or num_classes < 2:
        raise ValueError(f"num_classes must be an integer >= 2, got {num_classes!r}.")
    x = layers.GlobalAveragePooling2D(name="pool")(x)
    x = layers.Dense(int(num_classes), name="logits")(x)
    return layers.Softmax(name="predictions", dtype="float32")(x)
