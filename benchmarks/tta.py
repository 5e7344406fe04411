"""Test-time augmentation of trained models: plain, mirrored, and mirrored plus shifted views.

    python benchmarks/tta.py --data PATH runs/latest/model.keras [more.keras ...]

For each model (a ``.keras`` file taking raw 0–255 images), the test accuracy of:

* ``plain``: one view per image (the figure lesson 03 is judged on);
* ``flip``: the mean of the probabilities of the image and its mirror image (lesson 03's
  "with flip TTA", ``rh.predict_probabilities(..., flip_tta=True)``);
* ``flip_shift1``: airbench's six views (Keller Jordan, 2024): half the flip average, plus half
  the flip averages of the image shifted by one pixel towards the bottom-right and one towards
  the top-left (reflect padding) — issue 29's "translation TTA";
* ``flip_shift2``: the same with shifts of two pixels.

Inference only; reports seconds per variant (a shifted variant's include the flip pass it
reuses). Writes ``--out`` (JSON).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402

import resnet_helpers as rh  # noqa: E402


def shifted(x: np.ndarray, pixels: int) -> tuple[np.ndarray, np.ndarray]:
    """The images ``(N, H, W, C)`` shifted by ``pixels`` towards the bottom-right and towards the
    top-left, the uncovered border filled by reflection: two arrays of the same shape."""
    p = int(pixels)
    padded = np.pad(x, ((0, 0), (p, p), (p, p), (0, 0)), mode="reflect")
    h, w = x.shape[1:3]
    return padded[:, :h, :w], padded[:, 2 * p:2 * p + h, 2 * p:2 * p + w]


def evaluate(model: keras.Model, x: np.ndarray, y: np.ndarray) -> dict:
    """Accuracy and seconds of every TTA variant for one model."""
    out = {}
    start = time.perf_counter()
    plain = rh.predict_probabilities(model, x)
    out["plain"] = (plain, time.perf_counter() - start)
    start = time.perf_counter()
    flip = rh.predict_probabilities(model, x, flip_tta=True)
    out["flip"] = (flip, time.perf_counter() - start)
    for p in (1, 2):
        start = time.perf_counter()
        views = [rh.predict_probabilities(model, v, flip_tta=True) for v in shifted(x, p)]
        out[f"flip_shift{p}"] = (0.5 * flip + 0.25 * (views[0] + views[1]),
                                 time.perf_counter() - start + out["flip"][1])
    return {name: {"test_accuracy": round(float((probs.argmax(1) == y).mean()), 4),
                   "seconds": round(seconds, 1)} for name, (probs, seconds) in out.items()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("models", nargs="+", type=Path, help=".keras files")
    ap.add_argument("--data", default=None, help="CIFAR-10 source (default: as load_cifar10)")
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results/tta.json"))
    args = ap.parse_args(argv)
    missing = [str(p) for p in args.models if not p.is_file()]
    if missing:
        print(f"error: no model file at {', '.join(missing)} (train lesson 03 first: it writes "
              f"RUN_DIR/model.keras)", file=sys.stderr)
        return 2
    _, (x_test, y_test) = rh.load_cifar10(args.data)
    y_test = np.asarray(y_test).reshape(-1)
    results = {"device": rh.device_description(), "date": time.strftime("%Y-%m-%d %H:%M"),
               "models": {}}
    for path in args.models:
        model = rh.load_model(path)
        results["models"][str(path)] = row = evaluate(model, x_test, y_test)
        print(path, "  ".join(f"{k} {v['test_accuracy']:.2%} ({v['seconds']} s)"
                              for k, v in row.items()), flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
