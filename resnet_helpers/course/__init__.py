"""The course layer: what the lessons share (:mod:`.lessons`: settings, smoke mode, the run
folder, figures, timers) and the self-checking exercises (:mod:`.exercises`).

``rh.course.settings(...)``, ``rh.course.prepare_run_dir(...)`` and the rest are the names of
:mod:`.lessons`, re-exported here; ``rh.exercises`` is :mod:`.exercises`."""

from resnet_helpers._lazy import attach

_EXPORTS = {
    "exercises": "resnet_helpers.course.exercises",
    "DEFAULTS": "resnet_helpers.course.lessons",
    "MODELS": "resnet_helpers.course.lessons",
    "MODEL_WIDTHS": "resnet_helpers.course.lessons",
    "PRECISIONS": "resnet_helpers.course.lessons",
    "SMOKE_ENV": "resnet_helpers.course.lessons",
    "Timer": "resnet_helpers.course.lessons",
    "device_description": "resnet_helpers.training.distribute",
    "lessons": "resnet_helpers.course.lessons",
    "prepare_run_dir": "resnet_helpers.course.lessons",
    "read_json": "resnet_helpers.training.callbacks",
    "save_figure": "resnet_helpers.course.lessons",
    "settings": "resnet_helpers.course.lessons",
    "smoke_mode": "resnet_helpers.course.lessons",
    "write_json": "resnet_helpers.training.callbacks",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = attach(__name__, _EXPORTS, globals())
