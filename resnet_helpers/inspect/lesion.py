"""Lesion study (Veit, Wilber & Belongie 2016): delete one block of a trained network at a time.

Veit et al. read a residual network as an ensemble of many paths of different lengths: delete
one residual block and only the paths through it are lost, so accuracy drops a little; delete
a layer of a plain network and every path is cut. The deletion here is exact and done through
the weights only (restored afterwards), so the model keeps its graph:

* a **residual** block (one with a ``<block>_add`` layer): the last layer of its branch before
  the addition is zeroed (BatchNorm γ and β, or a convolution's kernel and bias). The branch
  then outputs 0, and the block outputs its shortcut, ``ReLU(x) = x`` (its input comes out
  of a ReLU, so it is never negative);
* a **plain** block (the same layers without the addition): both convolutions become
  identity kernels and both BatchNorms the identity at inference (γ = √(var + ε), β = mean), so
  the block passes its non-negative input through unchanged.

Only blocks that keep their input's shape (stride 1, as many channels out as in) can be deleted
this way; the first block of a stage, which changes the shape, is left out for both kinds.
Blocks are found by the course's layer names (``stage2_block3_conv1`` …).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import keras
import numpy as np

from resnet_helpers.inspect.analysis import restored_weights

__all__ = ["removable_blocks", "delete_block", "lesion_study"]

_BLOCK = re.compile(r"^(stage\d+_block\d+)_conv1$")


def removable_blocks(model: keras.Model) -> list[str]:
    """Names (``stageS_blockB``) of the blocks that keep their input's shape, input first.

    Raises:
        ValueError: the model has no layers named like the course's blocks.
    """
    names = {layer.name for layer in model.layers}
    blocks = [m.group(1) for layer in model.layers if (m := _BLOCK.match(layer.name))]
    if not blocks:
        raise ValueError(f"{model.name} has no layers named like 'stage1_block1_conv1': the "
                         "lesion study needs the course's block naming (rh.build_resnet, "
                         "rh.build_plain, rh.build_resnet9).")
    keep = []
    for block in blocks:
        conv1 = model.get_layer(f"{block}_conv1")
        if (f"{block}_shortcut_pad" not in names and f"{block}_shortcut_conv" not in names
                and tuple(conv1.strides) == (1, 1)
                and conv1.input.shape[-1] == model.get_layer(f"{block}_conv2").filters):
            keep.append(block)
    return keep


def _block_layers(model: keras.Model, block: str) -> list[keras.layers.Layer]:
    return [l for l in model.layers if l.name.startswith(f"{block}_")
            and "shortcut" not in l.name]


def delete_block(model: keras.Model, block: str) -> None:
    """Make ``block`` pass its input through unchanged, by its weights (see the module doc).

    Call it inside :func:`resnet_helpers.inspect.analysis.restored_weights` to undo it.

    Raises:
        ValueError: the block is unknown or changes its input's shape.
    """
    if block not in removable_blocks(model):
        raise ValueError(f"{block!r} is not a block of {model.name} that keeps its input's "
                         f"shape; choose one of rh.removable_blocks(model).")
    layers = _block_layers(model, block)
    names = [l.name for l in layers]
    if f"{block}_add" in names:
        last = [l for l in layers[:names.index(f"{block}_add")] if l.weights][-1]
        if isinstance(last, keras.layers.BatchNormalization):   # γ (trained or frozen) and β
            variables = [v for v in (last.gamma, last.beta) if v is not None]
        else:                                                   # kernel and bias
            variables = last.weights
        for variable in variables:
            variable.assign(np.zeros(variable.shape, variable.dtype))
        return
    for layer in layers:
        if isinstance(layer, keras.layers.Conv2D):
            kernel = np.zeros(layer.kernel.shape, "float32")
            h, w, c, _ = kernel.shape
            kernel[h // 2, w // 2] = np.eye(c, dtype="float32")
            layer.kernel.assign(kernel)
            if layer.use_bias:
                layer.bias.assign(np.zeros(layer.bias.shape, "float32"))
        elif isinstance(layer, keras.layers.BatchNormalization):
            layer.gamma.assign(np.sqrt(np.asarray(layer.moving_variance) + layer.epsilon))
            layer.beta.assign(np.asarray(layer.moving_mean))


def lesion_study(model: keras.Model, data: tuple[np.ndarray, np.ndarray],
                 blocks: Sequence[str] | None = None, batch_size: int = 500) -> dict[str, float]:
    """Accuracy on ``data`` with each block deleted in turn (the model is restored after each).

    Args:
        model: a trained course model (ResNet or plain network).
        data: ``(images (N, H, W, C), labels (N,))``.
        blocks: the blocks to delete; default: :func:`removable_blocks`.
        batch_size: images per forward pass.

    Returns:
        ``{"none": accuracy of the intact model, block: accuracy without it, ...}``.
    """
    x, y = np.asarray(data[0], "float32"), np.asarray(data[1]).reshape(-1)

    def accuracy() -> float:
        probs = model.predict(x, batch_size=batch_size, verbose=0)
        return float((probs.argmax(-1) == y).mean())

    result = {"none": accuracy()}
    for block in blocks if blocks is not None else removable_blocks(model):
        with restored_weights(model):
            delete_block(model, block)
            result[block] = accuracy()
    return result
