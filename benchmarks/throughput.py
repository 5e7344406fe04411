"""Training throughput: the origin snippet's way vs the course's default, side by side.

    python benchmarks/throughput.py [--steps 30] [--out benchmarks/results/throughput.json]

(a) the origin snippet's network fed the snippet's way: ``fit`` on float arrays scaled to
[0, 1], batch 64, Adam; (b) the course's default model (ResNet-20) through the course's
pipeline (``make_datasets``: shuffle, augmentation, batch 128) with the course's recipe (SGD).
For each: training images/s (after untimed warm-up steps), multiply-adds per image, and the
achieved GFLOP/s (3 × 2 × multiply-adds per trained image). A float32 matrix-multiply peak
measured in the same run gives the scale. Prints a table and writes JSON.

Run it on a quiet machine: anything else running (a browser, a second training) slows it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import resnet_helpers as rh  # noqa: E402


def matmul_peak(n: int = 2048, repeats: int = 10) -> float:
    """GFLOP/s of a float32 n×n matrix multiply (best of ``repeats``)."""
    a = tf.random.normal((n, n))
    b = tf.random.normal((n, n))
    (a @ b).numpy()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        (a @ b).numpy()
        best = min(best, time.perf_counter() - start)
    return 2 * n**3 / best / 1e9


class StepTimer(keras.callbacks.Callback):
    """Times training batches after ``warmup`` untimed ones."""

    def __init__(self, warmup: int):
        super().__init__()
        self.warmup, self.times = warmup, []

    def on_train_batch_begin(self, batch, logs=None):
        self._start = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        if batch >= self.warmup:
            self.times.append(time.perf_counter() - self._start)


def snippet_way(x, y, steps: int, warmup: int) -> dict:
    """The origin snippet: float arrays in [0, 1], batch 64, Adam."""
    batch = 64
    n = batch * (steps + warmup)
    model = rh.build_simple_resnet()
    model.compile(keras.optimizers.Adam(), "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    # the snippet scales to [0, 1] before fit; the course's model rescales inside, so feed
    # 0–255 floats (same arithmetic, same array sizes as the snippet's float32 input)
    xs = x[:n].astype("float32")
    timer = StepTimer(warmup)
    model.fit(xs, y[:n], batch_size=batch, epochs=1, verbose=0, callbacks=[timer])
    return _row("origin snippet (fit on arrays, batch 64, Adam)", model, batch, timer.times)


def course_way(x, y, steps: int, warmup: int) -> dict:
    """The course's default: ResNet-20, make_datasets (augmentation), batch 128, SGD."""
    batch = 128
    n = batch * (steps + warmup)
    model = rh.build_resnet(20)
    train_ds, _ = rh.make_datasets((x[:n], y[:n]), (x[:batch], y[:batch]), batch_size=batch)
    rh.compile_for_training(model, epochs=1, steps_per_epoch=steps + warmup)
    timer = StepTimer(warmup)
    model.fit(train_ds, epochs=1, verbose=0, callbacks=[timer], shuffle=False)
    return _row("course default (ResNet-20, tf.data + augmentation, batch 128, SGD)", model,
                batch, timer.times)


def pipeline_alone(x, y, batches: int = 200) -> float:
    """Images/s the input pipeline delivers with no model attached."""
    train_ds, _ = rh.make_datasets((x, y), (x[:128], y[:128]), batch_size=128)
    start, seen = time.perf_counter(), 0
    for images, _ in train_ds.take(batches):
        seen += int(images.shape[0])
    return seen / (time.perf_counter() - start)


def _row(name, model, batch, times) -> dict:
    per_step = float(np.median(times))
    macs = rh.count_multiply_adds(model)
    ips = batch / per_step
    return {"setup": name, "model": model.name, "params": model.count_params(),
            "multiply_adds_per_image": macs, "batch": batch, "images_per_second": ips,
            "achieved_gflops": ips * 3 * 2 * macs / 1e9, "timed_steps": len(times)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=30, help="timed steps per setup")
    parser.add_argument("--warmup", type=int, default=3, help="untimed steps first")
    parser.add_argument("--data", default=None, help="CIFAR-10 source (default: as load_cifar10)")
    parser.add_argument("--out", default=str(Path(__file__).with_name("results") /
                                             "throughput.json"))
    args = parser.parse_args()

    (x, y), _ = rh.load_cifar10(args.data)
    peak = matmul_peak()
    rows = [snippet_way(x, y, args.steps, args.warmup), course_way(x, y, args.steps, args.warmup)]
    feed = pipeline_alone(x, y)
    result = {"device": rh.course.device_description(), "tensorflow": tf.__version__,
              "keras": keras.__version__, "python": platform.python_version(),
              "date": time.strftime("%Y-%m-%d"), "data": rh.describe_source(args.data),
              "matmul_peak_gflops": peak, "pipeline_alone_images_per_second": feed,
              "setups": rows}
    print(f"{result['device']}, TensorFlow {tf.__version__}; float32 matmul peak {peak:.0f} "
          f"GFLOP/s; the input pipeline alone delivers {feed:,.0f} images/s\n")
    print(f"{'setup':<68} {'img/s':>7} {'MAdds/img':>10} {'GFLOP/s':>8} {'% peak':>7}")
    for r in rows:
        print(f"{r['setup']:<68} {r['images_per_second']:7.0f} "
              f"{r['multiply_adds_per_image'] / 1e6:10.1f} {r['achieved_gflops']:8.1f} "
              f"{r['achieved_gflops'] / peak:7.0%}")
    speedup = rows[1]["images_per_second"] / rows[0]["images_per_second"]
    print(f"\nthe course's default trains {speedup:.1f}× as many images per second")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
