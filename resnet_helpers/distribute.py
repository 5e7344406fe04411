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


def pick_precision() -> str:
    """The Keras dtype policy that trains fastest on this machine's hardware.

    * ``"mixed_bfloat16"`` on a GPU of compute capability 8 or newer (A100, H100, RTX 30xx+),
      and on a CPU with AMX bfloat16 units (Intel Xeon 4th generation and newer): on this
      course's 2-core Xeon it trains the width-32 ResNet-9 1.6× faster (wide convolutions;
      narrow ResNet-20 gains nothing);
    * ``"mixed_float16"`` on older GPUs (Keras adds loss scaling);
    * ``"float32"`` elsewhere.

    Set it with ``keras.mixed_precision.set_global_policy(rh.pick_precision())`` *before*
    building the model. Weights stay float32; the final softmax computes in float32.
    """
    gpus = tf.config.list_physical_devices("GPU")
    if gpus:
        capability = tf.config.experimental.get_device_details(gpus[0]).get(
            "compute_capability", (0, 0))
        return "mixed_bfloat16" if capability >= (8, 0) else "mixed_float16"
    try:
        flags = open("/proc/cpuinfo").read()
    except OSError:  # not Linux: no cheap way to ask, keep the safe choice
        return "float32"
    return "mixed_bfloat16" if "amx_bf16" in flags else "float32"
