"""Trained checkpoints shipped with the package (the model zoo), so a learner can look inside a
trained network without training one.

Each checkpoint sits in ``resnet_helpers/pretrained/``; it takes raw images ``(N, 32, 32, 3)``
with values 0–255 (normalisation is part of the model) and outputs the 10 class probabilities.
Two file formats:

* ``.keras``: a whole float32 Keras model (``resnet20.keras``);
* ``.npz``: the compact form: the weights cast to float16 plus the architecture as a spec
  (``{"builder": "resnet", "depth": 56, …}``) that one of the package's builders rebuilds; the
  weights are cast back to float32 on load (:func:`save_float16`, :func:`load_float16`). Half the
  size; the manifest records the accuracy of the float16 file itself.

``manifest.json`` beside them lists every network of the zoo: those that ship (``"status":
"shipped"``: sha256, file size, test accuracy with and without flip test-time augmentation,
data, recipe, command) and those planned but not trained yet (``"status": "pending"``, with the
command that produces them). :func:`load_pretrained` checks the hash before loading; ``.keras``
files load in Keras's safe mode and ``.npz`` files hold plain arrays only (no pickles, no code).
"""

from __future__ import annotations

import json
from pathlib import Path

import keras
import numpy as np

from resnet_helpers.data.cifar10 import sha256_file
from resnet_helpers.models.resnets import build_plain, build_resnet, load_model

__all__ = ["PRETRAINED_DIR", "FLOAT16_FORMAT", "BUILDERS", "pretrained_manifest",
           "shipped_pretrained", "load_pretrained", "trained_pair", "save_float16", "load_float16"]

PRETRAINED_DIR = Path(__file__).resolve().parents[1] / "pretrained"  # resnet_helpers/pretrained/
#: The format tag written into every float16 file.
FLOAT16_FORMAT = "resnet_helpers.float16-weights.v1"
#: The builders a float16 file may name (nothing else is ever called on load).
BUILDERS = {"resnet": build_resnet, "plain": build_plain}
_FLOAT16_MAX = float(np.finfo(np.float16).max)


def pretrained_manifest() -> dict[str, dict]:
    """The manifest: ``{name: {"status", "file", "sha256", "test_accuracy", "command", …}}``,
    shipped and pending entries alike (see :func:`shipped_pretrained`)."""
    return json.loads((PRETRAINED_DIR / "manifest.json").read_text())


def shipped_pretrained() -> list[str]:
    """Names of the networks that ship with this installation, e.g. ``["resnet20"]``."""
    return sorted(name for name, entry in pretrained_manifest().items()
                  if entry.get("status", "shipped") == "shipped" and entry.get("file"))


def load_pretrained(name: str = "resnet20") -> keras.Model:
    """Load a shipped trained model after checking its sha256 against the manifest.

    Args:
        name: a name from :func:`shipped_pretrained` (``"resnet20"``: the paper's ResNet-20).

    Returns:
        The uncompiled float32 model: raw images ``(N, 32, 32, 3)`` in 0–255 → probabilities
        ``(N, 10)``.

    Raises:
        ValueError: an unknown name or one not shipped yet (the message lists what ships and
            the command that trains the missing one), or a file whose hash differs from the
            manifest (corrupt or modified; restore it with ``git checkout
            resnet_helpers/pretrained`` or reinstall the package).
        FileNotFoundError: the file is missing from the installation.
    """
    manifest = pretrained_manifest()
    shipped = shipped_pretrained()
    if name not in manifest:
        raise ValueError(f"No pretrained model {name!r}; shipped: {shipped}. Planned: "
                         f"{sorted(set(manifest) - set(shipped))}.")
    entry = manifest[name]
    if name not in shipped:
        raise ValueError(
            f"The pretrained model {name!r} is planned but not shipped yet; shipped: {shipped}. "
            f"Train it with `{entry.get('command', 'python benchmarks/paper_table6.py')}` "
            "(see benchmarks/README.md, 'Table 6').")
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
    return load_float16(path) if path.suffix == ".npz" else load_model(path)


def trained_pair(depth: int = 56, use: bool | None = None) -> dict[str, keras.Model] | None:
    """The shipped, fully trained plain-``depth`` and ResNet-``depth`` (lesson 05's
    ``TRAINED_PAIR``), or None for the lesson's own short runs.

    Args:
        depth: the depth of the pair (56: the pair the zoo plans to ship).
        use: None: the pair if both ship, else None; True: the pair, or ValueError if it does
            not ship; False: None.

    Returns:
        ``{"plain56": model, "resnet56": model}`` or None.
    """
    names = [f"plain{depth}", f"resnet{depth}"]
    present = set(names) <= set(shipped_pretrained())
    if use and not present:
        raise ValueError(f"TRAINED_PAIR=True needs the shipped {names[0]} and {names[1]}; shipped: "
                         f"{shipped_pretrained()}. Train them with benchmarks/paper_table6.py "
                         "(benchmarks/README.md, 'Table 6'), or set TRAINED_PAIR = None.")
    if use is False or not present:
        return None
    return {name: load_pretrained(name) for name in names}


def save_float16(model: keras.Model, path: str | Path, spec: dict) -> Path:
    """Save ``model``'s weights as float16 with its architecture ``spec`` (a compressed ``.npz``).

    Args:
        model: a model built by ``BUILDERS[spec["builder"]](**rest of spec)``.
        path: the file to write (``.npz``).
        spec: ``{"builder": "resnet" | "plain", **keyword arguments of that builder}``, plain
            JSON values only, e.g. ``{"builder": "resnet", "depth": 56, "shortcut": "padding"}``.

    Returns:
        The path written.

    Raises:
        ValueError: the spec does not rebuild a model with ``model``'s weight shapes, or a weight
            does not fit float16 (magnitude above 65,504).
    """
    path = Path(path)
    if path.suffix != ".npz":
        raise ValueError(f"A float16 checkpoint is an .npz file; got {path.name!r}.")
    rebuilt = _build_from_spec(spec)
    weights = [np.asarray(w) for w in model.get_weights()]
    if [w.shape for w in weights] != [tuple(w.shape) for w in rebuilt.weights]:
        raise ValueError(f"The spec {spec} builds {rebuilt.name}, whose weights do not match "
                         f"{model.name}'s; give the builder and arguments that built it.")
    big = max((float(np.abs(w).max()) for w in weights if w.size), default=0.0)
    if not np.isfinite(big) or big > _FLOAT16_MAX:
        raise ValueError(f"{model.name} has a weight of magnitude {big:g}, beyond float16's "
                         f"{_FLOAT16_MAX:g}; save it as a float32 .keras file instead.")
    arrays = {f"w{i:04d}": w.astype(np.float16) for i, w in enumerate(weights)}
    meta = {"format": FLOAT16_FORMAT, "spec": spec, "name": model.name,
            "params": int(model.count_params())}
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, meta=np.array(json.dumps(meta)), **arrays)
    return path


def load_float16(path: str | Path) -> keras.Model:
    """Rebuild a model saved by :func:`save_float16`, its weights cast back to float32.

    Raises:
        ValueError: not a float16 checkpoint of this package, or its arrays do not fit the
            rebuilt model.
    """
    with np.load(Path(path), allow_pickle=False) as data:
        if "meta" not in data.files:
            raise ValueError(f"{path} is not a float16 checkpoint of resnet_helpers (no 'meta').")
        meta = json.loads(str(data["meta"]))
        if meta.get("format") != FLOAT16_FORMAT:
            raise ValueError(f"{path} has format {meta.get('format')!r}; this version reads "
                             f"{FLOAT16_FORMAT!r}.")
        weights = [data[k].astype(np.float32) for k in sorted(k for k in data.files
                                                               if k.startswith("w"))]
    model = _build_from_spec(meta["spec"])
    if [w.shape for w in weights] != [tuple(w.shape) for w in model.weights]:
        raise ValueError(f"{path}: its arrays do not fit {model.name} (spec {meta['spec']}).")
    model.set_weights(weights)
    return model


def _build_from_spec(spec: dict) -> keras.Model:
    if not isinstance(spec, dict) or spec.get("builder") not in BUILDERS:
        raise ValueError(f"The spec must name a builder among {sorted(BUILDERS)}, got {spec!r}.")
    kwargs = {k: v for k, v in spec.items() if k != "builder"}
    saved = keras.config.dtype_policy()
    keras.config.set_dtype_policy("float32")  # float32 layers whatever the global policy
    try:
        return BUILDERS[spec["builder"]](**kwargs)
    finally:
        keras.config.set_dtype_policy(saved)
