"""A residual network shaped for speed: the "ResNet-9" of fast CIFAR-10 training.

David Page's DAWNBench network (2018), the ancestor of today's fastest CIFAR-10 trainers, built
from the course's own :func:`~resnet_helpers.residual_block`. Where the paper's CIFAR ResNets
spend their depth on many convolutions (19 in ResNet-20), this network has eight: its width
doubles at each of three max-poolings, so at ``w = 16`` its widths per resolution are
ResNet-20's plus a fourth stage at 4×4, and at ``w = 32`` twice theirs. Few sequential layers,
most of them on small feature maps, keep a CPU's vector units busy — on a CPU it reaches a given
accuracy several times sooner than ResNet-20 (``benchmarks/README.md`` has the measurements).

Layout for ``width = w`` (Page: ``w = 64``), input ``(batch, 32, 32, 3)``:

======================  ===========================================  ================
part                    layers                                       output
======================  ===========================================  ================
``normalize``           per-channel standardisation                  32×32×3
``stem``                3×3 conv ``w`` + BN + ReLU                   32×32×w
``stage1``              3×3 conv ``2w`` + max-pool 2 + BN + ReLU     16×16×2w
``stage1_block1``       residual block (two 3×3 conv ``2w``)         16×16×2w
``stage2``              3×3 conv ``4w`` + max-pool 2 + BN + ReLU     8×8×4w
``stage3``              3×3 conv ``8w`` + max-pool 2 + BN + ReLU     4×4×8w
``stage3_block1``       residual block (two 3×3 conv ``8w``)         4×4×8w
head                    global average pool, dense, softmax          10
======================  ===========================================  ================

Pooling right after the convolution (before BN and ReLU) gives the same function as pooling
after them for a positive BN scale, at a quarter of their cost (as in Keller Jordan's airbench).
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np
from keras import layers

from resnet_helpers.models.blocks import residual_block
from resnet_helpers.models.parts import CIFAR10_MEAN, CIFAR10_STD, classifier_head, model_inputs

__all__ = ["build_resnet9"]


def _conv_pool_bn(x, filters: int, name: str, bn_momentum: float):
    x = layers.Conv2D(filters, 3, padding="same", use_bias=False, kernel_initializer="he_normal",
                      name=f"{name}_conv")(x)
    x = layers.MaxPooling2D(2, name=f"{name}_pool")(x)
    x = layers.BatchNormalization(momentum=bn_momentum, name=f"{name}_bn")(x)
    return layers.ReLU(name=f"{name}_relu")(x)


def build_resnet9(width: int = 64, num_classes: int = 10,
                  input_shape: Sequence[int] = (32, 32, 3), *, branch_scale: float = 1.0,
                  bn_momentum: float = 0.9, mean=CIFAR10_MEAN, std=CIFAR10_STD) -> keras.Model:
    """The ResNet-9 of fast CIFAR-10 training (see the module docstring for the layout).

    Args:
        width: channels of the stem; the stages have ``2w``, ``4w``, ``8w`` (Page: 64, i.e.
            6.6 M parameters; 32 gives a quarter of the multiply-adds).
        num_classes: number of classes.
        input_shape: ``(height, width, channels)``; height and width divisible by 8.
        branch_scale: initial scale of each residual branch's last BN (0: start at zero).
        bn_momentum: BatchNorm moving-average momentum (0.9: the statistics follow the weights
            quickly, which suits short runs).
        mean: per-channel mean of the raw 0–255 inputs (normalisation is part of the model).
        std: per-channel standard deviation of the raw inputs.

    Returns:
        An uncompiled ``keras.Model`` named ``resnet9`` (``resnet9-w<width>`` when ``width !=
        64``) mapping raw images ``(batch, H, W, C)`` in 0–255 to probabilities
        ``(batch, num_classes)``.
    """
    if isinstance(width, bool) or not isinstance(width, (int, np.integer)) or width < 1:
        raise ValueError(f"width must be a positive integer (64 in Page's network), got "
                         f"{width!r}.")
    if len(tuple(input_shape)) == 3 and any(s % 8 for s in tuple(input_shape)[:2]):
        raise ValueError(f"input height and width must be divisible by 8 (three 2× poolings), "
                         f"got {tuple(input_shape)}.")
    w = int(width)
    inputs, x = model_inputs(input_shape, mean, std)
    x = layers.Conv2D(w, 3, padding="same", use_bias=False, kernel_initializer="he_normal",
                      name="stem_conv")(x)
    x = layers.BatchNormalization(momentum=bn_momentum, name="stem_bn")(x)
    x = layers.ReLU(name="stem_relu")(x)
    for stage, filters, has_block in ((1, 2 * w, True), (2, 4 * w, False), (3, 8 * w, True)):
        x = _conv_pool_bn(x, filters, f"stage{stage}", bn_momentum)
        if has_block:
            x = residual_block(x, filters, use_bias=False, branch_scale=branch_scale,
                               bn_momentum=bn_momentum, name=f"stage{stage}_block1")
    name = "resnet9" if w == 64 else f"resnet9-w{w}"
    return keras.Model(inputs, classifier_head(x, num_classes), name=name)
