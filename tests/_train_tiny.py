"""Train a tiny ResNet on random data into a run folder; used by test_reliability.py.

    python _train_tiny.py RUN_DIR EPOCHS [--replicas N] [--no-augment]

Prints "EPOCH_DONE <n>" after each finished epoch and "RESULT <json>" at the end.
"""
import argparse
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("run_dir")
parser.add_argument("epochs", type=int)
parser.add_argument("--replicas", type=int, default=1)
parser.add_argument("--sleep", type=float, default=0.0, help="seconds to wait after each epoch")
args = parser.parse_args()

if args.replicas > 1:
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(
        cpu, [tf.config.LogicalDeviceConfiguration()] * args.replicas)

import resnet_helpers as rh  # noqa: E402

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
x = rng.integers(0, 256, (128, 32, 32, 3), dtype=np.uint8)
y = np.arange(128) % 10
train_ds, val_ds = rh.make_datasets((x, y), (x[:64], y[:64]), batch_size=32, augment=False)


class Announce(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        print(f"EPOCH_DONE {epoch + 1}", flush=True)
        if args.sleep:
            import time
            time.sleep(args.sleep)


if args.replicas > 1:
    devices = [d.name for d in tf.config.list_logical_devices("CPU")]
    strategy = tf.distribute.MirroredStrategy(devices)
else:
    strategy = tf.distribute.get_strategy()
with strategy.scope():
    model = rh.build_resnet(8)
result = rh.train(model, train_ds, val_ds, epochs=args.epochs, run_dir=args.run_dir, verbose=0,
                  tensorboard=False, strategy=strategy, callbacks=[Announce()])
result["replicas"] = strategy.num_replicas_in_sync
print("RESULT " + json.dumps(result), flush=True)
sys.exit(0)
