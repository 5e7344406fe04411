"""Lesson 03 — training: the loss at initialisation, steps per epoch, augmentation, label
smoothing, reading the confusion matrix."""

from __future__ import annotations

import math

import numpy as np
import tensorflow as tf

from ..data import CLASS_NAMES
from ..recipe import SmoothedSparseCrossentropy
from . import probe
from .answers import call_learner, predict_number
from .core import Wrong, exercise


@exercise("03.1", "predict", "The loss at initialisation, ten classes",
          "An untrained network spreads its probability about evenly over the classes; the "
          "cross-entropy of one image is −ln(probability given to its true class).")
def _initial_loss(answer):
    probs = np.full((1, 10), 0.1, "float32")
    right = float(SmoothedSparseCrossentropy()(np.array([3]), probs))
    return predict_number(answer, right, {
        10: "that is the number of classes; the loss is −ln(1/10).",
        0.1: "that is the probability of the true class; the loss is minus its logarithm.",
        -right: "a cross-entropy is never negative: −ln(0.1) = +2.30.",
        1: "Keras's cross-entropy uses the natural logarithm: ln(10), not log₁₀(10).",
        math.log2(10): "Keras's cross-entropy uses the natural logarithm: ln(10), not log₂(10).",
        0: "zero is the loss of a perfect, fully confident network, not of an untrained one.",
    }, rel_tol=0.01)


@exercise("03.2", "predict", "Training steps per epoch: 45,000 images, batch 128",
          "One step is one batch. 5,000 of the 50,000 training images are held out for "
          "validation, and rh.make_datasets keeps the last, smaller batch.")
def _steps_per_epoch(answer):
    right = math.ceil(45_000 / 128)
    return predict_number(answer, right, {
        45_000 // 128: "the last, smaller batch (45,000 − 351·128 = 72 images) is kept: it is a "
                       "step too.",
        45_000 / 128: "a number of steps is a whole number: the last batch is smaller, not "
                      "fractional.",
        math.ceil(50_000 / 128): "5,000 of the 50,000 training images are the validation set; "
                                 "the network trains on 45,000.",
        50_000 // 128: "5,000 of the 50,000 training images are the validation set, and the last "
                       "smaller batch counts too.",
        45_000: "a step processes a whole batch of 128 images, not one image.",
    })


def _crops(padded, size: int):
    """All ``size × size`` windows of the padded images, plain and mirrored: (N, k, k, 2, …)."""
    n, p = padded.shape[0], padded.shape[1] - size + 1
    out = np.empty((n, p, p, 2, size, size, padded.shape[-1]), padded.dtype)
    for dy in range(p):
        for dx in range(p):
            window = padded[:, dy:dy + size, dx:dx + size]
            out[:, dy, dx, 0], out[:, dy, dx, 1] = window, window[:, :, ::-1]
    return out


@exercise("03.3", "code", "An augmentation function: pad, random crop, random flip",
          "Pad each image with 4 zero pixels on every side (tf.pad), cut a window of the "
          "original size at a random offset chosen per image, and mirror about half of them "
          "(tf.image.random_flip_left_right works image by image).")
def _augment(answer):
    gen = probe.rng()
    size, n = 12, 64
    images = gen.integers(1, 256, (n, size, size, 3)).astype("float32")
    out = call_learner(answer, tf.constant(images), what="my_augment(images)")
    try:
        out = np.asarray(out, dtype="float32")
    except (TypeError, ValueError) as err:
        raise Wrong(f"my_augment should return a batch of images (a tensor or array); it "
                    f"returned {type(out).__name__}.") from err
    if out.shape != images.shape:
        more = (" — crop back to the original size after padding" if out.ndim == 4
                and out.shape[1] > size else "")
        raise Wrong(f"For a batch of shape {images.shape} the result must have the same shape; "
                    f"yours is {out.shape}{more}.")
    if np.array_equal(out, images):
        raise Wrong("The images come back unchanged: nothing was padded, cropped or flipped.")
    padded = np.pad(images, [(0, 0), (4, 4), (4, 4), (0, 0)])
    crops = _crops(padded, size)
    match = np.all(crops == out[:, None, None, None], axis=(4, 5, 6))   # (N, 9, 9, 2)
    found = match.reshape(n, -1).any(axis=1)
    if not found.all():
        i = int(np.flatnonzero(~found)[0])
        reflect = np.pad(images[i], [(4, 4), (4, 4), (0, 0)], mode="reflect")
        reflected = any(np.array_equal(reflect[a:a + size, b:b + size][:, ::f], out[i])
                        for a in range(9) for b in range(9) for f in (1, -1))
        raise Wrong(f"Image {i} of the batch is not a {size}×{size} window of the image padded "
                    f"with 4 zeros on each side" + (" (you padded by reflection; the paper pads "
                                                    "with zeros)." if reflected else
                                                    ", mirrored or not. Crop, don't resize."))
    offset = np.array([np.argwhere(m)[0] for m in match])   # (N, 3): dy, dx, flipped
    flipped = offset[:, 2].mean()
    if len({(a, b) for a, b, _ in offset}) == 1:
        raise Wrong("Every image got the same crop offset: draw an offset per image, not one "
                    "for the whole batch." if offset[0, 0] != 4 or offset[0, 1] != 4 else
                    "No image was shifted: pad by 4 and cut the window at a random offset.")
    shift = int(np.abs(offset[:, :2] - 4).max())
    if shift < 4:
        raise Wrong(f"Your crops move the image by at most {shift} pixels; padding by 4 allows "
                    "shifts of up to 4 in each direction (pad with 4, not less).")
    if flipped in (0.0, 1.0):
        raise Wrong("No image was mirrored: flip about half of them left–right." if flipped == 0
                    else "Every image was mirrored: flip each one with probability 1/2.")
    if not 0.2 < flipped < 0.8:
        raise Wrong(f"{flipped:.0%} of the images were mirrored; each should be with probability "
                    "1/2.")
    return (f"Every image is a zero-padded random crop; {flipped:.0%} of {n} were mirrored and "
            f"{len({(a, b) for a, b, _ in offset})} different offsets were used.")


@exercise("03.4", "predict", "The target of the true class with label smoothing 0.1",
          "With smoothing s the target is (1 − s) on the true class plus s / classes on every "
          "class, the true one included.")
def _smoothed_target(answer):
    logits = tf.zeros((1, 10))
    with tf.GradientTape() as tape:
        tape.watch(logits)
        probs = tf.nn.softmax(logits)
        loss = SmoothedSparseCrossentropy(0.1)(tf.constant([0]), probs)
    grad = tape.gradient(loss, logits)  # softmax + cross-entropy: ∂loss/∂logits = p − target
    right = float(probs[0, 0] - grad[0, 0])
    return predict_number(answer, right, {
        0.9: "the 0.1 taken away is spread over all ten classes, the true one too: it gets "
             "0.9 + 0.1/10.",
        0.01: "that is the target of each wrong class; the true one gets 0.9 + 0.01.",
        0.99: "smoothing takes 0.1 away from the true class first: 1 − 0.1 + 0.1/10.",
        1.0: "that is the target without label smoothing.",
        0.1: "that is the smoothing factor s itself.",
    }, rel_tol=1e-3)


@exercise("03.5", "code", "Which class is taken for which most often?",
          "Rows of the confusion matrix are true classes, columns predicted ones; the diagonal "
          "holds the correct predictions, so set it aside before looking for the largest entry.")
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
            raise Wrong(f"Return a pair (true class name, predicted class name); got "
                        f"{result!r}.")
        names = (CLASS_NAMES[t], CLASS_NAMES[p])
        if tuple(result) == names:
            continue
        if all(isinstance(r, (int, np.integer)) for r in result):
            raise Wrong(f"You returned indices {tuple(result)}; return the class names, "
                        "e.g. rh.CLASS_NAMES[i].")
        if tuple(result) == names[::-1]:
            raise Wrong(f"You swapped them: in {names[::-1]} the first is the predicted class. "
                        "Rows (the first index) are the true classes.")
        if len(set(result)) == 1:
            raise Wrong(f"{tuple(result)}: a class taken for itself is a correct prediction; "
                        "leave out the diagonal (np.fill_diagonal on a copy).")
        raise Wrong(f"For a matrix whose largest off-diagonal entry is {names} you returned "
                    f"{tuple(result)}.")
    return "Right on three random confusion matrices. Now run it on your report['confusion']."
