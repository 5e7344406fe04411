"""He et al. (2015), Table 6 and Fig. 6: the paper's CIFAR-10 recipe, resumable, on one GPU.

ResNet-20/32/44/56/110 and plain-20/32/44/56, each trained across as many short GPU windows as
it needs.

The recipe (Section 4.2): 45,000 training / 5,000 validation images; SGD with plain momentum
0.9; coupled L2 weight decay 1e-4 on the kernels; cross-entropy without label smoothing; 4-pixel
zero padding + random 32×32 crop + horizontal flip; learning rate 0.1 at batch 128, divided by 10
at 50% and 75% of training; 182 epochs (63,882 iterations at batch 128, the paper's "64k");
ResNet-110 starts at a tenth of the learning rate for 400 iterations at batch 128 (the paper:
"0.01 until the training error is below 80%, about 400 iterations"). Default batch 256 with the
learning rate scaled linearly to 0.2 (Goyal et al. 2017) and warm-up counted in images: on an
H100 it trains ResNet-20 1.9× faster than batch 128 (85,800 vs 46,100 images/s), and the
160-epoch ResNet-20 at batch 256 ended no worse than at 128 (benchmarks/README.md, GPU).

Per network the script writes, in ``--out``: ``NAME.json`` (after every epoch, atomically:
training error — Keras's running error over the epoch's augmented batches, as the paper plots
it —, validation and test error per epoch, the recipe, each invocation's device and speed),
``NAME.keras`` (final float32 model) and ``NAME.f16.npz`` (compact float16 copy,
:func:`resnet_helpers.models.pretrained.save_float16`); resumable state (weights, optimizer, epoch)
goes to ``--state-dir`` after every epoch and is deleted once the network is done. With
``--budget-s`` it stops before an epoch that would not end in time (every call trains at least
one epoch); the same command continues where the last one stopped, each epoch listed once.

Runs under Keras's JAX backend (the GPU machine has no TensorFlow: only the package's
backend-neutral modules are imported) and under TensorFlow; ``--toy`` is the CPU check CI runs.

Usage::

    KERAS_BACKEND=jax python benchmarks/paper_table6.py --data cifar10-jpeg.tar.gz --budget-s 480
    python benchmarks/paper_table6.py --plan                      # what is left, estimated time
    python benchmarks/paper_table6.py --data … --ship resnet56    # into the model zoo
    python benchmarks/paper_table6.py --data … --out /tmp/t6 --toy   # seconds, on a CPU
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gpu_recipe import accuracy, augment  # noqa: E402  (sets the backend)
from table6_report import PAPER_TEST_ERROR  # noqa: E402  (by depth, ResNets only)

import keras  # noqa: E402
import numpy as np  # noqa: E402

import resnet_helpers as rh  # noqa: E402  (each name loads on first use: no TensorFlow needed)
course = rh.course  # the run-folder helpers: write_json, read_json
from resnet_helpers.models import pretrained  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
#: Networks in training order: the zoo's pair and ResNet-20 first, ResNet-110 (the longest) last.
NETWORKS = {"resnet20": ("resnet", 20), "resnet56": ("resnet", 56), "plain56": ("plain", 56),
            "plain20": ("plain", 20), "resnet32": ("resnet", 32), "plain32": ("plain", 32),
            "resnet44": ("resnet", 44), "plain44": ("plain", 44), "resnet110": ("resnet", 110)}
TOY_NETWORKS = {"resnet8": ("resnet", 8), "plain8": ("plain", 8)}
PAPER = {"epochs": 182, "batch": 128, "learning_rate": 0.1, "milestones": [0.5, 0.75],
         "momentum": 0.9, "weight_decay": 1e-4, "val_images": 5000, "warmup_iterations": 400}
#: ResNet-20 trained at 85,800 images/s at batch 256 on one H100 (JAX, bf16, XLA); in the
#: degradation run ResNet-56 took 2.37× ResNet-20's time per image: seconds per image ≈ a + b·depth
#: (in µs, from those two runs).
H100_IPS_DEPTH20, _A, _B = 85_800, 3.727, 0.5949


def say(*parts) -> None:
    print(*parts, flush=True)


def reference_images_per_second(depth: int) -> float:
    """Estimated training images/s on one H100 at batch 256 (before any measurement)."""
    return H100_IPS_DEPTH20 * (_A + 20 * _B) / (_A + depth * _B)


def gpu_present() -> bool:
    if keras.backend.backend() == "jax":
        import jax
        return jax.default_backend() == "gpu"
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf
        return bool(tf.config.list_physical_devices("GPU"))
    return False


def device_name() -> str:
    if keras.backend.backend() == "jax":
        import jax
        return f"{jax.devices()[0].device_kind}, JAX {jax.__version__}"
    return f"{'GPU' if gpu_present() else 'CPU'}, {keras.backend.backend()}"


def build(name: str, networks: dict, policy: str = "float32") -> keras.Model:
    kind, depth = networks[name]
    keras.config.set_dtype_policy(policy)
    builder = rh.build_resnet if kind == "resnet" else rh.build_plain
    return builder(depth, **({"shortcut": "padding"} if kind == "resnet" else {}))


def spec_of(name: str, networks: dict) -> dict:
    kind, depth = networks[name]
    shortcut = {"shortcut": "padding"} if kind == "resnet" else {}
    return {"builder": kind, "depth": depth, **shortcut}


def split(x, y, val_images: int, seed: int):
    """45k/5k: a fixed random validation split (``val_images``; a tenth of small sets)."""
    order = np.random.default_rng(seed).permutation(len(x))
    n_val = val_images if len(x) > 2 * val_images else len(x) // 10
    return (x[order[n_val:]], y[order[n_val:]]), (x[order[:n_val]], y[order[:n_val]])


def top1(model: keras.Model, x: np.ndarray, y: np.ndarray, batch: int) -> float:
    """Accuracy of ``model`` on images ``(N, 32, 32, 3)`` and labels ``(N,)``, no augmentation."""
    return float((model.predict(x, batch_size=batch, verbose=0).argmax(1) == y).mean())


def save_state(path: Path, model: keras.Model, epoch: int) -> None:
    """Weights, optimizer variables (step count, momenta) and epoch, atomically."""
    arrays = {f"w{i:04d}": np.asarray(v) for i, v in enumerate(model.get_weights())}
    arrays |= {f"o{i:04d}": np.asarray(v) for i, v in enumerate(model.optimizer.variables)}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.tmp{os.getpid()}.npz")
    np.savez(tmp, epoch=np.array(epoch), **arrays)
    os.replace(tmp, path)


def load_state(path: Path, model: keras.Model) -> int:
    """Restore :func:`save_state`'s file into a compiled ``model``; returns the epochs done."""
    with np.load(path, allow_pickle=False) as data:
        weights = [data[k] for k in sorted(k for k in data.files if k.startswith("w"))]
        slots = [data[k] for k in sorted(k for k in data.files if k.startswith("o"))]
        epoch = int(data["epoch"])
    model.set_weights(weights)
    model.optimizer.build(model.trainable_variables)
    if len(slots) != len(model.optimizer.variables):
        raise ValueError(f"{path} holds {len(slots)} optimizer variables, the optimizer has "
                         f"{len(model.optimizer.variables)}: it is not this network's state.")
    for variable, value in zip(model.optimizer.variables, slots):
        variable.assign(value)
    return epoch


def recipe_for(name: str, networks: dict, args, steps: int) -> dict:
    lr = PAPER["learning_rate"] * args.batch / PAPER["batch"]
    warmup_steps = round(PAPER["warmup_iterations"] * PAPER["batch"] / args.batch) \
        if networks[name][1] >= 110 else 0
    return {"epochs": args.epochs, "batch": args.batch, "steps_per_epoch": steps,
            "iterations": args.epochs * steps, "learning_rate": lr,
            "schedule": f"step: x0.1 at {PAPER['milestones']} of training",
            "warmup_steps_at_lr_x0.1": warmup_steps, "momentum": PAPER["momentum"],
            "nesterov": False, "weight_decay": "coupled L2 1e-4 on kernels",
            "label_smoothing": 0.0, "augmentation": "pad 4 + random crop + flip",
            "precision": args.precision, "seed": args.seed}


def train_network(name, networks, data, args, clock) -> bool:
    """Train (or continue) one network; True when it is finished."""
    out, record_path = args.out, args.out / f"{name}.json"
    record = course.read_json(record_path) if record_path.exists() else None
    if record and record.get("finished"):
        say(f"{name}: finished earlier, skipped")
        return True
    state_path = args.state_dir / f"{name}.npz"
    if record and record["history"] and not state_path.exists():
        raise SystemExit(f"{record_path} records {len(record['history'])} epochs but the state "
                         f"{state_path} is missing (on the GPU machine: carry the state folder). "
                         f"Restore it, or delete {record_path.name} to train {name} afresh.")
    (x, y), (xv, yv), (xt, yt) = data["train"], data["val"], data["test"]
    first_epoch_s = len(x) / estimated_ips(name, networks, args) + args.compile_s
    if clock["epochs"] and time.time() + 1.2 * first_epoch_s > clock["deadline"]:
        say(f"{name}: no time left in this call's budget; the same command starts it")
        return False
    steps = len(x) // args.batch  # whole batches only: one compiled shape
    recipe = recipe_for(name, networks, args, steps)
    keras.utils.set_random_seed(args.seed)
    model = build(name, networks, args.precision)
    rh.training.recipe.compile_for_training(
        model, epochs=args.epochs, steps_per_epoch=steps, learning_rate=recipe["learning_rate"],
        momentum=PAPER["momentum"], weight_decay=PAPER["weight_decay"], weight_decay_mode="l2",
        nesterov=False, schedule="step", label_smoothing=0.0,
        warmup_epochs=recipe["warmup_steps_at_lr_x0.1"] / steps, jit_compile=args.gpu,
        steps_per_execution=min(steps, 16) if args.gpu else 1)
    done = load_state(state_path, model) if state_path.exists() else 0
    if record is None or done == 0:
        kind, depth = networks[name]
        record = {"network": name, "kind": kind, "depth": depth,
                  "params": int(model.count_params()),
                  "trainable_params": int(sum(np.prod(v.shape) for v in model.trainable_weights)),
                  "paper_test_error": PAPER_TEST_ERROR.get(depth) if kind == "resnet" else None,
                  "recipe": recipe,
                  "data": str(args.data), "train_images": len(x), "val_images": len(xv),
                  "test_images": len(xt), "history": [], "invocations": [], "finished": False}
    record["history"] = [h for h in record["history"] if h["epoch"] <= done]  # each epoch once
    call = {"started": time.strftime("%Y-%m-%d %H:%M:%S"), "device": device_name(),
            "keras": keras.__version__, "resumed_at_epoch": done + 1, "epochs": 0}
    record["invocations"].append(call)
    say(f"{name}: epoch {done + 1} of {args.epochs}, {steps} steps of {args.batch} per epoch")
    last_wall = None
    for epoch in range(done, args.epochs):
        estimate = last_wall or first_epoch_s
        if clock["epochs"] and time.time() + 1.2 * estimate > clock["deadline"]:
            say(f"{name}: budget reached after epoch {epoch}; the same command resumes it")
            return False
        start = time.time()
        lr = float(keras.ops.convert_to_numpy(model.optimizer.learning_rate))  # at this step
        rng = np.random.default_rng([args.seed, epoch])  # per-epoch stream: nothing to save
        order = rng.permutation(len(x))[: steps * args.batch]
        xa, ya = augment(x[order], rng), y[order]
        t0 = time.perf_counter()
        hist = model.fit(xa, ya, batch_size=args.batch, epochs=1, shuffle=False, verbose=0)
        train_s = time.perf_counter() - t0
        val_acc, test_acc = (top1(model, a, b, args.eval_batch) for a, b in ((xv, yv), (xt, yt)))
        entry = {"epoch": epoch + 1, "learning_rate": lr,
                 "train_error": 1 - float(hist.history["accuracy"][-1]),
                 "train_loss": float(hist.history["loss"][-1]), "val_error": 1 - val_acc,
                 "test_error": 1 - test_acc, "train_seconds": round(train_s, 3),
                 "images_per_second": round(steps * args.batch / train_s, 1)}
        record["history"].append(entry)
        call["epochs"] += 1
        clock["epochs"] += 1
        course.write_json(record_path, record)  # the record first: a resume truncates to the state
        save_state(state_path, model, epoch + 1)
        last_wall = time.time() - start
        say(json.dumps({"network": name, **entry}))
    finish(name, networks, model, record, data, args)
    course.write_json(record_path, record)
    state_path.unlink(missing_ok=True)
    return True


def finish(name, networks, model, record, data, args) -> None:
    """Save the float32 model and its float16 copy; score both with and without flip TTA."""
    final = build(name, networks, "float32")
    final.set_weights(model.get_weights())
    keras.config.set_dtype_policy(args.precision)
    paths = {"float32": args.out / f"{name}.keras", "float16": args.out / f"{name}.f16.npz"}
    final.save(paths["float32"])
    pretrained.save_float16(final, paths["float16"], spec_of(name, networks))
    compact = pretrained.load_float16(paths["float16"])
    scores = {}
    for label, m in (("float32", final), ("float16", compact)):
        plain, tta = accuracy(m, *data["test"], batch=args.eval_batch)
        scores[label] = {"test_accuracy": plain, "test_accuracy_flip_tta": tta,
                         "file": paths[label].name, "bytes": paths[label].stat().st_size}
    record.update(finished=True, final=scores, finished_at=time.strftime("%Y-%m-%d %H:%M"))
    say(f"{name}: done, test accuracy {scores['float32']['test_accuracy']:.2%} "
        f"(flip TTA {scores['float32']['test_accuracy_flip_tta']:.2%}; float16 copy "
        f"{scores['float16']['test_accuracy']:.2%}, {scores['float16']['bytes']:,} bytes)")


def estimated_ips(name, networks, args) -> float:
    """Images/s: measured in this network's record if it has trained, else the H100 estimate."""
    path = args.out / f"{name}.json"
    if path.exists():
        rates = [h["images_per_second"] for h in course.read_json(path)["history"][1:]]
        if rates:
            return float(np.median(rates))
    return reference_images_per_second(networks[name][1])


def plan(names, networks, args, train_images: int) -> float:
    """Print what is left per network and the estimated GPU time; returns the seconds."""
    total = 0.0
    say(f"{'network':>10} {'epochs done':>12} {'images/s':>9} {'est. s left':>11}")
    for name in names:
        path = args.out / f"{name}.json"
        rec = course.read_json(path) if path.exists() else {}
        done = args.epochs if rec.get("finished") else len(rec.get("history", []))
        ips = estimated_ips(name, networks, args)
        left = (args.epochs - done) * train_images / ips * 1.15  # + 15%: evaluation, saving
        left += args.compile_s if done < args.epochs else 0
        total += left
        say(f"{name:>10} {done:>5} / {args.epochs:<5} {ips:>9,.0f} {left:>11,.0f}")
    usable = max(60.0, (args.budget_s if math.isfinite(args.budget_s) else 480) - 60)
    say(f"total ≈ {total / 60:.0f} min of training: about {math.ceil(total / usable)} calls of "
        f"--budget-s {usable + 60:.0f} (estimates: H100 reference until a network has run)")
    return total


def ship(names, networks, data, args) -> None:
    """Copy finished float16 files into the model zoo with a re-measured manifest entry."""
    manifest_path = pretrained.PRETRAINED_DIR / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    for name in names:
        record = course.read_json(args.out / f"{name}.json")
        if not record.get("finished"):
            raise SystemExit(f"{name} has not finished training; run the training command first.")
        target = pretrained.PRETRAINED_DIR / f"{name}.npz"
        if target.exists() and not args.overwrite:
            raise SystemExit(f"{target} exists; pass --overwrite to replace it.")
        shutil.copyfile(args.out / f"{name}.f16.npz", target)
        plain, tta = accuracy(pretrained.load_float16(target), *data["test"], batch=args.eval_batch)
        first = record["invocations"][0]["device"]
        manifest[name] = {
            "status": "shipped", "file": target.name, "sha256": rh.sha256_file(target),
            "bytes": target.stat().st_size,
            "model": f"{name}: He et al. (2015) CIFAR-10 {record['kind']} network, depth "
                     f"{record['depth']}; {record['params']:,} parameters; float16 weights + "
                     "architecture spec, float32 on load",
            "test_accuracy": round(plain, 4), "test_accuracy_flip_tta": round(tta, 4),
            "float32_test_accuracy": round(record["final"]["float32"]["test_accuracy"], 4),
            "test_images": len(data["test"][0]), "data": str(args.data),
            "recipe": record["recipe"], "trained_on": first,
            "date": record.get("finished_at", ""),
            "command": f"KERAS_BACKEND=jax python benchmarks/paper_table6.py --data DATA --only "
                       f"{name} --budget-s 480 (repeated until done), then --ship {name}"}
        say(f"shipped {name}: {plain:.2%} (flip TTA {tta:.2%}), {target.stat().st_size:,} bytes")
    tmp = manifest_path.with_name(f".manifest.tmp{os.getpid()}")
    tmp.write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    os.replace(tmp, manifest_path)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", help="CIFAR-10 source (any layout load_cifar10 reads)")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "table6")
    ap.add_argument("--state-dir", type=Path, help="resumable state; default OUT/state")
    ap.add_argument("--budget-s", type=float, default=math.inf, help="wall-clock limit, seconds")
    ap.add_argument("--only", default="", help="comma-separated networks, e.g. resnet56,plain56")
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--epochs", type=int, help=f"default {PAPER['epochs']} (2 with --toy)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--precision", choices=("auto", "float32", "mixed_bfloat16"), default="auto")
    ap.add_argument("--compile-s", type=float, help="first-epoch allowance; default 40 on a GPU")
    ap.add_argument("--eval-batch", type=int, default=1000)
    ap.add_argument("--plan", action="store_true", help="print the plan and stop")
    ap.add_argument("--ship", default="", help="networks to copy into the model zoo")
    ap.add_argument("--overwrite", action="store_true", help="with --ship: replace zoo files")
    ap.add_argument("--toy", action="store_true", help="depth 8, a few hundred images, 2 epochs")
    args = ap.parse_args(argv)
    t0 = time.time()
    networks = TOY_NETWORKS if args.toy else NETWORKS
    names = [n for n in args.only.split(",") if n] or list(networks)
    unknown = sorted(set(names + [n for n in args.ship.split(",") if n]) - set(networks))
    if unknown:
        ap.error(f"unknown network(s) {unknown}; choose from {list(networks)}")
    args.epochs = args.epochs or (2 if args.toy else PAPER["epochs"])
    if args.toy and args.batch == 256:
        args.batch = 32
    args.gpu = gpu_present()
    if args.precision == "auto":
        args.precision = "mixed_bfloat16" if args.gpu else "float32"
    args.compile_s = args.compile_s if args.compile_s is not None else (40.0 if args.gpu else 0.0)
    args.state_dir = args.state_dir or args.out / "state"
    args.out.mkdir(parents=True, exist_ok=True)
    if args.plan:
        plan(names, networks, args, (50_000 - PAPER["val_images"]) // args.batch * args.batch)
        return 0
    (x, y), (xt, yt) = rh.load_cifar10(args.data)
    if args.toy:
        x, y, xt, yt = x[:320], y[:320], xt[:64], yt[:64]
    y, yt = y.astype("int32").reshape(-1), yt.astype("int32").reshape(-1)
    train, val = split(x, y, PAPER["val_images"], args.seed)
    data = {"train": train, "val": val, "test": (xt, yt)}
    if args.ship:
        ship([n for n in args.ship.split(",") if n], networks, data, args)
        return 0
    say(f"{device_name()}, Keras {keras.__version__}, {args.precision}; {len(train[0])} train, "
        f"{len(val[0])} val, {len(xt)} test images; budget {args.budget_s} s")
    plan(names, networks, args, len(train[0]) // args.batch * args.batch)
    clock = {"deadline": t0 + args.budget_s, "epochs": 0}
    finished = [n for n in names if train_network(n, networks, data, args, clock)]
    keras.config.set_dtype_policy("float32")
    left = [n for n in names if n not in finished]
    say(f"done: {finished}; left: {left}" + (" (run the same command again)" if left else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
