"""Looking inside a trained network: feature maps, Grad-CAM, residual-branch sizes.

Every function takes a *functional* Keras model (a course model, a ``keras.applications``
network such as ``ResNet50``, or your own) that maps images to class scores or probabilities,
and addresses layers by their names; an unknown name raises ValueError listing valid ones.
Subclassed models and Sequential models that were never built have no layer graph to read and
are refused with a message saying so.

Course models take raw 0–255 images; other models take whatever their own preprocessing
expects (``keras.applications.resnet50.preprocess_input`` for ``ResNet50``) — these helpers
pass the images through unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np
import tensorflow as tf

from resnet_helpers.keras_internals import require
from resnet_helpers.messages import tr

__all__ = ["find_layer", "stage_outputs", "feature_maps", "class_scores", "grad_cam",
           "residual_pairs", "residual_ratios"]

_SQUASHING = ("softmax", "sigmoid")


def _check_model(model) -> None:
    """ValueError unless ``model`` is a Keras model with a layer graph (functional, or a
    Sequential model built on an ``Input``) and a single input."""
    if not isinstance(model, keras.Model):
        raise ValueError(f"Expected a keras.Model, got {type(model).__name__}.")
    try:
        inputs, outputs = model.inputs, model.outputs
    except (AttributeError, ValueError) as err:
        raise ValueError(
            f"{model.name} ({type(model).__name__}) has no layer graph these helpers can read "
            f"({err}). They need a functional model: build it with keras.Input(...) and layer "
            "calls, or start a Sequential model with keras.Input(shape=...). A subclassed model "
            "(one that defines call()) cannot be inspected layer by layer.") from err
    if not inputs or not outputs or len(inputs) != 1:
        raise ValueError(f"{model.name} has {len(inputs or [])} inputs; these helpers need a "
                         "model with exactly one image input.")


def find_layer(model: keras.Model, name: str, kind: str = "layer") -> keras.layers.Layer:
    """``model.get_layer(name)``, or a ValueError that lists the model's useful layer names
    (``kind`` names what was looked for in the message, e.g. ``"feature layer"``)."""
    _check_model(model)
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


def _is_spatial(layer) -> bool:
    try:
        return len(layer.output.shape) == 4
    except (AttributeError, ValueError):  # layers with several outputs, or none
        return False


def stage_outputs(model: keras.Model) -> list[str]:
    """Names of the layers that end each resolution stage, input to output.

    Course models: the stem's output and the last layer of each stage (``stageS_blockB_out``
    in the CIFAR ResNets; ``stage2_relu`` in ResNet-9, whose second stage has no block).

    Other models (no ``stage*`` layers): from the first convolution on, the last layer at each
    spatial resolution — the layers after which the resolution changes — skipping padding
    layers and layers pooled to 1×1 (the classic Keras CIFAR head ``AveragePooling2D`` +
    ``Flatten`` keeps a 4-D ``(batch, 1, 1, channels)`` output that is no map), and finally the
    last layer with a 4-D ``(batch, h, w, channels)`` output larger than 1×1 (the feature map
    that the pooling reads). For ``keras.applications.ResNet50`` these are
    ``conv1_relu``, ``conv2_block3_out``, ``conv3_block4_out``, ``conv4_block6_out``,
    ``conv5_block3_out``.
    """
    _check_model(model)
    names = [layer.name for layer in model.layers]
    if "stem_conv" in names and any(n.startswith("stage") for n in names):
        stages = sorted({n.split("_")[0] for n in names if n.startswith("stage")})
        last = [[n for n in names if n.startswith(f"{s}_")][-1] for s in stages]
        return ["stem_relu"] * ("stem_relu" in names) + last
    convs = [i for i, layer in enumerate(model.layers) if isinstance(
        layer, (keras.layers.Conv2D, keras.layers.DepthwiseConv2D, keras.layers.SeparableConv2D))]
    if not convs:
        raise ValueError(f"{model.name} has no convolutional layers; stage_outputs needs a CNN.")
    last_at: dict[tuple, str] = {}          # (height, width) → last layer of that size
    last_spatial = None
    for layer in model.layers[convs[0]:]:
        if not _is_spatial(layer) or isinstance(layer, (keras.layers.ZeroPadding2D,
                                                        keras.layers.InputLayer)):
            continue
        if tuple(layer.output.shape[1:3]) == (1, 1):  # pooled to one value per channel: no map
            continue
        last_at[tuple(layer.output.shape[1:3])] = layer.name
        last_spatial = layer.name
    chosen = set(last_at.values())
    ordered = [n for n in names if n in chosen]      # input to output
    return ordered + [last_spatial] * (last_spatial not in ordered)


def feature_maps(model: keras.Model, images, layer_names: Sequence[str]) -> dict[str, np.ndarray]:
    """Activations of the named layers for a batch of images.

    Args:
        model: a functional Keras model.
        images: ``(N, H, W, C)`` (or one ``(H, W, C)`` image), as the model takes them (raw
            0–255 for course models).
        layer_names: names of layers to read.

    Returns:
        ``{name: array (N, h, w, channels)}`` in the order given (inference mode).
    """
    images = _check_images(images)
    outputs = [find_layer(model, name).output for name in layer_names]
    probe = keras.Model(model.inputs[0], outputs)
    values = probe(images, training=False)
    values = values if isinstance(values, (list, tuple)) else [values]
    return {name: np.asarray(v) for name, v in zip(layer_names, values)}


def class_scores(model: keras.Model, score_layer: str | None = None):
    """Where a model's class scores (before any softmax) are, for Grad-CAM.

    Looked for in this order: ``score_layer`` when given (its output, as it is); a layer named
    ``logits`` (the course's models); the input of a final ``Softmax``/``Activation`` layer; the
    pre-activation of a final Dense layer with a softmax or sigmoid folded in (as in
    ``keras.applications``: its kernel and bias applied to its input, without the activation);
    the model's output itself when it has no such activation.

    Returns:
        ``(tensor, to_scores, description)``: a symbolic tensor of the model's graph, a
        function mapping its value to scores ``(batch, classes)``, and a sentence saying which
        scores these are.

    Raises:
        ValueError: an unknown ``score_layer``, a model with several outputs, or a squashing
            activation folded into a layer other than Dense (pass ``score_layer``).
    """
    _check_model(model)
    if score_layer is not None:
        return (find_layer(model, score_layer, "score layer").output, lambda v: v,
                tr("the output of layer {layer!r} (score_layer given)", layer=score_layer))
    if "logits" in [layer.name for layer in model.layers]:
        return model.get_layer("logits").output, lambda v: v, tr("the Dense layer 'logits'")
    if len(model.outputs) != 1:
        raise ValueError(f"{model.name} has {len(model.outputs)} outputs; pass score_layer=… "
                         "naming the layer whose output holds the class scores.")
    last = _producer(model.outputs[0])
    activation = getattr(last, "activation", None)
    act_name = getattr(activation, "__name__", str(activation))
    if isinstance(last, keras.layers.Softmax) or (isinstance(last, keras.layers.Activation)
                                                  and act_name in _SQUASHING):
        kind = "softmax" if isinstance(last, keras.layers.Softmax) else act_name
        return (last.input, lambda v: v,
                tr("the input of the {kind} layer {layer!r} (the scores before the {kind})",
                   kind=kind, layer=last.name))
    if act_name in _SQUASHING:
        if not isinstance(last, keras.layers.Dense):
            raise ValueError(f"{model.name}'s output layer {last.name!r} "
                             f"({type(last).__name__}) folds a {act_name} into its output; "
                             "pass score_layer=… naming a layer that outputs the class scores.")

        def pre_activation(features, layer=last):
            scores = keras.ops.matmul(keras.ops.cast(features, layer.kernel.dtype), layer.kernel)
            return scores + layer.bias if layer.use_bias else scores

        return (last.input, pre_activation,
                tr("the scores of Dense layer {layer!r} before its {activation} (its kernel and "
                   "bias applied to its input)", layer=last.name, activation=act_name))
    return (model.outputs[0], lambda v: v,
            tr("the model's output {layer!r} (it has no softmax or sigmoid)", layer=last.name))


def grad_cam(model: keras.Model, image, layer_name: str | None = None,
             class_index: int | None = None, score_layer: str | None = None,
             return_info: bool = False):
    """Grad-CAM heatmap (Selvaraju et al. 2017) of one image at one convolutional layer.

    The class score (before the softmax; see :func:`class_scores` for where it is found) is
    differentiated with respect to the layer's activations ``A (h, w, k)``; the channel weights
    are the gradients averaged over space, and the map is ``ReLU(Σ_k weight_k · A_k)``, scaled
    to [0, 1] and resized to the image.

    Args:
        model: a functional Keras model.
        image: one image ``(H, W, C)`` (or ``(1, H, W, C)``) as the model takes it.
        layer_name: a layer with a 4-D output, e.g. ``"stage3_block3_out"``; None: the last
            of :func:`stage_outputs` (the last convolutional feature map).
        class_index: the class to explain; None explains the predicted class.
        score_layer: the layer holding class scores; None finds them (:func:`class_scores`).
        return_info: also return ``{"layer", "class_index", "scores"}``, the last saying in
            words which scores were used.

    Returns:
        Heatmap ``(H, W)`` with values in [0, 1] (and the info dictionary with
        ``return_info=True``).
    """
    images = _check_images(image)
    if len(images) != 1:
        raise ValueError(f"grad_cam explains one image; got {len(images)}.")
    layer_name = layer_name or stage_outputs(model)[-1]
    layer = find_layer(model, layer_name)
    if not _is_spatial(layer):
        raise ValueError(f"{layer_name!r} outputs shape {layer.output.shape}; Grad-CAM needs a "
                         "convolutional layer with a (batch, h, w, channels) output.")
    if tuple(layer.output.shape[1:3]) == (1, 1):
        raise ValueError(f"{layer_name!r} outputs a 1×1 map {layer.output.shape} (pooled): its "
                         "Grad-CAM would be one constant value. Choose the last layer before the "
                         f"pooling, e.g. {stage_outputs(model)[-1]!r} (the default).")
    score_tensor, to_scores, description = class_scores(model, score_layer)
    probe = keras.Model(model.inputs[0], [layer.output, score_tensor])
    x = tf.convert_to_tensor(images)
    with tf.GradientTape() as tape:
        activations, raw = probe(x, training=False)
        tape.watch(activations)
        scores = to_scores(raw)
        num_classes = scores.shape[-1]
        index = int(tf.argmax(scores[0])) if class_index is None else class_index
        if not 0 <= index < num_classes:
            raise ValueError(f"class_index must be in 0..{num_classes - 1}, got {class_index}.")
        score = scores[0, index]
    grads = tape.gradient(score, activations)[0]                 # (h, w, k)
    weights = tf.reduce_mean(grads, axis=(0, 1))                 # (k,)
    cam = tf.nn.relu(tf.reduce_sum(tf.cast(activations[0], weights.dtype) * weights, axis=-1))
    cam = cam / (tf.reduce_max(cam) + 1e-12)                     # (h, w)
    cam = tf.image.resize(cam[..., None], images.shape[1:3], method="bilinear")[..., 0]
    heatmap = np.clip(cam.numpy(), 0.0, 1.0)
    if return_info:
        return heatmap, {"layer": layer_name, "class_index": index, "scores": description}
    return heatmap


def _producer(tensor):
    require("finding the layer that computed a tensor (rh.class_scores, rh.grad_cam)")
    return tensor._keras_history.operation


def _ancestors(tensor) -> dict[int, tuple[int, object]]:
    """``{id(tensor): (steps back, tensor)}`` for the tensor and everything it is computed from."""
    require("walking a model's graph (rh.residual_pairs, rh.residual_ratios)")
    found = {id(tensor): (0, tensor)}
    frontier = [tensor]
    while frontier:
        nxt = []
        for t in frontier:
            history = getattr(t, "_keras_history", None)
            if history is None:
                continue
            node = history.operation._inbound_nodes[history.node_index]
            for parent in node.input_tensors:
                if id(parent) not in found:
                    found[id(parent)] = (found[id(t)][0] + 1, parent)
                    nxt.append(parent)
        frontier = nxt
    return found


def residual_pairs(model: keras.Model) -> dict[str, tuple[str, str]]:
    """For every two-input ``Add`` layer: which input is the residual branch and which the
    shortcut.

    Both inputs start from a common tensor ``x`` (where the block forks). The shortcut is the
    input with fewer layers from that fork — ``x`` itself for an identity shortcut, a
    projection or pooling otherwise — and the branch the other one, whatever their order in
    the ``Add`` call (``keras.applications`` pass the shortcut first, the course's blocks
    second).

    Returns:
        ``{block name: (branch layer name, shortcut layer name)}``, input to output; the block
        name is the Add layer's name without a trailing ``_add``.

    Raises:
        ValueError: the model has no two-input Add layers (a plain network?).
    """
    _check_model(model)
    adds = [layer for layer in model.layers
            if isinstance(layer, keras.layers.Add) and len(layer.input) == 2]
    if not adds:
        raise ValueError(f"{model.name} has no residual additions (a plain network?).")
    pairs = {}
    for layer in adds:
        a, b = layer.input
        from_a, from_b = _ancestors(a), _ancestors(b)
        common = set(from_a) & set(from_b)
        if common:
            fork = min(common, key=lambda k: from_a[k][0] + from_b[k][0])
            steps_a, steps_b = from_a[fork][0], from_b[fork][0]
        else:
            steps_a, steps_b = len(from_a), len(from_b)
        branch, shortcut = (b, a) if steps_a < steps_b else (a, b)
        pairs[layer.name.removesuffix("_add")] = (_producer(branch).name, _producer(shortcut).name)
    return pairs


def residual_ratios(model: keras.Model, images) -> dict[str, float]:
    """How much each residual block changes its input: ``‖F(x)‖ / ‖x‖``.

    For every two-input ``Add`` layer, ``F(x)`` is the residual branch and ``x`` the shortcut,
    told apart by :func:`residual_pairs`; norms are taken per image over all activations and
    averaged over the batch. Small ratios mean the block is close to an identity.

    Args:
        model: a functional model with residual blocks (``Add`` layers).
        images: images ``(N, H, W, C)`` as the model takes them.

    Returns:
        ``{block name: ratio}``, input to output.
    """
    images = _check_images(images)
    pairs = residual_pairs(model)
    names = [name for pair in pairs.values() for name in pair]
    values = feature_maps(model, images, list(dict.fromkeys(names)))
    ratios = {}
    for block, (branch, shortcut) in pairs.items():
        f = values[branch].reshape(len(images), -1)
        x = values[shortcut].reshape(len(images), -1)
        ratio = np.linalg.norm(f, axis=1) / (np.linalg.norm(x, axis=1) + 1e-12)
        ratios[block] = float(ratio.mean())
    return ratios
