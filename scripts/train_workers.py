"""Train a course ResNet on one process or on several workers (one machine or many).

Every worker runs the SAME command; only the environment variable ``TF_CONFIG`` differs::

    # worker 0 (the chief: it alone writes the run folder)
    TF_CONFIG='{"cluster": {"worker": ["host1:12345", "host2:12345"]},
                "task": {"type": "worker", "index": 0}}' \\
        python scripts/train_workers.py --run-dir runs/mw --epochs 30
    # worker 1: the same with "index": 1

Without ``TF_CONFIG`` it trains in a single process with the default strategy. With it,
``tf.distribute.MultiWorkerMirroredStrategy`` keeps one copy of the model per worker and
averages the gradients of the global batch (``--batch`` images per step, split across workers).

* The chief (worker 0) writes the run folder: ``model.keras``, ``best.keras``,
  ``history.json``, ``metrics.json``, ``logs/`` and the resume state ``backup/``. Every other
  worker writes its own resume state to ``--worker-dir`` (a folder of its own, default under the
  system's temporary folder), deleted when training finishes.
* If a worker is lost, the others stop with a message that names it (exit status 3): within
  about 10 s when it crashed (TensorFlow's heartbeats), at most ``--timeout`` seconds when it
  hangs. If one never starts, the others print the message and stop after ``--timeout``
  seconds (exit status 137: killed by a watchdog, TensorFlow cannot be interrupted there). Run the same command again on every worker: training resumes from the last
  finished epoch.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import subprocess
import tempfile
import time
from pathlib import Path

LOST_WORKER_EXIT = 3  # exit status when a worker was lost (resume by re-running)


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--run-dir", required=True, help="run folder (written by the chief only)")
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument("--depth", type=int, default=20, help="ResNet depth 6n+2")
    p.add_argument("--width", type=int, default=16)
    p.add_argument("--batch", type=int, default=128, help="GLOBAL batch (all workers together)")
    p.add_argument("--learning-rate", type=float, default=0.1)
    p.add_argument("--train-size", type=int, default=None, help="use the first N training images")
    p.add_argument("--val-size", type=int, default=5000)
    p.add_argument("--no-augment", action="store_true")
    p.add_argument("--seed", type=int, default=0,
                   help="seed of the initial weights and the shuffle: every worker and a "
                        "single-process run with the same seed start from the same weights")
    p.add_argument("--data", default=None, help="CIFAR-10 source (default: $CIFAR10_SOURCE)")
    p.add_argument("--timeout", type=float, default=600.0,
                   help="seconds a worker waits for the others in one step before giving up")
    p.add_argument("--worker-dir", default=None,
                   help="resume state of a non-chief worker (default: a per-task temp folder)")
    p.add_argument("--save-weights", default=None,
                   help="also write this worker's final trainable weights to this .npz "
                        "('{task}' is replaced by the worker index), e.g. to compare workers")
    return p.parse_args(argv)


def cluster_from_env() -> tuple[int, int]:
    """``(number of workers, this worker's index)`` from ``TF_CONFIG`` (``(1, 0)`` without)."""
    raw = os.environ.get("TF_CONFIG")
    if not raw:
        return 1, 0
    try:
        config = json.loads(raw)
        workers = config["cluster"]["worker"]
        task = config["task"]
    except (ValueError, KeyError, TypeError) as err:
        raise SystemExit(f"TF_CONFIG is not valid ({err!r}); expected "
                         '{"cluster": {"worker": ["host:port", ...]}, '
                         '"task": {"type": "worker", "index": N}}') from None
    if task.get("type") != "worker" or not 0 <= int(task.get("index", -1)) < len(workers):
        raise SystemExit(f"TF_CONFIG's task {task} must be {{'type': 'worker', 'index': 0.."
                         f"{len(workers) - 1}}}")
    return len(workers), int(task["index"])


def main(argv=None) -> int:
    args = parse_args(argv)
    num_workers, task = cluster_from_env()
    import keras
    import tensorflow as tf

    import resnet_helpers as rh
    from resnet_helpers.training.callbacks import write_json
    from resnet_helpers.training.distribute import (LostWorkerError, multi_worker_strategy,
                                          reraise_lost_worker)

    is_chief = task == 0
    run_dir = Path(args.run_dir)
    own_dir = run_dir if is_chief else Path(args.worker_dir or Path(
        tempfile.gettempdir()) / f"resnet-worker{task}-{run_dir.resolve().name}")
    if not is_chief and own_dir.resolve().is_relative_to(run_dir.resolve()):
        raise SystemExit(f"--worker-dir {own_dir} is inside the chief's run folder {run_dir}")

    # TensorFlow waits for every worker to start without a limit, in C++ holding the GIL: a
    # watchdog process bounds the wait (it prints the message and kills this process).
    watchdog = start_watchdog(args.timeout, lost_message(
        f"the other workers did not all start within --timeout {args.timeout:g} s "
        "(a worker was lost or never started)", task, num_workers, "nothing was trained yet"))
    strategy = multi_worker_strategy(args.timeout) if num_workers > 1 else None
    watchdog.stdin.close()  # started in time: the watchdog exits
    watchdog.wait()
    (x, y), _ = rh.load_cifar10(args.data)
    train, val = rh.train_val_split(x, y, val_size=args.val_size)
    if args.train_size:
        train = (train[0][: args.train_size], train[1][: args.train_size])
    train_ds, val_ds = rh.make_datasets(train, val, batch_size=args.batch,
                                        augment=not args.no_augment, seed=args.seed)
    keras.utils.set_random_seed(args.seed)
    scope = strategy.scope() if strategy else tf.distribute.get_strategy().scope()
    with scope:
        model = rh.build_resnet(args.depth, width=args.width)
    progress = ProgressMarker()
    try:
        with reraise_lost_worker():
            result = rh.train(model, train_ds, val_ds, epochs=args.epochs, run_dir=own_dir,
                              learning_rate=args.learning_rate, strategy=strategy,
                              tensorboard=is_chief, verbose=2 if is_chief else 0,
                              callbacks=[progress])
    except LostWorkerError as err:
        return report_lost(err, task, num_workers,
                           f"it continues from the last finished epoch in {own_dir / 'backup'}")
    if args.save_weights:
        path = Path(args.save_weights.replace("{task}", str(task)))
        path.parent.mkdir(parents=True, exist_ok=True)
        import numpy as np
        np.savez(path, **{f"{i:03d}_{w.path.replace('/', '.')}": np.asarray(w.numpy())
                          for i, w in enumerate(model.trainable_weights)})
    if is_chief:
        write_json(run_dir / "metrics.json",
                   {"workers": num_workers, "global_batch": args.batch, "epochs": result["epochs"],
                    "final": {k: v[-1] for k, v in result["history"].items()},
                    "train_seconds": result["train_seconds"]})
    else:
        shutil.rmtree(own_dir, ignore_errors=True)
    print(f"worker {task}: done, {result['epochs']} epochs", flush=True)
    return 0


def lost_message(err: Exception | str, task: int, num_workers: int, state: str) -> str:
    """What happened and how to resume."""
    return (f"\nworker {task}: {err}\nTo resume, run the same command again on every worker "
            f"(all {num_workers} of them): {state}.\n")


def report_lost(err: Exception, task: int, num_workers: int, state: str) -> int:
    """Print :func:`lost_message`; the exit status for a lost worker."""
    print(lost_message(err, task, num_workers, state), file=sys.stderr, flush=True)
    return LOST_WORKER_EXIT


_WATCHDOG = """import os, select, signal, sys
if not select.select([sys.stdin], [], [], float(sys.argv[1]))[0]:
    sys.stderr.write(sys.argv[2]); sys.stderr.flush(); os.kill(int(sys.argv[3]), signal.SIGKILL)
"""


def start_watchdog(seconds: float, message: str) -> subprocess.Popen:
    """A process that, unless its stdin is closed within ``seconds``, prints ``message`` and
    kills this process with SIGKILL (exit status 137; -9 in Python)."""
    return subprocess.Popen([sys.executable, "-c", _WATCHDOG, str(seconds), message,
                             str(os.getpid())], stdin=subprocess.PIPE)


class ProgressMarker:
    """A Keras callback that, for tests, writes the number of finished batches to
    ``$RESNET_BATCH_MARKER`` (and sleeps ``$RESNET_BATCH_SLEEP`` seconds per batch)."""

    def __new__(cls):
        import keras

        class _Marker(keras.callbacks.Callback):
            def __init__(self):
                super().__init__()
                self.path = os.environ.get("RESNET_BATCH_MARKER")
                self.sleep = float(os.environ.get("RESNET_BATCH_SLEEP", "0"))
                self.done = 0

            def on_train_batch_end(self, batch, logs=None):
                self.done += 1
                if self.path:
                    Path(self.path).write_text(str(self.done))
                if self.sleep:
                    time.sleep(self.sleep)

        return _Marker()


if __name__ == "__main__":
    sys.exit(main())
