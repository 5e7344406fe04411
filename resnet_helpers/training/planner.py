"""Choosing lesson 03's training run for *this* machine: a short measured probe, then a plan.

The same lesson trains three times slower on a laptop-class CPU (AVX2 only) than on a server
CPU with bfloat16 matrix units (AMX). Instead of one default that suits one of them,
:func:`plan_training` picks among measured **candidates** — a ResNet-9 width, a number of
epochs, an image size per epoch (:mod:`resnet_helpers.data.resizing`) — the one that should reach
the highest test accuracy within a time budget on this machine:

1. **accuracy per candidate** does not depend on the CPU (the same images, the same arithmetic
   in float32): it was measured once per candidate (``benchmarks/short_run_recipe.py``,
   recorded in :data:`CANDIDATES` and ``benchmarks/README.md``);
2. **speed** does: :func:`probe_speeds` times a few training steps of each width at 32 px in
   each precision this machine can use (float32; mixed bfloat16 where the CPU has bfloat16
   units or the GPU supports it), then the smaller sizes of the candidates that could still fit
   the budget, the most accurate first, until one fits; that one's sizes are timed a second
   time and the two readings averaged — 19–25 s on a 2-core AVX-512 CPU, with or without
   its AVX2 limit (``benchmarks/README.md``);
3. predicted minutes = images of every epoch / measured images per second, plus validation;
   the plan is the most accurate candidate predicted to fit the budget (the fastest one if none
   fits, with a warning).

Backend-neutral (no TensorFlow import): the probe uses only Keras.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import keras
import numpy as np

from resnet_helpers.messages import N_, tr
from resnet_helpers.models.fastnet import build_resnet9
from resnet_helpers.training.distribute import cpu_bfloat16_units
from resnet_helpers.training.recipe import compile_for_training
from resnet_helpers.training.timing import time_fit_steps

__all__ = ["Candidate", "CANDIDATES", "LESSON_MODEL", "precisions_to_try", "probe_speeds",
           "TABLE_COLUMNS", "Plan", "predicted_seconds", "plan_training"]


@dataclass(frozen=True)
class Candidate:
    """One way to train lesson 03, with the test accuracy it reached when measured.

    Attributes:
        width: ResNet-9 width (stem channels).
        sizes: image side of each epoch (the last is 32, the test size).
        test_accuracy: measured on the 10,000 CIFAR-10 test images (JPEG copy, seed 0, float32,
            lesson 03's recipe), without test-time augmentation.
        measured: where the figure comes from.
    """

    width: int
    sizes: tuple[int, ...]
    test_accuracy: float
    measured: str

    @property
    def epochs(self) -> int:
        return len(self.sizes)

    @property
    def label(self) -> str:
        """The candidate in words, in the learner's language."""
        sizes = "32" if set(self.sizes) == {32} else "→".join(
            f"{s}×{self.sizes.count(s)}" for s in dict.fromkeys(self.sizes))
        return tr("ResNet-9 w{width}, {epochs} epochs, {sizes} px", width=self.width,
                  epochs=self.epochs, sizes=sizes)


_SHORT = "benchmarks/short_run_recipe.py, 2026-12-07"
_REAL_AVX2 = "benchmarks/short_run_recipe.py, real AVX2-only EPYC, 2026-12-08"
#: The candidates, the cheapest first (a ``quick`` plan probes only it). Test accuracies:
#: ``benchmarks/README.md``, "Lesson 03's candidates with everything" — single runs
#: (seed 0), float32 on a 2-core AMD EPYC, with lesson 03's recipe: shifts of up to 2 pixels,
#: peak learning rate 0.3, the whitened first layer and frozen BatchNorm scales of
#: :data:`LESSON_MODEL`, the alternating flip.
CANDIDATES: tuple[Candidate, ...] = (
    Candidate(16, (16, 16, 16, 24, 32, 32), 0.8145, _SHORT),
    Candidate(16, (16, 16, 24, 24, 32, 32), 0.8226, _REAL_AVX2),
    Candidate(16, (16, 16, 24, 32, 32, 32), 0.8267, _SHORT),
    Candidate(16, (32,) * 5, 0.8285, _SHORT),
    Candidate(16, (24, 24, 32, 32, 32, 32), 0.8374, _SHORT),
    Candidate(16, (16, 16, 24, 24, 32, 32, 32), 0.8387, _SHORT),
    Candidate(16, (16, 16, 24, 24, 24, 32, 32, 32), 0.8383, _SHORT),
    Candidate(24, (16, 16, 24, 24, 24, 32, 32, 32), 0.8504, _SHORT),
    Candidate(32, (32,) * 5, 0.8547, _SHORT),
)

#: The options of :func:`~resnet_helpers.build_resnet9` that lesson 03 trains with (its
#: section 2): a frozen first layer that whitens 2×2 patches, as many filters as the width but
#: at most 24, and BatchNorm scales γ that stay at 1. The probe times this network.
LESSON_MODEL = {"whiten": True, "bn_scale": False}


def precisions_to_try() -> list[str]:
    """float32, plus mixed bfloat16 where the hardware computes in it (a recent GPU, or a CPU
    with :func:`cpu_bfloat16_units`)."""
    gpu = keras.config.backend() in ("tensorflow", "jax") and _has_recent_gpu()
    return ["float32", "mixed_bfloat16"] if gpu or cpu_bfloat16_units() else ["float32"]


def _has_recent_gpu() -> bool:
    if keras.config.backend() == "jax":
        import jax
        return any(d.platform == "gpu" for d in jax.devices())
    import tensorflow as tf
    gpus = tf.config.list_physical_devices("GPU")
    return bool(gpus) and tf.config.experimental.get_device_details(gpus[0]).get(
        "compute_capability", (0, 0)) >= (8, 0)


def probe_speeds(shapes, precisions, *, batch_size: int = 128, steps: int = 4,
                 seed: int = 0, keep: dict | None = None
                 ) -> dict[tuple[int, int, str], dict[str, float]]:
    """Training speed of ResNet-9 for every ``(width, image side)`` in ``shapes`` and every
    precision.

    Each combination is one ``fit`` on random images ``(batch_size, side, side, 3)`` with the
    course recipe: two warm-up steps (the first traces the graph: the set-up a real run pays
    once for each image size), then the median of ``steps`` steps timed inside the ``fit``
    (:func:`~resnet_helpers.training.timing.time_fit_steps`). The global dtype policy is
    restored afterwards.

    Args:
        shapes: ``(width, image side)`` pairs.
        precisions: dtype policies (``"float32"``, ``"mixed_bfloat16"``).
        batch_size: images per step.
        steps: timed steps per combination.
        seed: for the random images.
        keep: a dict in which to keep each compiled model, keyed like the result; a later call
            with the same dict times a kept model again (one warm-up step, no new graph, a set-up
            of 0): a second timing window at little cost. None: each model is discarded
            after its timing.

    Returns:
        ``{(width, side, precision): {"images_per_second", "setup_seconds"}}``, where
        ``setup_seconds`` is the first step's time beyond an ordinary step's.
    """
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1:
        raise ValueError(f"steps must be a positive whole number, got {steps!r}.")
    policy = keras.config.dtype_policy()
    tf_logger = logging.getLogger("tensorflow")  # each new size is a new graph: a retracing
    tf_level = tf_logger.level                   # warning that means nothing here
    tf_logger.setLevel(logging.ERROR)
    speeds = {}
    try:
        for precision in precisions:
            for width, side in shapes:  # a model per size: same weights, its own shapes
                key = (int(width), int(side), precision)
                model = keep.get(key) if keep is not None else None
                fresh = model is None
                if fresh:
                    # set for every model: clear_session() below resets the policy to float32
                    keras.config.set_dtype_policy(precision)
                    model = build_resnet9(int(width), input_shape=(int(side), int(side), 3),
                                          **LESSON_MODEL)
                    compile_for_training(model, epochs=1, steps_per_epoch=steps + 2,
                                         learning_rate=0.01)
                per_step, setup = time_fit_steps(model, batch_size, steps,
                                                 warmup=2 if fresh else 1, seed=seed)
                speeds[key] = {"images_per_second": batch_size / per_step,
                               "setup_seconds": setup if fresh else 0.0}
                if keep is None:
                    del model
                    keras.backend.clear_session()
                else:
                    keep[key] = model
    finally:
        keras.config.set_dtype_policy(policy)
        tf_logger.setLevel(tf_level)
    return speeds


#: The columns of :attr:`Plan.table` (English keys, as recorded in ``metrics.json``; a lesson
#: shows them in the learner's language: ``pd.DataFrame(plan.table).rename(columns=rh.tr)``).
TABLE_COLUMNS = (N_("candidate"), N_("precision"), N_("images/s at 32 px"),
                 N_("predicted minutes"), N_("probed"), N_("measured test accuracy"), N_("fits"),
                 N_("chosen"))


@dataclass
class Plan:
    """The chosen run and how it was chosen (``table``: one row per candidate × precision;
    ``speeds``: the training images/s it used, keyed ``"w24 mixed_bfloat16 16 px"`` — measured
    by the probe; a ``quick`` plan scales its smaller sizes from 32 px — which a run's
    ``metrics.json`` keeps, to compare the prediction with the training)."""

    width: int
    sizes: list[int]
    precision: str
    predicted_minutes: float
    expected_accuracy: float
    reason: str
    table: list[dict] = field(default_factory=list)
    speeds: dict[str, int] = field(default_factory=dict)

    @property
    def epochs(self) -> int:
        return len(self.sizes)


#: How many times faster than training (at 32 px) the validation after an epoch scores its
#: images. Measured in lesson 03: 3.4–5.6× on the real AVX2-only EPYC (5,000 images in 3–4.5 s
#: against 295–365 training images/s), 3.7× on the emulated AVX2 class
#: (``benchmarks/README.md``).
VALIDATION_SPEEDUP = 4.0


def predicted_seconds(candidate: Candidate, precision: str, speeds: dict, *,
                      images_per_epoch: int, val_images: int) -> float:
    """Predicted wall time of ``candidate``: each epoch's images at the speed measured for its
    image side, the set-up (tracing) of each image size once, and ``val_images`` scored after
    every epoch at :data:`VALIDATION_SPEEDUP` times the training speed at 32 px (a forward
    pass without the backward one). ``speeds`` as returned by :func:`probe_speeds`."""
    def speed(side):
        return speeds[(candidate.width, side, precision)]

    train = sum(images_per_epoch / speed(s)["images_per_second"] for s in candidate.sizes)
    setup = sum(speed(s)["setup_seconds"] for s in set(candidate.sizes))
    val = candidate.epochs * val_images / (VALIDATION_SPEEDUP * speed(32)["images_per_second"])
    return train + setup + val


#: A candidate whose lower bound exceeds the budget by more than this factor is not probed at
#: its smaller sizes (a margin for the probe's noise).
_NOISE = 1.2


def _pixel_scaled(speeds: dict, sides) -> dict:
    """``speeds`` measured at 32 px, extended to ``sides`` as if a smaller image cost only its
    share of the pixels — an upper bound on its speed, since the per-step work that does not
    shrink with the image (weight updates, launching each layer) takes a larger share."""
    return {**{(w, side, p): {"images_per_second": v["images_per_second"] * (32 / side) ** 2,
                              "setup_seconds": v["setup_seconds"]}
               for (w, s, p), v in speeds.items() if s == 32 for side in sides}, **speeds}


def _width_scaled(speeds: dict, width: int) -> dict:
    """Speeds at 32 px for ``width``, estimated from the narrowest width probed as if the
    wider network were only half as slow as its multiply-adds say (``(w/w₀)²/2`` instead of
    ``(w/w₀)²``; measured: about 3× slower from width 16 to 32 on every CPU class, where
    multiply-adds say 4×) — an optimistic bound, to skip probing widths that cannot fit."""
    narrowest = min(w for (w, side, _) in speeds if side == 32)
    factor = max(1.0, (width / narrowest) ** 2 / 2)
    return {**speeds, **{(width, 32, p): {"images_per_second": v["images_per_second"] / factor,
                                          "setup_seconds": v["setup_seconds"]}
                         for (w, side, p), v in speeds.items()
                         if w == narrowest and side == 32}}


def _probe(candidates, precisions, budget_seconds: float, timing: dict, *, batch_size: int,
           steps: int, quick: bool) -> dict:
    """The speeds :func:`plan_training` needs, probing as little as it can: each width at
    32 px from the narrowest up, skipping a width whose optimistic bound
    (:func:`_width_scaled`, then :func:`_pixel_scaled`) cannot fit the budget, and float32
    at the widths above one where mixed precision was faster; then the
    smaller sizes of the candidates that could still fit, in the precision fastest for their
    width at 32 px, the most accurate first, until one is predicted to fit — timed a second
    time at its sizes (the average of both windows) before it counts as fitting."""
    if quick:
        speeds = probe_speeds([(candidates[0].width, 32)], precisions, batch_size=batch_size,
                              steps=steps)
        return _pixel_scaled(speeds, candidates[0].sizes)
    models: dict = {}  # every probed model, kept for a second timing window
    try:
        return _search(candidates, precisions, budget_seconds, timing, models,
                       batch_size=batch_size, steps=steps)
    finally:
        models.clear()
        policy = keras.config.dtype_policy()
        keras.backend.clear_session()  # which resets the dtype policy to float32
        keras.config.set_dtype_policy(policy)


def _search(candidates, precisions, budget_seconds: float, timing: dict, models: dict, *,
            batch_size: int, steps: int) -> dict:
    """:func:`_probe`'s search (its docstring), each model kept in ``models``."""
    def probe(shapes, probe_precisions):
        return probe_speeds(shapes, probe_precisions, batch_size=batch_size, steps=steps,
                            keep=models)

    def could_fit(found, group):
        return any(predicted_seconds(c, p, _pixel_scaled(found, c.sizes), **timing)
                   <= _NOISE * budget_seconds
                   for c in group for p in precisions if (c.width, 32, p) in found)

    speeds: dict = {}
    windows: dict = {}
    tried = list(precisions)
    for width in sorted({c.width for c in candidates}):
        group = [c for c in candidates if c.width == width]
        if speeds and not could_fit(_width_scaled(speeds, width), group):
            continue
        speeds.update(probe([(width, 32)], tried))
        if "float32" in tried and len(tried) > 1 and max(
                tried, key=lambda p: speeds[(width, 32, p)]["images_per_second"]) != "float32":
            # mixed precision's lead does not shrink as layers widen (benchmarks/README.md):
            # float32, slower here, is not timed at the wider widths
            tried.remove("float32")
    hopeful = [c for c in candidates if any((c.width, 32, p) in speeds for p in precisions)
               and could_fit(speeds, [c])] or candidates[:1]
    for candidate in sorted(hopeful, key=lambda c: -c.test_accuracy):
        # its smaller sizes in the precision that is fastest for its width at 32 px
        fastest = max(precisions, key=lambda p: speeds.get((candidate.width, 32, p), {}).get(
            "images_per_second", 0.0))
        shapes = sorted({(candidate.width, s) for s in candidate.sizes}
                        - {(w, side) for (w, side, p) in speeds if p == fastest})
        if shapes:
            speeds.update(probe(shapes, [fastest]))
        if predicted_seconds(candidate, fastest, speeds, **timing) > budget_seconds:
            continue
        # A second timing window for the run about to be chosen, seconds after the first: a
        # shared host has slow stretches of a few seconds that one window catches or misses
        # (benchmarks/README.md). Time per image is averaged (the harmonic mean of the speeds),
        # as a training averages over them.
        again = probe(sorted({(candidate.width, s) for s in candidate.sizes}), [fastest])
        for key, reading in again.items():
            n = windows.get(key, 1)  # readings averaged into speeds[key] so far
            speeds[key] = {**speeds[key], "images_per_second": (n + 1) / (
                n / speeds[key]["images_per_second"] + 1 / reading["images_per_second"])}
            windows[key] = n + 1
        if predicted_seconds(candidate, fastest, speeds, **timing) <= budget_seconds:
            break  # the most accurate candidate that fits: a less accurate one cannot be chosen
    return speeds


def plan_training(budget_minutes: float = 10.0, *, images_per_epoch: int = 45_000,
                  val_images: int = 5_000, candidates=CANDIDATES, precisions=None,
                  batch_size: int = 128, steps: int = 4, speeds: dict | None = None,
                  quick: bool = False) -> Plan:
    """The most accurate candidate predicted to train within ``budget_minutes`` here.

    Args:
        budget_minutes: training time allowed (validation included).
        images_per_epoch: training images per epoch (45,000 in lesson 03).
        val_images: validation images scored after each epoch.
        candidates: :class:`Candidate` s to choose from (default :data:`CANDIDATES`).
        precisions: dtype policies to try; None: :func:`precisions_to_try`.
        batch_size: batch of the probe (and of the run).
        steps: timed steps per probe (more: steadier, slower).
        speeds: measured speeds to use instead of probing (from :func:`probe_speeds`).
        quick: a smoke test of the plan itself: only the cheapest candidate, float32, one
            timed step at 32 px (smaller sizes assumed faster in proportion to their pixels).

    The widths are probed at 32 px from the narrowest up; a wider one is skipped when even an
    optimistic estimate from the narrower one (half the slow-down its multiply-adds predict)
    could not fit, and float32 is not timed above a width where mixed precision was faster
    (its lead does not shrink as layers widen: 1.3–1.5× at widths 16, 24 and 32 on the AVX-512
    class; on AMX none for ResNet-20's 16 channels, 1.65× at width 32, 3.1× at 64). A
    candidate that would not fit even if its smaller image sizes cost only their share of the
    pixels (a lower bound on its time, with a margin for the probe's noise)
    is not probed at those sizes. On a slow CPU that skips the wide candidates. The others
    are probed at their smaller sizes (in the precision that is fastest for their width at
    32 px) the most accurate first, and probing stops at the first one predicted to fit: no
    less accurate candidate could be chosen. That one is timed again at its sizes, seconds
    later, and the time per image of both windows averaged (a shared host's slow stretches of
    a few seconds, which one window catches or misses, are averaged over by a training as
    well); if it no longer fits, the search goes on. A row not probed at every
    size shows its lower bound, and it is never chosen.

    Returns:
        A :class:`Plan`; ``plan.table`` lists every candidate with its measured speed,
        predicted minutes (``probed`` says whether every size was timed) and measured
        accuracy, for display.
    """
    if isinstance(budget_minutes, bool) or not isinstance(budget_minutes, (int, float)) \
            or budget_minutes <= 0:
        raise ValueError(f"budget_minutes must be a positive number, got {budget_minutes!r}.")
    if not candidates:
        raise ValueError("candidates is empty: give at least one Candidate.")
    if quick:
        candidates, precisions, steps = candidates[:1], ["float32"], 1
    precisions = list(precisions or precisions_to_try())
    timing = {"images_per_epoch": images_per_epoch, "val_images": val_images}
    if speeds is None:
        speeds = _probe(candidates, precisions, budget_minutes * 60, timing,
                        batch_size=batch_size, steps=steps, quick=quick)
    rows = []
    for candidate in candidates:
        for precision in precisions:
            probed = all((candidate.width, s, precision) in speeds for s in candidate.sizes)
            at_32 = (candidate.width, 32, precision) in speeds
            bound = _pixel_scaled(speeds if at_32 else _width_scaled(speeds, candidate.width),
                                  candidate.sizes)
            seconds = predicted_seconds(candidate, precision, speeds if probed else bound,
                                        **timing)
            rows.append({"candidate": candidate.label, "precision": precision,
                         "images/s at 32 px": round(bound[(candidate.width, 32, precision)]
                                                    ["images_per_second"]),
                         "predicted minutes": round(seconds / 60, 1),
                         "probed": tr("every size") if probed else (
                             tr("32 px only (a lower bound)") if at_32 else
                             tr("not probed (a lower bound from a narrower width)")),
                         "measured test accuracy": candidate.test_accuracy,
                         "fits": probed and seconds <= budget_minutes * 60,
                         "_candidate": candidate, "_seconds": seconds if probed else float("inf")})
    fitting = [r for r in rows if r["fits"]]
    if fitting:
        best = max(fitting, key=lambda r: (r["measured test accuracy"], -r["_seconds"]))
        reason = tr("the most accurate candidate predicted to train within {budget:g} minutes "
                    "here ({minutes:.1f} min)", budget=budget_minutes,
                    minutes=best["predicted minutes"])
    else:
        best = min(rows, key=lambda r: r["_seconds"])
        reason = tr("no candidate is predicted to fit {budget:g} minutes here; this is the "
                    "fastest ({minutes:.1f} min)", budget=budget_minutes,
                    minutes=best["predicted minutes"])
    for r in rows:
        r["chosen"] = r is best
    chosen = best["_candidate"]
    table = [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]
    measured = {f"w{w} {p} {side} px": round(v["images_per_second"])
                for (w, side, p), v in sorted(speeds.items())}
    return Plan(width=chosen.width, sizes=list(chosen.sizes), precision=best["precision"],
                predicted_minutes=best["_seconds"] / 60,
                expected_accuracy=chosen.test_accuracy, reason=reason, table=table,
                speeds=measured)
