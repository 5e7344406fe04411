"""Training on several devices with ``tf.distribute``.

Build the model inside the strategy's scope and hand the strategy to :func:`train`::

    strategy = rh.pick_strategy()                 # MirroredStrategy on 2+ GPUs, else default
    batch, lr = rh.scale_for_replicas(128, 0.1, strategy)
    with strategy.scope():
        model = rh.build_resnet(20)
    train_ds, val_ds = rh.make_datasets(train, val, batch_size=batch)   # the *global* batch
    rh.train(model, train_ds, val_ds, epochs=30, run_dir=..., learning_rate=lr,
             strategy=strategy)

Each replica gets ``batch / replicas`` images per step; the learning rate grows with the
global batch (the linear scaling rule of Goyal et al. 2017; the warm-up epoch keeps the start
stable). Several machines: ``tf.distribute.MultiWorkerMirroredStrategy`` with ``TF_CONFIG``
set on each worker (see the README).
"""

from __future__ import annotations

import tensorflow as tf


def pick_strategy() -> tf.distribute.Strategy:
    """``MirroredStrategy`` over all GPUs when there are two or more, else the default strategy."""
    gpus = tf.config.list_logical_devices("GPU")
    if len(gpus) >= 2:
        return tf.distribute.MirroredStrategy([g.name for g in gpus])
    return tf.distribute.get_strategy()


def scale_for_replicas(batch_size: int, learning_rate: float,
                       strategy: tf.distribute.Strategy) -> tuple[int, float]:
    """Global batch and learning rate for ``strategy``: per-replica ``batch_size`` times the
    number of replicas, and the learning rate scaled by the same factor."""
    replicas = strategy.num_replicas_in_sync
    return batch_size * replicas, learning_rate * replicas


def check_built_in_scope(model, strategy: tf.distribute.Strategy) -> None:
    """ValueError unless ``model``'s variables were created inside ``strategy.scope()``."""
    if strategy.num_replicas_in_sync > 1 and not all(
            strategy.extended.variable_created_in_scope(v.value if hasattr(v, "value") else v)
            for v in model.weights[:1]):
        raise ValueError(f"The model was built outside the strategy's scope; build it inside "
                         f"`with strategy.scope():` so its {strategy.num_replicas_in_sync} "
                         "replicas share mirrored variables.")
