"""Looking inside a trained network: feature maps, Grad-CAM, residual-branch sizes.

All functions take a course model (raw images in, probabilities out) and address layers by
their names (see :mod:`resnet_helpers.models`); an unknown name raises ValueError listing the
valid ones.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np
import tensorflow as tf


def _layer(model: keras.Model, name: str, kind: str = "layer"):
    names = [layer.name for layer in model.layers]
    if name not in names:
        useful = [n for n in names if n.endswith(("_out", "_relu", "_add")) or n.startswith(
            ("stem_", "stage"))] or names
        raise ValueError(f"{model.name} has no {kind} named {name!r}. Valid names include: "
                         f"{', '.join(useful[:40])}{' …' if len(useful) > 40 else ''}.")
    return model.get_layer(name)


def _check_images(images) -> np.ndarray:
    images = np.asarray(images, dtype="float32")
    if images.ndim == 3:
        images = images[None]
    if images.ndim != 4:
        raise ValueError(f"images must be (N, height, width, channels) or one (height, width, "
                         f"channels) image; got shape {images.shape}.")
    return images


def stage_outputs(model: keras.Model) -> list[str]:
    """Names of the stem's output and of the last layer of each stage, input to output
    (``stageS_blockB_out`` in the CIFAR ResNets; ``stage2_relu`` in ResNet-9, whose second
    stage has no block)."""
    names = [layer.name for layer in model.layers]
    stages = sorted({n.split("_")[0] for n in names if n.startswith("stage")})
    last = [[n for n in names if n.startswith(f"{s}_")][-1] for s in stages]
    return ["stem_relu"] * ("stem_relu" in names) + last


def feature_maps(model: keras.Model, images, layer_names: Sequence[str]) -> dict[str, np.ndarray]:
    """Activations of the named layers for a batch of raw images.

    Args:
        model: a functional Keras model.
        images: ``(N, H, W, C)`` (or one ``(H, W, C)`` image), values 0–255.
        layer_names: names of layers to read.

    Returns:
        ``{name: array (N, h, w, channels)}`` in the order given (inference mode).
    """
    images = _check_images(images)
    outputs = [_layer(model, name).output for name in layer_names]
    probe = keras.Model(model.input, outputs)
    values = probe(images, training=False)
    values = values if isinstance(values, (list, tuple)) else [values]
    return {name: np.asarray(v) for name, v in zip(layer_names, values)}


def grad_cam(model: keras.Model, image, layer_name: str, class_index: int | None = None,
             score_layer: str = "logits") -> np.ndarray:
    """Grad-CAM heatmap (Selvaraju et al. 2017) of one image at one convolutional layer.

    The class score (before the softmax, from ``score_layer``) is differentiated with respect
    to the layer's activations ``A (h, w, k)``; the channel weights are the gradients averaged
    over space, and the map is ``ReLU(Σ_k weight_k · A_k)``, scaled to [0, 1] and resized to
    the image.

    Args:
        model: a course model.
        image: one raw image ``(H, W, C)`` (or ``(1, H, W, C)``), values 0–255.
        layer_name: a layer with a 4-D output, e.g. ``"stage3_block3_out"``.
        class_index: the class to explain; None explains the predicted class.
        score_layer: the layer holding class scores.

    Returns:
        Heatmap ``(H, W)`` with values in [0, 1].
    """
    images = _check_images(image)
    if len(images) != 1:
        raise ValueError(f"grad_cam explains one image; got {len(images)}.")
    layer = _layer(model, layer_name)
    if len(layer.output.shape) != 4:
        raise ValueError(f"{layer_name!r} outputs shape {layer.output.shape}; Grad-CAM needs a "
                         "convolutional layer with a (batch, h, w, channels) output.")
    probe = keras.Model(model.input, [layer.output, _layer(model, score_layer).output])
    x = tf.convert_to_tensor(images)
    with tf.GradientTape() as tape:
        activations, scores = probe(x, training=False)
        num_classes = scores.shape[-1]
        index = int(tf.argmax(scores[0])) if class_index is None else class_index
        if not 0 <= index < num_classes:
            raise ValueError(f"class_index must be in 0..{num_classes - 1}, got {class_index}.")
        score = scores[0, index]
    grads = tape.gradient(score, activations)[0]                 # (h, w, k)
    weights = tf.reduce_mean(grads, axis=(0, 1))                 # (k,)
    cam = tf.nn.relu(tf.reduce_sum(activations[0] * weights, axis=-1))  # (h, w)
    cam = cam / (tf.reduce_max(cam) + 1e-12)
    cam = tf.image.resize(cam[..., None], images.shape[1:3], method="bilinear")[..., 0]
    return np.clip(cam.numpy(), 0.0, 1.0)


def residual_ratios(model: keras.Model, images) -> dict[str, float]:
    """How much each residual block changes its input: ``‖F(x)‖ / ‖x‖``.

    For every ``<block>_add`` layer, ``F(x)`` is the residual branch (its first input) and
    ``x`` the shortcut (its second); norms are taken per image over all activations and
    averaged over the batch. Small ratios mean the block is close to an identity.

    Args:
        model: a model with residual blocks (``*_add`` layers).
        images: raw images ``(N, H, W, C)``.

    Returns:
        ``{block name: ratio}``, input to output.
    """
    images = _check_images(images)
    adds = [layer for layer in model.layers if isinstance(layer, keras.layers.Add)]
    if not adds:
        raise ValueError(f"{model.name} has no residual additions (a plain network?).")
    inputs = [t for layer in adds for t in layer.input]
    values = keras.Model(model.input, inputs)(images, training=False)
    ratios = {}
    for i, layer in enumerate(adds):
        branch, shortcut = (np.asarray(v).reshape(len(images), -1) for v in values[2 * i:2 * i + 2])
        ratio = np.linalg.norm(branch, axis=1) / (np.linalg.norm(shortcut, axis=1) + 1e-12)
        ratios[layer.name.removesuffix("_add")] = float(ratio.mean())
    return ratios
