"""Lesson 06 — your own images: the trainable parameters of step 1 of fine-tuning, unfreezing
for step 2 with BatchNorm kept frozen, and a new classifier on a frozen pretrained base."""

from __future__ import annotations

import functools

import keras
import numpy as np

from resnet_helpers.models.resnets import build_resnet, count_params
from resnet_helpers.models.transfer import fine_tune_model
from . import probe
from .answers import as_number, call_learner, predict_number
from .core import Wrong, exercise

#: Exercise 06.1's folder: this many classes of images of this side in pixels.
OWN_CLASSES, OWN_SIZE = 12, 64


@functools.lru_cache(maxsize=1)
def _step1_counts() -> dict[str, int]:
    from resnet_helpers.models.pretrained import load_pretrained

    model = fine_tune_model(load_pretrained("resnet20"), OWN_CLASSES, (OWN_SIZE, OWN_SIZE, 3),
                            freeze=True)
    pool = model.get_layer("pool")
    weighted = [l for l in model.layers if isinstance(l, (keras.layers.Conv2D,
                                                          keras.layers.Dense))]
    return {"trainable": count_params(model, trainable_only=True),
            "total": model.count_params(), "features": int(pool.output.shape[-1]),
            "map": int(np.prod(pool.input.shape[1:])),
            "step2": int(sum(l.count_params() for l in weighted))}


@exercise("06.1", "predict", "Trainable parameters in step 1 of fine-tuning, 12 classes",
          "In step 1 every pretrained layer is frozen; only the new Dense classifier trains. It "
          "reads the output of the global average pooling: one number per channel of ResNet-20's "
          "last stage, whatever the image size.")
def _step1_params(answer):
    c = _step1_counts()
    f, k = c["features"], OWN_CLASSES
    right = c["trainable"]
    mistakes = {
        f * 5 + 5: f"that is the lesson's classifier for five classes; your folder has {k}.",
        f * 10 + 10: f"that is a classifier for CIFAR-10's ten classes; your folder has {k}.",
        f * k: "the new Dense layer has a bias for each class too.",
        16 * k + k: f"the classifier reads the pooled output of stage 3, which has {f} channels; "
                    "16 is stage 1's width.",
        32 * k + k: f"the classifier reads the pooled output of stage 3, which has {f} channels; "
                    "32 is stage 2's width.",
        c["map"] * k + k: "global average pooling turns each of the feature maps into one "
                          "number, whatever the image size: the classifier gets no more inputs "
                          f"for {OWN_SIZE}×{OWN_SIZE} images.",
        c["total"]: "that counts every parameter; in step 1 the pretrained layers are frozen "
                    "and only the new classifier trains.",
        c["total"] - right: "those are the frozen parameters; the question asks for the "
                            "trainable ones.",
        c["step2"]: "that is step 2, with every convolution unfrozen; step 1 trains the new "
                    "classifier alone.",
    }
    value = as_number(answer)
    if value >= 100_000 and not any(abs(value - m) < 0.5 for m in mistakes):
        raise Wrong(f"{value:,.0f} is about the size of the whole network; in step 1 the "
                    "pretrained layers are frozen and only the new classifier trains.")
    return predict_number(answer, right, mistakes) + (
        f" One weight per pooled feature and class, {f}·{k}, plus {k} biases, of "
        f"{c['total']:,} parameters; the image size does not change it.")


def _tiny_frozen_model(gen: np.random.Generator) -> keras.Model:
    """A small course network with random weights and statistics, as rh.fine_tune_model returns
    it for step 1: every copied layer frozen, a new classifier."""
    net = build_resnet(8, width=4, input_shape=(16, 16, 3))
    probe.randomise(net, gen)
    return fine_tune_model(net, int(gen.integers(3, 7)), freeze=True,
                           seed=int(gen.integers(2**31)))


def _training_step(model: keras.Model, gen: np.random.Generator) -> dict[str, np.ndarray]:
    """One SGD step on random images; returns every weight's largest change, by id()."""
    x = gen.uniform(0, 255, (8, *model.input_shape[1:])).astype("float32")
    y = gen.integers(0, model.output_shape[-1], 8)
    before = {id(v): np.asarray(v).copy() for v in model.weights}
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy")
    model.train_on_batch(x, y)
    return {id(v): np.abs(np.asarray(v) - before[id(v)]).max() for v in model.weights}


def _is_trainable(model: keras.Model, variable) -> bool:
    return any(variable is v for v in model.trainable_weights)


@exercise("06.2", "code", "Unfreeze for step 2: every layer but BatchNorm",
          "Loop over model.layers and set layer.trainable = not isinstance(layer, "
          "keras.layers.BatchNormalization): the convolutions and the classifier train, the "
          "BatchNorm layers stay frozen (in Keras 3 a frozen BatchNorm also runs in inference "
          "mode).")
def _unfreeze(answer):
    gen = probe.rng()
    model = _tiny_frozen_model(gen)
    returned = call_learner(answer, model, what="unfreeze_for_fine_tuning(model)")
    if isinstance(returned, keras.Model):
        model = returned
    elif returned is not None:
        raise Wrong(f"Change the model's layers in place and return the model (or nothing); "
                    f"yours returned {type(returned).__name__}.")
    weighted = [l for l in model.layers if isinstance(l, (keras.layers.Conv2D,
                                                          keras.layers.Dense))]
    norms = [l for l in model.layers if isinstance(l, keras.layers.BatchNormalization)]
    frozen = [l.name for l in weighted if not _is_trainable(model, l.kernel)]
    classifier = weighted[-1].name
    if frozen == [l.name for l in weighted[:-1]]:
        raise Wrong("Only the new classifier is trainable — that is step 1. Step 2 unfreezes the "
                    "convolutions too.",
                    "Set trainable layer by layer: rh.fine_tune_model froze the layers one by "
                    "one, and with TensorFlow model.trainable = True does nothing while the "
                    "model's own flag is already True.")
    if classifier in frozen:
        raise Wrong(f"The new classifier ({classifier}) is frozen; it keeps training in step 2.")
    if frozen:
        raise Wrong(f"{len(frozen)} of the {len(weighted) - 1} convolutions are still frozen "
                    f"(e.g. {frozen[0]}): step 2 unfreezes every layer but BatchNorm.")
    change = _training_step(model, gen)
    moved = [l.name for l in norms if change[id(l.moving_mean)] > 0]
    if any(_is_trainable(model, l.gamma) for l in norms) or moved:
        example = moved[0] if moved else norms[0].name
        raise Wrong(f"Your BatchNorm layers are trainable, so in training they normalise with "
                    f"each batch's own statistics: one step changed {example}'s moving mean. "
                    "Keep them frozen, with the statistics learned on the large pretraining "
                    "set rather than a few dozen of your images.")
    still = [l.name for l in weighted if change[id(l.kernel)] == 0]
    if still:
        raise Wrong(f"A training step did not change {still[0]}'s kernel; is it trainable?")
    return ("Right: one training step moved every convolution and the classifier and left "
            "every BatchNorm statistic as it was.")


def _small_base(gen: np.random.Generator) -> keras.Model:
    net = build_resnet(8, width=4, input_shape=(16, 16, 3))
    probe.randomise(net, gen)
    return keras.Model(net.input, net.get_layer("pool").output, name="pretrained_base")


@exercise("06.3", "code", "A new classifier on a frozen pretrained base",
          "base.trainable = False; inputs = keras.Input(base.input_shape[1:]); "
          "features = base(inputs, training=False); outputs = keras.layers.Dense(num_classes, "
          "activation='softmax')(features); return keras.Model(inputs, outputs).")
def _attach_classifier(answer):
    gen = probe.rng()
    base = _small_base(gen)
    k = int(gen.integers(3, 8))
    channels = int(base.output_shape[-1])
    model = call_learner(answer, base, k, what=f"attach_new_classifier(base, {k})")
    if not isinstance(model, keras.Model):
        raise Wrong(f"attach_new_classifier should return a keras.Model; it returned "
                    f"{type(model).__name__}.")
    if tuple(model.input_shape[1:]) != tuple(base.input_shape[1:]):
        raise Wrong(f"Your model should take the base's images, {tuple(base.input_shape[1:])}; "
                    f"it takes {tuple(model.input_shape[1:])}.")
    if tuple(model.output_shape[1:]) != (k,):
        raise Wrong(f"For num_classes={k} the model should output (batch, {k}), one probability "
                    f"per class; yours outputs {tuple(model.output_shape)}. Use "
                    "Dense(num_classes).")
    x = gen.uniform(0, 255, (8, *base.input_shape[1:])).astype("float32")
    out = probe.run(model, x)
    if not np.allclose(out.sum(axis=1), 1, atol=1e-3) or out.min() < 0:
        raise Wrong("Your model outputs scores, not probabilities: give the Dense layer "
                    "activation='softmax'. The course's models output probabilities, and the "
                    "loss, sparse_categorical_crossentropy, expects them.")
    if any(_is_trainable(model, v) for v in base.weights):
        raise Wrong("The base is not frozen: its weights would train from the first step, with "
                    "the large gradients of a random classifier. Set base.trainable = False.")
    trainable = count_params(model, trainable_only=True)
    if trainable != channels * k + k:
        raise Wrong(f"Only the new Dense layer should train: {channels}·{k} + {k} = "
                    f"{channels * k + k} parameters; your model trains {trainable:,}.")
    if not np.allclose(model(x, training=True), out, atol=1e-5):
        raise Wrong("Called with training=True your model gives other outputs than in "
                    "inference: part of the base runs in training mode. Freeze the whole base.")
    change = _training_step(model, gen)
    moved = [v.path for v in base.weights if change[id(v)] > 0]
    if moved:
        raise Wrong(f"A training step changed the base ({moved[0]}); it must stay as it was.")
    return (f"Right: only the new classifier's {channels * k + k} parameters train; a training "
            "step leaves the base — weights and BatchNorm statistics — as it was.")
