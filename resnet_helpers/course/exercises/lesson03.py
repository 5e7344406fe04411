"""Lesson 03 — training: the loss at initialisation, the learning rate schedule, augmentation,
label smoothing, reading the confusion matrix, compiling the recipe, the tf.data pipeline."""

from __future__ import annotations

import math

import keras
import numpy as np
import tensorflow as tf

from resnet_helpers.data.cifar10 import CLASS_NAMES
from resnet_helpers.messages import N_, tr
from resnet_helpers.training.recipe import SmoothedSparseCrossentropy
from . import probe
from .answers import call_learner, call_text, predict_number
from .core import Wrong, exercise


@exercise("03.1", "predict", N_("The loss at initialisation, ten classes"),
          N_("An untrained network spreads its probability about evenly over the ten classes. The "
             "cross-entropy is −Σ target × ln(probability) over the classes; with label "
             "smoothing the targets still add up to 1."))
def _initial_loss(answer):
    probs = np.full((1, 10), 0.1, "float32")   # the lesson's loss on a uniform prediction
    one_hot = np.eye(10, dtype="float32")[[3]]
    right = float(keras.losses.CategoricalCrossentropy(label_smoothing=0.1)(one_hot, probs))
    smoothed = np.full(10, 0.01)
    smoothed[0] += 0.9
    floor = float(-(smoothed * np.log(smoothed)).sum())   # the smoothed loss's floor
    return predict_number(answer, right, {
        10: N_("that is the number of classes; the loss is −ln(1/10)."),
        0.1: N_("that is the probability of the true class; the loss is minus its logarithm."),
        -right: N_("a cross-entropy is never negative: −ln(0.1) = +2.30."),
        1: N_("Keras's cross-entropy uses the natural logarithm: ln(10), not log₁₀(10)."),
        math.log2(10): N_("Keras's cross-entropy uses the natural logarithm: ln(10), not "
                          "log₂(10)."),
        0: N_("zero is the loss of a perfect, fully confident network, not of an untrained one."),
        0.91 * right: N_("label smoothing moves 0.09 of the target to the other nine classes, "
                         "but they get probability 0.1 too: the targets add up to 1, so the loss "
                         "is −(0.91 + 9 × 0.01) · ln(0.1)."),
        0.9 * right: N_("the smoothed targets add up to 1 (0.91 on the true class, 0.01 on each "
                        "other), and every class gets probability 0.1: the loss is "
                        "1 · (−ln 0.1)."),
        floor: N_("that is the floor of the smoothed loss, reached by a network that predicts "
                  "the target exactly; an untrained one is far above it."),
    }, rel_tol=0.01)


def _lesson_schedule(steps_per_epoch: int, epochs: int, peak: float = 0.2, *,
                     warmup: bool = True, decay_steps: int | None = None,
                     warmup_steps: int | None = None):
    """The lesson's learning-rate schedule (warm-up over one epoch, then cosine to 0), or a
    variant of it (a typical mistake)."""
    decay = (epochs - 1) * steps_per_epoch if decay_steps is None else decay_steps
    if not warmup:
        return keras.optimizers.schedules.CosineDecay(peak, decay)
    return keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=peak / 10, warmup_target=peak,
        warmup_steps=steps_per_epoch if warmup_steps is None else warmup_steps,
        decay_steps=decay)


@exercise("03.2", "predict", N_("The learning rate at the start of epoch 4"),
          N_("Epoch 1 is the warm-up (352 steps). The cosine then runs over the remaining "
             "5 × 352 = 1,760 steps: after t of them the rate is "
             "0.2 · ½(1 + cos(π · t / 1760))."))
def _learning_rate_epoch4(answer):
    steps, epochs, peak = 352, 6, 0.2
    right = float(_lesson_schedule(steps, epochs, peak)(3 * steps))   # 1,056 steps done
    done, cosine_steps = 2 * steps, 5 * steps                         # 704 of 1,760
    half_cos = lambda fraction: peak * 0.5 * (1 + math.cos(math.pi * fraction))  # noqa: E731
    return predict_number(answer, right, {
        peak: N_("that is the peak, reached at the end of the warm-up epoch (step 352); at the "
                 "start of epoch 4 the cosine has already run two of its five epochs. (A "
                 "calculator in degree mode gives about 0.2 too: cos(0.4π) means radians.)"),
        peak / 10: N_("that is where the warm-up starts (LEARNING_RATE / 10, step 0)."),
        peak * (1 - done / cosine_steps): N_("that is a linear decay; the schedule follows half "
                                             "a cosine: 0.2 · ½(1 + cos(π · 704/1760))."),
        half_cos(3 / 6): N_("that is half-way down a cosine over all 6 epochs; but the first "
                            "epoch is the warm-up, and the cosine runs over the remaining 5 "
                            "(1,760 steps) from step 352."),
        half_cos(3 * steps / cosine_steps): N_("the cosine starts after the warm-up epoch: at "
                                               "step 1,056 it has run 1,056 − 352 = 704 of its "
                                               "1,760 steps, not 1,056."),
        half_cos(steps / cosine_steps): N_("that is the start of epoch 3; at the start of epoch "
                                           "4 three epochs are done: the warm-up and two of the "
                                           "cosine (704 of its 1,760 steps)."),
        half_cos(done / (epochs * steps)): N_("Keras's decay_steps counts the steps after the "
                                              "warm-up: the cosine lasts (6 − 1) × 352 = 1,760 "
                                              "steps, not 6 × 352."),
        half_cos(0.4 / math.pi): N_("the cosine's argument is π × the fraction done, in radians: "
                                    "cos(0.4π), not cos(0.4)."),
        peak * 0.5 * (1 + math.cos(72)): N_("72 is the angle in degrees (0.4 × 180°); math.cos "
                                            "and np.cos take radians: cos(0.4π)."),
        2 * half_cos(0.4): N_("the cosine factor is ½(1 + cos …), from 1 down to 0; without the "
                              "½ the rate would start at twice the peak."),
        peak * math.cos(0.4 * math.pi): N_("cosine decay multiplies the peak by ½(1 + cos(π · "
                                           "fraction)), from 1 down to 0; cos alone would go "
                                           "negative in the second half."),
    }, rel_tol=1e-3)


def _crops(padded, size: int):
    """All ``size × size`` windows of the padded images, plain and mirrored: (N, k, k, 2, …)."""
    n, p = padded.shape[0], padded.shape[1] - size + 1
    out = np.empty((n, p, p, 2, size, size, padded.shape[-1]), padded.dtype)
    for dy in range(p):
        for dx in range(p):
            window = padded[:, dy:dy + size, dx:dx + size]
            out[:, dy, dx, 0], out[:, dy, dx, 1] = window, window[:, :, ::-1]
    return out


@exercise("03.3", "code", N_("An augmentation function: pad, random crop, random flip"),
          N_("Pad each image with 4 zero pixels on every side (tf.pad), cut a window of the "
             "original size at a random offset chosen per image, and mirror about half of them "
             "(tf.image.random_flip_left_right works image by image)."))
def _augment(answer):
    gen = probe.rng()
    size, n = 12, 64
    images = gen.integers(1, 256, (n, size, size, 3)).astype("float32")
    out = call_learner(answer, tf.constant(images), what="my_augment(images)")
    try:
        out = np.asarray(out, dtype="float32")
    except (TypeError, ValueError) as err:
        raise Wrong(tr("my_augment should return a batch of images (a tensor or array); it "
                       "returned {kind}.", kind=type(out).__name__)) from err
    if out.shape != images.shape:
        if out.ndim == 4 and out.shape[1] > size:
            raise Wrong(tr("For a batch of shape {shape} the result must have the same shape; "
                           "yours is {got} — crop back to the original size after padding.",
                           shape=images.shape, got=out.shape))
        raise Wrong(tr("For a batch of shape {shape} the result must have the same shape; "
                       "yours is {got}.", shape=images.shape, got=out.shape))
    if np.array_equal(out, images):
        raise Wrong(tr("The images come back unchanged: nothing was padded, cropped or "
                       "flipped."))
    padded = np.pad(images, [(0, 0), (4, 4), (4, 4), (0, 0)])
    crops = _crops(padded, size)
    match = np.all(crops == out[:, None, None, None], axis=(4, 5, 6))   # (N, 9, 9, 2)
    found = match.reshape(n, -1).any(axis=1)
    if not found.all():
        i = int(np.flatnonzero(~found)[0])
        reflect = np.pad(images[i], [(4, 4), (4, 4), (0, 0)], mode="reflect")
        reflected = any(np.array_equal(reflect[a:a + size, b:b + size][:, ::f], out[i])
                        for a in range(9) for b in range(9) for f in (1, -1))
        raise Wrong(tr("Image {i} of the batch is not a {size}×{size} window of the image "
                       "padded with 4 zeros on each side (you padded by reflection; the paper "
                       "pads with zeros).", i=i, size=size) if reflected else
                    tr("Image {i} of the batch is not a {size}×{size} window of the image "
                       "padded with 4 zeros on each side, mirrored or not. Crop, don't resize.",
                       i=i, size=size))
    offset = np.array([np.argwhere(m)[0] for m in match])   # (N, 3): dy, dx, flipped
    flipped = offset[:, 2].mean()
    if len({(a, b) for a, b, _ in offset}) == 1:
        raise Wrong(tr("Every image got the same crop offset: draw an offset per image, not "
                       "one for the whole batch.") if offset[0, 0] != 4 or offset[0, 1] != 4 else
                    tr("No image was shifted: pad by 4 and cut the window at a random offset."))
    shift = int(np.abs(offset[:, :2] - 4).max())
    if shift < 4:
        raise Wrong(tr("Your crops move the image by at most {shift} pixels; padding by 4 allows "
                       "shifts of up to 4 in each direction (pad with 4, not less).",
                       shift=shift))
    if flipped in (0.0, 1.0):
        raise Wrong(tr("No image was mirrored: flip about half of them left–right.")
                    if flipped == 0 else
                    tr("Every image was mirrored: flip each one with probability 1/2."))
    if not 0.2 < flipped < 0.8:
        raise Wrong(tr("{flipped:.0%} of the images were mirrored; each should be with "
                       "probability 1/2.", flipped=flipped))
    return tr("Every image is a zero-padded random crop; {flipped:.0%} of {n} were mirrored and "
              "{offsets} different offsets were used.", flipped=flipped, n=n,
              offsets=len({(a, b) for a, b, _ in offset}))


@exercise("03.4", "predict", N_("The target of the true class with label smoothing 0.1"),
          N_("With smoothing s the target is (1 − s) on the true class plus s / classes on every "
             "class, the true one included."))
def _smoothed_target(answer):
    logits = tf.zeros((1, 10))
    with tf.GradientTape() as tape:
        tape.watch(logits)
        probs = tf.nn.softmax(logits)
        loss = SmoothedSparseCrossentropy(0.1)(tf.constant([0]), probs)
    grad = tape.gradient(loss, logits)  # softmax + cross-entropy: ∂loss/∂logits = p − target
    right = float(probs[0, 0] - grad[0, 0])
    return predict_number(answer, right, {
        0.9: N_("the 0.1 taken away is spread over all ten classes, the true one too: it gets "
                "0.9 + 0.1/10."),
        0.01: N_("that is the target of each wrong class; the true one gets 0.9 + 0.01."),
        0.99: N_("smoothing takes 0.1 away from the true class first: 1 − 0.1 + 0.1/10."),
        1.0: N_("that is the target without label smoothing."),
        0.1: N_("that is the smoothing factor s itself."),
    }, rel_tol=1e-3)


@exercise("03.5", "code", N_("Which class is taken for which most often?"),
          N_("Rows of the confusion matrix are true classes, columns predicted ones; the "
             "diagonal holds the correct predictions, so set it aside before looking for the "
             "largest entry."))
def _most_confused(answer):
    gen = probe.rng()
    for _ in range(3):
        confusion = gen.integers(0, 30, (10, 10))
        confusion[np.diag_indices(10)] = gen.integers(300, 900, 10)
        t, p = gen.choice(10, 2, replace=False)
        confusion[t, p] = 120
        confusion[p, t] = 60
        result = call_learner(answer, confusion.copy(), what="most_confused(confusion)")
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            raise Wrong(tr("Return a pair (true class name, predicted class name); got "
                           "{result}.", result=repr(result)))
        names = (CLASS_NAMES[t], CLASS_NAMES[p])
        if tuple(result) == names:
            continue
        if all(isinstance(r, (int, np.integer)) for r in result):
            raise Wrong(tr("You returned indices {result}; return the class names, "
                           "e.g. rh.CLASS_NAMES[i].", result=tuple(result)))
        if tuple(result) == names[::-1]:
            raise Wrong(tr("You swapped them: in {pair} the first is the predicted class. "
                           "Rows (the first index) are the true classes.", pair=names[::-1]))
        if len(set(result)) == 1:
            raise Wrong(tr("{result}: a class taken for itself is a correct prediction; "
                           "leave out the diagonal (np.fill_diagonal on a copy).",
                           result=tuple(result)))
        raise Wrong(tr("For a matrix whose largest off-diagonal entry is {pair} you returned "
                       "{result}.", pair=names, result=tuple(result)))
    return tr("Right on three random confusion matrices. Now run it on your "
              "report['confusion'].")


# ----------------------------------------------------------------------------- 03.6



def _decay_probe_model() -> keras.Model:
    """A tiny model that ends in softmax, plus a branch multiplied by 0: its weights get exactly
    zero gradients, so one training step changes them only through weight decay."""
    layers = keras.layers
    x = keras.Input((8, 8, 3))
    h = layers.Conv2D(4, 3, padding="same", use_bias=False)(layers.Rescaling(1 / 255)(x))
    h = layers.ReLU()(layers.BatchNormalization()(h))
    h = layers.Dense(10)(layers.GlobalAveragePooling2D()(h))
    z = layers.Conv2D(4, 3, padding="same", use_bias=False, name="probe_conv")(x)
    z = layers.BatchNormalization(name="probe_bn")(z)
    z = layers.Dense(10, name="probe_dense")(layers.GlobalAveragePooling2D()(z))
    z = layers.Rescaling(0.0)(z)
    return keras.Model(x, layers.Softmax()(layers.Add()([h, z])), name="tiny_course_model")


def _rates(optimizer, steps) -> np.ndarray:
    """The optimizer's learning rate at each step (public: ``iterations``, ``learning_rate``)."""
    out = []
    for step in steps:
        optimizer.iterations.assign(int(step))
        out.append(float(np.asarray(optimizer.learning_rate)))
    optimizer.iterations.assign(0)
    return np.array(out)


def _check_schedule(optimizer, steps: int, epochs: int) -> None:
    cosine = (epochs - 1) * steps
    probes = np.array([0, steps // 2, steps, steps + steps // 2, steps + cosine // 4,
                       steps + cosine // 2, steps + 3 * cosine // 4, steps + cosine - 1,
                       steps + cosine])
    peak, middle, end = 2, 5, 8   # indices: end of the warm-up, half-way down, the last step
    try:
        got = _rates(optimizer, probes)
    except Exception as err:  # an exotic learning rate: say so rather than trace
        raise Wrong(tr("Could not read your optimizer's learning rate ({error}).",
                       error=f"{type(err).__name__}: {str(err).splitlines()[0][:150]}")) from err
    reference = np.array([float(_lesson_schedule(steps, epochs)(k)) for k in probes])
    same = lambda a, b: np.allclose(a, b, rtol=1e-3, atol=1e-6)  # noqa: E731
    if same(got, reference):
        return
    at = lambda k: tr("step {step:,}: {rate:.4g}", step=int(probes[k]), rate=got[k])  # noqa: E731
    if np.ptp(got) < 1e-9:
        raise Wrong(tr("Your learning rate is constant ({rate:.4g} at every step); the recipe "
                       "warms up from 0.02 to 0.2 over the first epoch, then decays along a "
                       "cosine to 0 (keras.optimizers.schedules.CosineDecay).", rate=got[0]))
    variants = {
        "no_warmup": (_lesson_schedule(steps, epochs, warmup=False),
                      _lesson_schedule(steps, epochs, warmup=False, decay_steps=epochs * steps)),
        "all_steps": (_lesson_schedule(steps, epochs, decay_steps=epochs * steps),),
        "one_epoch": (_lesson_schedule(steps, epochs, decay_steps=steps),),
        "epochs": (_lesson_schedule(steps, epochs, decay_steps=epochs - 1),
                   _lesson_schedule(steps, epochs, decay_steps=epochs)),
        "warmup_steps": (_lesson_schedule(steps, epochs, warmup_steps=1),),
        "hard_coded": (_lesson_schedule(352, epochs), _lesson_schedule(steps, 6),
                       _lesson_schedule(352, 6)),
    }
    found = next((name for name, schedules in variants.items()
                  if any(same(got, [float(s(k)) for k in probes]) for s in schedules)), None)
    if found == "no_warmup":
        raise Wrong(tr("Your schedule starts at the peak ({at}): there is no warm-up. Start at "
                       "0.2 / 10 and rise to 0.2 over the first epoch (initial_learning_rate, "
                       "warmup_target, warmup_steps).", at=at(0)))
    if found == "all_steps":
        raise Wrong(tr("Your cosine is still above 0 at the end of training ({at}): Keras's "
                       "decay_steps counts the steps after the warm-up, (epochs − 1) × "
                       "steps_per_epoch, not epochs × steps_per_epoch.", at=at(end)))
    if found == "one_epoch":
        raise Wrong(tr("Your cosine reaches 0 one epoch after the warm-up ({at}, half-way "
                       "through training): decay_steps should cover all the remaining epochs, "
                       "(epochs − 1) × steps_per_epoch.", at=at(middle)))
    if found == "epochs":
        raise Wrong(tr("Your cosine reaches 0 a few steps after the warm-up: decay_steps counts "
                       "optimizer steps (batches), not epochs: (epochs − 1) × steps_per_epoch."))
    if found == "warmup_steps":
        raise Wrong(tr("Your warm-up ends after one step: warmup_steps counts optimizer steps "
                       "(batches), so one epoch is steps_per_epoch steps."))
    if found == "hard_coded":
        raise Wrong(tr("Your schedule is the lesson's for 352 steps per epoch or 6 epochs; use "
                       "the function's arguments (steps_per_epoch = {steps}, epochs = {epochs} "
                       "in this check).", steps=steps, epochs=epochs))
    if not math.isclose(got.max(), 0.2, rel_tol=1e-3):
        raise Wrong(tr("Your learning rate peaks at {rate:.4g}; the lesson's peak "
                       "(LEARNING_RATE) is 0.2.", rate=got.max()))
    if not math.isclose(got[0], 0.02, rel_tol=1e-3):
        raise Wrong(tr("Your warm-up starts at {rate:.4g}; it should start at 0.2 / 10 = 0.02 "
                       "(initial_learning_rate) and reach 0.2 (warmup_target) after one epoch.",
                       rate=got[0]))
    if not math.isclose(got[peak], 0.2, rel_tol=1e-3):
        raise Wrong(tr("At the end of the first epoch ({at}) your rate should have reached its "
                       "peak 0.2: warmup_steps = steps_per_epoch.", at=at(peak)))
    if got[-1] > 1e-6:
        raise Wrong(tr("Your rate does not reach 0 at the end of training ({at}): "
                       "decay_steps = (epochs − 1) × steps_per_epoch, alpha = 0.", at=at(end)))
    k = int(np.flatnonzero(~np.isclose(got, reference, rtol=1e-3, atol=1e-6))[0])
    raise Wrong(tr("Your learning rate differs from the lesson's schedule (steps_per_epoch = "
                   "{steps}, epochs = {epochs}) at step {step:,}: {rate:.4g} instead of "
                   "{want:.4g}.", steps=steps, epochs=epochs, step=int(probes[k]), rate=got[k],
                   want=reference[k]))


def _check_loss(loss) -> None:
    """The lesson's loss: CategoricalCrossentropy(label_smoothing=0.1) on probabilities."""
    name = loss if isinstance(loss, str) else type(loss).__name__
    fn_name = getattr(getattr(loss, "fn", loss), "__name__", "")
    if loss is None:
        raise Wrong(tr("Your model was compiled without a loss: pass "
                       "loss=keras.losses.CategoricalCrossentropy(label_smoothing=0.1)."))
    if "sparse" in str(name).lower() or "sparse" in fn_name.lower():
        if isinstance(loss, SmoothedSparseCrossentropy):
            raise Wrong(tr("rh.SmoothedSparseCrossentropy takes integer labels; the lesson's "
                           "pipeline yields one-hot labels, so use "
                           "keras.losses.CategoricalCrossentropy(label_smoothing=0.1)."))
        raise Wrong(tr("SparseCategoricalCrossentropy takes integer labels and, in Keras 3, has "
                       "no label smoothing; the lesson one-hot encodes its labels and uses "
                       "keras.losses.CategoricalCrossentropy(label_smoothing=0.1)."))
    try:
        fn = keras.losses.get(loss) if isinstance(loss, str) else loss
        config = loss.get_config() if hasattr(loss, "get_config") else {}
    except Exception as err:
        raise Wrong(tr("Your loss {loss} is not one Keras knows ({error}).",
                       loss=repr(loss), error=type(err).__name__)) from err
    if config.get("from_logits"):
        raise Wrong(tr("Your loss has from_logits=True, but the course's models end in a "
                       "softmax: they output probabilities (leave from_logits at False)."))
    gen = np.random.default_rng(0)
    y = np.eye(10, dtype="float32")[gen.integers(0, 10, 16)]
    p = gen.dirichlet(np.ones(10), 16).astype("float32")
    value = lambda f: float(np.mean(np.asarray(f(y, p))))  # noqa: E731
    got = value(fn)
    want = value(keras.losses.CategoricalCrossentropy(label_smoothing=0.1))
    if math.isclose(got, want, rel_tol=1e-4):
        return
    if math.isclose(got, value(keras.losses.CategoricalCrossentropy()), rel_tol=1e-4):
        raise Wrong(tr("Your loss is the cross-entropy without label smoothing; the recipe "
                       "uses keras.losses.CategoricalCrossentropy(label_smoothing=0.1)."))
    if "label_smoothing" in config:
        raise Wrong(tr("Your loss has label_smoothing={smoothing}; the recipe's is 0.1.",
                       smoothing=config["label_smoothing"]))
    raise Wrong(tr("Your loss ({name}) gives {got:.4g} on a test batch where "
                   "CategoricalCrossentropy(label_smoothing=0.1) gives {want:.4g}.",
                   name=name, got=got, want=want))


def _weights(model) -> dict:
    return {v.path: np.array(v.numpy()) for v in model.trainable_variables}


@exercise("03.6", "code",
          N_("Compile the recipe: SGD, warm-up and cosine, weight decay, smoothing"),
          N_("Follow the lesson's compile cell: a CosineDecay from 0.2/10 with "
             "warmup_target=0.2, warmup_steps=steps_per_epoch and decay_steps=(epochs − 1) × "
             "steps_per_epoch; SGD(schedule, momentum=0.9, nesterov=True, weight_decay=5e-3) "
             "with exclude_from_weight_decay(var_names=['gamma', 'beta', 'bias']); "
             "CategoricalCrossentropy(label_smoothing=0.1); metrics=['accuracy']."))
def _compile_recipe(answer):
    gen = probe.rng()
    steps, epochs = int(gen.integers(40, 300)), int(gen.choice([3, 4, 5, 7, 8, 9, 10]))
    model = _decay_probe_model()
    returned = call_learner(answer, model, steps, epochs,
                            what=call_text("compile_recipe", "model", steps, epochs))
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None:
        if isinstance(returned, keras.Model) and returned is not model:
            raise Wrong(tr("The model you were given is not compiled: you returned another "
                           "model; compile the one passed in."))
        raise Wrong(tr("The model you were given is not compiled: call model.compile("
                       "optimizer=…, loss=…, metrics=['accuracy']) on it."))
    optimizer = getattr(optimizer, "inner_optimizer", optimizer)   # mixed precision wrapper
    kind = type(optimizer).__name__
    if isinstance(optimizer, keras.optimizers.Adam):
        raise Wrong(tr("Your optimizer is {kind}, the origin snippet's choice; the recipe uses "
                       "keras.optimizers.SGD with Nesterov momentum 0.9 (better final accuracy "
                       "for CNNs).", kind=kind))
    if not isinstance(optimizer, keras.optimizers.SGD):
        raise Wrong(tr("Your optimizer is {kind}; the recipe uses keras.optimizers.SGD with "
                       "Nesterov momentum 0.9.", kind=kind))
    if not optimizer.momentum:
        raise Wrong(tr("Your SGD has no momentum (plain SGD); the recipe uses momentum=0.9."))
    if not math.isclose(optimizer.momentum, 0.9, rel_tol=1e-6):
        raise Wrong(tr("Your SGD's momentum is {momentum}; the recipe uses 0.9.",
                       momentum=optimizer.momentum))
    if not optimizer.nesterov:
        raise Wrong(tr("Your SGD uses plain momentum; the recipe uses Nesterov momentum "
                       "(nesterov=True)."))
    decay = optimizer.weight_decay
    if not decay:
        raise Wrong(tr("Your optimizer has no weight decay; the recipe uses the optimizer's "
                       "decoupled weight_decay=5e-3."))
    if math.isclose(decay, 5e-4, rel_tol=1e-6):
        raise Wrong(tr("weight_decay=5e-4 is PyTorch's coupled L2 value; Keras's decoupled "
                       "weight_decay is multiplied by the learning rate, and the recipe uses "
                       "5e-3 (the same effective decay)."))
    if not math.isclose(decay, 5e-3, rel_tol=1e-6):
        raise Wrong(tr("Your weight_decay is {decay}; the recipe uses 5e-3.", decay=decay))
    _check_schedule(optimizer, steps, epochs)
    _check_loss(model.loss)

    model.get_layer("probe_bn").beta.assign(np.full(4, 0.5, "float32"))  # non-zero, so that
    model.get_layer("probe_dense").bias.assign(np.full(10, 0.5, "float32"))  # decay would show
    before = _weights(model)
    x = gen.uniform(0, 255, (8, 8, 8, 3)).astype("float32")
    y = np.eye(10, dtype="float32")[gen.integers(0, 10, 8)]
    logger = tf.get_logger()   # each check traces a new model: no "retracing" warnings
    level = logger.level
    logger.setLevel("ERROR")
    try:
        logs = model.train_on_batch(x, y, return_dict=True)
    except Exception as err:
        raise Wrong(tr("Training your compiled model on a batch of one-hot labels failed: "
                       "{error}", error=f"{type(err).__name__}: "
                                        f"{str(err).splitlines()[0][:200]}")) from err
    finally:
        logger.setLevel(level)
    if not any("acc" in key for key in logs):
        raise Wrong(tr("Your model reports {metrics} while training; the lesson also "
                       "tracks metrics=['accuracy'].", metrics=sorted(logs)))
    after = _weights(model)
    changed = {path: not np.array_equal(after[path], before[path]) for path in before}
    shrink = 5e-3 * 0.02   # weight decay × the learning rate of the first step
    kernel = before["probe_dense/kernel"]
    ratio = float(np.median(after["probe_dense/kernel"][kernel != 0] / kernel[kernel != 0]))
    if changed["probe_bn/gamma"] or changed["probe_bn/beta"]:
        raise Wrong(tr("Weight decay shrank BatchNorm's γ and β: exclude them, as the lesson "
                       "does: optimizer.exclude_from_weight_decay(var_names=['gamma', 'beta', "
                       "'bias'])."))
    if changed["probe_dense/bias"]:
        raise Wrong(tr("Weight decay shrank the Dense layer's bias: exclude 'bias' as well "
                       "(var_names=['gamma', 'beta', 'bias'])."))
    if not changed["probe_conv/kernel"] or not math.isclose(1 - ratio, shrink, rel_tol=0.05):
        raise Wrong(tr("Weight decay should shrink the convolution and Dense kernels by "
                       "weight_decay × learning rate = {shrink:.0e} per step; yours changed "
                       "them by {change:.2g}. Exclude only gamma, beta and bias.",
                       shrink=shrink, change=1 - ratio))
    return tr("Compiled like the lesson for {steps} steps × {epochs} epochs: SGD + Nesterov, "
              "warm-up and cosine, weight decay on kernels only, label smoothing 0.1; one "
              "training step ran.", steps=steps, epochs=epochs)


# ----------------------------------------------------------------------------- 03.7


def _epoch(ds, max_batches: int, size: int) -> tuple[list, np.ndarray, np.ndarray]:
    """One pass over the learner's dataset: (batch sizes, images, labels)."""
    sizes, xs, ys = [], [], []
    try:
        for x, y in ds.take(max_batches):
            sizes.append(int(x.shape[0]))
            xs.append(np.asarray(x))
            ys.append(np.asarray(y))
    except Exception as err:
        raise Wrong(tr("Iterating over your dataset failed: {error} — does it use the size of "
                       "the images it is given ({size}×{size} here), not 32?",
                       error=f"{type(err).__name__}: {str(err).strip().splitlines()[0][:200]}",
                       size=size)) from err
    if not xs:
        raise Wrong(tr("Your dataset yields no batches."))
    return sizes, np.concatenate(xs), np.concatenate(ys)


def _windows(images, sources, pad: int) -> np.ndarray:
    """(N, k, k, 2): which zero-padded windows (offset dy, dx; mirrored or not) of each source
    image equal the output image."""
    size = images.shape[1]
    padded = np.pad(sources, [(0, 0), (pad, pad), (pad, pad), (0, 0)])
    return np.all(_crops(padded, size) == images[:, None, None, None], axis=(4, 5, 6))


@exercise("03.7", "code", N_("A tf.data training pipeline with an augmentation map"),
          N_("Dataset.from_tensor_slices((images, labels)), then .shuffle(len(images)) (a new "
             "order every epoch), .map(augment) on single images (pad_to_bounding_box by 2, "
             "random_crop back to H × W × 3, random_flip_left_right), .batch(batch_size), a "
             ".map that casts the images to float32 and one-hot encodes the labels, "
             ".prefetch(tf.data.AUTOTUNE)."))
def _train_pipeline(answer):
    gen = probe.rng()
    n, size = int(gen.integers(150, 221)), int(gen.choice([8, 10]))
    batch = int(gen.choice([b for b in range(24, 65) if n % b]))
    images = gen.integers(1, 256, (n, size, size, 3)).astype("uint8")   # 0 only in padding
    images[..., 0] = (np.arange(n) + 1)[:, None, None]                   # channel 0: the index
    labels = gen.integers(0, 10, n).astype("uint8")
    ds = call_learner(answer, images.copy(), labels.copy(), batch,
                      what=call_text("make_train_pipeline", f"images {images.shape}", "labels",
                                     batch))
    if not isinstance(ds, tf.data.Dataset):
        raise Wrong(tr("make_train_pipeline should return a tf.data.Dataset; it returned "
                       "{kind}.", kind=type(ds).__name__))
    spec = ds.element_spec
    if not (isinstance(spec, tuple) and len(spec) == 2
            and all(isinstance(s, tf.TensorSpec) for s in spec)):
        raise Wrong(tr("Your dataset should yield (images, labels) pairs; its elements are "
                       "{spec}.", spec=spec))
    x_spec, y_spec = spec
    if x_spec.shape.rank == 3:
        raise Wrong(tr("Your dataset yields single images: batch them (.batch(batch_size))."))
    if x_spec.shape.rank != 4 or tuple(x_spec.shape[1:]) != (size, size, 3):
        fields = dict(shape=images.shape, size=size, got=tuple(x_spec.shape))
        if tuple(x_spec.shape[1:3]) == (32, 32):
            raise Wrong(tr("For images {shape} your batches should have shape "
                           "(None, {size}, {size}, 3); yours have {got} — crop to the size of "
                           "the images given (images.shape[1:]), not 32.", **fields))
        raise Wrong(tr("For images {shape} your batches should have shape "
                       "(None, {size}, {size}, 3); yours have {got}.", **fields))
    if x_spec.shape[0] is not None:
        raise Wrong(tr("Every batch has exactly {batch} images: with drop_remainder=True the "
                       "last, smaller batch is lost, and some images are never trained on; keep "
                       "it (the default).", batch=x_spec.shape[0]))
    if x_spec.dtype != tf.float32:
        raise Wrong(tr("Your images are {dtype}; cast them to float32 (after the "
                       "augmentation, keeping their 0–255 values).", dtype=x_spec.dtype.name))
    if y_spec.shape.rank == 1:
        raise Wrong(tr("Your labels are integers; the lesson's loss (CategoricalCrossentropy "
                       "with label smoothing) needs one-hot labels: tf.one_hot(labels, 10)."))
    if tuple(y_spec.shape[1:]) != (10,) or y_spec.dtype != tf.float32:
        raise Wrong(tr("Labels should be one-hot float32 vectors of 10 classes, shape "
                       "(None, 10); yours are {dtype} {shape}.", dtype=y_spec.dtype.name,
                       shape=tuple(y_spec.shape)))
    if ds.cardinality() == tf.data.INFINITE_CARDINALITY:
        raise Wrong(tr("Your dataset never ends (.repeat()?): model.fit counts epochs itself, "
                       "so one pass over the dataset should be one epoch."))

    epochs = [_epoch(ds, math.ceil(n / batch) + 3, size) for _ in range(2)]
    sizes, x, y = epochs[0]
    expected = [batch] * (n // batch) + [n % batch]
    if sizes == expected[:-1]:
        raise Wrong(tr("Your epoch has {full} full batches: the last {rest} images are "
                       "dropped (drop_remainder=True); keep the smaller last batch.",
                       full=len(sizes), rest=n % batch))
    if sum(sizes) != n:
        raise Wrong(tr("One pass over your dataset yields {count} images; it should yield "
                       "each of the {n} images once (one epoch).", count=sum(sizes), n=n))
    if sorted(sizes) != sorted(expected):   # (batches in another order: checked below)
        raise Wrong(tr("Your batches hold {sizes}… images; with batch_size={batch} they "
                       "should hold {expected}… (the last one {rest}).", sizes=sizes[:4],
                       batch=batch, expected=expected[:4], rest=n % batch))
    if x.max() <= 1.0:
        raise Wrong(tr("Your images are scaled to 0–1; keep the raw 0–255 values as float32: "
                       "the course's models normalise their inputs themselves."))
    if x.min() < 0:
        raise Wrong(tr("Your images have negative values; keep the raw 0–255 values as "
                       "float32: the course's models normalise their inputs themselves."))
    if not np.all((y == 0) | (y == 1)) or not np.allclose(y.sum(1), 1):
        smoothed = np.allclose(y.max(1), 0.91, atol=1e-3)
        raise Wrong(tr("Your labels are smoothed already; keep them one-hot: the loss applies "
                       "the label smoothing.") if smoothed else
                    tr("Your labels are not one-hot vectors (one 1, nine 0s): "
                       "tf.one_hot(labels, 10)."))

    orders, offsets = [], []
    for _, x, y in epochs:
        channel = x[..., 0]
        index = channel.max(axis=(1, 2))
        if not np.all((channel == 0) | (channel == index[:, None, None])):
            raise Wrong(tr("Some output images are not shifted or mirrored copies of one input "
                           "image (their pixel values changed): the augmentation only pads with "
                           "zeros, crops and flips."))
        order = index.astype(int) - 1
        counts = np.bincount(order, minlength=n)
        if counts.max() != 1 or counts.min() != 1:
            raise Wrong(tr("In one epoch {missing} images never appear and {repeated} appear "
                           "more than once; each image should appear exactly once per epoch.",
                           missing=int((counts == 0).sum()), repeated=int((counts > 1).sum())))
        if not np.array_equal(y.argmax(1), labels[order]):
            raise Wrong(tr("The labels no longer belong to their images: shuffle (image, label) "
                           "pairs together, from one Dataset.from_tensor_slices((images, "
                           "labels))."))
        match = _windows(x, images[order], 2)
        found = match.reshape(n, -1).any(axis=1)
        if not found.all():
            i = int(np.flatnonzero(~found)[0])
            src = images[order[i]]
            wide = _windows(x[i:i + 1], src[None], 4).any()
            reflect = np.pad(src, [(2, 2), (2, 2), (0, 0)], mode="reflect")
            reflected = any(np.array_equal(reflect[a:a + size, b:b + size][:, ::f], x[i])
                            for a in range(5) for b in range(5) for f in (1, -1))
            raise Wrong(tr("Image {i} is shifted by more than 2 pixels: pad by 2 "
                           "(CROP_PAD), not 4.", i=order[i]) if wide else
                        tr("Image {i} was padded by reflection; pad with zeros "
                           "(tf.image.pad_to_bounding_box).", i=order[i]) if reflected else
                        tr("Image {i} is not a window of the image padded with 2 zeros "
                           "on each side, mirrored or not: pad, crop back, flip — no resizing "
                           "or colour changes.", i=order[i]))
        orders.append(order)
        offsets.append(np.array([np.argwhere(m)[0] for m in match]))  # dy, dx, flipped
    first, second = orders
    steps = np.arange(n)
    if np.array_equal(first, steps):
        raise Wrong(tr("Your images come in their input order: shuffle them "
                       "(.shuffle(len(images)) before the map and the batching)."))
    starts = np.cumsum([0] + sizes[:-1])
    if all(np.array_equal(np.sort(first[s:s + k]), np.arange(first[s:s + k].min(),
                                                               first[s:s + k].min() + k))
           for s, k in zip(starts, sizes)):
        raise Wrong(tr("Each batch holds consecutive images: you shuffled whole batches "
                       "(shuffle after batch). Shuffle the images, before batching."))
    if min((first - steps).max(), (second - steps).max()) < n / 2:
        raise Wrong(tr("Your images come out nearly in their input order: the shuffle buffer "
                       "is too small (an image can only move as far as the buffer reaches). "
                       "Use a buffer of all the images: .shuffle(len(images))."))
    if np.array_equal(first, second):
        raise Wrong(tr("Both epochs have the same order: shuffle anew every epoch (.shuffle(…) "
                       "in the pipeline with reshuffle_each_iteration=True, the default — not "
                       "once with NumPy, and not with reshuffle_each_iteration=False)."))
    aug = offsets[0]
    per_batch = [aug[s:s + k, :2] for s, k in zip(starts, sizes) if k > 1]
    if (aug[:, :2] == 2).all() and not aug[:, 2].any():
        raise Wrong(tr("Your images come out unchanged: no augmentation (pad, random crop, "
                       "random flip) was applied."))
    if all((b == b[0]).all() for b in per_batch):
        raise Wrong(tr("All images of a batch share one crop offset: the augmentation ran on "
                       "whole batches. Map it over single images, before .batch()."))
    if (aug[:, :2] == 2).all():
        raise Wrong(tr("No image was shifted: pad by 2 and crop back at a random offset "
                       "(tf.image.random_crop on each image)."))
    if np.abs(aug[:, :2] - 2).max() < 2:
        raise Wrong(tr("Your crops move the images by at most 1 pixel; padding by 2 allows "
                       "shifts of up to 2 in each direction."))
    flipped = aug[:, 2].mean()
    if flipped in (0.0, 1.0):
        raise Wrong(tr("No image was mirrored: flip about half of them left–right "
                       "(tf.image.random_flip_left_right).") if flipped == 0 else
                    tr("Every image was mirrored: flip each one with probability 1/2."))
    if not 0.3 < flipped < 0.7:
        raise Wrong(tr("{flipped:.0%} of the images were mirrored; each should be with "
                       "probability 1/2.", flipped=flipped))
    if np.array_equal(offsets[0][np.argsort(first)], offsets[1][np.argsort(second)]):
        raise Wrong(tr("Every image got the same crop and flip in both epochs: the augmentation "
                       "should draw new ones each epoch (map after any .cache(), inside the "
                       "pipeline)."))
    return tr("{n} images in {batches} batches of {batch} (the last {rest}), reshuffled every "
              "epoch, each a random shift of up to 2 pixels, {flipped:.0%} mirrored; float32 "
              "0–255 images and one-hot labels.", n=n, batches=len(sizes), batch=batch,
              rest=n % batch, flipped=flipped)
