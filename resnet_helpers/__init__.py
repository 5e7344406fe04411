"""resnet_helpers — the tested helper package behind the resnet-course lessons.

The package follows the lessons' data flow, one subpackage per layer:

* :mod:`resnet_helpers.data` — CIFAR-10 and your own image folders as uint8 arrays, the
  ``tf.data`` pipelines that split, augment and batch them, progressive resizing;
* :mod:`resnet_helpers.models` — residual, plain and bottleneck blocks, the paper's CIFAR
  ResNets and plain networks, ResNet-9, the shipped trained networks and their fine-tuning;
* :mod:`resnet_helpers.training` — the recipe (``compile_for_training``), ``train`` with its
  callbacks, devices and mixed precision, the plan for a time budget, timing;
* :mod:`resnet_helpers.inspect` — feature maps, Grad-CAM and residual ratios (any functional
  Keras CNN), why residuals work (degradation, gradient norms, loss landscapes), deleting
  blocks, and every plot (each returns its figure);
* :mod:`resnet_helpers.course` — what the notebooks share (settings, smoke mode, run folder)
  and :mod:`resnet_helpers.course.exercises` (``rh.exercises``);
* :mod:`resnet_helpers.messages` — the course's words in the learner's language (``rh.tr``:
  one message catalogue per language, English or Chinese);
* :mod:`resnet_helpers.keras_internals` — the version check in front of the few Keras
  internals the package relies on.

``import resnet_helpers as rh`` gives the whole public API (:data:`__all__`) at the top level:
``rh.build_resnet``, ``rh.load_cifar10``, ``rh.grad_cam``, ``rh.course.settings``,
``rh.exercises.check`` … Importing the package changes nothing else: no log level, no
redirected output (the lessons' kernel keeps TensorFlow's start-up lines out of the notebooks;
``scripts/install_kernel.py``).
"""

from resnet_helpers import _lazy, course, data, inspect, models, training

_LAYERS = {"course": course, "data": data, "inspect": inspect, "models": models,
           "training": training}
# every public name of a layer, from the module that defines it (not its submodules: those are
# reached through their layer, e.g. rh.data.pipeline)
_EXPORTS = {name: source for layer in _LAYERS.values() for name, source in layer._EXPORTS.items()
            if source != f"{layer.__name__}.{name}"}
_EXPORTS.update({"exercises": "resnet_helpers.course.exercises",
                 "keras_internals": "resnet_helpers.keras_internals",
                 "messages": "resnet_helpers.messages",
                 **{name: "resnet_helpers.messages" for name in
                    ("tr", "set_language", "language")}})
__all__ = sorted([*_LAYERS, *_EXPORTS, "__version__"])
__getattr__, __dir__ = _lazy.attach(__name__, _EXPORTS, globals())

__version__ = "0.1.0"
