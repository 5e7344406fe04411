"""Timing a few training (or evaluation) steps: the rule behind every speed figure the course
prints — lesson 02's images/s (:func:`~resnet_helpers.measure_training_throughput`) and lesson
03's and 05's ETA (:func:`~resnet_helpers.estimate_training_time`). Lesson 03's plan, which
compares candidates within seconds, times the steps inside one ``fit`` instead
(:func:`time_fit_steps`: no ``fit`` start-up counted as training; measured closer to the
training's own speed, ``benchmarks/README.md``).

The rule: ``warmup`` steps first, whose time beyond ordinary steps is the **set-up** (graph
tracing, paid once per input shape); then ``steps`` timed steps, **twice**, and the faster
pass counts — the first steps after tracing are still slow, and a busy moment of a shared
host is not the speed of its CPU.

Backend-neutral (no TensorFlow import).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import keras
import numpy as np

__all__ = ["time_steps", "random_batches", "time_fit_steps"]


def time_steps(run: Callable[[int], object], steps: int, warmup: int = 1) -> tuple[float, float]:
    """Seconds per step and set-up seconds of ``run``.

    Args:
        run: ``run(n)`` performs ``n`` steps (e.g. ``model.fit`` on ``n`` batches).
        steps: steps per timed pass (two passes; the faster counts).
        warmup: untimed steps before them (at least 1 to measure the set-up; 0: set-up 0).

    Returns:
        ``(seconds_per_step, setup_seconds)``, where ``setup_seconds`` is the warm-up's time
        beyond ``warmup`` ordinary steps (never negative).
    """
    for name, value, least in (("steps", steps, 1), ("warmup", warmup, 0)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < least:
            raise ValueError(f"{name} must be a whole number >= {least}, got {value!r}.")
    first = 0.0
    if warmup:
        start = time.perf_counter()
        run(int(warmup))
        first = time.perf_counter() - start
    per_step = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        run(int(steps))
        per_step = min(per_step, (time.perf_counter() - start) / steps)
    return per_step, max(0.0, first - warmup * per_step)


def random_batches(model: keras.Model, batch_size: int, count: int,
                   seed: int = 0) -> Callable[[int], object]:
    """``count`` batches of random images and labels shaped for ``model``, as a function
    ``fit(n)`` that trains ``model`` on the first ``n`` of them (for :func:`time_steps`).

    Images ``(count × batch_size, H, W, C)`` take 0–255 values, labels ``(count × batch_size,)``
    the model's classes."""
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 256, (batch_size * count, *model.input_shape[1:])).astype("float32")
    y = rng.integers(0, model.output_shape[-1], len(x))

    def fit(n: int):
        if n > count:
            raise ValueError(f"asked for {n} batches, only {count} were made.")
        return model.fit(x[: n * batch_size], y[: n * batch_size], batch_size=batch_size,
                         verbose=0)
    return fit


class _BatchClock(keras.callbacks.Callback):
    """Records ``time.perf_counter()`` at the end of every training batch."""

    def __init__(self):
        super().__init__()
        self.stamps: list[float] = []

    def on_train_batch_end(self, batch, logs=None):
        self.stamps.append(time.perf_counter())


def time_fit_steps(model: keras.Model, batch_size: int, steps: int, warmup: int = 2,
                   seed: int = 0) -> tuple[float, float]:
    """Seconds per training step and set-up seconds of a compiled ``model``, from **one**
    ``fit`` call on random images.

    The steps are timed between the ends of consecutive batches inside ``fit``, so the cost
    of starting a ``fit`` call (which a real run pays once per epoch, not per step) stays out
    of the per-step time; the **median** of the ``steps`` intervals after ``warmup`` batches
    is the step time, robust to a busy moment of a shared host. The set-up is what the first
    batch took beyond an ordinary step (starting ``fit`` and tracing the graph: paid once per
    image size).

    Args:
        model: a compiled model taking images ``(batch, H, W, C)`` and integer labels.
        batch_size: images per step.
        steps: timed steps (intervals) after the warm-up.
        warmup: untimed batches first (at least 1: the first one traces the graph).
        seed: for the random images.

    Returns:
        ``(seconds_per_step, setup_seconds)``.
    """
    for name, value, least in (("steps", steps, 1), ("warmup", warmup, 1)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < least:
            raise ValueError(f"{name} must be a whole number >= {least}, got {value!r}.")
    count = int(warmup) + int(steps)
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 256, (batch_size * count, *model.input_shape[1:])).astype("float32")
    y = rng.integers(0, model.output_shape[-1], len(x))
    clock = _BatchClock()
    start = time.perf_counter()
    model.fit(x, y, batch_size=batch_size, epochs=1, shuffle=False, verbose=0,
              callbacks=[clock])
    intervals = np.diff(clock.stamps[int(warmup) - 1:])
    per_step = float(np.median(intervals))
    return per_step, max(0.0, clock.stamps[0] - start - per_step)
