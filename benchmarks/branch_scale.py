"""Lesson 05's budget: does the deeper ResNet train at least as well as the shallower one?

    python benchmarks/branch_scale.py --data PATH --branch-scale 1.0 0.25 0 [--models resnet20,resnet56]

Trains each model of ``--models`` (``resnet<depth>`` or ``plain<depth>``) with lesson 05's
recipe and budget — the first ``--images`` images of the 45,000-image training split, no
augmentation, ``--epochs`` epochs at batch ``--batch-size``, SGD at ``--lr`` with warm-up and
cosine decay, BatchNorm momentum 0.9, seed 0 — once per ``--branch-scale`` (the initial γ of
every residual branch's last BatchNorm; 1.0 is He et al.'s initialisation, plain networks have
no branch and are trained once). Records the training accuracy of every epoch (Keras's running
value, as lesson 05 plots it) and, at the end, the accuracy on the same training images in
inference mode. Writes ``branch_scale.json`` into ``--out`` and prints a table of final
training errors.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402

import resnet_helpers as rh  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=None, help="CIFAR-10 source (default: Keras download)")
    parser.add_argument("--branch-scale", type=float, nargs="+", default=[1.0, 0.25, 0.0])
    parser.add_argument("--models", default="resnet20,resnet56")
    parser.add_argument("--images", type=int, default=8000)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--lr", type=float, default=0.1)
    parser.add_argument("--out", default="benchmarks/results")
    args = parser.parse_args()

    (x_all, y_all), _ = rh.load_cifar10(args.data)
    (x_train, y_train), (x_val, y_val) = rh.train_val_split(x_all, y_all, val_size=5000, seed=0)
    train = (x_train[:args.images], y_train[:args.images])
    val = (x_val[:1000], y_val[:1000])
    rows, work = [], tempfile.mkdtemp(prefix="branch_scale_")
    for name in args.models.split(","):
        kind, depth = name.rstrip("0123456789"), int(name[len(name.rstrip("0123456789")):])
        for scale in (args.branch_scale if kind == "resnet" else [None]):
            keras.utils.set_random_seed(0)
            train_ds, val_ds = rh.make_datasets(train, val, batch_size=args.batch_size,
                                                augment=False, seed=0)
            model = (rh.build_resnet(depth, bn_momentum=0.9, branch_scale=scale)
                     if kind == "resnet" else rh.build_plain(depth, bn_momentum=0.9))
            start = time.perf_counter()
            result = rh.train(model, train_ds, val_ds, epochs=args.epochs, learning_rate=args.lr,
                              run_dir=Path(work) / f"{name}-{scale}",
                              images_per_epoch=args.images, overwrite=True, tensorboard=False,
                              verbose=0)
            final = model.evaluate(*train, batch_size=500, verbose=0, return_dict=True)
            rows.append({"model": name, "branch_scale": scale,
                         "train_accuracy": result["history"]["accuracy"],
                         "val_accuracy": result["history"]["val_accuracy"],
                         "train_accuracy_inference_mode": final["accuracy"],
                         "minutes": (time.perf_counter() - start) / 60})
            print(f"{name:9s} branch_scale {scale!s:5s} training error "
                  f"{1 - rows[-1]['train_accuracy'][-1]:6.1%} (inference mode "
                  f"{1 - final['accuracy']:6.1%}), {rows[-1]['minutes']:.1f} min", flush=True)
    out = Path(args.out) / "branch_scale.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    setup = {k: v for k, v in vars(args).items() if k != "out"}
    out.write_text(json.dumps({"setup": setup, "device": rh.course.device_description(),
                               "data": rh.describe_source(args.data), "runs": rows}, indent=1))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
