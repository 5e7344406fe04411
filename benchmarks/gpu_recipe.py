"""The course recipe on one GPU, in one prepared run (issue 6; issue 4's degradation at scale).

Jobs, in order, each within its own share of ``--budget-s`` seconds:

1. ``resnet9``: ResNet-9 (width 64), 24 epochs at batch 512 — time to 94 % test accuracy.
2. ``resnet20``: the paper's ResNet-20, as many epochs as its budget allows (at most 160), on
   all 50,000 training images; saved in float32 as ``resnet20.keras`` (the shipped checkpoint).
3. ``degradation``: plain-20/56 and ResNet-20/56 with one budget each (training and validation
   accuracy per epoch), if time is left.

Everything uses the package's builders and :func:`resnet_helpers.compile_for_training`; the GPU
settings are mixed precision (``mixed_bfloat16``), ``jit_compile=True`` (XLA),
``steps_per_execution`` and large batches. Augmentation (pad 4 + random crop + flip, as in the
course pipeline) is done per epoch on the host in NumPy; the test set is scored with and
without flip test-time augmentation.

Keras 3 runs on any backend: where TensorFlow is missing (the lent GPU machine has JAX, not
TensorFlow) the script sets ``KERAS_BACKEND=jax`` and uses the package's backend-neutral
modules only (the package imports each name on first use, so nothing else loads). Saved models load anywhere, TensorFlow included.

Usage::

    python benchmarks/gpu_recipe.py --data cifar10-jpeg.tar.gz --out gpu-out --budget-s 500
    python benchmarks/gpu_recipe.py --data … --out /tmp/x --quick      # a minute-long check
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if importlib.util.find_spec("tensorflow") is None:
    os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402

# the package loads each name on first use: its backend-neutral modules (models, recipe, the
# CIFAR-10 loader) import no TensorFlow (tests/test_project.py checks it)
import resnet_helpers as rh  # noqa: E402


JIT = keras.backend.backend() != "torch"  # XLA under JAX/TensorFlow; torch.compile is too slow to start
LOG: list[str] = []


def say(*parts) -> None:
    line = " ".join(str(p) for p in parts)
    LOG.append(line)
    print(line, flush=True)


def augment(x: np.ndarray, rng: np.random.Generator, pad: int = 4) -> np.ndarray:
    """Pad ``pad`` zero pixels, crop back at a random offset per image, flip half: ``(N, H, W, C)``."""
    n, h, w, _ = x.shape
    padded = np.pad(x, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    windows = np.lib.stride_tricks.sliding_window_view(padded, (h, w), axis=(1, 2))
    dy = rng.integers(0, 2 * pad + 1, n)
    dx = rng.integers(0, 2 * pad + 1, n)
    out = windows[np.arange(n), dy, dx].transpose(0, 2, 3, 1)  # (N, C, H, W) → (N, H, W, C)
    flip = rng.random(n) < 0.5
    out[flip] = out[flip, :, ::-1]
    return np.ascontiguousarray(out)


def accuracy(model, x, y, batch: int = 1000) -> tuple[float, float]:
    """Test accuracy without and with flip test-time augmentation."""
    p = model.predict(x, batch_size=batch, verbose=0)
    p_flip = model.predict(x[:, :, ::-1], batch_size=batch, verbose=0)
    y = y.reshape(-1)
    return float((p.argmax(1) == y).mean()), float(((p + p_flip).argmax(1) == y).mean())


def fit_epochs(model, data, *, epochs: int, batch: int, lr: float, warmup: float = 1.0,
               eval_each: bool = True, deadline: float = float("inf"), seed: int = 0) -> dict:
    """Train ``epochs`` epochs with per-epoch host augmentation; evaluate on ``data["val"]``."""
    (x, y), (xv, yv) = data["train"], data["val"]
    steps = len(x) // batch  # whole batches only: one compiled shape
    rh.compile_for_training(model, epochs=epochs, steps_per_epoch=steps,
                                   learning_rate=lr, warmup_epochs=warmup, jit_compile=JIT,
                                   steps_per_execution=min(steps, 16))
    rng = np.random.default_rng(seed)

    def prepare():  # the next epoch's augmented images, made while the GPU trains
        order = rng.permutation(len(x))[: steps * batch]
        return augment(x[order], rng), y[order]

    records, train_s = [], 0.0
    pool = ThreadPoolExecutor(1)
    upcoming = pool.submit(prepare)
    for epoch in range(epochs):
        xa, ya = upcoming.result()
        if epoch < epochs - 1:
            upcoming = pool.submit(prepare)
        start = time.perf_counter()
        hist = model.fit(xa, ya, batch_size=batch, epochs=1, shuffle=False, verbose=0)
        train_s += time.perf_counter() - start
        rec = {"epoch": epoch + 1, "train_seconds": round(train_s, 2),
               "loss": float(hist.history["loss"][-1]),
               "train_accuracy": float(hist.history["accuracy"][-1])}
        if eval_each or epoch == epochs - 1:
            rec["val_accuracy"], rec["val_accuracy_tta"] = accuracy(model, xv, yv)
        records.append(rec)
        say(json.dumps(rec))
        if time.time() > deadline and epoch < epochs - 1:
            say(f"deadline reached after epoch {epoch + 1}; stopping early")
            break
    return {"epochs_planned": epochs, "epochs_run": len(records), "batch": batch, "lr": lr,
            "train_seconds": round(train_s, 2),
            "images_per_second": round(len(records) * steps * batch / train_s, 1),
            "history": records}


def seconds_per_epoch(build, data, batch: int, lr: float, probe_steps: int = 30) -> float:
    """Time ``probe_steps`` training steps of a throwaway copy (after compiling)."""
    model = build()
    x, y = data["train"]
    steps = probe_steps + 5
    rh.compile_for_training(model, epochs=1, steps_per_epoch=steps, learning_rate=lr,
                                   jit_compile=JIT, steps_per_execution=min(probe_steps, 16))
    model.fit(x[: 5 * batch], y[: 5 * batch], batch_size=batch, verbose=0)
    start = time.perf_counter()
    model.fit(x[: probe_steps * batch], y[: probe_steps * batch], batch_size=batch, verbose=0)
    per_step = (time.perf_counter() - start) / probe_steps
    return per_step * (len(x) // batch)


def job_resnet9(data, test, budget_s, quick):
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    model = rh.build_resnet9(16 if quick else 64)
    epochs = 1 if quick else 24
    run = fit_epochs(model, {"train": data["train"], "val": test}, epochs=epochs, batch=512,
                     lr=0.4, warmup=1 if quick else 3, deadline=time.time() + budget_s)
    run["test_accuracy"], run["test_accuracy_tta"] = accuracy(model, *test)
    run["reached_94_tta_at_s"] = next((r["train_seconds"] for r in run["history"]
                                       if r.get("val_accuracy_tta", 0) >= 0.94), None)
    return {"model": model.name, "params": model.count_params(), **run}


def job_resnet20(data, test, budget_s, quick, out: Path, batch: int = 256, max_epochs: int = 160):
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    lr = 0.1 * batch / 128
    build = lambda: rh.build_resnet(20)  # noqa: E731
    per_epoch = seconds_per_epoch(build, data, batch, lr, probe_steps=5 if quick else 30)
    compile_s = 30.0
    epochs = 1 if quick else int(min(max_epochs, max(1, (budget_s - compile_s) / (per_epoch * 1.1))))
    say(f"resnet20: {per_epoch:.2f} s per epoch → {epochs} epochs")
    model = build()
    run = fit_epochs(model, {"train": data["train"], "val": test}, epochs=epochs, batch=batch,
                     lr=lr, eval_each=False, deadline=time.time() + budget_s)
    keras.mixed_precision.set_global_policy("float32")
    final = rh.build_resnet(20)  # float32 layers, so the file computes in float32 anywhere
    final.set_weights(model.get_weights())
    run["test_accuracy"], run["test_accuracy_tta"] = accuracy(final, *test)
    final.save(out / "resnet20.keras")
    run["file_bytes"] = (out / "resnet20.keras").stat().st_size
    return {"model": final.name, "params": final.count_params(),
            "seconds_per_epoch_probe": round(per_epoch, 2), **run}


def job_degradation(data, budget_s, quick):
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    builders = {"plain20": (rh.build_plain, 20), "plain56": (rh.build_plain, 56),
                "resnet20": (rh.build_resnet, 20), "resnet56": (rh.build_resnet, 56)}
    batch, lr = 256, 0.2
    # Per epoch, a depth-56 net costs about 2.9× a depth-20 one; probe the cheapest.
    per_epoch_20 = seconds_per_epoch(lambda: rh.build_plain(20), data, batch, lr,
                                     probe_steps=5 if quick else 20)
    compile_s = 25.0
    epochs = 1 if quick else int(max(1, min(
        60, (budget_s - 4 * compile_s) / (per_epoch_20 * (2 + 2 * 2.9) * 1.1))))
    say(f"degradation: {per_epoch_20:.2f} s per depth-20 epoch → {epochs} epochs each")
    runs, deadline = {}, time.time() + budget_s
    for name, (build, depth) in builders.items():
        runs[name] = fit_epochs(build(depth), data, epochs=epochs, batch=batch, lr=lr,
                                deadline=deadline)
    return {"epochs": epochs, "batch": batch, "lr": lr, "runs": runs}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True, help="CIFAR-10 source (any layout load_cifar10 reads)")
    ap.add_argument("--out", required=True, type=Path, help="folder for results (created)")
    ap.add_argument("--budget-s", type=float, default=500.0, help="wall-time budget, seconds")
    ap.add_argument("--jobs", default="resnet9,resnet20,degradation")
    ap.add_argument("--quick", action="store_true", help="tiny versions of every job")
    ap.add_argument("--resnet20-batch", type=int, default=256)
    ap.add_argument("--resnet20-epochs", type=int, default=160, help="at most this many")
    args = ap.parse_args(argv)
    t0 = time.time()
    args.out.mkdir(parents=True, exist_ok=True)
    results = {"date": time.strftime("%Y-%m-%d %H:%M"), "keras": keras.__version__,
               "backend": keras.backend.backend(), "python": platform.python_version(),
               "data": str(args.data), "jobs": {}}
    if keras.backend.backend() == "jax":
        import jax
        results["jax"] = jax.__version__
        results["device"] = str(jax.devices()[0].device_kind)
    say(json.dumps(results))
    (x, y), (xt, yt) = rh.load_cifar10(args.data)
    if args.quick:
        x, y, xt, yt = x[:2048], y[:2048], xt[:1000], yt[:1000]
    y, yt = y.astype("int32").reshape(-1), yt.astype("int32").reshape(-1)
    say(f"data: {len(x)} train, {len(xt)} test, loaded in {time.time() - t0:.1f} s")
    rng = np.random.default_rng(0)
    order = rng.permutation(len(x))
    n_val = len(x) // 10
    data = {"train": (x, y), "val": (xt, yt)}
    split = {"train": (x[order[n_val:]], y[order[n_val:]]),
             "val": (x[order[:n_val]], y[order[:n_val]])}
    jobs = [j for j in args.jobs.split(",") if j]
    shares = {"resnet9": 0.22, "resnet20": 0.50, "degradation": 0.28}
    total_share = sum(shares[j] for j in jobs)
    for job in jobs:
        left = args.budget_s - (time.time() - t0)
        budget = left * shares[job] / total_share
        total_share -= shares[job]
        say(f"== {job}: {budget:.0f} s of {left:.0f} s left")
        start = time.time()
        keras.utils.set_random_seed(0)
        try:
            if job == "resnet9":
                res = job_resnet9(data, data["val"], budget, args.quick)
            elif job == "resnet20":
                res = job_resnet20(data, data["val"], budget, args.quick, args.out,
                                   args.resnet20_batch, args.resnet20_epochs)
            else:
                if budget < 60 and not args.quick:
                    say("degradation: not enough time left, skipped")
                    continue
                res = job_degradation(split, budget, args.quick)
        except Exception as err:  # keep the other jobs' results
            res = {"error": f"{type(err).__name__}: {err}"}
            say(f"{job} failed: {res['error']}")
        res["wall_seconds"] = round(time.time() - start, 1)
        results["jobs"][job] = res
        (args.out / "gpu_results.json").write_text(json.dumps(results, indent=1))
        say(f"== {job} done in {res['wall_seconds']} s")
    (args.out / "gpu_log.txt").write_text("\n".join(LOG) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
