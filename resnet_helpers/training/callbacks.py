"""Callbacks that make a run folder survive interruptions: nothing is lost, nothing truncated.

* :class:`EpochLog` keeps ``history.json`` complete across resumed runs;
* :class:`AtomicCheckpoint` saves the best model to a temporary file, then renames it, and
  remembers the best value of a run that was interrupted;
* :func:`save_model_atomic` does the same for a final model.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import keras
import numpy as np
from keras import ops

from resnet_helpers.keras_internals import require

__all__ = ["AtomicCheckpoint", "CompactProgbar", "EpochLog", "in_notebook", "read_history",
           "read_json", "save_model_atomic", "write_json"]


def write_json(path: str | os.PathLike, data: Any) -> Path:
    """Write JSON atomically (temporary file, then rename); numpy values become plain numbers."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    tmp.write_text(json.dumps(data, indent=2, default=_plain) + "\n")
    os.replace(tmp, path)
    return path


def read_json(path: str | os.PathLike) -> Any:
    """Read a JSON file written by :func:`write_json`."""
    return json.loads(Path(path).read_text())


def _plain(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


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


def in_notebook() -> bool:
    """True inside a Jupyter kernel (JupyterLab, papermill, nbval), False in a script."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return getattr(get_ipython(), "kernel", None) is not None


class CompactProgbar(keras.callbacks.ProgbarLogger):
    """Training progress that stays readable live and small when stored.

    In a notebook (``notebook=None``: detected) each epoch is ONE line of plain text, updated in
    place every ``interval`` seconds (an IPython display with a ``display_id``): JupyterLab shows
    a bar that moves, and the stored notebook keeps one line per epoch, without the backspaces
    and ANSI colour codes of Keras's terminal bar. In a script: Keras's bar, redrawn at most
    every ``interval`` seconds instead of every 0.05 s.
    """

    def __init__(self, interval: float = 2.0, notebook: bool | None = None, width: int = 20):
        require("the course's progress bar (CompactProgbar, used by rh.train)")
        super().__init__()
        self.interval = interval
        self.notebook = in_notebook() if notebook is None else notebook
        self.width = width
        self._handle = None

    def _maybe_init_progbar(self):
        super()._maybe_init_progbar()
        self.progbar.interval = self.interval

    def _line(self, epoch: int, done: int, logs: dict | None, seconds: float) -> str:
        steps = self.target or 0
        filled = self.width * done // steps if steps else 0
        bar = f"[{'=' * filled}{'.' * (self.width - filled)}] {done}/{steps or '?'}"
        metrics = " - ".join(f"{k}: {float(v):.4f}" for k, v in (logs or {}).items())
        return (f"Epoch {epoch + 1}/{self.epochs} {bar} - {seconds:.0f}s"
                + (f" - {metrics}" if metrics else ""))

    def _show(self, line: str):
        from IPython.display import display

        if self._handle is None:
            self._handle = display({"text/plain": line}, raw=True, display_id=True)
        else:
            self._handle.update({"text/plain": line}, raw=True)

    def on_epoch_begin(self, epoch, logs=None):
        if not self.notebook:
            return super().on_epoch_begin(epoch, logs)
        self._epoch, self._start, self._shown, self._handle = epoch, time.perf_counter(), 0.0, None
        self._show(self._line(epoch, 0, None, 0.0))

    def on_train_batch_end(self, batch, logs=None):
        if not self.notebook:
            return super().on_train_batch_end(batch, logs)
        now = time.perf_counter()
        if now - self._shown >= self.interval:
            self._shown = now
            self._show(self._line(self._epoch, batch + 1, logs, now - self._start))

    def on_epoch_end(self, epoch, logs=None):
        if not self.notebook:
            return super().on_epoch_end(epoch, logs)
        self._show(self._line(epoch, self.target or 0, logs, time.perf_counter() - self._start))

    def on_test_batch_end(self, batch, logs=None):
        if not self.notebook:
            super().on_test_batch_end(batch, logs)

    def on_test_end(self, logs=None):
        if not self.notebook:
            super().on_test_end(logs)

    def on_train_end(self, logs=None):
        if not self.notebook:
            super().on_train_end(logs)
