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

__all__ = ["build_resnet9", "fit_whitening"]


def _conv_pool_bn(x, filters: int, name: str, bn_momentum: float, pool: bool = True):
    x = layers.Conv2D(filters, 3, padding="same", use_bias=False, kernel_initializer="he_normal",
                      name=f"{name}_conv")(x)
    if pool:
        x = layers.MaxPooling2D(2, name=f"{name}_pool")(x)
    x = layers.BatchNormalization(momentum=bn_momentum, name=f"{name}_bn")(x)
    return layers.ReLU(name=f"{name}_relu")(x)


def build_resnet9(width: int = 64, num_classes: int = 10,
                  input_shape: Sequence[int] = (32, 32, 3), *, branch_scale: float = 1.0,
                  bn_momentum: float = 0.9, whiten: bool | int = False, stem_stride: int = 1,
                  stem: bool = True, bn_scale: bool = True, mean=CIFAR10_MEAN,
                  std=CIFAR10_STD) -> keras.Model:
    """The ResNet-9 of fast CIFAR-10 training (see the module docstring for the layout).

    Args:
        width: channels of the stem; the stages have ``2w``, ``4w``, ``8w`` (Page: 64, i.e.
            6.6 M parameters; 32 gives a quarter of the multiply-adds).
        num_classes: number of classes.
        input_shape: ``(height, width, channels)``; height and width divisible by 8.
        branch_scale: initial scale of each residual branch's last BN (0: start at zero).
        bn_momentum: BatchNorm moving-average momentum (0.9: the statistics follow the weights
            quickly, which suits short runs).
        whiten: False (or 0) for a learned 3×3 stem convolution; True for a frozen 2×2 one
            whose filters whiten image patches (airbench's first layer), set from data by
            :func:`fit_whitening` before training, with ``width`` filters but at most 24 (two
            per direction of the 12-dimensional 2×2×3 patches); an even number ``n`` (2–24)
            for ``n`` filters. The stem then has that many channels. Lesson 03 trains with it
            (``whiten=True``) as part of a measured recipe (``benchmarks/README.md``, "Lesson
            03 in ten minutes"): on its own its gain is within the spread of seeds; on a real
            AVX2 CPU it shortens the epochs by 4% (32 px) to 12% (16 px).
        stem_stride: 1, or 2 for a stem that halves the resolution itself (its 2×2 whitening
            filters on non-overlapping patches; needs ``whiten``): the first stage then does not
            pool, and no layer works at the full 32×32 (faster, and 3 points less accurate in
            that run).
        stem: False for no stem: stage 1's convolution (``2w`` filters, then the max-pool)
            reads the normalised image itself, so the only layer at full resolution is one
            convolution whose output is pooled at once (airbench's layout). Measured in lesson
            03's 8-epoch w16 run on the emulated AVX2 class: about 20% faster at 24 and 32 px,
            and 0.4–0.9 points less accurate (three runs) — no more accuracy per minute than a
            shorter run with the stem (``benchmarks/README.md``), so the lessons keep it.
        bn_scale: False keeps every BatchNorm's scale γ at its initial value (1, or
            ``branch_scale``) instead of training it; the shifts β still train (airbench's
            setting, which lesson 03 uses). The γ are then non-trainable weights, so they stay
            in the model (:func:`~resnet_helpers.lesion_study` sets them to zero); a model
            loaded from a file trains them again unless you freeze them anew.
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
    if not stem and (whiten or stem_stride != 1):
        raise ValueError(f"whiten and stem_stride shape the stem: with stem=False leave them at "
                         f"False and 1, got whiten={whiten!r}, stem_stride={stem_stride!r}.")
    if stem_stride not in (1, 2) or (stem_stride == 2 and not whiten):
        raise ValueError(f"stem_stride must be 1, or 2 with a whitened stem (whiten=True), got "
                         f"{stem_stride!r} with whiten={whiten!r}.")
    w = int(width)
    inputs, x = model_inputs(input_shape, mean, std)
    if whiten is True:
        whiten = min(24, w - w % 2) or 2
    if whiten:
        if not isinstance(whiten, (int, np.integer)) or whiten % 2 or not 2 <= whiten <= 24:
            raise ValueError(f"whiten must be False (a learned stem), True (as many filters as "
                             f"the width, at most 24) or an even number of filters from 2 to 24 "
                             f"(2 per eigenvector of the 12-dimensional 2×2×3 patches), got "
                             f"{whiten!r}.")
        x = layers.Conv2D(int(whiten), 2, strides=stem_stride, padding="same", use_bias=False,
                          trainable=False, name="stem_conv")(x)
    elif stem:
        x = layers.Conv2D(w, 3, padding="same", use_bias=False,
                          kernel_initializer="he_normal", name="stem_conv")(x)
    if stem:  # otherwise stage 1's convolution reads the normalised image
        x = layers.BatchNormalization(momentum=bn_momentum, name="stem_bn")(x)
        x = layers.ReLU(name="stem_relu")(x)
    for stage, filters, has_block in ((1, 2 * w, True), (2, 4 * w, False), (3, 8 * w, True)):
        x = _conv_pool_bn(x, filters, f"stage{stage}", bn_momentum,
                          pool=not (stage == 1 and stem_stride == 2))
        if has_block:
            x = residual_block(x, filters, use_bias=False, branch_scale=branch_scale,
                               bn_momentum=bn_momentum, name=f"stage{stage}_block1")
    name = "resnet9" if w == 64 else f"resnet9-w{w}"
    model = keras.Model(inputs, classifier_head(x, num_classes), name=name)
    if not bn_scale:
        for layer in model.layers:
            if isinstance(layer, layers.BatchNormalization):
                layer.gamma.trainable = False
    return model


def fit_whitening(model: keras.Model, images: np.ndarray, *, layer: str = "stem_conv",
                  epsilon: float = 5e-4) -> np.ndarray:
    """Set a frozen 2×2 first convolution to whiten the image patches of ``images``.

    The 2×2×3 patches of the normalised images have a 12 × 12 covariance ``C = V Λ Vᵀ``.
    Filter ``i`` is eigenvector ``vᵢ / √(λᵢ + ε)`` (largest eigenvalues first), and each comes
    with its negative, so that the ReLU after the stem keeps both signs: ``n`` filters use the
    ``n/2`` strongest directions. Every output channel then has about unit variance and the
    channels are uncorrelated — the network starts from decorrelated pixels instead of learning
    to decorrelate them (Keller Jordan's airbench, 2024).

    Args:
        model: a model from ``build_resnet9(..., whiten=n)`` (its ``normalize`` layer and the
            2×2 ``layer``).
        images: raw training images ``(N, H, W, 3)`` in 0–255 (a few thousand suffice).
        layer: name of the 2×2 convolution to set.
        epsilon: added to the eigenvalues (keeps near-zero directions from exploding).

    Returns:
        The eigenvalues ``(12,)``, largest first.
    """
    conv = model.get_layer(layer)
    kernel = conv.get_weights()[0]                                   # (2, 2, 3, n)
    if kernel.shape[:3] != (2, 2, 3):
        raise ValueError(f"layer {layer!r} must be a 2×2 convolution over 3 channels (build the "
                         f"model with whiten=n), its kernel is {kernel.shape}.")
    images = np.asarray(images)
    if images.ndim != 4 or images.shape[-1] != 3 or len(images) < 100:
        raise ValueError(f"images must be at least 100 RGB images (N, H, W, 3), got shape "
                         f"{images.shape}.")
    x = keras.ops.convert_to_numpy(model.get_layer("normalize")(images.astype("float32")))
    patches = np.stack([x[:, i:x.shape[1] - 1 + i, j:x.shape[2] - 1 + j]
                        for i in range(2) for j in range(2)], axis=3)  # (N, H-1, W-1, 4, 3)
    patches = patches.reshape(-1, 12).astype("float64")               # (kh, kw, c) order
    values, vectors = np.linalg.eigh(np.cov(patches, rowvar=False))
    order = np.argsort(values)[::-1]
    values, vectors = values[order], vectors[:, order]
    half = kernel.shape[-1] // 2
    filters = vectors[:, :half] / np.sqrt(values[:half] + epsilon)    # (12, n/2)
    conv.set_weights([np.concatenate([filters, -filters], axis=1)
                      .reshape(kernel.shape).astype(kernel.dtype)])
    return values
