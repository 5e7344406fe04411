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

The paper's own recipe (He et al. 2015, Section 4.2) is available through the options of
:func:`compile_for_training`: ``schedule="step"`` (learning rate divided by 10 at 50% and 75%
of training, see :func:`step_schedule`), ``nesterov=False`` (plain momentum),
``weight_decay_mode="l2"`` with ``weight_decay=1e-4`` (coupled L2: ``1e-4 × w`` added to each
kernel's gradient before momentum) and ``label_smoothing=0``
(``benchmarks/paper_table6.py``).
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

__all__ = ["SmoothedSparseCrossentropy", "learning_rate_schedule", "step_schedule",
           "compile_for_training"]


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


def step_schedule(learning_rate: float, epochs: int, steps_per_epoch: int, *,
                  milestones: tuple[float, ...] = (0.5, 0.75), factor: float = 0.1,
                  warmup_steps: int = 0, warmup_factor: float = 0.1
                  ) -> keras.optimizers.schedules.PiecewiseConstantDecay:
    """He et al.'s step schedule: ``learning_rate``, multiplied by ``factor`` after each
    milestone (a fraction of all ``epochs × steps_per_epoch`` steps).

    With ``warmup_steps`` the first steps run at ``warmup_factor × learning_rate`` (the paper's
    ResNet-110 starts at 0.01 for about 400 iterations). The schedule is called with the
    optimizer's step count ``t`` (0 for the first update): the update ``t`` uses the value
    after every milestone ``b = round(fraction × total)`` with ``t >= b``.

    Returns:
        A ``PiecewiseConstantDecay``: step → learning rate.
    """
    total = max(1, int(epochs * steps_per_epoch))
    if not all(0 < m < 1 for m in milestones) or list(milestones) != sorted(set(milestones)):
        raise ValueError(f"milestones must be increasing fractions of training in (0, 1), got "
                         f"{milestones!r} (the paper: (0.5, 0.75)).")
    if isinstance(warmup_steps, bool) or not isinstance(warmup_steps, (int, np.integer)) \
            or not 0 <= warmup_steps < total * milestones[0]:
        raise ValueError(f"warmup_steps must be a whole number from 0 to before the first "
                         f"milestone ({int(total * milestones[0])} steps), got {warmup_steps!r}.")
    starts = [round(m * total) for m in milestones]
    values = [learning_rate * factor**i for i in range(len(starts) + 1)]
    if warmup_steps:
        starts, values = [warmup_steps, *starts], [learning_rate * warmup_factor, *values]
    # PiecewiseConstantDecay keeps values[i] while step <= boundaries[i].
    return keras.optimizers.schedules.PiecewiseConstantDecay(
        [int(b) - 1 for b in starts], [float(v) for v in values])


def _set_l2_penalty(model: keras.Model, weight_decay: float) -> None:
    """Give every kernel an ``L2(weight_decay / 2)`` regularizer (0: remove the ones set here
    earlier, so compiling again with the decoupled recipe leaves no penalty behind)."""
    for variable in model.trainable_variables:
        if variable.path.split("/")[-1] != "kernel":  # convolutions and dense layers only
            continue
        if weight_decay:
            variable.regularizer = keras.regularizers.L2(weight_decay / 2)
            variable.regularizer.set_by_recipe = True
        elif getattr(variable.regularizer, "set_by_recipe", False):
            variable.regularizer = None


def compile_for_training(model: keras.Model, *, epochs: int, steps_per_epoch: int,
                         learning_rate: float = 0.1, momentum: float = 0.9,
                         weight_decay: float = 5e-3, label_smoothing: float = 0.1,
                         warmup_epochs: float = 1.0, optimizer: str = "sgd",
                         schedule: str = "cosine", nesterov: bool = True,
                         weight_decay_mode: str = "decoupled",
                         **compile_kwargs) -> keras.Model:
    """Compile ``model`` with the course recipe (see the module docstring).

    Args:
        model: a course model (softmax outputs).
        epochs: length of the schedule.
        steps_per_epoch: batches per epoch.
        learning_rate: peak learning rate (0.1 for SGD at batch 128; scale it with the batch).
        momentum: SGD momentum.
        weight_decay: on kernels only (0 disables); with ``weight_decay_mode="decoupled"``
            the decay per unit learning rate, with ``"l2"`` the coefficient added to the
            gradient (the paper's 1e-4).
        label_smoothing: 0 for plain cross-entropy.
        warmup_epochs: epochs of warm-up: a linear ramp from ``learning_rate/10`` (cosine
            schedule) or a constant ``learning_rate/10`` (step schedule).
        optimizer: ``"sgd"`` (the recipe) or ``"adam"`` (the origin snippet: Adam, constant
            ``learning_rate``, no weight decay).
        schedule: ``"cosine"`` (:func:`learning_rate_schedule`) or ``"step"``
            (:func:`step_schedule`, divided by 10 at 50% and 75% of training: the paper's).
        nesterov: Nesterov momentum (the recipe) or plain momentum (``False``: the paper's).
        weight_decay_mode: ``"decoupled"`` (Keras's ``weight_decay``: the weights shrink by
            ``weight_decay × lr`` per step, outside the momentum) or ``"l2"`` (coupled, as in
            the paper: every kernel gets an ``L2(weight_decay / 2)`` regularizer, so
            ``weight_decay × w`` joins its gradient before momentum and the reported loss
            includes the penalty).
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
    if schedule not in ("cosine", "step"):
        raise ValueError(f"schedule must be 'cosine' or 'step', got {schedule!r}.")
    if weight_decay_mode not in ("decoupled", "l2"):
        raise ValueError(f"weight_decay_mode must be 'decoupled' or 'l2', got "
                         f"{weight_decay_mode!r}.")
    if optimizer == "sgd":
        if schedule == "step":
            warmup_steps = int(round(warmup_epochs * steps_per_epoch)) if epochs > 1 else 0
            lr = step_schedule(learning_rate, epochs, steps_per_epoch, warmup_steps=warmup_steps)
        else:
            lr = learning_rate_schedule(learning_rate, epochs, steps_per_epoch, warmup_epochs)
        decoupled = weight_decay if weight_decay_mode == "decoupled" else 0.0
        opt = keras.optimizers.SGD(lr, momentum=momentum, nesterov=nesterov,
                                   weight_decay=decoupled or None)
        if decoupled:
            opt.exclude_from_weight_decay(var_names=["gamma", "beta", "bias"])
        _set_l2_penalty(model, weight_decay if weight_decay_mode == "l2" else 0.0)
    elif optimizer == "adam":
        opt = keras.optimizers.Adam(learning_rate)
        _set_l2_penalty(model, 0.0)
    else:
        raise ValueError(f"optimizer must be 'sgd' or 'adam', got {optimizer!r}.")
    model.compile(optimizer=opt, loss=SmoothedSparseCrossentropy(label_smoothing),
                  metrics=["accuracy"], **compile_kwargs)
    return model
