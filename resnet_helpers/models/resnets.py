"""Whole networks: the course's origin snippet, the paper's CIFAR ResNets and their plain twins.

Every model is self-contained: it takes raw images ``(batch, 32, 32, 3)`` (or the
``input_shape`` you give) with values 0–255 (normalisation is its first layer) and outputs
class *probabilities* ``(batch, num_classes)`` from a final ``softmax`` layer named
``predictions``. The scores before the softmax come from
the Dense layer named ``logits`` (use them for Grad-CAM). Train with
``SparseCategoricalCrossentropy(from_logits=False)`` — Keras then computes the loss from the
logits, which is numerically stable.

Layer names: ``normalize``, ``stem_conv``/``stem_bn``/``stem_relu``, then
``stage{s}_block{b}_*`` (see :mod:`resnet_helpers.models.blocks`), ``pool``, ``logits``,
``predictions``. The input and the head are built by :mod:`resnet_helpers.models.parts`.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np
from keras import layers

from resnet_helpers.models.blocks import SHORTCUTS, plain_block, residual_block
from resnet_helpers.models.fastnet import build_resnet9
from resnet_helpers.models.parts import CIFAR10_MEAN, CIFAR10_STD, classifier_head, model_inputs

__all__ = ["PAPER_PARAMS", "valid_depths", "blocks_per_stage", "build_simple_resnet",
           "build_resnet", "build_plain", "build_model", "weighted_depth", "stage_summary",
           "count_params", "count_multiply_adds", "load_model"]

#: Parameter counts of the CIFAR-10 ResNets in He et al. (2015), Table 6.
PAPER_PARAMS = {20: 0.27e6, 32: 0.46e6, 44: 0.66e6, 56: 0.85e6, 110: 1.7e6}


def valid_depths(limit: int = 200) -> list[int]:
    """Depths ``6n + 2`` up to ``limit``: 8, 14, 20, 26, 32, …"""
    return list(range(8, limit + 1, 6))


def blocks_per_stage(depth: int) -> int:
    """``n`` for a depth ``6n + 2`` network; ValueError for any other depth."""
    if not isinstance(depth, (int, np.integer)) or depth < 8 or (depth - 2) % 6:
        raise ValueError(
            f"depth must be 6n+2 with n >= 1 (three stages of n two-layer blocks, plus the stem "
            f"and the classifier), got {depth!r}. Valid depths: {valid_depths(110)[:6]} … "
            "e.g. 20, 32, 44, 56, 110."
        )
    return (int(depth) - 2) // 6


def build_simple_resnet(input_shape: Sequence[int] = (32, 32, 3), num_classes: int = 10
                        ) -> keras.Model:
    """The course's origin snippet: a small ResNet at full resolution (679,562 parameters).

    Inputs are scaled to [0, 1] inside the model (``Rescaling(1/255)``, named ``normalize``).
    Stem: 3×3 conv 64 + BN + ReLU; residual blocks 64, 64 (``stage1_block1/2``), 128 with
    stride 2 and 128 (``stage2_block1/2``), with 1×1 projection + BN shortcuts where the shape
    changes; global average pooling; dense softmax. Convolutions have biases, as in the snippet.

    Args:
        input_shape: ``(height, width, channels)`` of one image.
        num_classes: number of classes.

    Returns:
        An uncompiled ``keras.Model`` mapping ``(batch, *input_shape)`` → ``(batch, num_classes)``.
    """
    inputs, _ = model_inputs(input_shape, 0.0, 1.0)
    x = layers.Rescaling(1.0 / 255, name="normalize")(inputs)
    x = layers.Conv2D(64, 3, padding="same", kernel_initializer="he_normal", name="stem_conv")(x)
    x = layers.BatchNormalization(name="stem_bn")(x)
    x = layers.ReLU(name="stem_relu")(x)
    for stage, (filters, stride) in enumerate([(64, 1), (128, 2)], start=1):
        x = residual_block(x, filters, stride=stride, name=f"stage{stage}_block1")
        x = residual_block(x, filters, name=f"stage{stage}_block2")
    return keras.Model(inputs, classifier_head(x, num_classes), name="simple_resnet")


def _build_cifar_net(kind: str, depth: int, num_classes: int, input_shape, *, width: int,
                     shortcut: str, preact: bool, branch_scale: float, bn_momentum: float,
                     mean, std) -> keras.Model:
    n = blocks_per_stage(depth)
    if not isinstance(width, (int, np.integer)) or width < 1:
        raise ValueError(f"width must be a positive integer (16 in the paper), got {width!r}.")
    if shortcut not in SHORTCUTS:
        raise ValueError(f"Unknown shortcut {shortcut!r}; choose one of {SHORTCUTS}.")
    inputs, x = model_inputs(input_shape, mean, std)
    x = layers.Conv2D(width, 3, padding="same", use_bias=False, kernel_initializer="he_normal",
                      name="stem_conv")(x)
    if not preact:  # in the pre-activation ordering the first block normalises the stem's output
        x = layers.BatchNormalization(momentum=bn_momentum, name="stem_bn")(x)
        x = layers.ReLU(name="stem_relu")(x)
    for stage in range(1, 4):
        filters = width * 2 ** (stage - 1)
        for block in range(1, n + 1):
            stride = 2 if (stage > 1 and block == 1) else 1
            name = f"stage{stage}_block{block}"
            if kind == "plain":
                x = plain_block(x, filters, stride=stride, use_bias=False,
                                bn_momentum=bn_momentum, name=name)
            else:
                x = residual_block(x, filters, stride=stride, shortcut=shortcut, preact=preact,
                                   branch_scale=branch_scale, use_bias=False,
                                   bn_momentum=bn_momentum, name=name)
    if preact:
        x = layers.BatchNormalization(momentum=bn_momentum, name="final_bn")(x)
        x = layers.ReLU(name="final_relu")(x)
    suffix = "-preact" if preact else ""
    return keras.Model(inputs, classifier_head(x, num_classes), name=f"{kind}{depth}{suffix}")


def build_resnet(depth: int = 20, num_classes: int = 10,
                 input_shape: Sequence[int] = (32, 32, 3), *, shortcut: str = "padding",
                 preact: bool = False, width: int = 16, branch_scale: float = 1.0,
                 bn_momentum: float = 0.99, mean=CIFAR10_MEAN, std=CIFAR10_STD) -> keras.Model:
    """The CIFAR-10 ResNets of He et al. (2015), Section 4.2: depth ``6n + 2``.

    Stem: 3×3 conv ``width`` + BN + ReLU at 32×32. Three stages of ``n`` basic blocks with
    ``width``, ``2·width`` and ``4·width`` filters at 32×32, 16×16 and 8×8 (the first block of
    stages 2 and 3 has stride 2). Global average pooling, dense ``num_classes``, softmax.
    Convolutions have no bias (BN follows them).

    Parameter counts (``width=16``), paper in brackets:

    ============  ===================  ======================  ========
    depth         shortcut="padding"   shortcut="projection"   paper
    ============  ===================  ======================  ========
    20            271,098              274,042                 0.27M
    32            466,426              469,370                 0.46M
    44            661,754              664,698                 0.66M
    56            857,082              860,026                 0.85M
    110           1,736,058            1,739,002               1.7M
    ============  ===================  ======================  ========

    ``"padding"`` is the paper's option A (used for its CIFAR models, zero extra parameters);
    ``"projection"`` adds a 1×1 conv + BN at the two downsampling blocks (option B). Counts
    include BatchNorm's moving statistics (non-trainable); ``preact=True`` gives the same counts.
    Multiply-adds per image: 41M (ResNet-20) to 253M (ResNet-110).

    Args:
        depth: 6n+2 (20, 32, 44, 56, 110, …); any other value raises ValueError.
        num_classes: number of classes.
        input_shape: ``(height, width, channels)`` of one raw image (values 0–255).
        shortcut: ``"padding"`` (option A) or ``"projection"`` (option B).
        preact: pre-activation ("v2") blocks, with a final BN + ReLU before pooling.
        width: filters of the first stage (16 in the paper); stages use ×1, ×2, ×4.
        branch_scale: initial size of every residual branch relative to He et al.'s (1.0);
            0 starts each block as the identity (Goyal et al. 2017). See
            :func:`residual_block`.
        bn_momentum: BatchNormalization momentum (lower values suit short runs).
        mean: per-channel mean used by the ``normalize`` layer.
        std: per-channel standard deviation used by the ``normalize`` layer.

    Returns:
        An uncompiled ``keras.Model``: ``(batch, *input_shape)`` → ``(batch, num_classes)``
        probabilities.
    """
    return _build_cifar_net("resnet", depth, num_classes, input_shape, width=width,
                            shortcut=shortcut, preact=preact, branch_scale=branch_scale,
                            bn_momentum=bn_momentum, mean=mean, std=std)


def build_plain(depth: int = 20, num_classes: int = 10,
                input_shape: Sequence[int] = (32, 32, 3), *, width: int = 16,
                bn_momentum: float = 0.99, mean=CIFAR10_MEAN, std=CIFAR10_STD) -> keras.Model:
    """The "plain" twin of :func:`build_resnet`: the same layers, without shortcuts.

    Same layer names as the ResNet of the same depth (no ``_add`` layers). With no shortcut
    there is nothing to pad, so its parameter count equals the padding-shortcut ResNet's.

    Args:
        depth: 6n+2.
        num_classes: number of classes.
        input_shape: ``(height, width, channels)`` of one raw image (values 0–255).
        width: filters of the first stage.
        bn_momentum: BatchNormalization momentum.
        mean: per-channel mean used by the ``normalize`` layer.
        std: per-channel standard deviation used by the ``normalize`` layer.

    Returns:
        An uncompiled ``keras.Model``: ``(batch, *input_shape)`` → ``(batch, num_classes)``.
    """
    return _build_cifar_net("plain", depth, num_classes, input_shape, width=width,
                            shortcut="padding", preact=False, branch_scale=1.0,
                            bn_momentum=bn_momentum, mean=mean, std=std)


def build_model(name: str, depth: int = 20, width: int = 16, num_classes: int = 10,
                input_shape: Sequence[int] = (32, 32, 3), **kwargs) -> keras.Model:
    """Build a course model by name: ``"resnet"``, ``"plain"``, ``"resnet9"`` (the fast network
    of :mod:`resnet_helpers.models.fastnet`; ``depth`` is ignored, ``width`` is its stem width) or
    ``"simple"`` (the snippet).

    ``num_classes`` and ``input_shape`` apply to every model. The origin snippet has a fixed
    layout otherwise, so ``depth`` and ``width`` must keep their defaults with ``"simple"``.
    """
    shape = dict(num_classes=num_classes, input_shape=input_shape)
    if name == "resnet9":
        return build_resnet9(width, **shape, **kwargs)
    if name == "resnet":
        return build_resnet(depth, width=width, **shape, **kwargs)
    if name == "plain":
        return build_plain(depth, width=width, **shape, **kwargs)
    if name == "simple":
        if depth != 20 or width not in (16, None) or kwargs:
            raise ValueError("The 'simple' model (the origin snippet) has a fixed layout; depth, "
                             "width and other options apply to 'resnet' and 'plain' only.")
        return build_simple_resnet(**shape)
    raise ValueError(f"Unknown model {name!r}; choose 'resnet', 'plain', 'resnet9' or 'simple'.")


def weighted_depth(model: keras.Model) -> int:
    """Convolution and dense layers on the longest path (shortcut projections not counted)."""
    return sum(isinstance(l, (layers.Conv2D, layers.Dense)) and "shortcut" not in l.name
               for l in _all_layers(model))


def stage_summary(model: keras.Model) -> list[dict]:
    """One row per part of a course model: input, stem, each stage, head.

    Returns:
        ``[{"part", "blocks", "output shape", "parameters", "multiply-adds"}, …]``, input to
        output; parameters and multiply-adds are those of the part's own layers.
    """
    parts: dict[str, list] = {}
    for layer in _all_layers(model):
        part = layer.name.split("_")[0] if layer.name.startswith(("stem", "stage")) else (
            "input" if layer.name in ("images", "normalize") else "head")
        parts.setdefault(part, []).append(layer)
    rows = []
    for part, members in parts.items():
        blocks = {m.name.split("_")[1] for m in members if part.startswith("stage")}
        macs = sum(_layer_macs(m) for m in members)
        rows.append({"part": part, "blocks": len(blocks) or "",
                     "output shape": tuple(members[-1].output.shape[1:]),
                     "parameters": int(sum(m.count_params() for m in members)),
                     "multiply-adds": int(macs)})
    return rows


def count_params(model: keras.Model, trainable_only: bool = False) -> int:
    """Number of parameters (weights), all of them or only the trainable ones."""
    weights = model.trainable_weights if trainable_only else model.weights
    return int(sum(np.prod(w.shape) for w in weights))


def count_multiply_adds(model: keras.Model) -> int:
    """Multiply-add operations for one image through the Conv2D and Dense layers.

    A Conv2D with a ``k_h × k_w`` kernel, ``c_in`` input and ``c_out`` output channels and an
    output of ``h_out × w_out`` pixels costs ``h_out · w_out · k_h · k_w · c_in · c_out``; a Dense
    layer ``d_in · d_out``. Biases, BatchNorm, activations and additions are ignored (they are a
    few percent). Training one image costs about three times this (forward + two backward).
    """
    return int(sum(_layer_macs(layer) for layer in _all_layers(model)))


def _layer_macs(layer) -> int:
    if isinstance(layer, layers.Conv2D):
        _, h_out, w_out, c_out = layer.output.shape
        k_h, k_w, c_in_per_group, _ = layer.kernel.shape
        return h_out * w_out * k_h * k_w * c_in_per_group * c_out
    if isinstance(layer, layers.Dense):
        d_in, d_out = layer.kernel.shape
        return d_in * d_out
    return 0


def _all_layers(model):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _all_layers(layer)
        else:
            yield layer


def load_model(path) -> keras.Model:
    """Load a saved course model (``.keras``) for inference, in Keras's safe mode.

    Safe mode refuses files that would run arbitrary code when loaded (``Lambda`` layers with
    pickled functions); course models never need it. The model is returned uncompiled.

    Raises:
        FileNotFoundError: no file at ``path`` (train one in lesson 03 first).
        ValueError: the file is not a loadable Keras model, or needs unsafe deserialisation.
    """
    from pathlib import Path

    path = Path(path).expanduser()
    if not path.is_file():
        raise FileNotFoundError(f"No model file at {path}. Run lesson 03 (or `make run`) to train "
                                "one, or point MODEL_PATH at a .keras file.")
    if path.suffix != ".keras":
        raise ValueError(f"{path} is not a .keras file; course models are saved as .keras.")
    from resnet_helpers.models import blocks  # noqa: F401  (registers the course's custom objects)
    from resnet_helpers.training import recipe  # noqa: F401
    try:
        return keras.saving.load_model(path, compile=False, safe_mode=True)
    except Exception as err:  # zip, JSON and deserialisation errors all mean "cannot load"
        raise ValueError(f"Could not load {path} as a Keras model in safe mode "
                         f"({type(err).__name__}: {err}). It may be corrupt, from an "
                         "incompatible Keras version, or need unsafe code; retrain it.") from err
