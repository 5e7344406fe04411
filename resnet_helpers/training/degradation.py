"""Lesson 05's degradation experiment: plain networks and ResNets of several depths trained with
one recipe and one budget, resumable, each into its own run folder (He et al. 2015, Fig. 6)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import keras
import numpy as np

from resnet_helpers.data.pipeline import make_datasets
from resnet_helpers.models.resnets import build_plain, build_resnet, load_model
from resnet_helpers.training.callbacks import read_history, read_json, write_json
from resnet_helpers.training.trainer import history_columns
from resnet_helpers.training.trainer import train as fit

__all__ = ["degradation_experiment"]


def degradation_experiment(depths: Sequence[int], train: tuple[np.ndarray, np.ndarray],
                           val: tuple[np.ndarray, np.ndarray], *, epochs: int,
                           run_dir, batch_size: int = 128, learning_rate: float = 0.1,
                           augment: bool = False, branch_scale: float = 1.0, seed: int = 0,
                           kinds: Sequence[str] = ("plain", "resnet"), verbose="auto") -> dict:
    """Train a plain network and a ResNet of every depth with one recipe and one budget.

    BatchNorm uses momentum 0.9 (instead of Keras's 0.99), so that its moving statistics, and
    with them the validation error, keep up within a short budget. Each model trains with
    :func:`resnet_helpers.train` into ``run_dir/<model name>/`` (so an
    interrupted experiment resumes, and a model whose run already finished with the same
    settings is loaded instead of trained again).

    Args:
        depths: e.g. ``[20, 56]`` (each 6n+2).
        train, val: ``(images, labels)`` for training and validation.
        epochs, batch_size, learning_rate, seed: the shared budget and recipe.
        augment: augment the training images (off by default: then the training error
            measures how well the optimiser fits the data, which is what degradation is about).
        branch_scale: initial size of the ResNets' residual branches (see
            :func:`resnet_helpers.residual_block`; the plain networks have none). 1.0 is He et
            al.'s initialisation: measured here (8,000 images of 32×32, 4 epochs, batch 128)
            ResNet-56 then still trails ResNet-20 by 8 points of training error, with lesson
            05's 4,000 images of 16×16 by 37 — the paper's deeper ResNets need thousands of
            steps to overtake. 0.25 (lesson 05) lets ResNet-56 lead
            within that budget; 0 (Goyal et al. 2017) too, but slows both ResNets below
            plain-20.
        run_dir: folder of the experiment.
        kinds: which networks to train at every depth: ``"plain"``, ``"resnet"`` (original
            blocks) and/or ``"preact"`` (pre-activation blocks, He et al. 2016).
        verbose: Keras's progress display.

    Returns:
        ``{name: {"model": keras.Model (trained), "initial_weights": list of arrays (as
        ``get_weights()`` before training), "history": {metric: [per epoch]}, "depth", "kind",
        "train_seconds"}}`` for ``<kind><depth>`` (``plain56``, ``resnet56``, ``preact56``), in
        training order.
    """
    builders = {"plain": build_plain, "resnet": build_resnet,
                "preact": lambda depth, **kw: build_resnet(depth, preact=True, **kw)}
    unknown = [k for k in kinds if k not in builders]
    if unknown or not kinds:
        raise ValueError(f"kinds must name some of {sorted(builders)}, got {list(kinds)!r}.")

    settings = {"epochs": epochs, "batch_size": batch_size, "learning_rate": learning_rate,
                "augment": augment, "branch_scale": branch_scale, "seed": seed,
                "train_images": len(train[0]), "image_shape": list(np.shape(train[0])[1:])}
    results = {}
    for depth in depths:
        for kind in kinds:
            build, name = builders[kind], f"{kind}{depth}"
            folder = Path(run_dir) / name
            done = folder / "settings.json"
            if done.exists() and read_json(done) == settings and (folder / "model.keras").exists():
                model = load_model(folder / "model.keras")
                with np.load(folder / "initial_weights.npz") as saved:
                    initial = [saved[f"arr_{i}"] for i in range(len(saved.files))]
                records = read_history(folder / "history.json")
                history = history_columns(records)
                seconds = sum(r["train_seconds"] + r["val_seconds"] for r in records)
                print(f"{name}: reusing the finished run in {folder}")
            else:
                keras.utils.set_random_seed(seed)
                train_ds, val_ds = make_datasets(train, val, batch_size=batch_size,
                                                 augment=augment, seed=seed)
                options = {"branch_scale": branch_scale} if kind != "plain" else {}
                model = build(depth, bn_momentum=0.9, input_shape=np.shape(train[0])[1:],
                              **options)  # BN statistics keep up; any image size
                initial = model.get_weights()
                folder.mkdir(parents=True, exist_ok=True)
                np.savez(folder / "initial_weights.npz", *initial)
                print(f"{name}: {model.count_params():,} parameters, training {epochs} epochs")
                result = fit(model, train_ds, val_ds, epochs=epochs, run_dir=folder,
                             learning_rate=learning_rate, images_per_epoch=len(train[0]),
                             overwrite=True, tensorboard=False, verbose=verbose)
                history, seconds = result["history"], result["train_seconds"]
                write_json(done, settings)
            results[name] = {"model": model, "initial_weights": initial, "history": history,
                             "depth": depth, "kind": kind, "train_seconds": seconds}
    return results
