"""Accuracy of lesson 03's candidate runs: ResNet-9 widths, epochs and image-size schedules.

    python benchmarks/cpu_candidates.py --data PATH --width 16 --sizes 16,16,24,24,32,32,32
    python benchmarks/cpu_candidates.py --probe [--budget-min 10]   # this machine's plan

Trains one candidate as lesson 03 did until 2026-12-07 (``rh.train_val_split``,
``rh.make_datasets`` at batch 128 with the lesson's ``CROP_PAD``, ``rh.resize_per_epoch``,
``rh.train`` with the course recipe at a peak learning rate of 0.2; ``--pad``, ``--lr``,
``--label-smoothing`` and ``--weight-decay`` try other settings, and name the record after them)
and records, per epoch, the validation accuracy, the image size and the seconds; at the end the
test accuracy on the 10,000 test images, plain and with flip test-time augmentation. Accuracy
depends on what is trained, not on the CPU that trains it (same precision). These records gave
the accuracy column of ``rh.training.planner.CANDIDATES`` until lesson 03 took the recipe of
``short_run_recipe.py`` (peak 0.3, whitened first layer, γ frozen, alternating flip), whose
records give it now; the speed column comes from each machine's own probe
(``rh.plan_training``). Writes ``--out/<name>.json``.

``--probe`` runs lesson 03's probe instead (``rh.plan_training``, no training): the measured
speed of every candidate, its predicted minutes and the plan for ``--budget-min``, written to
``--out/probe_<cpu class>.json``. Emulate a laptop-class CPU on a bigger one with
``ONEDNN_MAX_CPU_ISA=AVX2`` (recorded in the file).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import resnet_helpers as rh  # noqa: E402  (first: quiet TensorFlow start-up)

import keras  # noqa: E402

LESSON = rh.course.DEFAULTS["03_train_cifar10"]["full"]  # the lesson's own settings


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=None)
    ap.add_argument("--width", type=int, default=16)
    ap.add_argument("--sizes", help="image side per epoch, e.g. 16,24,32,32")
    ap.add_argument("--probe", action="store_true", help="measure the plan, do not train")
    ap.add_argument("--budget-min", type=float, default=10.0)
    ap.add_argument("--calibrate", metavar="W:IPS,...",
                    help="with --probe: images/s at 32 px that a real machine measured for some "
                         "widths (e.g. 16:418,32:141, issue 11's AVX2-only EPYC); the probe's "
                         "speeds are scaled to them (other widths: interpolated in log width) "
                         "and that machine's plan for --budget-min is printed too")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--precision", default="float32")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--pad", type=int, default=LESSON["CROP_PAD"],
                    help="crop padding in pixels (lesson 03's: 2; the paper's: 4)")
    ap.add_argument("--lr", type=float, default=0.2,
                    help="peak learning rate at batch 128 (lesson 03's until 2026-12-07: 0.2, "
                         "now 0.3 with the rest of short_run_recipe.py's recipe; the "
                         "package recipe's default: 0.1)")
    ap.add_argument("--label-smoothing", type=float, default=0.1)
    ap.add_argument("--weight-decay", type=float, default=5e-3,
                    help="decoupled decay per unit learning rate (the recipe's 5e-3)")
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results/candidates"))
    args = ap.parse_args(argv)
    if args.probe:
        return probe(args)
    if not args.sizes:
        ap.error("give --sizes (or --probe)")
    sizes = [int(s) for s in args.sizes.split(",")]
    keras.mixed_precision.set_global_policy(args.precision)
    keras.utils.set_random_seed(args.seed)
    (x_full, y_full), (x_test, y_test) = rh.load_cifar10(args.data)
    train, val = rh.train_val_split(x_full, y_full, val_size=5000, seed=args.seed)
    train_ds, val_ds = rh.make_datasets(train, val, batch_size=args.batch, seed=args.seed,
                                       pad=args.pad)
    train_ds, resize = rh.resize_per_epoch(train_ds, sizes)
    model = rh.build_resnet9(args.width)
    with tempfile.TemporaryDirectory() as run_dir:
        result = rh.train(model, train_ds, val_ds, epochs=len(sizes), run_dir=run_dir,
                          learning_rate=args.lr * args.batch / 128,
                          label_smoothing=args.label_smoothing,
                          weight_decay=args.weight_decay, images_per_epoch=len(train[0]),
                          callbacks=[resize], tensorboard=False, verbose=2)
    history = result["history"]
    plain = rh.predict_probabilities(model, x_test)
    flip = rh.predict_probabilities(model, x_test, flip_tta=True)
    record = {
        "width": args.width, "sizes": sizes, "batch": args.batch, "precision": args.precision,
        "seed": args.seed, "epochs": len(sizes), "pad": args.pad, "lr": args.lr,
        "label_smoothing": args.label_smoothing, "weight_decay": args.weight_decay,
        "val_accuracy": [round(v, 4) for v in history["val_accuracy"]],
        "epoch_seconds": [round(t, 1) for t in history["train_seconds"]],
        "train_seconds": round(result["train_seconds"], 1),
        "test_accuracy": float((plain.argmax(1) == y_test).mean()),
        "test_accuracy_flip_tta": float((flip.argmax(1) == y_test).mean()),
        "device": rh.course.device_description(), "cpu_isa_limit":
            os.environ.get("ONEDNN_MAX_CPU_ISA", "none"),
        "keras": keras.__version__, "python": platform.python_version(),
        "data": rh.describe_source(args.data), "date": time.strftime("%Y-%m-%d %H:%M"),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    name = f"w{args.width}_b{args.batch}_" + "-".join(map(str, sizes))
    # named after what differs from the package's defaults (make_datasets pads 4 at 32 px)
    recipe = {"pad": (args.pad, None), "lr": (args.lr, 0.1), "ls": (args.label_smoothing, 0.1),
              "wd": (args.weight_decay, 5e-3),
              "seed": (args.seed, 0)}
    name += "".join(f"_{key}{value:g}" for key, (value, default) in recipe.items()
                    if value is not None and value != default)
    (args.out / f"{name}.json").write_text(json.dumps(record, indent=1) + "\n")
    print(json.dumps(record))
    return 0


def calibrated(speeds: dict, real: dict[int, float]) -> tuple[dict, dict[int, float]]:
    """``speeds`` scaled width by width so that each width's float32 speed at 32 px is the
    ``real`` one; widths without a real figure get a factor interpolated in log width."""
    import numpy as np

    known = sorted(real)
    here = {w: speeds[(w, 32, "float32")]["images_per_second"] for w in known}
    logs = np.log([real[w] / here[w] for w in known])
    factors = {w: float(np.exp(np.interp(np.log(w), np.log(known), logs)))
               for w in {key[0] for key in speeds}}
    scaled = {key: {"images_per_second": v["images_per_second"] * factors[key[0]],
                    "setup_seconds": v["setup_seconds"] / factors[key[0]]}
              for key, v in speeds.items() if key[2] == "float32"}
    return scaled, factors


def probe(args) -> int:
    limit = os.environ.get("ONEDNN_MAX_CPU_ISA", "none")
    start = time.perf_counter()
    precisions = rh.training.planner.precisions_to_try()
    shapes = sorted({(c.width, s) for c in rh.training.planner.CANDIDATES for s in (*c.sizes, 32)})
    speeds = rh.training.planner.probe_speeds(shapes, precisions, batch_size=args.batch)
    plan = rh.plan_training(args.budget_min, batch_size=args.batch, speeds=speeds,
                            precisions=precisions)
    record = {"device": rh.course.device_description(), "cpu_isa_limit": limit,
              "bfloat16_units": rh.cpu_bfloat16_units(),
              "probe_seconds": round(time.perf_counter() - start, 1),
              "budget_min": args.budget_min, "chosen": {"width": plan.width, "sizes": plan.sizes,
                                                        "precision": plan.precision,
                                                        "reason": plan.reason},
              "table": plan.table, "keras": keras.__version__,
              "speeds": {f"w{w} {side}px {p}": v for (w, side, p), v in speeds.items()},
              "date": time.strftime("%Y-%m-%d %H:%M")}
    if args.calibrate:
        real = {int(w): float(v) for w, v in (item.split(":") for item in args.calibrate.split(","))}
        scaled, factors = calibrated(speeds, real)
        real_plan = rh.plan_training(args.budget_min, batch_size=args.batch, speeds=scaled,
                                     precisions=["float32"])
        record["calibrated"] = {
            "real_images_per_second_at_32px": real, "factors": factors,
            "chosen": {"width": real_plan.width, "sizes": real_plan.sizes,
                       "predicted_minutes": round(real_plan.predicted_minutes, 2),
                       "reason": real_plan.reason}, "table": real_plan.table}
    args.out.mkdir(parents=True, exist_ok=True)
    name = "probe_" + ("avx2-emulated" if limit.upper() == "AVX2" else "native")
    (args.out / f"{name}.json").write_text(json.dumps(record, indent=1) + "\n")
    for row in plan.table:
        print(row)
    print(json.dumps(record["chosen"]), f"probe {record['probe_seconds']} s")
    if args.calibrate:
        print("calibrated to the real machine:")
        for row in record["calibrated"]["table"]:
            print(row)
        print(json.dumps(record["calibrated"]["chosen"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
