"""Trained checkpoints shipped with the package, so a learner can look inside a trained network
without training one.

Each checkpoint is a self-contained ``.keras`` file in ``resnet_helpers/pretrained/``: it takes
raw images ``(N, 32, 32, 3)`` with values 0–255 (normalisation is part of the model) and outputs
the 10 class probabilities. ``manifest.json`` beside it records, per checkpoint, its sha256, the
test accuracy, the data, the recipe and the command that reproduces it.
:func:`load_pretrained` checks the hash before loading, and loads in Keras's safe mode.
"""

from __future__ import annotations

import json
from pathlib import Path

import keras

from .data import sha256_file
from .models import load_model

PRETRAINED_DIR = Path(__file__).resolve().parent / "pretrained"


def pretrained_manifest() -> dict[str, dict]:
    """The manifest: ``{name: {"file", "sha256", "test_accuracy", "data", "recipe", …}}``."""
    return json.loads((PRETRAINED_DIR / "manifest.json").read_text())


def load_pretrained(name: str = "resnet20") -> keras.Model:
    """Load a shipped trained model after checking its sha256 against the manifest.

    Args:
        name: a key of :func:`pretrained_manifest` (``"resnet20"``: the paper's ResNet-20).

    Returns:
        The uncompiled model: raw images ``(N, 32, 32, 3)`` in 0–255 → probabilities
        ``(N, 10)``.

    Raises:
        ValueError: an unknown name (the message lists the known ones), or a file whose hash
            differs from the manifest (corrupt or modified; restore it with
            ``git checkout resnet_helpers/pretrained`` or reinstall the package).
        FileNotFoundError: the file is missing from the installation.
    """
    manifest = pretrained_manifest()
    if name not in manifest:
        raise ValueError(f"No pretrained model {name!r}; shipped: {sorted(manifest)}.")
    entry = manifest[name]
    path = PRETRAINED_DIR / entry["file"]
    if not path.is_file():
        raise FileNotFoundError(f"The pretrained file {path} is missing from this installation; "
                                "reinstall the package (pip install -e .) or restore it with "
                                "`git checkout resnet_helpers/pretrained`.")
    digest = sha256_file(path)
    if digest != entry["sha256"]:
        raise ValueError(f"{path} has sha256 {digest[:12]}…, the manifest expects "
                         f"{entry['sha256'][:12]}…: the file is corrupt or was modified. Restore "
                         "it with `git checkout resnet_helpers/pretrained` or reinstall the "
                         "package; it was not loaded.")
    return load_model(path)
