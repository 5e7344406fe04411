"""Lesson 05 — why residuals work: the shortest path through a ResNet, compounding gradients,
gradient norms by hand, filter-normalised directions, and where plain-20's gradients are
largest."""

from __future__ import annotations

import functools

import keras
import numpy as np
import tensorflow as tf

from resnet_helpers.inspect.analysis import conv_layers, filter_normalized_direction, gradient_norms, restored_weights
from resnet_helpers.messages import N_, tr
from resnet_helpers.models.resnets import build_plain, build_resnet
from . import probe
from .answers import as_number, call_learner, call_text, predict_number
from .core import Wrong, exercise


def _weighted_path_lengths(model: keras.Model, start: str = "stem_conv") -> tuple[int, int]:
    """Fewest and most weighted layers (Conv2D, Dense) on a path from ``start`` to the output,
    both ends included, read from the model's layer graph."""
    reach: dict[str, tuple[int, int]] = {}
    for layer in model.layers:  # a functional model lists its layers inputs first
        weighted = int(isinstance(layer, (keras.layers.Conv2D, keras.layers.Dense)))
        if layer.name == start:
            reach[layer.name] = (weighted, weighted)
            continue
        parents = [reach[t._keras_history.operation.name] for node in layer._inbound_nodes
                   for t in node.input_tensors if t._keras_history.operation.name in reach]
        if parents:
            reach[layer.name] = (min(p[0] for p in parents) + weighted,
                                 max(p[1] for p in parents) + weighted)
    return reach[model.layers[-1].name]


@functools.lru_cache(maxsize=1)
def _path_lengths() -> dict[str, tuple[int, int]]:
    return {kind: _weighted_path_lengths(build(44, width=2, **options))
            for kind, build, options in (("padding", build_resnet, {}),
                                         ("projection", build_resnet, {"shortcut": "projection"}),
                                         ("plain", build_plain, {}))}


def _superscript(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))



@exercise("05.1", "predict", N_("The shortest path from the loss to the stem of ResNet-44"),
          N_("Every residual block offers two ways through: its branch (two convolutions) or its "
             "shortcut. The padding shortcut of the first block of stages 2 and 3 subsamples and "
             "adds zero channels: it has no weights. Count Conv2D and Dense layers only."))
def _shortest_path(answer):
    lengths = _path_lengths()
    right, longest = lengths["padding"]
    plain = lengths["plain"][0]
    blocks = (longest - 2) // 2
    return predict_number(answer, right, {
        longest: tr("that is the longest path, through both convolutions of every block — the "
                    "only path plain-{plain} has. The shortcuts open shorter ones.", plain=plain),
        longest - 1: N_("that is the longest path without the Dense layer; the question asks "
                        "for the shortest, and counts the Dense classifier too."),
        lengths["projection"][0]: N_("that would be ResNet-44 with projection shortcuts "
                                     "(option B), whose 1×1 shortcut convolutions have weights; "
                                     "the padding shortcut of rh.build_resnet(44) has none."),
        right + 4: N_("the first block of stages 2 and 3 changes the shape, but its padding "
                      "shortcut has no weights: the path can skip those blocks' convolutions "
                      "too."),
        right + 1: N_("count only convolutions and the Dense layer: BatchNorm, ReLU and pooling "
                      "are not counted, and the padding shortcut has no weights at all."),
        blocks + 2: N_("a shortcut skips both convolutions of its block, not one."),
        blocks: N_("a shortcut skips both convolutions of its block, not one; and the stem and "
                   "the Dense layer count too."),
        right - 1: N_("both ends count: the stem convolution and the Dense classifier."),
        0: N_("the stem convolution and the Dense classifier are on every path, and both "
              "count."),
    }) + tr(" The stem convolution and the Dense classifier: every block, the downsampling ones "
            "too, can be skipped by its shortcut. ResNet-44's 2{paths} paths have 2, 4, …, "
            "{longest} weighted layers.", paths=_superscript(blocks), longest=longest)


@exercise("05.2", "predict", N_("Gradients compounding over plain-56's 55 convolutions"),
          N_("Between the last and the first of 55 layers the gradient passes 54 layers, and "
             "each multiplies its norm by 1.1: factors multiply, they do not add."))
def _compounding(answer):
    right = 1.1 ** 54
    return predict_number(answer, right, {
        1.1 ** 55: N_("between 55 layers there are 54 steps, not 55."),
        1.1 ** 56: N_("the gradient crosses 54 steps between the 55 convolutions, not 56."),
        1 + 0.1 * 54: N_("factors multiply: 1.1 · 1.1 · … (54 times) = 1.1⁵⁴, not 1 + 54 · "
                         "0.1."),
        1.1 * 54: N_("factors multiply: 1.1⁵⁴, not 1.1 × 54."),
        1.1 ** 27: N_("each layer multiplies by 1.1, not each block: 54 steps, not 27."),
    }, rel_tol=0.01)


def _norms(model, x, y, training=True, reduce=tf.reduce_mean):
    layers = conv_layers(model)
    with restored_weights(model):
        with tf.GradientTape() as tape:
            loss = reduce(keras.losses.sparse_categorical_crossentropy(y, model(x, training=training)))
        grads = tape.gradient(loss, [l.kernel for l in layers])
    return np.array([float(tf.norm(g)) for g in grads])


@exercise("05.3", "code", N_("Gradient norms per convolution, by hand"),
          N_("Under a tf.GradientTape call the model in training mode, take the mean "
             "sparse categorical cross-entropy, and the L2 norm of the gradient of each "
             "main-path Conv2D kernel (leave out the shortcut projections), input to output."))
def _gradient_norms(answer):
    gen = probe.rng()
    model = build_resnet(8, width=4, input_shape=(16, 16, 3), shortcut="projection")
    x = gen.uniform(0, 255, (8, 16, 16, 3)).astype("float32")
    y = gen.integers(0, 10, 8)
    _, right = gradient_norms(model, x, y)
    with restored_weights(model):
        value = call_learner(answer, model, x, y,
                             what=call_text("my_gradient_norms", "model", "x", "y"))
    try:
        value = np.asarray(value, dtype="float64").reshape(-1)
    except (TypeError, ValueError) as err:
        raise Wrong(tr("Return one norm per convolution (a list or array of numbers); got "
                       "{kind}.", kind=type(value).__name__)) from err
    n_all = sum(isinstance(l, keras.layers.Conv2D) for l in model.layers)
    if len(value) == n_all and n_all != len(right):
        raise Wrong(tr("You returned {returned} norms: the shortcut projections are included. "
                       "Measure the {main} main-path convolutions (names without 'shortcut').",
                       returned=n_all, main=len(right)))
    if len(value) != len(right):
        raise Wrong(tr("This network has {main} main-path convolutions; you returned {returned} "
                       "norms.", main=len(right), returned=len(value)))
    if np.allclose(value, right, rtol=1e-3):
        return tr("Your norms match rh.gradient_norms on a fresh random network and batch.")
    if np.allclose(value, right[::-1], rtol=1e-3):
        raise Wrong(tr("Your norms run output to input; list them input first."))
    variants = {
        tr("you called the model in inference mode; a training step (and rh.gradient_norms) "
           "uses training=True, so BatchNorm normalises with the batch's own statistics."):
            _norms(model, x, y, training=False),
        tr("you summed the loss over the batch; take its mean (the loss a training step "
           "uses)."): _norms(model, x, y, reduce=tf.reduce_sum),
        tr("you returned squared norms; take the L2 norm itself (tf.norm)."): right ** 2,
    }
    for message, candidate in variants.items():
        if np.allclose(value, candidate, rtol=1e-3):
            raise Wrong(tr("Your norms are off: {message}", message=message))
    raise Wrong(tr("Your norms differ from rh.gradient_norms's (first layer: yours {yours:.3g}, "
                   "expected {expected:.3g}).", yours=value[0], expected=right[0]))


@exercise("05.4", "code", N_("A filter-normalised direction (Li et al. 2018)"),
          N_("For each array with 2 or more axes, rescale every output filter (the last axis) "
             "of the direction to the norm of the same filter of the weights; arrays with one "
             "axis (biases, γ, β) get zeros."))
def _filter_normalize(answer):
    seed = int(probe.rng().integers(0, 2**31))
    x = keras.Input(shape=(6, 6, 2))
    h = keras.layers.Conv2D(int(seed % 3) + 2, 3, name="conv")(x)
    h = keras.layers.BatchNormalization(name="bn")(h)
    h = keras.layers.Dense(5, name="dense")(keras.layers.Flatten()(h))
    model = keras.Model(x, h)
    weights = [np.asarray(v) for v in model.trainable_weights]
    right = filter_normalized_direction(model, seed=seed)
    gen = np.random.default_rng(seed)  # the same raw Gaussian draws the helper scales
    raw = [gen.standard_normal(w.shape).astype(w.dtype) if w.ndim > 1 else
           np.random.default_rng(0).standard_normal(w.shape).astype(w.dtype) for w in weights]
    value = call_learner(answer, [r.copy() for r in raw], [w.copy() for w in weights],
                         what=call_text("filter_normalize", "direction", "weights"))
    if not isinstance(value, (list, tuple)) or len(value) != len(right):
        length = tr(" of length {length}", length=len(value)) if hasattr(value, "__len__") else ""
        raise Wrong(tr("Return a list with one array per weight ({count} here); got "
                       "{kind}{length}.", count=len(right), kind=type(value).__name__,
                       length=length))
    value = [np.asarray(v, dtype="float64") for v in value]
    if any(v.shape != r.shape for v, r in zip(value, right)):
        raise Wrong(tr("Each returned array must have the shape of its weight: expected "
                       "{expected}, got {got}.", expected=[r.shape for r in right],
                       got=[v.shape for v in value]))
    if all(np.allclose(v, r, rtol=1e-4, atol=1e-6) for v, r in zip(value, right)):
        return tr("Your directions match rh.inspect.analysis.filter_normalized_direction, "
                  "filter by filter.")
    for v, r, d, w in zip(value, right, raw, weights):
        if w.ndim == 1 and np.abs(v).max() > 0:
            raise Wrong(tr("The 1-D arrays (biases, BatchNorm γ and β) must get a zero "
                           "direction; yours moves them."))
        if w.ndim > 1 and not np.allclose(v, r, rtol=1e-4, atol=1e-6):
            whole = d * np.linalg.norm(w) / np.linalg.norm(d)
            unit = d / np.linalg.norm(d.reshape(-1, d.shape[-1]), axis=0)
            first = d * (np.linalg.norm(w.reshape(w.shape[0], -1), axis=1)
                         / np.linalg.norm(d.reshape(d.shape[0], -1), axis=1)).reshape(
                             (-1,) + (1,) * (w.ndim - 1))
            for message, candidate in {
                tr("you scaled the whole array at once; scale each filter (last axis) "
                   "separately."): whole,
                tr("each filter has norm 1; scale it to the norm of the weights' same "
                   "filter."): unit,
                tr("you normalised along the first axis; a filter is a slice along the last "
                   "axis (output channels) in Keras kernels."): first,
            }.items():
                if np.allclose(v, candidate, rtol=1e-4, atol=1e-6):
                    raise Wrong(tr("For the kernel of shape {shape}: {message}", shape=w.shape,
                                   message=message))
            raise Wrong(tr("For the kernel of shape {shape} your direction differs: each filter "
                           "of it should be d_f · ‖w_f‖ / ‖d_f‖.", shape=w.shape))
    raise Wrong(tr("Your directions differ from "
                   "rh.inspect.analysis.filter_normalized_direction."))


@functools.lru_cache(maxsize=1)
def _first_over_last() -> float:
    gen = np.random.default_rng(0)
    x = gen.uniform(0, 255, (32, 32, 32, 3)).astype("float32")
    _, norms = gradient_norms(build_plain(20), x, gen.integers(0, 10, 32))
    return float(norms[:2].mean() / norms[-2:].mean())


@exercise("05.5", "investigate",
          N_("Plain-20 at initialisation: first or last layers, larger gradients?"),
          N_("Build rh.build_plain(20), call rh.gradient_norms on a batch of 32 images (your "
             "probe, or random 0–255 pixels), and divide the mean of the first two norms by the "
             "mean of the last two."))
def _first_last(answer):
    value = as_number(answer)
    if value <= 0:
        raise Wrong(tr("{value:g}: a ratio of norms is positive.", value=value))
    expected = _first_over_last()
    if 1 < value and expected / 3 < value < expected * 3:
        return tr("Right: the first layers get about {value:.1f}× the gradient of the last ones "
                  "(this check measured {expected:.1f}×). With BatchNorm the gradient grows "
                  "towards the input, the opposite of the textbook's vanishing gradients.",
                  value=value, expected=expected)
    if value < 1 and expected / 3 < 1 / value < expected * 3:
        raise Wrong(tr("{value:.2f} looks like last / first; the question asks first / last.",
                       value=value))
    if abs(value - 1) < 0.2:
        raise Wrong(tr("{value:.2f}: that is what a ResNet shows (its shortcuts keep the norms "
                       "alike); did you build rh.build_resnet instead of rh.build_plain?",
                       value=value))
    raise Wrong(tr("{value:.3g} is far from what this check measures ({expected:.1f}× on random "
                   "images); use the first two and the last two of the 19 norms.", value=value,
                   expected=expected))
