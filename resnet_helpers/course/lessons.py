"""What the notebooks share: parameter checking, the smoke switch and the run folder.

Each lesson's ``parameters`` cell holds plain literals; ``None`` means "the lesson's default".
:func:`settings` fills in the defaults (the smoke defaults when ``SMOKE`` is on or the
environment variable ``RESNET_SMOKE=1`` is set), checks every value once, and returns them.
A value passed explicitly, e.g. ``papermill -p DEPTH 32 -p SMOKE True``, always wins.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np

from resnet_helpers.messages import tr

__all__ = ["DEFAULTS", "MODELS", "MODEL_WIDTHS", "PRECISIONS", "SMOKE_ENV", "Timer",
           "prepare_run_dir", "save_figure", "settings", "smoke_mode"]

SMOKE_ENV = "RESNET_SMOKE"
MODELS = ("resnet9", "resnet", "plain", "simple")
#: WIDTH = None means the model's own width: the paper's 16 for the CIFAR ResNets, 32 for the
#: fast ResNet-9 (half of Page's 64: a quarter of the multiply-adds, see benchmarks/README.md).
MODEL_WIDTHS = {"resnet9": 32, "resnet": 16, "plain": 16, "simple": None}
PRECISIONS = ("auto", "float32", "mixed_bfloat16", "mixed_float16")

#: Defaults of each lesson: ``full`` for a real run, ``smoke`` for CI (seconds on a CPU).
DEFAULTS: dict[str, dict[str, dict[str, Any]]] = {
    "01_residual_block": {"full": {"SEED": 0}, "smoke": {"SEED": 0}},
    "02_build_resnet": {"full": {"DEPTHS": [20, 32, 44, 56, 110], "TIMED_STEPS": 5},
                        "smoke": {"DEPTHS": [20, 56], "TIMED_STEPS": 2}},
    "03_train_cifar10": {
        "full": {"RUN_DIR": "../runs/latest", "MODEL": "resnet9", "DEPTH": 20, "WIDTH": None,
                 "EPOCHS": 5, "BATCH_SIZE": 128, "LEARNING_RATE": 0.3, "PRECISION": "auto",
                 "LIMIT": None, "SEED": 0, "OVERWRITE": False, "DATA_SOURCE": None,
                 "IMAGE_SIZES": None, "TIME_BUDGET": 10, "CROP_PAD": 2},
        "smoke": {"RUN_DIR": "../runs/smoke", "MODEL": "resnet9", "DEPTH": 8, "WIDTH": None,
                  "EPOCHS": 1, "BATCH_SIZE": 64, "LEARNING_RATE": 0.05, "PRECISION": "auto",
                  "LIMIT": 512, "SEED": 0, "OVERWRITE": True, "DATA_SOURCE": None,
                  "IMAGE_SIZES": None, "TIME_BUDGET": 10, "CROP_PAD": 2},
    },
    "04_feature_maps": {
        "full": {"RUN_DIR": "../runs/latest", "MODEL_PATH": None, "PRETRAINED": False,
                 "DATA_SOURCE": None, "NUM_IMAGES": 6},
        "smoke": {"RUN_DIR": "../runs/smoke", "MODEL_PATH": None, "PRETRAINED": False,
                  "DATA_SOURCE": None, "NUM_IMAGES": 2},
    },
    "05_why_residuals_work": {
        "full": {"RUN_DIR": "../runs/latest", "DATA_SOURCE": None, "DEPTHS": [20, 44],
                 "TRAIN_IMAGES": 10000, "EPOCHS": 4, "BATCH_SIZE": 128, "LEARNING_RATE": 0.1,
                 "BRANCH_SCALE": 0.25, "GRID": 9, "EVAL_IMAGES": 256, "SEED": 0,
                 "OVERWRITE": False, "TRAINED_PAIR": None, "IMAGE_SIZE": 16,
                 "COMPARE_PREACT": False},
        "smoke": {"RUN_DIR": "../runs/smoke", "DATA_SOURCE": None, "DEPTHS": [8, 14],
                  "TRAIN_IMAGES": 256, "EPOCHS": 1, "BATCH_SIZE": 64, "LEARNING_RATE": 0.1,
                  "BRANCH_SCALE": 0.25, "GRID": 3, "EVAL_IMAGES": 32, "SEED": 0, "OVERWRITE": True,
                  "TRAINED_PAIR": None, "IMAGE_SIZE": 16, "COMPARE_PREACT": True},
    },
    "06_your_own_images": {
        "full": {"RUN_DIR": "../runs/latest", "DATA_SOURCE": None, "IMAGE_SIZE": 40,
                 "IMAGES_PER_CLASS": 100, "TEST_FRACTION": 0.2, "EPOCHS": 12, "BATCH_SIZE": 64,
                 "LEARNING_RATE": 0.05, "HEAD_EPOCHS": 3, "HEAD_LEARNING_RATE": 0.1,
                 "FINE_TUNE_LEARNING_RATE": 0.0005, "SEED": 0,
                 "OVERWRITE": False},
        "smoke": {"RUN_DIR": "../runs/smoke", "DATA_SOURCE": None, "IMAGE_SIZE": 32,
                  "IMAGES_PER_CLASS": 12, "TEST_FRACTION": 0.2, "EPOCHS": 2, "BATCH_SIZE": 16,
                  "LEARNING_RATE": 0.05, "HEAD_EPOCHS": 1, "HEAD_LEARNING_RATE": 0.1,
                  "FINE_TUNE_LEARNING_RATE": 0.0005, "SEED": 0,
                  "OVERWRITE": True},
    },
}


def smoke_mode(smoke: bool | None = None) -> bool:
    """An explicit ``smoke`` (True or False) wins; None follows ``$RESNET_SMOKE`` (``1``/``true``
    switch smoke mode on)."""
    if smoke not in (None, True, False):
        raise ValueError(tr("SMOKE must be True, False or None, got {value!r}.", value=smoke))
    if smoke is not None:
        return smoke
    return os.environ.get(SMOKE_ENV, "").strip().lower() in ("1", "true", "yes")


def settings(lesson: str, **given: Any) -> SimpleNamespace:
    """The checked settings of one lesson.

    Args:
        lesson: a key of :data:`DEFAULTS`, e.g. ``"03_train_cifar10"``.
        **given: the notebook's parameters (``SMOKE`` and the rest); ``None`` takes the default.

    Returns:
        A namespace with every parameter of the lesson plus ``SMOKE`` (bool) and
        ``explicit`` (the names that were passed rather than defaulted).

    Raises:
        ValueError: an unknown parameter, or a value of the wrong type or range; the message
            names the parameter, the value and what is allowed.
    """
    if lesson not in DEFAULTS:
        raise ValueError(f"Unknown lesson {lesson!r}; known: {sorted(DEFAULTS)}.")
    smoke = smoke_mode(given.pop("SMOKE", None))
    defaults = DEFAULTS[lesson]["smoke" if smoke else "full"]
    unknown = sorted(set(given) - set(defaults))
    if unknown:
        raise ValueError(tr("Unknown parameter(s) {unknown} for lesson {lesson}; it takes {known}.",
                            unknown=unknown, lesson=lesson, known=sorted(set(defaults) | {"SMOKE"})))
    values = {**defaults}
    explicit = sorted(k for k, v in given.items() if v is not None)
    values.update({k: v for k, v in given.items() if v is not None})
    if "RUN_DIR" in defaults and "RUN_DIR" not in explicit and _in_translated_edition(lesson):
        values["RUN_DIR"] = f"../{values['RUN_DIR']}"  # notebooks/zh shares the repo's runs/
    if "WIDTH" in values and values["WIDTH"] is None and "MODEL" in values:
        values["WIDTH"] = MODEL_WIDTHS.get(values["MODEL"])
    for name, value in values.items():
        _check(name, value)
    return SimpleNamespace(SMOKE=smoke, explicit=explicit, **values)


def _in_translated_edition(lesson: str) -> bool:
    """True when run from a translated edition's folder (``notebooks/zh``): the English lesson
    of the same name is one folder up."""
    here = Path.cwd()
    return here.name == "zh" and (here.parent / f"{lesson}.ipynb").exists()


def _positive_int(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(tr("{name} must be a positive whole number, got {value!r}.", name=name, value=value))


def _check(name: str, value: Any) -> None:
    if name in ("EPOCHS", "HEAD_EPOCHS", "BATCH_SIZE", "NUM_IMAGES", "TIMED_STEPS",
                "TRAIN_IMAGES", "EVAL_IMAGES", "IMAGES_PER_CLASS") or (name in ("LIMIT", "WIDTH")
                                                       and value is not None):
        _positive_int(name, value)
    elif name == "IMAGE_SIZES" and value is not None:
        if not isinstance(value, (list, tuple)) or not value:
            raise ValueError(tr("IMAGE_SIZES must be a list with one image side per epoch, e.g. "
                                "[16, 24, 32, 32], or None; got {value!r}.", value=value))
        from resnet_helpers.data.resizing import check_sizes
        check_sizes(value, 32)
    elif name == "TIME_BUDGET" and (isinstance(value, bool) or not isinstance(
            value, (int, float)) or not 0 < value <= 24 * 60):
        raise ValueError(tr("TIME_BUDGET must be the minutes of training to plan for (10: the "
                            "lesson's promise), got {value!r}.", value=value))
    elif name == "CROP_PAD" and (isinstance(value, bool) or not isinstance(
            value, (int, np.integer)) or not 0 <= value <= 8):
        raise ValueError(tr("CROP_PAD must be the pixels of random shift, a whole number from 0 "
                            "(no shift) to 8 (2: the lesson's, 4: the paper's), got {value!r}.", value=value))
    elif name == "IMAGE_SIZE":
        _positive_int(name, value)
        if value < 8:
            raise ValueError(tr("IMAGE_SIZE must be at least 8 pixels, got {value!r}.", value=value))
    elif name == "TEST_FRACTION" and (isinstance(value, bool) or not isinstance(
            value, (int, float)) or not 0 < value < 1):
        raise ValueError(tr("TEST_FRACTION must be a number between 0 and 1 (0.2: a fifth of "
                            "each class for testing), got {value!r}.", value=value))
    elif name == "DEPTH":
        from resnet_helpers.models.resnets import blocks_per_stage
        blocks_per_stage(value)
    elif name == "DEPTHS":
        if not isinstance(value, (list, tuple)) or not value:
            raise ValueError(tr("DEPTHS must be a non-empty list of depths, got {value!r}.", value=value))
        for depth in value:
            _check("DEPTH", depth)
    elif name == "GRID" and (isinstance(value, bool) or not isinstance(value, (int, np.integer))
                             or value < 3 or value % 2 == 0):
        raise ValueError(tr("GRID must be an odd whole number >= 3 (so the centre is a grid "
                            "point), got {value!r}.", value=value))
    elif name == "MODEL" and value not in MODELS:
        raise ValueError(tr("MODEL must be one of {choices}, got {value!r}.", choices=MODELS, value=value))
    elif name == "PRECISION" and value not in PRECISIONS:
        raise ValueError(tr("PRECISION must be one of {choices}, got {value!r}.", choices=PRECISIONS,
                            value=value))
    elif name in ("LEARNING_RATE", "HEAD_LEARNING_RATE", "FINE_TUNE_LEARNING_RATE") and (
            isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 10):
        raise ValueError(tr("{name} must be a number between 0 and 10, got {value!r}.", name=name,
                            value=value))
    elif name == "BRANCH_SCALE" and (isinstance(value, bool) or not isinstance(
            value, (int, float)) or not 0 <= value <= 10):
        raise ValueError(tr("BRANCH_SCALE must be a number between 0 and 10 (1.0: He et al.'s "
                            "initialisation, 0: residual branches start at zero), got {value!r}.",
                            value=value))
    elif name == "SEED" and (isinstance(value, bool) or not isinstance(value, (int, np.integer))):
        raise ValueError(tr("SEED must be a whole number, got {value!r}.", value=value))
    elif name == "PRETRAINED" and not isinstance(value, bool):
        from resnet_helpers.models.pretrained import shipped_pretrained
        if value not in shipped_pretrained():
            raise ValueError(tr("PRETRAINED must be True (the shipped resnet20), False, or the name "
                                "of a shipped network, one of {shipped}; got {value!r}. More are trained "
                                "by benchmarks/paper_table6.py.", shipped=shipped_pretrained(), value=value))
    elif name == "TRAINED_PAIR" and not (value is None or isinstance(value, bool)):
        raise ValueError(tr("TRAINED_PAIR must be None (the shipped pair if installed), True or "
                            "False, got {value!r}.", value=value))
    elif name in ("OVERWRITE", "COMPARE_PREACT") and not isinstance(value, bool):
        raise ValueError(tr("{name} must be True or False, got {value!r}.", name=name, value=value))
    elif name in ("RUN_DIR",) and (not isinstance(value, str) or not value.strip()):
        raise ValueError(tr("{name} must be a folder path (a string), got {value!r}.", name=name,
                            value=value))
    elif name in ("DATA_SOURCE", "MODEL_PATH") and value is not None:
        if not isinstance(value, str) or not Path(value).expanduser().exists():
            raise ValueError(tr("{name} {value!r} does not exist. Give an existing path, or None "
                                "for the default.", name=name, value=value))


def prepare_run_dir(run_dir: str | os.PathLike, overwrite: bool = False, *,
                    figures: bool = True) -> Path:
    """Create the run folder (with ``figures/`` unless ``figures`` is False) and return it.

    A folder holding a finished run (``metrics.json``) is not reused unless ``overwrite`` is
    True; then the old results are removed first. An unfinished run is kept, so training can
    resume from its ``backup/``.

    Raises:
        FileExistsError: a finished run is there and ``overwrite`` is False.
    """
    path = Path(run_dir).expanduser()
    if (path / "metrics.json").exists():
        if not overwrite:
            raise FileExistsError(
                tr("{path} already holds a finished run (metrics.json). Choose another RUN_DIR, or "
                   "pass OVERWRITE=True to replace it.", path=path)
            )
        for name in ("metrics.json", "history.json", "model.keras", "best.keras"):
            (path / name).unlink(missing_ok=True)
        for name in ("figures", "logs", "backup"):
            shutil.rmtree(path / name, ignore_errors=True)
    path.mkdir(parents=True, exist_ok=True)
    if figures:
        (path / "figures").mkdir(exist_ok=True)
    return path


def save_figure(fig, run_dir: str | os.PathLike, name: str) -> Path:
    """Save ``fig`` as ``<run_dir>/figures/<name>.png`` (150 dpi) and return the path."""
    path = Path(run_dir) / "figures" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=150, bbox_inches="tight")
    return path


class Timer:
    """``with Timer() as t: …`` then ``t.seconds``."""

    def __enter__(self):
        self.start = time.perf_counter()
        self.seconds = 0.0
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start
        return False
