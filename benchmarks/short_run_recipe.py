"""More accuracy per image for lesson 03's short CPU runs: one ingredient at a time.

  python benchmarks/short_run_recipe.py --data PATH '{"name": "base"}' '{"name": "w", "whiten": 16}'

Each JSON argument is one run of ResNet-9 trained as lesson 03 trained it until 2026-12-07
(``rh.make_datasets`` with ``CROP_PAD``, ``rh.resize_per_epoch``, the course recipe at a peak
learning rate of 0.2, plain ``model.fit``), changed by the keys it sets. Lesson 03 now trains
what these experiments found: ``{"lr": 0.3, "whiten": true, "flip": "alternate",
"bn_scale": false}`` (``rh.training.planner.CANDIDATES`` records those runs).

* ``width`` (16), ``sizes`` ([16, 16, 24, 32, 32, 32]), ``batch`` (128; the learning rate
  scales with it), ``lr`` (peak at batch 128, 0.2), ``label_smoothing`` (0.1),
  ``weight_decay`` (5e-3: decoupled, per unit of learning rate, as ``rh.compile_for_training``),
  ``seed`` (0);
* ``whiten``: a frozen first convolution whose 2×2 filters whiten image patches (Keller
  Jordan's airbench) in place of the learned 3×3 stem convolution (``true``: as many filters
  as the width, at most 24; or a number);
* ``stem_stride``: 2 for a whitened stem on non-overlapping 2×2 patches, which halves the
  resolution itself (no layer at 32×32);
* ``stem``: ``false`` for no stem at all: stage 1's convolution reads the image and is pooled
  at once (``rh.build_resnet9(stem=False)``);
* ``ema``: keep an exponential moving average of the weights (Keras's ``use_ema``) with this
  momentum, swapped in at the end of ``fit``; then the BatchNorm statistics are re-estimated
  on 2,560 training images (the test accuracy is recorded before and after);
* ``bn_momentum``: BatchNorm's moving-average momentum (0.9);
* ``warmup``: warm-up epochs (1);
* ``flip``: ``"random"`` (each image mirrored with probability 1/2 every epoch, the lesson's)
  or ``"alternate"`` (airbench's derandomized flip: each image's first-epoch mirroring is
  random, and every later epoch mirrors exactly the images the epoch before did not, so two
  consecutive epochs show every image both ways);
* ``lookahead``: every this many steps the trained weights move half-way back towards a slow
  copy, which then takes their place (Zhang et al. 2019's Lookahead, ``alpha`` 0.5; 0: off);
  the weights tested are the last ones trained, at most ``k − 1`` steps past a synchronisation;
* ``branch_scale``: the initial scale of each residual branch's last BatchNorm (1; 0 starts
  every block as the identity);
* ``bn_scale``: ``false`` freezes every BatchNorm's scale γ at 1 (airbench trains only the
  shift β);
* ``validation``: ``false`` validates only after the last epoch (saves the per-epoch passes);
* ``precision``: the global dtype policy (``"float32"``; ``"mixed_bfloat16"`` where the CPU
  has bfloat16 units);
* ``predict``: before training, run the planner's probe (``rh.training.planner.probe_speeds``)
  for this width and these sizes and record its predicted time
  (``rh.training.planner.predicted_seconds``) beside the measured one.

Writes ``--out/<name>.json`` per run: validation accuracy per epoch, seconds per epoch, test
accuracy plain and with flip test-time augmentation.
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

LESSON = rh.course.DEFAULTS["03_train_cifar10"]["full"]
DEFAULTS = {"name": "base", "width": 16, "sizes": [16, 16, 24, 32, 32, 32], "batch": 128,
            "lr": 0.2, "pad": LESSON["CROP_PAD"], "label_smoothing": 0.1, "weight_decay": 5e-3,
            "seed": 0, "whiten": 0, "stem_stride": 1, "stem": True, "ema": 0.0, "bn_momentum": 0.9,
            "warmup": 1.0, "precision": "float32", "predict": False, "flip": "random",
            "lookahead": 0, "branch_scale": 1.0, "bn_scale": True, "validation": True}


def _alternating_flip_datasets(train, val, batch: int, seed: int, pad: int):
    """Lesson 03's pipeline with airbench's alternating flip instead of a random one.

    Returns ``(train_ds, val_ds, callback)``; the callback tells the stream the epoch.
    """
    import tensorflow as tf

    from resnet_helpers.data.pipeline import _finish, augment_batch, make_eval_dataset

    x, y = train
    first = np.random.default_rng(seed).random(len(x)) < 0.5           # (N,) bool
    epoch = tf.Variable(0, trainable=False, dtype=tf.int32)

    class Epoch(keras.callbacks.Callback):
        def on_epoch_begin(self, e, logs=None):
            epoch.assign(e)

    def augment(images, labels, mirror_first):
        images = augment_batch(images, pad=pad, flip=False, seed=seed)
        mirror = tf.not_equal(mirror_first, tf.equal(epoch % 2, 1))   # (B,)
        images = tf.where(mirror[:, None, None, None], tf.reverse(images, axis=[2]), images)
        return images, labels

    ds = tf.data.Dataset.from_tensor_slices((x, np.asarray(y).astype("int32"), first))
    ds = ds.shuffle(len(x), seed=seed, reshuffle_each_iteration=True).batch(batch)
    ds = ds.map(augment, num_parallel_calls=tf.data.AUTOTUNE)
    return _finish(ds), make_eval_dataset(*val, batch_size=max(batch, 256)), Epoch()


class _Lookahead(keras.callbacks.Callback):
    """Lookahead (Zhang et al. 2019): every ``k`` steps, slow += alpha·(fast − slow); fast = slow."""

    def __init__(self, k: int, alpha: float = 0.5):
        super().__init__()
        self.k, self.alpha, self.step = k, alpha, 0

    def on_train_begin(self, logs=None):
        self.slow = [keras.ops.convert_to_numpy(v) for v in self.model.trainable_variables]

    def on_train_batch_end(self, batch, logs=None):
        self.step += 1
        if self.step % self.k:
            return
        for var, slow in zip(self.model.trainable_variables, self.slow):
            slow += self.alpha * (keras.ops.convert_to_numpy(var) - slow)
            var.assign(slow)


def run(cfg: dict, data, out: Path) -> dict:
    cfg = {**DEFAULTS, **cfg}
    unknown = set(cfg) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"unknown keys {sorted(unknown)}")
    keras.utils.set_random_seed(cfg["seed"])
    (x_full, y_full), (x_test, y_test) = data
    train, val = rh.train_val_split(x_full, y_full, val_size=5000, seed=cfg["seed"])
    if cfg["flip"] == "alternate":
        train_ds, val_ds, flip_epoch = _alternating_flip_datasets(train, val, cfg["batch"],
                                                                  cfg["seed"], cfg["pad"])
        extra_callbacks = [flip_epoch]
    elif cfg["flip"] == "random":
        train_ds, val_ds = rh.make_datasets(train, val, batch_size=cfg["batch"],
                                           seed=cfg["seed"], pad=cfg["pad"])
        extra_callbacks = []
    else:
        raise ValueError(f"flip must be 'random' or 'alternate', got {cfg['flip']!r}")
    if cfg["lookahead"]:
        extra_callbacks.append(_Lookahead(int(cfg["lookahead"])))
    train_ds, resize = rh.resize_per_epoch(train_ds, cfg["sizes"])
    prediction = {}
    if cfg["predict"]:
        start = time.perf_counter()
        shapes = [(cfg["width"], side) for side in sorted(set(cfg["sizes"]))]
        speeds = rh.training.planner.probe_speeds(shapes, [cfg["precision"]],
                                                  batch_size=cfg["batch"])
        candidate = rh.training.planner.Candidate(cfg["width"], tuple(cfg["sizes"]), 0.0, "")
        prediction = {
            "probe_seconds": round(time.perf_counter() - start, 1),
            "probe_images_per_second": {str(s): round(v["images_per_second"])
                                        for (_, s, _), v in speeds.items()},
            "predicted_seconds": round(rh.training.planner.predicted_seconds(
                candidate, cfg["precision"], speeds, images_per_epoch=len(train[0]),
                val_images=len(val[0])), 1)}
        keras.backend.clear_session()
        keras.utils.set_random_seed(cfg["seed"])
    # after any clear_session(), which resets the policy to float32 (the runs of 2026-12-07
    # before 15:00 that asked for bfloat16 with "predict" trained in float32)
    keras.config.set_dtype_policy(cfg["precision"])
    model = rh.build_resnet9(cfg["width"], bn_momentum=cfg["bn_momentum"],
                             whiten=cfg["whiten"], stem_stride=cfg["stem_stride"],
                             stem=cfg["stem"], branch_scale=cfg["branch_scale"])
    if not cfg["bn_scale"]:
        for layer in model.layers:
            if isinstance(layer, keras.layers.BatchNormalization):
                layer.gamma.trainable = False
    compute_dtype = next(layer.compute_dtype for layer in model.layers
                         if isinstance(layer, keras.layers.Conv2D) and layer.trainable)
    if cfg["whiten"]:
        rh.fit_whitening(model, train[0][:5000])
    steps = int(np.ceil(len(train[0]) / cfg["batch"]))
    rh.compile_for_training(model, epochs=len(cfg["sizes"]), steps_per_epoch=steps,
                            learning_rate=cfg["lr"] * cfg["batch"] / 128,
                            label_smoothing=cfg["label_smoothing"],
                            weight_decay=cfg["weight_decay"],
                            warmup_epochs=cfg["warmup"])
    if cfg["ema"]:  # Keras's weight averaging; the optimizer builds its variables at the first step
        model.optimizer.use_ema, model.optimizer.ema_momentum = True, cfg["ema"]
    times, val_times = [], []

    class Clock(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.t = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            times.append(time.perf_counter() - self.t)

        def on_test_begin(self, logs=None):
            self.v = time.perf_counter()

        def on_test_end(self, logs=None):
            val_times.append(time.perf_counter() - self.v)

    start = time.perf_counter()
    history = model.fit(train_ds, validation_data=val_ds, epochs=len(cfg["sizes"]),
                        validation_freq=1 if cfg["validation"] else len(cfg["sizes"]),
                        callbacks=[resize, Clock(), *extra_callbacks], verbose=2)
    train_seconds = time.perf_counter() - start
    before = {}
    if cfg["ema"]:
        plain = rh.predict_probabilities(model, x_test)
        before = {"test_accuracy_before_recalibration": float((plain.argmax(1) == y_test).mean())}
        start_recalibration = time.perf_counter()
        rh.recompute_batchnorm_statistics(model, train[0][:2560])
        before["recalibration_seconds"] = round(time.perf_counter() - start_recalibration, 1)
    finish_seconds = train_seconds + before.get("recalibration_seconds", 0.0)
    plain = rh.predict_probabilities(model, x_test)
    flip = rh.predict_probabilities(model, x_test, flip_tta=True)
    record = {**cfg, "val_accuracy": [round(v, 4) for v in history.history["val_accuracy"]],
              "epoch_seconds": [round(t, 1) for t in times],
              "val_seconds": [round(t, 1) for t in val_times],
              "train_seconds": round(train_seconds, 1),
              "train_and_recalibration_seconds": round(finish_seconds, 1), **prediction, **before,
              "compute_dtype": compute_dtype,
              "test_accuracy": float((plain.argmax(1) == y_test).mean()),
              "test_accuracy_flip_tta": float((flip.argmax(1) == y_test).mean()),
              "device": rh.device_description(),
              "cpu_isa_limit": os.environ.get("ONEDNN_MAX_CPU_ISA", "none"),
              "keras": keras.__version__, "date": time.strftime("%Y-%m-%d %H:%M")}
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{cfg['name']}.json").write_text(json.dumps(record, indent=1) + "\n")
    print("RESULT", cfg["name"], record["test_accuracy"], record["test_accuracy_flip_tta"],
          record["train_seconds"], flush=True)
    keras.backend.clear_session()
    return record


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=None)
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results/short_run"))
    ap.add_argument("runs", nargs="+", help="JSON objects, one per run")
    args = ap.parse_args(argv)
    data = rh.load_cifar10(args.data)
    for text in args.runs:
        run(json.loads(text), data, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
