"""Training a course model: :func:`train` (fit with the course's callbacks), evaluation
helpers, and a quick throughput measurement. The recipe itself (optimizer, schedule, loss) is
in :mod:`resnet_helpers.training.recipe`; augmentation comes from :func:`resnet_helpers.make_datasets`.

:func:`train` writes into a run folder: ``best.keras`` (best validation accuracy),
``model.keras`` (final weights), ``history.json`` (per-epoch metrics, learning rate and times),
``logs/`` (TensorBoard) and ``backup/`` (resume state: re-running the same call after an
interruption continues from the last finished epoch).
"""

from __future__ import annotations

import os
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from resnet_helpers.training.callbacks import (AtomicCheckpoint, CompactProgbar, EpochLog, read_history,
                        save_model_atomic)
from resnet_helpers.training.distribute import build_before_fit, check_built_in_scope
from resnet_helpers.training.recipe import compile_for_training
from resnet_helpers.training.timing import random_batches, time_steps

__all__ = ["history_columns", "train", "measure_training_throughput", "estimate_training_time",
           "predict_probabilities", "accuracy_report"]


def history_columns(records: list[dict]) -> dict[str, list]:
    """``[{"epoch": 1, "loss": …}, …]`` → ``{"epoch": [1, …], "loss": […], …}``."""
    keys = list(dict.fromkeys(k for r in records for k in r))
    return {k: [r.get(k) for r in records] for k in keys}


def train(model: keras.Model, train_ds: tf.data.Dataset, val_ds: tf.data.Dataset, *,
          epochs: int, run_dir: str | os.PathLike, learning_rate: float = 0.1,
          optimizer: str = "sgd", label_smoothing: float = 0.1, weight_decay: float = 5e-3,
          warmup_epochs: float = 1.0, images_per_epoch: int | None = None,
          strategy: tf.distribute.Strategy | None = None, overwrite: bool = False,
          callbacks: list | None = None, tensorboard: bool = True,
          verbose: str | int = "auto") -> dict:
    """Compile with the recipe and fit, with checkpoints, resume and logs in ``run_dir``.

    Re-running the same call after an interruption (kernel restart, Ctrl-C, a killed process)
    resumes from the last finished epoch with the optimizer and schedule state it had
    (``backup/``); ``history.json`` keeps the earlier epochs and ``best.keras`` is replaced only
    by a better model. Every file is written atomically (temporary name, then rename).

    Args:
        model: an uncompiled (or to-be-recompiled) course model.
        train_ds: batches ``(images (B, H, W, C), labels (B,))`` from :func:`make_datasets`.
        val_ds: validation batches, evaluated after every epoch.
        epochs: number of epochs.
        run_dir: the run folder (created if needed).
        learning_rate, optimizer, label_smoothing, weight_decay, warmup_epochs: the recipe,
            see :func:`compile_for_training`.
        images_per_epoch: for images/s; estimated from the first batch when None.
        strategy: a ``tf.distribute`` strategy the model was built under (see
            :mod:`resnet_helpers.training.distribute`); None trains on the default device.
        overwrite: replace a finished run in ``run_dir`` (one with ``model.keras`` and no
            ``backup/``); without it such a folder is refused.
        callbacks: more Keras callbacks, run after the course's own (so a model saved or a
            line printed at the end of an epoch comes after its backup).
        tensorboard: write TensorBoard logs to ``run_dir/logs``.
        verbose: Keras's progress display (``"auto"``, 0, 1 or 2).

    Returns:
        ``{"history": {metric: [per epoch]}, "epochs", "train_seconds" (sum of the epochs'
        wall times, validation included), "images_per_second" (training only, median over
        epochs)}``.

    Raises:
        FileExistsError: ``run_dir`` holds a finished run and ``overwrite`` is False.
    """
    run_dir = Path(run_dir)
    if (run_dir / "model.keras").exists() and not (run_dir / "backup").exists():
        if not overwrite:
            raise FileExistsError(
                f"{run_dir} holds a finished training run (model.keras). Pass overwrite=True to "
                "train again there, or choose another run_dir.")
        for name in ("model.keras", "best.keras", "history.json"):
            (run_dir / name).unlink(missing_ok=True)
    run_dir.mkdir(parents=True, exist_ok=True)
    strategy = strategy or tf.distribute.get_strategy()
    check_built_in_scope(model, strategy)
    steps = int(train_ds.cardinality())
    if steps < 1:
        raise ValueError("train_ds has no known, positive number of batches; build it with "
                         "make_datasets (a finite dataset).")
    if images_per_epoch is None:
        first_batch = next(iter(train_ds))[0].shape[0]
        images_per_epoch = steps * first_batch
    with strategy.scope():
        compile_for_training(model, epochs=epochs, steps_per_epoch=steps,
                             learning_rate=learning_rate, optimizer=optimizer,
                             label_smoothing=label_smoothing, weight_decay=weight_decay,
                             warmup_epochs=warmup_epochs)
    build_before_fit(model, train_ds, strategy)
    earlier = read_history(run_dir / "history.json")
    best = max((r["val_accuracy"] for r in earlier if "val_accuracy" in r), default=None)
    log = EpochLog(run_dir / "history.json", images_per_epoch)
    extra, callbacks = list(callbacks or []), [
        keras.callbacks.BackupAndRestore(str(run_dir / "backup"), double_checkpoint=True),
        AtomicCheckpoint(run_dir / "best.keras", monitor="val_accuracy",
                         best_so_far=best if (run_dir / "best.keras").exists() else None),
        log,
    ]
    if verbose in (1, "auto"):
        callbacks.append(CompactProgbar())
    if tensorboard:
        callbacks.append(keras.callbacks.TensorBoard(str(run_dir / "logs"), profile_batch=0))
    callbacks += extra
    model.fit(train_ds, validation_data=val_ds, epochs=epochs, callbacks=callbacks,
              verbose=verbose, shuffle=False)  # the dataset shuffles itself
    save_model_atomic(model, run_dir / "model.keras")
    records = log.records
    return {"history": history_columns(records), "epochs": len(records),
            # every epoch once, also those trained before an interruption
            "train_seconds": float(sum(r["train_seconds"] + r["val_seconds"] for r in records)),
            "images_per_second": float(np.median([r["images_per_second"] for r in records]))}


def measure_training_throughput(model: keras.Model, batch_size: int = 128, steps: int = 5,
                                warmup: int = 2, optimizer: str = "sgd") -> float:
    """Training images per second of ``model`` on random data (no input pipeline): ``warmup``
    untimed steps (graph tracing), then the faster of two passes of ``steps`` steps
    (:func:`~resnet_helpers.training.timing.time_steps`). A quick comparison, not a benchmark."""
    compile_for_training(model, epochs=1, steps_per_epoch=steps + warmup, optimizer=optimizer,
                         learning_rate=0.01)
    per_step, _ = time_steps(random_batches(model, batch_size, max(steps, warmup)), steps,
                             warmup)
    return batch_size / per_step


def estimate_training_time(model: keras.Model, train_ds: tf.data.Dataset, epochs: int, *,
                           steps: int = 5, warmup: int = 2,
                           val_ds: tf.data.Dataset | None = None) -> dict:
    """How long ``epochs`` epochs of ``model`` on ``train_ds`` will take, from a few timed steps.

    A copy of the model (same layers, fresh weights: ``model`` itself is not touched; compiled
    with ``model``'s loss when ``model`` is compiled, else with the course recipe) is trained for ``warmup`` steps (the first traces the graph: that set-up is timed apart),
    then ``steps`` timed ones, twice (the faster counts), on batches of ``train_ds`` (input
    pipeline included). With ``val_ds`` a few validation batches are timed the same way and
    every epoch's validation is added.

    Args:
        model: the network about to be trained; inputs ``(batch, h, w, c)``.
        train_ds: the training dataset of ``(images, labels)`` batches, finite.
        epochs: epochs the run will train.
        steps: timed training steps (more: a steadier estimate).
        warmup: steps before them (at least 1 to time the set-up).
        val_ds: the validation batches evaluated after every epoch, finite; None: not counted.

    Returns:
        ``{"seconds_per_step", "steps_per_epoch", "seconds_per_epoch", "setup_seconds",
        "validation_seconds", "seconds"}``: ``seconds`` is the whole run, set-up (graph
        tracing, once) and validation (every epoch) included.
    """
    if steps < 1 or warmup < 0 or epochs < 1:
        raise ValueError(f"need steps >= 1, warmup >= 0 and epochs >= 1; got steps={steps}, "
                         f"warmup={warmup}, epochs={epochs}.")
    steps_per_epoch = int(train_ds.cardinality())
    if steps_per_epoch < 1:
        raise ValueError("train_ds must be a finite dataset of batches (its cardinality was "
                         f"{steps_per_epoch}); estimate before calling .repeat().")
    probe = keras.models.clone_model(model)
    if getattr(model, "optimizer", None) is not None and getattr(model, "loss", None) is not None:
        # compiled already: time the same loss (e.g. one-hot labels) with the same kind of step
        probe.compile(optimizer=keras.optimizers.SGD(0.01, momentum=0.9, nesterov=True),
                      loss=model.loss, metrics=["accuracy"])
    else:
        compile_for_training(probe, epochs=1, steps_per_epoch=steps + warmup, learning_rate=0.01)
    # shuffle=False: the dataset shuffles itself (fit's default would warn that it cannot)
    per_step, setup = _time_batches(lambda ds: probe.fit(ds, verbose=0, shuffle=False),
                                    train_ds, steps, warmup)
    validation = 0.0
    if val_ds is not None:
        val_steps = int(val_ds.cardinality())
        if val_steps < 1:
            raise ValueError("val_ds must be a finite dataset of batches (its cardinality was "
                             f"{val_steps}).")
        per_val_step, val_setup = _time_batches(lambda ds: probe.evaluate(ds, verbose=0),
                                                val_ds, min(steps, val_steps), warmup)
        validation, setup = per_val_step * val_steps * epochs, setup + val_setup
    return {"seconds_per_step": per_step, "steps_per_epoch": steps_per_epoch,
            "seconds_per_epoch": per_step * steps_per_epoch, "setup_seconds": setup,
            "validation_seconds": validation,
            "seconds": per_step * steps_per_epoch * epochs + validation + setup}


def _time_batches(run, dataset: tf.data.Dataset, steps: int, warmup: int) -> tuple[float, float]:
    """(seconds per batch, set-up seconds) of ``run(batches)`` (a ``fit``/``evaluate``) on
    batches of ``dataset``, by :func:`~resnet_helpers.training.timing.time_steps`'s rule."""
    batches = dataset.repeat()
    return time_steps(lambda n: run(batches.take(n)), steps, warmup)


def predict_probabilities(model: keras.Model, x: np.ndarray, batch_size: int = 256,
                          flip_tta: bool = False) -> np.ndarray:
    """Class probabilities ``(N, classes)`` for raw images ``(N, H, W, C)``.

    With ``flip_tta`` the probabilities of each image and its mirror image are averaged
    (test-time augmentation).
    """
    probs = model.predict(x, batch_size=batch_size, verbose=0)
    if flip_tta:
        probs = (probs + model.predict(x[:, :, ::-1], batch_size=batch_size, verbose=0)) / 2
    return probs


def accuracy_report(y_true: np.ndarray, probs: np.ndarray, class_names=None) -> dict:
    """Accuracy, per-class accuracy and the confusion matrix of predictions.

    Args:
        y_true: integer labels ``(N,)``.
        probs: probabilities ``(N, classes)``.
        class_names: names for the per-class dictionary (defaults to indices).

    Returns:
        ``{"accuracy": float, "per_class_accuracy": {name: float}, "confusion": (C, C) list
        (rows: true class, columns: predicted)}``.
    """
    y_true = np.asarray(y_true).reshape(-1)
    num_classes = probs.shape[-1]
    y_pred = probs.argmax(axis=-1)
    confusion = np.zeros((num_classes, num_classes), dtype=int)
    np.add.at(confusion, (y_true, y_pred), 1)
    names = list(class_names) if class_names is not None else [str(i) for i in range(num_classes)]
    per_class = confusion.diagonal() / np.maximum(confusion.sum(axis=1), 1)
    return {"accuracy": float((y_pred == y_true).mean()),
            "per_class_accuracy": dict(zip(names, per_class.round(4).tolist())),
            "confusion": confusion.tolist()}
