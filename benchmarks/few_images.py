"""Lesson 06's trainings on few images: learning rates, warm-up and fine-tuning recipes.

    python benchmarks/few_images.py --data PATH '{"seed": 0, "variants": [
        {"kind": "scratch", "lr": 0.05, "warmup": 2},
        {"kind": "ft_one_go", "lr": 0.02},
        {"kind": "ft_two_steps", "head_epochs": 3, "head_lr": 0.1, "lr": 0.002}]}'

Builds lesson 06's example folder (5 CIFAR-10 test-set classes under new names, 100 training
and 40 test images per class, written at 64×64 and read at 40×40) for the given seed, then
trains ResNet-20 on it for 12 epochs per variant: ``scratch`` (``rh.train``, its recipe with
peak ``lr``, ``warmup`` epochs, BatchNorm momentum ``bnm`` [0.9], augmentation options ``aug``
for ``rh.make_datasets``), ``ft_one_go`` (the shipped ResNet-20 with a new classifier, every
layer trained at once with ``rh.train``: the lesson's recipe until 2026-12) or
``ft_two_steps`` (the lesson's recipe now, in the lesson's plain Keras: frozen base and a new
classifier for ``head_epochs`` at ``head_lr``, then every layer but BatchNorm at ``lr`` with cosine
decay, SGD with momentum 0.9 or ``"opt": "adam"``; records whose variant names a
``loss_optimizer`` were made with that loss and optimizer instead).
Appends per variant: test accuracy, training and validation accuracy per epoch, the largest
validation loss, seconds, CPU class and date to ``--out``.
"""
import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import keras  # noqa: E402
import numpy as np  # noqa: E402

import resnet_helpers as rh  # noqa: E402
from claims import cpu_class  # noqa: E402

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("config", type=json.loads, help='{"seed": S, "variants": [...]}')
parser.add_argument("--data", default=None)
parser.add_argument("--out", default="benchmarks/results/few_images.jsonl")
cli = parser.parse_args()
args = cli.config
seed = args.get("seed", 0); size = 40; ipc = 100; epochs = args.get("epochs", 12)
renamed = {0: "aeroplanes", 1: "cars", 2: "birds", 3: "cats", 8: "boats"}
names = sorted(renamed.values()); test_per_class = round(0.4 * ipc)
_, (x_cifar, y_cifar) = rh.load_cifar10(cli.data)
rng = np.random.default_rng(seed); picked = {"train": [], "test": []}
for index in renamed:
    chosen = rng.permutation(np.flatnonzero(y_cifar == index))
    picked["train"] += list(chosen[:ipc]); picked["test"] += list(chosen[ipc:ipc + test_per_class])
new_label = {old: names.index(name) for old, name in renamed.items()}
splits = {s: (x_cifar[idx], np.array([new_label[y_cifar[i]] for i in idx])) for s, idx in picked.items()}
folder = Path(tempfile.mkdtemp()) / "ex"
rh.write_image_folder(folder, splits, names, image_size=64, seed=seed)
(x_train, y_train), (x_test, y_test), class_names = rh.load_image_folder(folder, size, seed=seed)
nc = len(class_names)
cls = cpu_class()
for variant in args["variants"]:
    kind = variant["kind"]
    opts = variant.get("aug", {})
    train_ds, test_ds = rh.make_datasets((x_train, y_train), (x_test, y_test), batch_size=variant.get("batch", 64), seed=seed, **opts)
    t = time.time()
    if kind == "scratch":
        keras.utils.set_random_seed(seed)
        model = rh.build_resnet(20, nc, x_train.shape[1:], bn_momentum=variant.get("bnm", 0.9))
        r = rh.train(model, train_ds, test_ds, epochs=variant.get("epochs", epochs), run_dir=tempfile.mkdtemp(),
                     learning_rate=variant["lr"], warmup_epochs=variant.get("warmup", 1.0), tensorboard=False, verbose=0,
                     weight_decay=variant.get("wd", 5e-3))
        h = r["history"]
    elif kind == "ft_one_go":
        model = rh.fine_tune_model(rh.load_pretrained("resnet20"), nc, x_train.shape[1:], seed=seed)
        r = rh.train(model, train_ds, test_ds, epochs=epochs, run_dir=tempfile.mkdtemp(), learning_rate=variant["lr"], tensorboard=False, verbose=0)
        h = r["history"]
    else:  # two steps, exactly as lesson 06 does them
        keras.utils.set_random_seed(seed)
        model = rh.fine_tune_model(rh.load_pretrained("resnet20"), nc, x_train.shape[1:], freeze=True, seed=seed)
        model.compile(optimizer=keras.optimizers.SGD(variant["head_lr"], momentum=0.9),
                      loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        h1 = model.fit(train_ds, validation_data=test_ds, epochs=variant["head_epochs"], verbose=0, shuffle=False).history
        for layer in model.layers:
            layer.trainable = not isinstance(layer, keras.layers.BatchNormalization)
        steps = int(train_ds.cardinality()) * (epochs - variant["head_epochs"])
        sched = keras.optimizers.schedules.CosineDecay(variant["lr"], steps)
        optimizer = (keras.optimizers.Adam(sched) if variant.get("opt") == "adam"
                     else keras.optimizers.SGD(sched, momentum=0.9))
        model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        h2 = model.fit(train_ds, validation_data=test_ds, epochs=epochs - variant["head_epochs"], verbose=0, shuffle=False).history
        h = {k: h1[k] + h2[k] for k in h1}
    probs = rh.predict_probabilities(model, x_test)
    res = {"variant": variant, "test": round(float((probs.argmax(1) == y_test).mean()), 3),
           "val_acc": [round(v, 3) for v in h["val_accuracy"]], "train_acc": [round(v, 3) for v in h["accuracy"]],
           "max_val_loss": round(float(np.max(h["val_loss"])), 2), "seconds": round(time.time() - t), "seed": seed, "cpu_class": cls, "date": time.strftime("%Y-%m-%d %H:%M")}
    print(json.dumps(res), flush=True)
    with open(cli.out, "a", encoding="utf-8") as f:
        f.write(json.dumps(res) + "\n")
