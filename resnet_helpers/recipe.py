"""The course's training recipe as a compiled Keras model: loss, learning-rate schedule,
optimizer. Backend-neutral (no TensorFlow import), so the same recipe also runs under Keras's
JAX backend (``benchmarks/gpu_recipe.py``).

Recipe (He et al. 2015, with today's small improvements):

* SGD with Nesterov momentum 0.9, batch 128;
* learning rate: linear warm-up from ``lr/10`` to ``lr`` over the first epoch, then cosine decay
  to 0 over the remaining epochs (a "one-cycle"-like schedule that suits short budgets);
* weight decay on convolution and dense kernels only (not BatchNorm, not biases), decoupled:
  ``5e-3 × lr`` per step, the same effective decay as PyTorch's ``weight_decay=5e-4`` with
  momentum 0.9;
* label smoothing 0.1 (the loss never pushes a probability all the way to 1).
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops


@keras.saving.register_keras_serializable(package="resnet_helpers")
class SmoothedSparseCrossentropy(keras.losses.Loss):
    """Cross-entropy for integer labels ``(batch,)`` and probabilities ``(batch, classes)``,
    with label smoothing: the target is ``(1 - s)`` on the true class plus ``s / classes`` on
    every class."""

    def __init__(self, label_smoothing: float = 0.0, name: str = "smoothed_crossentropy",
                 **kwargs):
        super().__init__(name=name, **kwargs)
        if not 0.0 <= label_smoothing < 1.0:
            raise ValueError(f"label_smoothing must be in [0, 1), got {label_smoothing!r}.")
        self.label_smoothing = float(label_smoothing)

    def call(self, y_true, y_pred):
        labels = ops.cast(ops.reshape(y_true, (-1,)), "int32")
        one_hot = ops.one_hot(labels, ops.shape(y_pred)[-1], dtype=y_pred.dtype)
        return keras.losses.categorical_crossentropy(one_hot, y_pred,
                                                     label_smoothing=self.label_smoothing)

    def get_config(self):
        return {**super().get_config(), "label_smoothing": self.label_smoothing}


def learning_rate_schedule(learning_rate: float, epochs: int, steps_per_epoch: int,
                           warmup_epochs: float = 1.0) -> keras.optimizers.schedules.CosineDecay:
    """Linear warm-up from ``learning_rate/10`` to ``learning_rate``, then cosine decay to 0."""
    total = max(1, int(epochs * steps_per_epoch))
    warmup = min(int(warmup_epochs * steps_per_epoch), total - 1) if epochs > 1 else 0
    return keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=learning_rate / 10 if warmup else learning_rate,
        decay_steps=total - warmup, alpha=0.0,
        warmup_target=learning_rate if warmup else None, warmup_steps=warmup)


def compile_for_training(model: keras.Model, *, epochs: int, steps_per_epoch: int,
                         learning_rate: float = 0.1, momentum: float = 0.9,
                         weight_decay: float = 5e-3, label_smoothing: float = 0.1,
                         warmup_epochs: float = 1.0, optimizer: str = "sgd",
                         **compile_kwargs) -> keras.Model:
    """Compile ``model`` with the course recipe (see the module docstring).

    Args:
        model: a course model (softmax outputs).
        epochs: length of the schedule.
        steps_per_epoch: batches per epoch.
        learning_rate: peak learning rate (0.1 for SGD at batch 128; scale it with the batch).
        momentum: SGD momentum.
        weight_decay: decoupled decay per unit learning rate, on kernels only (0 disables).
        label_smoothing: 0 for plain cross-entropy.
        warmup_epochs: epochs of linear warm-up.
        optimizer: ``"sgd"`` (the recipe) or ``"adam"`` (the origin snippet: Adam, constant
            ``learning_rate``, no weight decay).
        **compile_kwargs: passed on to ``model.compile`` (e.g. ``jit_compile=True``,
            ``steps_per_execution=8`` on a GPU; Keras leaves XLA off on a CPU, where it is
            slower).

    Returns:
        The same model, compiled with ``accuracy`` as its metric.
    """
    for name, value in (("epochs", epochs), ("steps_per_epoch", steps_per_epoch)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive whole number, got {value!r}.")
    if not learning_rate > 0:
        raise ValueError(f"learning_rate must be positive, got {learning_rate!r}.")
    if optimizer == "sgd":
        opt = keras.optimizers.SGD(
            learning_rate_schedule(learning_rate, epochs, steps_per_epoch, warmup_epochs),
            momentum=momentum, nesterov=True, weight_decay=weight_decay or None)
        if weight_decay:
            opt.exclude_from_weight_decay(var_names=["gamma", "beta", "bias"])
    elif optimizer == "adam":
        opt = keras.optimizers.Adam(learning_rate)
    else:
        raise ValueError(f"optimizer must be 'sgd' or 'adam', got {optimizer!r}.")
    model.compile(optimizer=opt, loss=SmoothedSparseCrossentropy(label_smoothing),
                  metrics=["accuracy"], **compile_kwargs)
    return model
