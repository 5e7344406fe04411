"""Accuracy reached in the same wall-time budget: the course recipe against the origin snippet's.

    python benchmarks/time_to_accuracy.py --data PATH --budget-min 10 [--recipes course,snippet]

Each recipe trains on the same 45,000 images for ``--budget-min`` minutes of training (fit's own
wall time; stopped at the first batch past the budget). Every ``--eval-every-s`` seconds of
training the model is scored on the 5,000 held-out validation images; that scoring is *not*
counted as training time (the snippet predicts slowly, and both are measured the same way).
At the end: test accuracy on the 10,000 test images, once (plain and with flip test-time
augmentation).

* ``course``: the fast network (``rh.build_resnet9(width)``), mixed precision where the hardware
  has it (``rh.pick_precision()``), the course pipeline (``rh.make_datasets``: crop + flip) and
  recipe (``rh.compile_for_training``: SGD + Nesterov, warm-up + cosine over ``--epochs``, weight
  decay, label smoothing), batch 128.
* ``snippet``: the origin snippet's network, fed its way — ``fit`` on float arrays, batch 64,
  Adam at 0.001, no augmentation.

Writes ``time_to_accuracy.json`` and ``time_to_accuracy.png`` (validation accuracy against
training minutes) into ``--out`` and prints a table.
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

THRESHOLDS = (0.7, 0.8, 0.9)


class BudgetClock(keras.callbacks.Callback):
    """Stops training after ``budget_s`` seconds of training and scores the validation set every
    ``every_s`` seconds of training (scoring time excluded from the clock)."""

    def __init__(self, budget_s: float, every_s: float, x_val, y_val):
        super().__init__()
        self.budget_s, self.every_s = budget_s, every_s
        self.x_val, self.y_val = x_val, y_val
        self.points: list[dict] = []
        self.images = 0

    def on_train_begin(self, logs=None):
        self.start, self.paused, self.next_eval = time.perf_counter(), 0.0, self.every_s

    def elapsed(self) -> float:
        return time.perf_counter() - self.start - self.paused

    def score(self):
        pause = time.perf_counter()
        probs = self.model.predict(self.x_val, batch_size=500, verbose=0)
        acc = float((probs.argmax(1) == self.y_val).mean())
        self.paused += time.perf_counter() - pause
        self.points.append({"train_seconds": round(self.elapsed(), 1), "images": self.images,
                            "val_accuracy": acc})
        print(f"  {self.points[-1]}", flush=True)

    def on_train_batch_end(self, batch, logs=None):
        self.images += self.batch_size
        if self.elapsed() >= self.next_eval:
            self.next_eval += self.every_s
            self.score()
        if self.elapsed() >= self.budget_s:
            self.model.stop_training = True

    def on_epoch_end(self, epoch, logs=None):
        self.score()


def run_recipe(name: str, args, train, val, test) -> dict:
    keras.utils.set_random_seed(0)
    (x, y), (x_val, y_val), (x_test, y_test) = train, val, test
    if name == "course":
        precision = args.precision or rh.pick_precision()
        keras.mixed_precision.set_global_policy(precision)
        model = rh.build_resnet9(args.width)
        batch = 128
        train_ds, _ = rh.make_datasets(train, val, batch_size=batch, seed=0)
        rh.compile_for_training(model, epochs=args.epochs, steps_per_epoch=int(
            train_ds.cardinality()), learning_rate=0.1)
        fit_args = dict(x=train_ds, epochs=args.epochs)
    else:
        precision = "float32"
        keras.mixed_precision.set_global_policy(precision)
        model = rh.build_simple_resnet()
        batch = 64
        rh.compile_for_training(model, epochs=1, steps_per_epoch=1, optimizer="adam",
                                learning_rate=1e-3, label_smoothing=0.0)
        fit_args = dict(x=x.astype("float32"), y=y, batch_size=batch, epochs=1000, shuffle=True)
    clock = BudgetClock(args.budget_min * 60, args.eval_every_s, x_val, y_val)
    clock.batch_size = batch
    print(f"== {name}: {model.name}, {precision}, batch {batch}", flush=True)
    start = time.perf_counter()
    model.fit(**fit_args, callbacks=[clock], verbose=0)
    wall = time.perf_counter() - start
    train_s = clock.elapsed()
    probs = rh.predict_probabilities(model, x_test, batch_size=500)
    probs_tta = rh.predict_probabilities(model, x_test, batch_size=500, flip_tta=True)
    reached = {f"{int(t * 100)}%": next((p["train_seconds"] for p in clock.points
                                         if p["val_accuracy"] >= t), None) for t in THRESHOLDS}
    return {"model": model.name, "params": model.count_params(),
            "multiply_adds": rh.count_multiply_adds(model), "precision": precision,
            "batch": batch, "epochs_planned": args.epochs if name == "course" else None,
            "train_seconds": round(train_s, 1), "wall_seconds_with_scoring": round(wall, 1),
            "images_seen": clock.images, "images_per_second": round(clock.images / train_s, 1),
            "final_val_accuracy": clock.points[-1]["val_accuracy"],
            "test_accuracy": float((probs.argmax(1) == y_test).mean()),
            "test_accuracy_flip_tta": float((probs_tta.argmax(1) == y_test).mean()),
            "seconds_to_val_accuracy": reached, "curve": clock.points}


def plot(results: dict, budget_min: float):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.2))
    for name, res in results.items():
        t = [0] + [p["train_seconds"] / 60 for p in res["curve"]]
        a = [0.1] + [p["val_accuracy"] for p in res["curve"]]
        ax.plot(t, a, marker="o", ms=3,
                label=f"{name}: {res['model']} — test {res['test_accuracy']:.1%}")
    for thr in THRESHOLDS:
        ax.axhline(thr, color="grey", lw=0.5, ls=":")
    ax.set(xlabel="training time (minutes)", ylabel="validation accuracy", ylim=(0, 1),
           xlim=(0, budget_min * 1.02), title=f"CIFAR-10 in a {budget_min:g}-minute budget")
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=None, help="CIFAR-10 source (default: as load_cifar10)")
    ap.add_argument("--budget-min", type=float, default=10.0)
    ap.add_argument("--epochs", type=int, default=5, help="course recipe: schedule length")
    ap.add_argument("--width", type=int, default=32, help="course recipe: ResNet-9 width")
    ap.add_argument("--precision", default=None, help="course recipe: dtype policy "
                    "(default: rh.pick_precision())")
    ap.add_argument("--recipes", default="course,snippet")
    ap.add_argument("--eval-every-s", type=float, default=60.0)
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    args = ap.parse_args(argv)
    recipes = [r for r in args.recipes.split(",") if r]
    if unknown := set(recipes) - {"course", "snippet"}:
        ap.error(f"unknown recipe(s) {sorted(unknown)}; choose from course, snippet")
    args.out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    (x_full, y_full), test = rh.load_cifar10(args.data)
    print(f"data decoded in {time.perf_counter() - t0:.1f} s (not counted)")
    train, val = rh.train_val_split(x_full, y_full, val_size=5000, seed=0)
    results = {name: run_recipe(name, args, train, val, test) for name in recipes}
    report = {"date": time.strftime("%Y-%m-%d %H:%M"), "device": rh.course.device_description(),
              "cpu_threads": os.cpu_count(), "tensorflow": __import__("tensorflow").__version__,
              "keras": keras.__version__, "data": rh.describe_source(args.data),
              "budget_min": args.budget_min, "results": results}
    (args.out / "time_to_accuracy.json").write_text(json.dumps(report, indent=1))
    plot(results, args.budget_min).savefig(args.out / "time_to_accuracy.png", dpi=110)
    print(f"\n{'recipe':8} {'model':14} {'img/s':>7} {'train min':>9} {'test':>6} {'test+flip':>9}"
          "  minutes to 70/80/90% val")
    for name, r in results.items():
        to = " / ".join("-" if s is None else f"{s / 60:.1f}"
                        for s in r["seconds_to_val_accuracy"].values())
        print(f"{name:8} {r['model']:14} {r['images_per_second']:7.0f} "
              f"{r['train_seconds'] / 60:9.1f} {r['test_accuracy']:6.1%} "
              f"{r['test_accuracy_flip_tta']:9.1%}  {to}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
