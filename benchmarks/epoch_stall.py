"""How long ``fit`` waits at the start of each epoch, with tf.data's autotuning on and off.

On a 2-core CPU, deleting the previous epoch's iterator waited for the autotuner's background
thread: the first batch of about every other epoch came 2–6 s late (found in lesson 05's
ResNet-56 runs; py-spy showed the main thread in ``~LogicalThreadWrapper`` under
``~IteratorResource``). ``rh.make_datasets`` now turns autotuning off. This script trains
lesson 05's ResNet-56 (16×16 images, batch 128) on random images, alternating the two settings,
and records the wait before each epoch's first batch and the whole ``fit``.

    python benchmarks/epoch_stall.py --epochs 5 --repeats 2
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

import resnet_helpers as rh
from resnet_helpers.training.recipe import compile_for_training


class FirstBatchWait(keras.callbacks.Callback):
    """Seconds from each epoch's begin to its first batch."""

    def __init__(self):
        super().__init__()
        self.waits: list[float] = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start, self._first = time.perf_counter(), True

    def on_train_batch_begin(self, batch, logs=None):
        if self._first:
            self.waits.append(time.perf_counter() - self._start)
            self._first = False


def run(autotune: bool, args) -> dict:
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, (args.train, 16, 16, 3), dtype=np.uint8)
    y = rng.integers(0, 10, args.train)
    train_ds, val_ds = rh.make_datasets((x, y), (x[:2000], y[:2000]), batch_size=128,
                                        augment=False)
    if autotune:  # the tf.data default, as before
        options = tf.data.Options()
        options.autotune.enabled = True
        train_ds, val_ds = train_ds.with_options(options), val_ds.with_options(options)
    keras.utils.set_random_seed(0)
    model = rh.build_resnet(args.depth, input_shape=(16, 16, 3), branch_scale=0.25)
    compile_for_training(model, epochs=args.epochs, steps_per_epoch=int(train_ds.cardinality()))
    waits = FirstBatchWait()
    start = time.perf_counter()
    model.fit(train_ds, validation_data=val_ds, epochs=args.epochs, verbose=0, callbacks=[waits],
              shuffle=False)  # the dataset shuffles itself
    return {"autotune": autotune, "fit_seconds": round(time.perf_counter() - start, 1),
            "first_batch_wait_seconds": [round(w, 2) for w in waits.waits],
            "autotune_option_seen": train_ds.options().autotune.enabled}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--depth", type=int, default=56)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--train", type=int, default=8000,
                   help="training images (8000: lesson 05's budget when this was measured)")
    p.add_argument("--repeats", type=int, default=2)
    p.add_argument("--out", default="benchmarks/results/epoch_stall.json")
    args = p.parse_args(argv)
    runs = []
    for _ in range(args.repeats):
        for autotune in (True, False):
            runs.append(run(autotune, args))
            print(json.dumps(runs[-1]), flush=True)
    record = {"device": rh.course.device_description(),
              "cpu_isa_limit": os.environ.get("ONEDNN_MAX_CPU_ISA", "none"),
              "depth": args.depth, "epochs": args.epochs, "train_images": args.train,
              "date": time.strftime("%Y-%m-%d %H:%M"), "runs": runs}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(record, indent=1) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
