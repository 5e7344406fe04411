"""Callbacks that make a run folder survive interruptions: nothing is lost, nothing truncated.

* :class:`EpochLog` keeps ``history.json`` complete across resumed runs;
* :class:`AtomicCheckpoint` saves the best model to a temporary file, then renames it, and
  remembers the best value of a run that was interrupted;
* :func:`save_model_atomic` does the same for a final model.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import keras
from keras import ops

from .course import read_json, write_json


def save_model_atomic(model: keras.Model, path: str | os.PathLike) -> Path:
    """``model.save(path)`` through a temporary file: a crash never leaves a truncated model."""
    path = Path(path)
    tmp = path.with_name(f".{path.stem}.partial{os.getpid()}.keras")
    model.save(tmp)
    os.replace(tmp, path)
    return path


def read_history(path: str | os.PathLike) -> list[dict]:
    """The per-epoch records of a ``history.json`` (``[]`` when there is none)."""
    path = Path(path)
    return read_json(path)["epochs"] if path.exists() else []


class AtomicCheckpoint(keras.callbacks.ModelCheckpoint):
    """Keep the model with the best ``monitor`` value at ``filepath`` (a ``.keras`` file).

    The model is written to a temporary ``.partial.keras`` file and renamed over ``filepath``,
    so a crash while saving never corrupts the previous best. ``best_so_far`` (e.g. from the
    history of an interrupted run) keeps a resumed run from replacing a better checkpoint.
    """

    def __init__(self, filepath: str | os.PathLike, monitor: str = "val_accuracy",
                 mode: str = "max", best_so_far: float | None = None):
        self.final_path = Path(filepath)
        tmp = self.final_path.with_name(f".{self.final_path.stem}.partial.keras")
        super().__init__(str(tmp), monitor=monitor, mode=mode, save_best_only=True,
                         initial_value_threshold=best_so_far)

    def on_epoch_end(self, epoch, logs=None):
        super().on_epoch_end(epoch, logs)
        tmp = Path(self.filepath)
        if tmp.exists():
            os.replace(tmp, self.final_path)


class EpochLog(keras.callbacks.Callback):
    """Keeps ``history.json`` up to date after every epoch, across interruptions.

    Each epoch's record holds the metrics Keras logged, the learning rate at its end, the
    seconds spent training (``train_seconds``) and validating, and training images/s. Records
    of epochs finished before an interruption are kept, so the file covers every epoch once.
    """

    def __init__(self, path: str | os.PathLike, images_per_epoch: int):
        super().__init__()
        self.path = Path(path)
        self.images_per_epoch = images_per_epoch
        self.records: list[dict] = []

    def on_train_begin(self, logs=None):
        self.records = read_history(self.path)

    def on_epoch_begin(self, epoch, logs=None):
        self._start = self._val_start = time.perf_counter()

    def on_test_begin(self, logs=None):
        self._val_start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        end = time.perf_counter()
        train_s = (self._val_start if self._val_start > self._start else end) - self._start
        record = {"epoch": epoch + 1, **{k: float(v) for k, v in (logs or {}).items()},
                  "learning_rate": float(ops.convert_to_numpy(
                      self.model.optimizer.learning_rate)),
                  "train_seconds": train_s, "val_seconds": end - self._start - train_s,
                  "images_per_second": self.images_per_epoch / max(train_s, 1e-9)}
        record.pop("lr", None)
        self.records = [r for r in self.records if r["epoch"] < epoch + 1] + [record]
        write_json(self.path, {"epochs": self.records})


class CompactProgbar(keras.callbacks.ProgbarLogger):
    """Keras's progress bar, redrawn at most every ``interval`` seconds (default 2) instead of
    every 0.05 s, so an executed notebook stays small (a few hundred kB, not megabytes)."""

    def __init__(self, interval: float = 2.0):
        super().__init__()
        self.interval = interval

    def _maybe_init_progbar(self):
        super()._maybe_init_progbar()
        self.progbar.interval = self.interval
