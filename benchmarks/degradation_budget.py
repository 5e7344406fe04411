"""Lesson 05's budget: how few steps still show degradation, and the lesion test at both depths.

    python benchmarks/degradation_budget.py --data PATH --budgets 4000x4 6000x4 8000x3 \
        [--seeds 0 1 2] [--branch-scale 0.25] [--out benchmarks/results/degradation_budget.json]

For every budget ``IMAGESxEPOCHS`` and seed, runs lesson 05's own experiment
(:func:`resnet_helpers.degradation_experiment`: plain-20, ResNet-20, plain-56, ResNet-56 on the
first IMAGES images of the 45,000-image training split shrunk to 16×16, no augmentation, batch
128, peak learning rate 0.1, the given ``branch_scale``), then the lesion test
(:func:`resnet_helpers.lesion_study`) of every network on 500 validation images. Records the
final training error (Keras's running value over the last epoch, as the lesson plots it), the
validation accuracy of every epoch, the lesion figures and the minutes of training. Appends to
``--out`` (one record per run), so budgets can be measured in several sittings.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

import resnet_helpers as rh  # noqa: E402


def budget(text: str) -> tuple[int, int]:
    images, _, epochs = text.partition("x")
    if not (images.isdigit() and epochs.isdigit()):
        raise argparse.ArgumentTypeError(f"a budget is IMAGESxEPOCHS, e.g. 4000x4; got {text!r}")
    return int(images), int(epochs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=None, help="CIFAR-10 source (default: Keras download)")
    parser.add_argument("--budgets", type=budget, nargs="+", default=[(4000, 4)])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--branch-scale", type=float, default=0.25)
    parser.add_argument("--image-size", type=int, default=16)
    parser.add_argument("--out", default="benchmarks/results/degradation_budget.json")
    args = parser.parse_args()

    out = Path(args.out)
    records = json.loads(out.read_text()) if out.exists() else []
    (x_all, y_all), _ = rh.load_cifar10(args.data)
    for seed in args.seeds:
        (x_train, y_train), (x_val, y_val) = rh.train_val_split(x_all, y_all, val_size=5000,
                                                                seed=seed)
        val = (rh.resize_images(x_val[:2000], args.image_size), y_val[:2000])
        for images, epochs in args.budgets:
            train = (rh.resize_images(x_train[:images], args.image_size), y_train[:images])
            start = time.perf_counter()
            results = rh.degradation_experiment(
                [20, 56], train, val, epochs=epochs, run_dir=tempfile.mkdtemp(prefix="budget_"),
                batch_size=128, learning_rate=0.1, branch_scale=args.branch_scale, seed=seed,
                verbose=0)
            wall = time.perf_counter() - start
            err = {n: 1 - r["history"]["accuracy"][-1] for n, r in results.items()}
            lesion = {}
            for name, run in results.items():
                acc = rh.lesion_study(run["model"], (val[0][:500], val[1][:500]))
                deleted = [v for b, v in acc.items() if b != "none"]
                lesion[name] = {"intact": acc["none"], "median": float(np.median(deleted)),
                                "share_lost": (acc["none"] - float(np.median(deleted)))
                                / max(acc["none"] - 0.1, 1e-9)}
            record = {"images": images, "epochs": epochs, "steps": epochs * -(-images // 128),
                      "seed": seed, "branch_scale": args.branch_scale,
                      "image_size": args.image_size, "final_training_error": err,
                      "plain_gap": err["plain56"] - err["plain20"],
                      "resnet_gap": err["resnet56"] - err["resnet20"],
                      "val_accuracy": {n: r["history"]["val_accuracy"] for n, r in results.items()},
                      "lesion": lesion, "experiment_minutes": wall / 60,
                      "device": rh.course.device_description(),
                      "onednn_max_cpu_isa": os.environ.get("ONEDNN_MAX_CPU_ISA"),
                      "data": rh.describe_source(args.data)}
            records.append(record)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(json.dumps(records, indent=1))
            print(f"{images}x{epochs} seed {seed}: plain-56 {100 * record['plain_gap']:+.1f}, "
                  f"ResNet-56 {100 * record['resnet_gap']:+.1f} points of training error over "
                  f"depth 20; lesion share lost (plain/ResNet) 20: "
                  f"{lesion['plain20']['share_lost']:.0%}/{lesion['resnet20']['share_lost']:.0%}, "
                  f"56: {lesion['plain56']['share_lost']:.0%}/{lesion['resnet56']['share_lost']:.0%}; "
                  f"{wall / 60:.1f} min", flush=True)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
