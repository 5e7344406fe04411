"""Training throughput, side by side in one run: the origin snippet fed its way against the
course's models fed by the course pipeline, with a matrix-multiply peak for scale.

    python benchmarks/throughput.py [--data PATH] [--seconds 30] [--out benchmarks/results]

Rows:

* ``snippet``: the origin snippet's network (``rh.build_simple_resnet``), ``fit`` on float32
  arrays, batch 64, Adam — as the snippet trains;
* ``course``: the course default (``rh.build_resnet9(32)``, ``rh.pick_precision()``), fed by
  ``rh.make_datasets`` (shuffle, crop, flip), batch 128, the SGD recipe;
* ``resnet20``: the paper's ResNet-20 (float32) through the same pipeline, batch 128;
* ``pipeline``: the input pipeline alone (batches produced per second, no model).

Each model trains in one ``fit`` call, timed for ``--seconds`` after five untimed steps
(tracing, pipeline start-up). Achieved
GFLOP/s counts ``6 × multiply-adds`` per training image (forward 2 FLOPs per multiply-add,
backward about twice the forward). The peak is the best of float32 and bfloat16 ``tf.matmul``
of 2048×2048 matrices. Prints a table and writes ``throughput.json``.
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
import tensorflow as tf  # noqa: E402

import resnet_helpers as rh  # noqa: E402


def matmul_peak(dtype: str, n: int = 2048, seconds: float = 5.0) -> float:
    """GFLOP/s of repeated ``n×n`` matrix products in ``dtype``."""
    a = tf.random.normal((n, n), dtype="float32")
    a = tf.cast(a, dtype)
    product = tf.function(lambda m: tf.matmul(m, m))
    product(a).numpy()
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        product(a).numpy()
        count += 1
    return 2 * n**3 * count / (time.perf_counter() - start) / 1e9


class StepTimer(keras.callbacks.Callback):
    """Times the training steps after the first ``warmup`` (tracing, pipeline start-up) and
    stops training once ``seconds`` have been timed."""

    def __init__(self, warmup: int, seconds: float):
        super().__init__()
        self.warmup, self.seconds, self.steps, self.start, self.timed = warmup, seconds, 0, 0.0, 0

    def on_train_batch_end(self, batch, logs=None):
        self.steps += 1
        now = time.perf_counter()
        if self.steps == self.warmup:
            self.start = now
        elif self.steps > self.warmup:
            self.timed, self.elapsed = self.steps - self.warmup, now - self.start
            if self.elapsed >= self.seconds:
                self.model.stop_training = True


def timed_fit(model, data: dict, batch: int, seconds: float, warmup: int = 5) -> float:
    """Images per second of one ``model.fit`` over ``data``, timed after ``warmup`` steps."""
    timer = StepTimer(warmup, seconds)
    model.fit(**data, callbacks=[timer], verbose=0)
    if timer.timed < 3:
        raise ValueError(f"Only {timer.timed} timed steps: give more data than {warmup} batches.")
    return timer.timed * batch / timer.elapsed


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=None, help="CIFAR-10 source (default: as load_cifar10)")
    ap.add_argument("--seconds", type=float, default=30.0, help="timed training per model")
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    (x, y), _ = rh.load_cifar10(args.data)
    train, val = rh.train_val_split(x, y, val_size=5000, seed=0)
    rows = {}

    peaks = {d: matmul_peak(d) for d in ("float32", "bfloat16")}
    print(f"matmul peak: {peaks['float32']:.0f} GFLOP/s float32, "
          f"{peaks['bfloat16']:.0f} GFLOP/s bfloat16", flush=True)

    def measure(name, precision, build, batch, data):
        keras.mixed_precision.set_global_policy(precision)
        model = build()
        rh.compile_for_training(model, epochs=1, steps_per_epoch=10_000,
                                optimizer="adam" if name == "snippet" else "sgd",
                                learning_rate=1e-3 if name == "snippet" else 0.1)
        ips = timed_fit(model, data, batch, args.seconds)
        feed = feeds["snippet" if name == "snippet" else "course"]
        macs = rh.count_multiply_adds(model)
        rows[name] = {"model": model.name, "precision": precision, "batch": batch,
                      "feed": feed, "images_per_second": round(ips, 1),
                      "multiply_adds": macs, "gflops": round(6 * macs * ips / 1e9, 1),
                      "seconds_per_45k_epoch": round(45_000 / ips, 1)}
        print(json.dumps({name: rows[name]}), flush=True)

    xf = train[0][:64 * 600].astype("float32")
    arrays = {"x": xf, "y": train[1][:len(xf)], "batch_size": 64}
    train_ds, _ = rh.make_datasets(train, val, batch_size=128, seed=0)
    pipeline = {"x": train_ds}
    feeds = {"snippet": "float32 arrays, fit(batch_size=64)",
             "course": "rh.make_datasets (shuffle, crop, flip), batch 128"}

    measure("snippet", "float32", rh.build_simple_resnet, 64, arrays)
    measure("course", rh.pick_precision(), lambda: rh.build_resnet9(32), 128, pipeline)
    measure("resnet20", "float32", lambda: rh.build_resnet(20), 128, pipeline)
    keras.mixed_precision.set_global_policy("float32")

    start, count = time.perf_counter(), 0
    for images, _ in train_ds.take(200):
        count += int(images.shape[0])
    rows["pipeline"] = {"images_per_second": round(count / (time.perf_counter() - start), 1)}
    print(json.dumps({"pipeline": rows["pipeline"]}), flush=True)

    report = {"date": time.strftime("%Y-%m-%d %H:%M"), "device": rh.course.device_description(),
              "cpu_threads": os.cpu_count(), "tensorflow": tf.__version__,
              "keras": keras.__version__, "data": rh.describe_source(args.data),
              "matmul_peak_gflops": {k: round(v, 1) for k, v in peaks.items()}, "rows": rows}
    (args.out / "throughput.json").write_text(json.dumps(report, indent=1))
    peak = max(peaks.values())
    print(f"\n{'row':9} {'model':14} {'precision':15} {'img/s':>7} {'MMACs':>7} {'GFLOP/s':>8}"
          f" {'% of peak':>9} {'min/epoch':>9}")
    for name, r in rows.items():
        if name == "pipeline":
            print(f"{name:9} {'(no model)':14} {'':15} {r['images_per_second']:7.0f}")
            continue
        print(f"{name:9} {r['model']:14} {r['precision']:15} {r['images_per_second']:7.0f} "
              f"{r['multiply_adds'] / 1e6:7.1f} {r['gflops']:8.1f} {r['gflops'] / peak:9.0%} "
              f"{r['seconds_per_45k_epoch'] / 60:9.1f}")
    print(f"peak (matmul): {peak:.0f} GFLOP/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
