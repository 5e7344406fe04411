"""Lesson 06 — your own images: the trainable parameters of step 1 of fine-tuning, unfreezing
for step 2 with BatchNorm kept frozen, and a new classifier on a frozen pretrained base."""

from __future__ import annotations

import functools

import keras
import numpy as np

from resnet_helpers.messages import N_, tr
from resnet_helpers.models.resnets import build_resnet, count_params
from resnet_helpers.models.transfer import fine_tune_model
from . import probe
from .answers import as_number, call_learner, call_text, predict_number
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



@exercise("06.1", "predict", N_("Trainable parameters in step 1 of fine-tuning, 12 classes"),
          N_("In step 1 every pretrained layer is frozen; only the new Dense classifier trains. "
             "It reads the output of the global average pooling: one number per channel of "
             "ResNet-20's last stage, whatever the image size."))
def _step1_params(answer):
    c = _step1_counts()
    f, k = c["features"], OWN_CLASSES
    right = c["trainable"]
    mistakes = {
        f * 5 + 5: tr("that is the lesson's classifier for five classes; your folder has "
                      "{classes}.", classes=k),
        f * 10 + 10: tr("that is a classifier for CIFAR-10's ten classes; your folder has "
                        "{classes}.", classes=k),
        f * k: N_("the new Dense layer has a bias for each class too."),
        16 * k + k: tr("the classifier reads the pooled output of stage 3, which has {channels} "
                       "channels; 16 is stage 1's width.", channels=f),
        32 * k + k: tr("the classifier reads the pooled output of stage 3, which has {channels} "
                       "channels; 32 is stage 2's width.", channels=f),
        c["map"] * k + k: tr("global average pooling turns each of the feature maps into one "
                             "number, whatever the image size: the classifier gets no more "
                             "inputs for {size}×{size} images.", size=OWN_SIZE),
        c["total"]: N_("that counts every parameter; in step 1 the pretrained layers are frozen "
                       "and only the new classifier trains."),
        c["total"] - right: N_("those are the frozen parameters; the question asks for the "
                               "trainable ones."),
        c["step2"]: N_("that is step 2, with every convolution unfrozen; step 1 trains the new "
                       "classifier alone."),
    }
    value = as_number(answer)
    if value >= 100_000 and not any(abs(value - m) < 0.5 for m in mistakes):
        raise Wrong(tr("{value:,.0f} is about the size of the whole network; in step 1 the "
                       "pretrained layers are frozen and only the new classifier trains.",
                       value=value))
    return predict_number(answer, right, mistakes) + tr(
        " One weight per pooled feature and class, {features}·{classes}, plus {classes} biases, "
        "of {total:,} parameters; the image size does not change it.", features=f, classes=k,
        total=c["total"])


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


@exercise("06.2", "code", N_("Unfreeze for step 2: every layer but BatchNorm"),
          N_("Loop over model.layers and set layer.trainable = not isinstance(layer, "
             "keras.layers.BatchNormalization): the convolutions and the classifier train, the "
             "BatchNorm layers stay frozen (in Keras 3 a frozen BatchNorm also runs in inference "
             "mode)."))
def _unfreeze(answer):
    gen = probe.rng()
    model = _tiny_frozen_model(gen)
    returned = call_learner(answer, model, what=call_text("unfreeze_for_fine_tuning", "model"))
    if isinstance(returned, keras.Model):
        model = returned
    elif returned is not None:
        raise Wrong(tr("Change the model's layers in place and return the model (or nothing); "
                       "yours returned {kind}.", kind=type(returned).__name__))
    weighted = [l for l in model.layers if isinstance(l, (keras.layers.Conv2D,
                                                          keras.layers.Dense))]
    norms = [l for l in model.layers if isinstance(l, keras.layers.BatchNormalization)]
    frozen = [l.name for l in weighted if not _is_trainable(model, l.kernel)]
    classifier = weighted[-1].name
    if frozen == [l.name for l in weighted[:-1]]:
        raise Wrong(tr("Only the new classifier is trainable — that is step 1. Step 2 unfreezes "
                       "the convolutions too."),
                    N_("Set trainable layer by layer: rh.fine_tune_model froze the layers one by "
                       "one, and with TensorFlow model.trainable = True does nothing while the "
                       "model's own flag is already True."))
    if classifier in frozen:
        raise Wrong(tr("The new classifier ({classifier}) is frozen; it keeps training in step "
                       "2.", classifier=classifier))
    if frozen:
        raise Wrong(tr("{frozen} of the {convolutions} convolutions are still frozen (e.g. "
                       "{example}): step 2 unfreezes every layer but BatchNorm.",
                       frozen=len(frozen), convolutions=len(weighted) - 1, example=frozen[0]))
    change = _training_step(model, gen)
    moved = [l.name for l in norms if change[id(l.moving_mean)] > 0]
    if any(_is_trainable(model, l.gamma) for l in norms) or moved:
        example = moved[0] if moved else norms[0].name
        raise Wrong(tr("Your BatchNorm layers are trainable, so in training they normalise with "
                       "each batch's own statistics: one step changed {example}'s moving mean. "
                       "Keep them frozen, with the statistics learned on the large pretraining "
                       "set rather than a few dozen of your images.", example=example))
    still = [l.name for l in weighted if change[id(l.kernel)] == 0]
    if still:
        raise Wrong(tr("A training step did not change {layer}'s kernel; is it trainable?",
                       layer=still[0]))
    return tr("Right: one training step moved every convolution and the classifier and left "
              "every BatchNorm statistic as it was.")


def _small_base(gen: np.random.Generator) -> keras.Model:
    net = build_resnet(8, width=4, input_shape=(16, 16, 3))
    probe.randomise(net, gen)
    return keras.Model(net.input, net.get_layer("pool").output, name="pretrained_base")


@exercise("06.3", "code", N_("A new classifier on a frozen pretrained base"),
          N_("base.trainable = False; inputs = keras.Input(base.input_shape[1:]); "
             "features = base(inputs, training=False); outputs = keras.layers.Dense(num_classes, "
             "activation='softmax')(features); return keras.Model(inputs, outputs)."))
def _attach_classifier(answer):
    gen = probe.rng()
    base = _small_base(gen)
    k = int(gen.integers(3, 8))
    channels = int(base.output_shape[-1])
    model = call_learner(answer, base, k, what=call_text("attach_new_classifier", "base", str(k)))
    if not isinstance(model, keras.Model):
        raise Wrong(tr("attach_new_classifier should return a keras.Model; it returned {kind}.",
                       kind=type(model).__name__))
    if tuple(model.input_shape[1:]) != tuple(base.input_shape[1:]):
        raise Wrong(tr("Your model should take the base's images, {expected}; it takes "
                       "{got}.", expected=tuple(base.input_shape[1:]),
                       got=tuple(model.input_shape[1:])))
    if tuple(model.output_shape[1:]) != (k,):
        raise Wrong(tr("For num_classes={classes} the model should output (batch, {classes}), "
                       "one probability per class; yours outputs {shape}. Use "
                       "Dense(num_classes).", classes=k, shape=tuple(model.output_shape)))
    x = gen.uniform(0, 255, (8, *base.input_shape[1:])).astype("float32")
    out = probe.run(model, x)
    if not np.allclose(out.sum(axis=1), 1, atol=1e-3) or out.min() < 0:
        raise Wrong(tr("Your model outputs scores, not probabilities: give the Dense layer "
                       "activation='softmax'. The course's models output probabilities, and the "
                       "loss, sparse_categorical_crossentropy, expects them."))
    if any(_is_trainable(model, v) for v in base.weights):
        raise Wrong(tr("The base is not frozen: its weights would train from the first step, "
                       "with the large gradients of a random classifier. Set base.trainable = "
                       "False."))
    trainable = count_params(model, trainable_only=True)
    if trainable != channels * k + k:
        raise Wrong(tr("Only the new Dense layer should train: {channels}·{classes} + {classes} "
                       "= {expected} parameters; your model trains {trainable:,}.",
                       channels=channels, classes=k, expected=channels * k + k,
                       trainable=trainable))
    if not np.allclose(model(x, training=True), out, atol=1e-5):
        raise Wrong(tr("Called with training=True your model gives other outputs than in "
                       "inference: part of the base runs in training mode. Freeze the whole "
                       "base."))
    change = _training_step(model, gen)
    moved = [v.path for v in base.weights if change[id(v)] > 0]
    if moved:
        raise Wrong(tr("A training step changed the base ({weight}); it must stay as it was.",
                       weight=moved[0]))
    return tr("Right: only the new classifier's {count} parameters train; a training step "
              "leaves the base — weights and BatchNorm statistics — as it was.",
              count=channels * k + k)
