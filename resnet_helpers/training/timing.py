"""Timing a few training (or evaluation) steps: the one rule behind every speed figure the
course prints — lesson 02's images/s (:func:`~resnet_helpers.measure_training_throughput`),
lesson 03's and 05's ETA (:func:`~resnet_helpers.estimate_training_time`) and lesson 03's
plan (:func:`~resnet_helpers.training.planner.probe_speeds`).

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

__all__ = ["time_steps", "random_batches"]


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
