"""The training layer: the recipe (:mod:`.recipe`), :func:`train` with its callbacks
(:mod:`.train`, :mod:`.callbacks`), devices and strategies (:mod:`.distribute`), the plan for
this machine (:mod:`.planner`) and the one rule every timed step follows (:mod:`.timing`)."""

from resnet_helpers._lazy import attach

_EXPORTS = {
    "AtomicCheckpoint": "resnet_helpers.training.callbacks",
    "CompactProgbar": "resnet_helpers.training.callbacks",
    "EpochLog": "resnet_helpers.training.callbacks",
    "callbacks": "resnet_helpers.training.callbacks",
    "read_history": "resnet_helpers.training.callbacks",
    "read_json": "resnet_helpers.training.callbacks",
    "write_json": "resnet_helpers.training.callbacks",
    "save_model_atomic": "resnet_helpers.training.callbacks",
    "distribute": "resnet_helpers.training.distribute",
    "degradation": "resnet_helpers.training.degradation",
    "degradation_experiment": "resnet_helpers.training.degradation",
    "cpu_bfloat16_units": "resnet_helpers.training.distribute",
    "device_description": "resnet_helpers.training.distribute",
    "pick_precision": "resnet_helpers.training.distribute",
    "pick_strategy": "resnet_helpers.training.distribute",
    "scale_for_replicas": "resnet_helpers.training.distribute",
    "plan_training": "resnet_helpers.training.planner",
    "planner": "resnet_helpers.training.planner",
    "SmoothedSparseCrossentropy": "resnet_helpers.training.recipe",
    "compile_for_training": "resnet_helpers.training.recipe",
    "learning_rate_schedule": "resnet_helpers.training.recipe",
    "recipe": "resnet_helpers.training.recipe",
    "timing": "resnet_helpers.training.timing",
    "accuracy_report": "resnet_helpers.training.trainer",
    "estimate_training_time": "resnet_helpers.training.trainer",
    "history_columns": "resnet_helpers.training.trainer",
    "measure_training_throughput": "resnet_helpers.training.trainer",
    "predict_probabilities": "resnet_helpers.training.trainer",
    "train": "resnet_helpers.training.trainer",
    "trainer": "resnet_helpers.training.trainer",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = attach(__name__, _EXPORTS, globals())
