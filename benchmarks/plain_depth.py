"""Can a deep plain network train within lesson 05's budget? One network, one recipe, several settings.

    python benchmarks/plain_depth.py --data PATH '{"depth": 56}' '{"depth": 44, "images": 10000}' \
        [--out benchmarks/results/plain_depth.jsonl]

Each argument is one run, a JSON object of settings (defaults in brackets): ``kind``
("plain" or "resnet" ["plain"]), ``depth`` [56], ``images`` (training images, the first of the
45,000-image split [4000]), ``size`` (images shrunk to this side [16]), ``epochs`` [4], ``batch``
[128], ``lr`` (peak learning rate [0.1]), ``opt`` ("sgd" or "adam"), ``ls`` (label smoothing
[0.1]), ``wd`` (weight decay [5e-3]), ``warmup`` (epochs [1]), ``gamma`` (the ResNet's
``branch_scale`` [0.25]), ``seed`` [0]. The network is built and trained as lesson 05 trains
it (``rh.degradation_experiment``: BatchNorm momentum 0.9, no augmentation, ``rh.train``'s
recipe). Appends the training error (Keras's running value per epoch) and the validation
accuracy on 1,000 held-out images per epoch, with the CPU class and the date, to ``--out``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import keras  # noqa: E402

import resnet_helpers as rh  # noqa: E402
from claims import cpu_class  # noqa: E402


def run(a: dict, data) -> dict:
    seed = a.get("seed", 0)
    (x_all, y_all), _ = rh.load_cifar10(data)
    (x_train, y_train), (x_val, y_val) = rh.train_val_split(x_all, y_all, val_size=5000, seed=seed)
    n, size = a.get("images", 4000), a.get("size", 16)
    train = (rh.resize_images(x_train[:n], size), y_train[:n])
    val = (rh.resize_images(x_val[:1000], size), y_val[:1000])
    train_ds, val_ds = rh.make_datasets(train, val, batch_size=a.get("batch", 128), augment=False,
                                        seed=seed)
    keras.utils.set_random_seed(seed)
    kind, depth = a.get("kind", "plain"), a.get("depth", 56)
    options = {"branch_scale": a.get("gamma", 0.25)} if kind == "resnet" else {}
    build = rh.build_plain if kind == "plain" else rh.build_resnet
    model = build(depth, bn_momentum=0.9, input_shape=train[0].shape[1:], **options)
    start = time.time()
    result = rh.train(model, train_ds, val_ds, epochs=a.get("epochs", 4),
                      run_dir=tempfile.mkdtemp(), learning_rate=a.get("lr", 0.1),
                      optimizer=a.get("opt", "sgd"), label_smoothing=a.get("ls", 0.1),
                      weight_decay=a.get("wd", 5e-3), warmup_epochs=a.get("warmup", 1.0),
                      tensorboard=False, verbose=0)
    history = result["history"]
    return {"settings": a, "training_error": [round(1 - v, 3) for v in history["accuracy"]],
            "val_accuracy": [round(v, 3) for v in history["val_accuracy"]],
            "seconds": round(time.time() - start), "cpu_class": cpu_class(),
            "date": time.strftime("%Y-%m-%d %H:%M")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("runs", nargs="+", type=json.loads, help="one JSON object per run")
    parser.add_argument("--data", default=None)
    parser.add_argument("--out", default="benchmarks/results/plain_depth.jsonl")
    args = parser.parse_args()
    for settings in args.runs:
        record = run(settings, args.data)
        print(json.dumps(record), flush=True)
        with open(args.out, "a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")


if __name__ == "__main__":
    main()
