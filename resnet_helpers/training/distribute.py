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
stable). Several machines (or processes): :func:`multi_worker_strategy` with ``TF_CONFIG`` set
on each worker; ``scripts/train_workers.py`` is the supported entry point (see
``docs/helpers.md``, "More than one machine").
"""

from __future__ import annotations

import contextlib
import os
import platform
import re
from typing import Iterator

import tensorflow as tf

from resnet_helpers.keras_internals import require

__all__ = ["LostWorkerError", "build_before_fit", "check_built_in_scope", "cpu_bfloat16_units",
           "device_description", "multi_worker_strategy", "pick_precision", "pick_strategy",
           "reraise_lost_worker", "scale_for_replicas"]

#: What a collective op raises when a peer is gone: it aborted, timed out or became unreachable.
_LOST_PEER_ERRORS = (tf.errors.UnavailableError, tf.errors.DeadlineExceededError,
                     tf.errors.CancelledError, tf.errors.AbortedError, tf.errors.InternalError)


class LostWorkerError(RuntimeError):
    """A worker of a multi-worker training stopped answering (crashed, killed, disconnected)."""


def multi_worker_strategy(timeout_seconds: float = 600.0
                          ) -> tf.distribute.MultiWorkerMirroredStrategy:
    """``MultiWorkerMirroredStrategy`` from ``TF_CONFIG`` that gives up on a lost worker.

    * every collective op (gradient all-reduce, metric sums) fails after ``timeout_seconds``
      instead of waiting forever;
    * TensorFlow's coordination service notices a worker that stopped sending heartbeats (about
      10 s) and aborts the collective ops of the others.

    Creating the strategy waits, without a limit, until every worker has started:
    ``scripts/train_workers.py`` bounds that wait with a watchdog. Choose ``timeout_seconds``
    above the longest step (the first one traces the graph). Errors surface from ``fit``; wrap
    the training in :func:`reraise_lost_worker` to get a :class:`LostWorkerError`.

    Args:
        timeout_seconds: seconds one collective op may wait for the other workers.
    """
    options = tf.distribute.experimental.CommunicationOptions(
        timeout_seconds=timeout_seconds,
        implementation=tf.distribute.experimental.CommunicationImplementation.RING)
    return tf.distribute.MultiWorkerMirroredStrategy(communication_options=options)


@contextlib.contextmanager
def reraise_lost_worker() -> Iterator[None]:
    """Turn TensorFlow's errors for an unreachable or never-started peer of a multi-worker
    training into :class:`LostWorkerError`, naming the worker where TensorFlow's message does
    (``/job:worker/replica:0/task:N``). Outside a multi-worker cluster it changes nothing."""
    resolver = tf.distribute.cluster_resolver.TFConfigClusterResolver()
    try:
        yield
    except _LOST_PEER_ERRORS as err:
        try:
            workers, me = resolver.cluster_spec().num_tasks("worker"), resolver.task_id
        except ValueError:  # no "worker" job: not a multi-worker run
            raise err from None
        if workers < 2:
            raise
        text = str(err)
        tasks = sorted({int(t) for t in re.findall(r"task:(\d+)", text)} - {me})
        who = f"worker {', '.join(map(str, tasks))}" if tasks else "another worker"
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        reason = next((line for line in lines if re.search(
            r"unhealthy|abort|timed out|deadline|unavailable|register|barrier", line, re.I)),
            lines[0] if lines else "")
        raise LostWorkerError(f"{who} was lost or never started: this worker ({me}) stopped "
                              f"waiting for it. TensorFlow said: {type(err).__name__}: "
                              f"{reason[:300]}") from err


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
      narrow ResNet-20 gains nothing) — unless ``ONEDNN_MAX_CPU_ISA`` keeps oneDNN below AMX
      (see :func:`cpu_bfloat16_units`);
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
    return "mixed_bfloat16" if cpu_bfloat16_units() == "amx" else "float32"


def build_before_fit(model, train_ds: tf.data.Dataset, strategy: tf.distribute.Strategy) -> None:
    """Create the optimizer and metric variables of a compiled ``model`` before ``fit``.

    Keras 3.15's ``fit`` builds them from a first batch it averages over the replicas with
    ``strategy.reduce``, which ``MultiWorkerMirroredStrategy`` cannot do on an ``(images,
    labels)`` pair (``ValueError: Attempt to convert a value (PerReplica…)``). For that strategy
    this builds them from a local batch's shapes instead and skips Keras's own build; for every
    other strategy it does nothing.
    It also makes Keras average the scalar step outputs (loss, metrics) over the workers with
    ``axis=None``: Keras 3.15 asks for ``axis=0``, which fails on a scalar (``Invalid reduction
    dimension 0 for input with 0 dimensions``).
    """
    if not isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy):
        return
    require("training on several machines (MultiWorkerMirroredStrategy)")
    _patch_keras_multi_worker_mean()
    with strategy.scope():
        model._symbolic_build(data_batch=next(iter(train_ds)))
    model._maybe_symbolic_build = lambda iterator=None, data_batch=None: None


def _patch_keras_multi_worker_mean() -> None:
    """Keras 3.15 reduces each step's outputs across workers with ``reduce("MEAN", v,
    axis=0)``; for scalars (every loss and metric) that axis does not exist. Reduce scalars with
    ``axis=None`` (the mean over replicas) and leave everything else to Keras."""
    from keras.src.backend.tensorflow import trainer as tf_trainer

    original = tf_trainer.reduce_per_replica
    if getattr(original, "_course_patched", False):
        return

    def reduce_per_replica(values, strategy, reduction):
        if (reduction in ("mean", "auto") and not isinstance(strategy, tf.distribute.TPUStrategy)
                and tf_trainer._collective_all_reduce_multi_worker(strategy)):
            def mean(v):
                rank = strategy.experimental_local_results(v)[0].shape.rank
                return strategy.reduce("MEAN", v, axis=0 if rank else None)
            return tf.nest.map_structure(mean, values)
        return original(values, strategy, reduction)

    reduce_per_replica._course_patched = True
    tf_trainer.reduce_per_replica = reduce_per_replica


# oneDNN's CPU instruction-set levels, lowest first (ONEDNN_MAX_CPU_ISA caps them).
_ISA_ORDER = ("SSE41", "AVX", "AVX2", "AVX2_VNNI", "AVX2_VNNI_2", "AVX512_CORE",
              "AVX512_CORE_VNNI", "AVX512_CORE_BF16", "AVX10_1_512",
              "AVX512_CORE_FP16", "AVX10_1_512_AMX", "AVX512_CORE_AMX", "AVX10_1_512_AMX_FP16",
              "AVX512_CORE_AMX_FP16", "DEFAULT", "ALL")


def cpu_bfloat16_units() -> str | None:
    """``"amx"`` or ``"avx512_bf16"`` when this CPU has bfloat16 units that TensorFlow's oneDNN
    may use, else None.

    Honours ``ONEDNN_MAX_CPU_ISA``: with ``ONEDNN_MAX_CPU_ISA=AVX2`` (how the course emulates a
    laptop-class CPU on a server) the answer is None, as on a real AVX2-only machine.
    """
    flags = _cpu_info()
    limit = os.environ.get("ONEDNN_MAX_CPU_ISA", "ALL").strip().upper()
    rank = _ISA_ORDER.index(limit) if limit in _ISA_ORDER else len(_ISA_ORDER) - 1
    if "amx_bf16" in flags and rank >= _ISA_ORDER.index("AVX10_1_512_AMX"):
        return "amx"
    if "avx512_bf16" in flags and rank >= _ISA_ORDER.index("AVX512_CORE_BF16"):
        return "avx512_bf16"
    return None


def _cpu_info() -> str:
    """``/proc/cpuinfo`` (the one place the package reads it), or "" where there is none."""
    try:
        with open("/proc/cpuinfo") as f:
            return f.read()
    except OSError:  # not Linux: no cheap way to ask
        return ""


def device_description() -> str:
    """The device TensorFlow computes on, e.g. ``"CPU: Intel Xeon … (2 cores)"`` or a GPU name."""
    gpus = tf.config.list_physical_devices("GPU")
    if gpus:
        names = [tf.config.experimental.get_device_details(g).get("device_name", g.name)
                 for g in gpus]
        return "GPU: " + ", ".join(names)
    cpu = next((line.split(":", 1)[1].strip() for line in _cpu_info().splitlines()
                if line.startswith("model name")), platform.processor() or platform.machine())
    return f"CPU: {cpu} ({os.cpu_count()} cores)"
