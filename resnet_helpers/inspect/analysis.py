"""Why residuals work, measured: gradient norms per layer and loss landscapes.

Every function here changes a model's weights (or BatchNorm statistics) only temporarily: the
original values are restored when it returns, also when it raises.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Sequence

import keras
import numpy as np
import tensorflow as tf

__all__ = ["restored_weights", "conv_layers", "gradient_norms", "BATCHNORM_MODES",
           "recompute_batchnorm_statistics", "evaluate_loss", "interpolate_loss",
           "filter_normalized_direction", "loss_surface"]


@contextlib.contextmanager
def restored_weights(model: keras.Model):
    """Run a block of code and put every weight of ``model`` back afterwards (even on error)."""
    saved = [np.array(v) for v in model.weights]
    try:
        yield
    finally:
        for variable, value in zip(model.weights, saved):
            variable.assign(value)


def _loss(model, x, y, training: bool):
    probs = model(x, training=training)
    return keras.losses.sparse_categorical_crossentropy(y, probs)


def conv_layers(model: keras.Model) -> list[keras.layers.Layer]:
    """The model's Conv2D layers on the main path (shortcut projections left out), input first."""
    return [l for l in model.layers if isinstance(l, keras.layers.Conv2D)
            and "shortcut" not in l.name]


def gradient_norms(model: keras.Model, x, y, relative: bool = False
                   ) -> tuple[list[str], np.ndarray]:
    """L2 norm of the loss gradient with respect to each convolution's kernel.

    The loss is the mean cross-entropy of the batch in training mode (BatchNorm uses the
    batch's statistics, as during a training step); the BatchNorm moving averages this updates
    are restored afterwards.

    Args:
        model: a course model.
        x: raw images ``(N, H, W, C)``.
        y: integer labels ``(N,)``.
        relative: return ``‖∂L/∂W‖ / ‖W‖`` instead of ``‖∂L/∂W‖``. A kernel followed by
            BatchNorm can be scaled without changing the loss, and its gradient then shrinks
            by the same factor; the ratio is what one SGD step changes, relative to the
            kernel, per unit of learning rate — the per-layer step size.

    Returns:
        ``(names, norms)``: layer names from input to output and a float array ``(layers,)``.
    """
    layers = conv_layers(model)
    if not layers:
        raise ValueError(f"{model.name} has no Conv2D layers to measure.")
    x = tf.convert_to_tensor(np.asarray(x, "float32"))
    with restored_weights(model):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(_loss(model, x, np.asarray(y).reshape(-1), training=True))
        grads = tape.gradient(loss, [l.kernel for l in layers])
    norms = np.array([float(tf.norm(g)) for g in grads])
    if relative:
        norms = norms / np.array([float(tf.norm(l.kernel)) for l in layers])
    return [l.name for l in layers], norms


BATCHNORM_MODES = ("recompute", "frozen")


def recompute_batchnorm_statistics(model: keras.Model, x, batch_size: int = 500) -> None:
    """Set every BatchNorm layer's moving mean and variance to its statistics on ``x``.

    The statistics a network uses at inference belong to its weights: move the weights (a loss
    landscape, an interpolation) and the stored ones no longer fit. This runs ``x`` through
    the model in training mode, batch by batch, with each BatchNorm's momentum set so that its
    moving statistics become the average over the batches (one batch: exactly its statistics).
    Momenta are restored; the statistics are changed (wrap the call in
    :func:`restored_weights` to undo that).

    Args:
        model: any Keras model; layers other than BatchNormalization are not changed.
        x: images ``(N, H, W, C)`` (for the course's models, raw 0–255 pixels).
        batch_size: images per forward pass.
    """
    norms = [l for l in model.layers if isinstance(l, keras.layers.BatchNormalization)]
    momenta = [l.momentum for l in norms]
    try:
        for k, start in enumerate(range(0, len(x), batch_size), start=1):
            for layer in norms:
                layer.momentum = (k - 1) / k
            model(np.asarray(x[start:start + batch_size], "float32"), training=True)
    finally:
        for layer, momentum in zip(norms, momenta):
            layer.momentum = momentum


_FORWARD: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _forward(model: keras.Model, training: bool):
    """The model's forward pass as one compiled graph (traced once per model and mode)."""
    calls = _FORWARD.setdefault(model, {})
    if training not in calls:
        calls[training] = tf.function(lambda x: model(x, training=training))
    return calls[training]


def evaluate_loss(model: keras.Model, x, y, batch_size: int = 500,
                  batchnorm: str = "frozen") -> float:
    """Mean cross-entropy of ``model`` on ``(x, y)`` in inference mode.

    Args:
        batchnorm: ``"frozen"``: BatchNorm uses the statistics stored in the model;
            ``"recompute"``: they are first re-estimated on ``x`` for the current weights
            (:func:`recompute_batchnorm_statistics`; the model keeps them). When ``x`` fits
            in one batch that is the loss in training mode, computed in one pass.
    """
    if batchnorm not in BATCHNORM_MODES:
        raise ValueError(f"batchnorm must be one of {BATCHNORM_MODES}, got {batchnorm!r}.")
    y = np.asarray(y).reshape(-1)
    one_pass = batchnorm == "recompute" and len(x) <= batch_size
    if batchnorm == "recompute" and not one_pass:
        recompute_batchnorm_statistics(model, x, batch_size)
    total = 0.0
    for start in range(0, len(x), batch_size):
        xb = tf.convert_to_tensor(np.asarray(x[start:start + batch_size], "float32"))
        probs = _forward(model, training=one_pass)(xb)
        total += float(tf.reduce_sum(keras.losses.sparse_categorical_crossentropy(
            y[start:start + batch_size], probs)))
    return total / len(x)


def interpolate_loss(model: keras.Model, w0: Sequence[np.ndarray], w1: Sequence[np.ndarray],
                     data: tuple[np.ndarray, np.ndarray], steps: int = 21,
                     batchnorm: str = "recompute") -> tuple[np.ndarray, np.ndarray]:
    """Loss along the straight line ``(1 − α)·w0 + α·w1`` between two sets of weights.

    The method of Goodfellow, Vinyals & Saxe (2015).

    Args:
        model: the network; ``w0`` and ``w1`` are lists like ``model.get_weights()``
            (e.g. at initialisation and after training). All weights are interpolated.
        data: ``(x, y)`` evaluation batch.
        steps: number of points, α from 0 to 1.
        batchnorm: ``"recompute"`` (default): at every point BatchNorm's statistics are
            re-estimated on ``data`` for the interpolated weights; ``"frozen"``: the moving
            statistics are interpolated like the weights — at α = 0 they are then the
            initial 0 and 1, which describe no network and inflate the loss there.

    Returns:
        ``(alphas (steps,), losses (steps,))``.
    """
    if len(w0) != len(model.weights) or len(w1) != len(model.weights):
        raise ValueError(f"w0 and w1 must have one array per model weight "
                         f"({len(model.weights)}); use model.get_weights().")
    alphas = np.linspace(0.0, 1.0, steps)
    losses = []
    with restored_weights(model):
        for a in alphas:
            for variable, v0, v1 in zip(model.weights, w0, w1):
                variable.assign((1 - a) * np.asarray(v0) + a * np.asarray(v1))
            losses.append(evaluate_loss(model, *data, batchnorm=batchnorm))
    return alphas, np.array(losses)


def filter_normalized_direction(model: keras.Model, seed: int = 0) -> list[np.ndarray]:
    """A random direction in weight space, normalised filter by filter (Li et al. 2018).

    For every convolution and dense kernel, each output filter (last axis) of a Gaussian
    direction is rescaled to the norm of the same filter of the weights, so that moving along
    it changes every filter by the same relative amount, whatever the scale BatchNorm lets the
    weights take. Biases and BatchNorm parameters get a zero direction (they stay put), as in
    the paper's treatment of BatchNorm.

    Returns:
        One array per trainable variable, shaped like it.
    """
    rng = np.random.default_rng(seed)
    direction = []
    for variable in model.trainable_weights:
        w = np.asarray(variable)
        if w.ndim < 2:  # bias, gamma, beta
            direction.append(np.zeros_like(w))
            continue
        d = rng.standard_normal(w.shape).astype(w.dtype)
        axes = tuple(range(w.ndim - 1))  # every axis but the output filters'
        scale = np.sqrt((w**2).sum(axis=axes, keepdims=True) / (
            (d**2).sum(axis=axes, keepdims=True) + 1e-20))
        direction.append(d * scale)
    return direction


def loss_surface(model: keras.Model, data: tuple[np.ndarray, np.ndarray], grid: int = 21,
                 span: float = 1.0, seed: int = 0, batchnorm: str = "recompute"
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Loss on a 2-D slice of weight space around the model's current weights.

    The slice is spanned by two filter-normalised random directions ``d1``, ``d2``
    (:func:`filter_normalized_direction`, seeds ``seed`` and ``seed + 1``); the point
    ``(α, β)`` has weights ``w + α·d1 + β·d2``. With ``batchnorm="recompute"`` (default)
    BatchNorm's statistics are re-estimated on ``data`` at every point, so that each point is
    evaluated as the network those weights make; ``"frozen"`` keeps the trained statistics,
    which no longer fit the moved weights and exaggerate the loss away from the centre.

    Args:
        model: a trained model.
        data: ``(x, y)`` evaluation batch.
        grid: points per axis (odd, so that the centre (0, 0) is on the grid).
        span: α and β run from ``-span`` to ``span``.
        seed: seed of the directions.

    Returns:
        ``(alphas (grid,), betas (grid,), losses (grid, grid))`` with ``losses[i, j]`` at
        ``(alphas[j], betas[i])``; with ``"frozen"`` the centre equals the model's own loss on
        ``data``.
    """
    if not isinstance(grid, (int, np.integer)) or grid < 3 or grid % 2 == 0:
        raise ValueError(f"grid must be an odd integer >= 3 (so (0, 0) is a grid point), "
                         f"got {grid!r}.")
    d1 = filter_normalized_direction(model, seed)
    d2 = filter_normalized_direction(model, seed + 1)
    coords = np.linspace(-span, span, grid)
    losses = np.zeros((grid, grid))
    variables = model.trainable_weights
    base = [np.asarray(v) for v in variables]
    with restored_weights(model):
        for i, b in enumerate(coords):
            for j, a in enumerate(coords):
                for variable, w, u, v in zip(variables, base, d1, d2):
                    variable.assign(w + a * u + b * v)
                losses[i, j] = evaluate_loss(model, *data, batchnorm=batchnorm)
    return coords, coords.copy(), losses
