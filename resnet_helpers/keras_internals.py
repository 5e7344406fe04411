"""The few Keras internals the course relies on, behind one version check.

Keras 3 has no public API for three things the course does:

* walking a functional model's graph back from a tensor (``KerasTensor._keras_history``,
  ``Operation._inbound_nodes``): :func:`resnet_helpers.class_scores` (and so
  :func:`~resnet_helpers.grad_cam`) finds the scores before a softmax, and
  :func:`~resnet_helpers.residual_pairs` finds each block's branch and shortcut;
* redrawing the progress bar less often (``ProgbarLogger._maybe_init_progbar``):
  :class:`resnet_helpers.training.callbacks.CompactProgbar`;
* training on several machines with Keras 3.15 (``Trainer._symbolic_build`` and
  ``keras.src.backend.tensorflow.trainer.reduce_per_replica``):
  :func:`resnet_helpers.training.distribute.build_before_fit`.

Each of them calls :func:`require` first. With a Keras whose minor version the course has not
been tested with, it raises a ``RuntimeError`` that names the feature, the tested versions and
how to install them, instead of failing later with an ``AttributeError`` from inside Keras — or
worse, silently doing something else. ``pyproject.toml`` allows the same versions, and
``constraints.txt`` (what ``make install`` uses) pins one of them.
"""

from __future__ import annotations

import keras

__all__ = ["TESTED_KERAS", "require"]

#: Keras ``major.minor`` versions whose internals the course was tested with.
TESTED_KERAS = ("3.15",)


def require(feature: str) -> None:
    """Raise RuntimeError unless the installed Keras is one :data:`TESTED_KERAS` lists.

    Args:
        feature: what needs the internals, in words (e.g. ``"rh.grad_cam"``), for the message.
    """
    version = keras.__version__
    if ".".join(version.split(".")[:2]) in TESTED_KERAS:
        return
    tested = ", ".join(f"{v}.x" for v in TESTED_KERAS)
    raise RuntimeError(
        f"{feature} relies on Keras internals that resnet-course has tested with Keras {tested} "
        f"only, and this is Keras {version}. Install a tested version — `make install` (it uses "
        f"constraints.txt) or `pip install \"keras=={TESTED_KERAS[-1]}.*\"` — or update "
        "resnet-course, whose newer versions may support your Keras.")
