"""Lesson 04 — looking inside: feature-map shapes, the stem's filters, Grad-CAM by hand,
‖F(x)‖/‖x‖ of one block, and which block of the trained ResNet-20 stays closest to the identity."""

from __future__ import annotations

import functools

import keras
import numpy as np
import tensorflow as tf

from ..interpret import feature_maps, grad_cam, residual_ratios
from ..models import build_resnet
from . import probe
from .answers import as_shape, call_learner, predict_number
from .core import Wrong, exercise


@exercise("04.1", "predict", "Shape of rh.feature_maps at stage3_block3_out, six images",
          "rh.feature_maps returns one array per layer with the batch axis first: (images, "
          "height, width, channels). Stage 3 of ResNet-20 works at 8×8 with 64 channels.")
def _feature_map_shape(answer):
    right = (6, *build_resnet(8).get_layer("stage3_block1_out").output.shape[1:])
    shape = as_shape(answer)
    if shape == right:
        return f"Right: {right}."
    if len(shape) != 4 and shape != right[1:]:
        raise Wrong(f"{tuple(answer)} has {len(shape)} numbers; rh.feature_maps returns 4 axes: "
                    "(images, height, width, channels).")
    mistakes = {
        right[1:]: "rh.feature_maps keeps the batch axis: one map per image, six images.",
        (6, 64, 8, 8): "Keras keeps channels last: (images, height, width, channels).",
        (6, 32, 32, 16): "that is the stem's (and stage 1's) output; stage 3 is two halvings "
                         "further.",
        (6, 16, 16, 32): "that is stage 2's output; stage 3 halves once more and has 64 channels.",
        (6, 8, 8, 16): "stage 3 has four times the first stage's 16 filters.",
    }
    raise Wrong(f"{shape} is not it: " + mistakes.get(shape, "check height, width and channels "
                                                            "stage by stage."))


@exercise("04.2", "predict", "Parameters of ResNet-20's first convolution (stem_conv)",
          "A kernel is height × width × input channels × filters; the stem reads the image's 3 "
          "colour channels, and the paper's convolutions have no bias.")
def _stem_params(answer):
    right = build_resnet(8).get_layer("stem_conv").count_params()
    return predict_number(answer, right, {
        right + 16: "the stem has no bias (use_bias=False): BatchNorm follows it.",
        right // 3: "each filter reads all 3 colour channels: 3·3·3 weights per filter.",
        right // 16: "that is one filter; the stem has 16.",
        right + 4 * 16: "that adds the BatchNorm after it (stem_bn); the question asks for the "
                        "convolution alone.",
        9 * 16 * 16: "the stem reads the 3 colour channels of the image, not 16 channels.",
    })


def _cam(model, image, layer_name, use_probabilities: bool = False, average: bool = True,
         relu: bool = True):
    """Grad-CAM at the layer's resolution, with the typical slips as options."""
    score_layer = model.output if use_probabilities else model.get_layer("logits").output
    probe_model = keras.Model(model.inputs, [model.get_layer(layer_name).output, score_layer])
    with tf.GradientTape() as tape:
        maps, scores = probe_model([image[None]], training=False)
        score = scores[0, int(tf.argmax(scores[0]))]
    grads = tape.gradient(score, maps)[0].numpy()
    weights = grads.mean(axis=(0, 1)) if average else grads
    cam = (maps[0].numpy() * weights).sum(-1)
    cam = np.maximum(cam, 0) if relu else cam
    return cam / (np.abs(cam).max() + 1e-12)


@exercise("04.3", "code", "Grad-CAM by hand with a GradientTape",
          "Build keras.Model(model.inputs, [layer output, model.get_layer('logits').output]); "
          "under a GradientTape take the predicted class's logit, its gradient with respect to "
          "the feature maps, average it over height and width (one weight per channel), sum "
          "weight × map over channels, ReLU, divide by the maximum.")
def _grad_cam(answer):
    gen = probe.rng()
    model = build_resnet(8, width=4, input_shape=(16, 16, 3))
    layer = str(gen.choice(["stage3_block1_out", "stage2_block1_out"]))
    # an image whose map has negative parts too, so that a missing ReLU shows
    images = gen.uniform(0, 255, (6, 16, 16, 3)).astype("float32")
    raw = [_cam(model, i, layer, relu=False) for i in images]
    image = images[int(np.argmax([min(r.max(), -r.min()) for r in raw]))]
    reference = grad_cam(model, image, layer)
    out = call_learner(answer, model, image, layer, what=f"my_grad_cam(model, image, {layer!r})")
    try:
        out = np.asarray(out, dtype="float64").squeeze()
    except (TypeError, ValueError) as err:
        raise Wrong(f"Return the heatmap as an array; got {type(out).__name__}.") from err
    if not np.isfinite(out).all():
        raise Wrong("Your map contains NaN or infinite values: did you divide by a maximum of 0? "
                    "That happens when the weighted sum is negative everywhere, e.g. for a class "
                    "other than the predicted one (the argmax of the logits).")
    h, w = model.get_layer(layer).output.shape[1:3]
    if out.shape == (h, w):
        resized = tf.image.resize(out[..., None], (16, 16), method="bilinear")[..., 0].numpy()
    elif out.shape == (16, 16):
        resized = out
    else:
        raise Wrong(f"At {layer!r} ({h}×{w} maps) the heatmap should be ({h}, {w}) — or resized "
                    f"to the image, (16, 16); yours has shape {out.shape}. Sum over channels.")
    if np.allclose(resized, reference, atol=2e-3):
        return f"Your Grad-CAM equals rh.grad_cam on a fresh random network at {layer!r}."
    if out.min() < -1e-6:
        raise Wrong("Your map has negative values: Grad-CAM keeps only the evidence *for* the "
                    "class, ReLU(Σ_k weight_k · A_k), before scaling.")
    if out.max() > 1 + 1e-3 or out.max() < 1 - 1e-3:
        raise Wrong(f"The map's maximum is {out.max():.3g}; divide by it so the map runs 0 to 1.")
    variants = {
        "you differentiated the softmax probability; Grad-CAM uses the class score before the "
        "softmax (the 'logits' layer), whose gradient does not shrink as the network grows "
        "confident.": _cam(model, image, layer, use_probabilities=True),
        "you multiplied every position's gradient with its activation; Grad-CAM first averages "
        "the gradient over height and width, one weight per channel.":
            _cam(model, image, layer, average=False),
    }
    for message, value in variants.items():
        candidate = value if out.shape == (h, w) else tf.image.resize(
            value[..., None], (16, 16), method="bilinear")[..., 0].numpy()
        if np.allclose(out, candidate, atol=2e-3):
            raise Wrong("Your map is close, but " + message)
    raise Wrong(f"Your map differs from rh.grad_cam's (largest difference "
                f"{np.abs(resized - reference).max():.2f}). Explain the predicted class "
                "(argmax of the logits) and weight each channel by its mean gradient.")


@exercise("04.4", "code", "‖F(x)‖/‖x‖ of one residual block",
          "F(x) is the output of the branch's last layer (<block>_bn2), x the shortcut (for an "
          "identity block, the block's input). Read both with rh.feature_maps, take the norm "
          "per image over all values, divide, then average over the images.")
def _block_ratio(answer):
    gen = probe.rng()
    model = build_resnet(14, width=4, input_shape=(16, 16, 3))
    probe.randomise(model, gen)
    stage = int(gen.integers(1, 4))
    block = f"stage{stage}_block2"
    images = gen.uniform(0, 255, (6, 16, 16, 3)).astype("float32")
    right = residual_ratios(model, images)[block]
    value = call_learner(answer, model, images, block,
                         what=f"block_ratio(model, images, {block!r})")
    try:
        value = float(np.asarray(value).squeeze())
    except (TypeError, ValueError) as err:
        raise Wrong(f"Return one number (a float); got {type(value).__name__}.") from err
    if np.isclose(value, right, rtol=2e-3):
        return f"Right: {value:.3f} for {block}, as rh.residual_ratios finds."
    maps = feature_maps(model, images, [f"{block}_bn2", f"stage{stage}_block1_out",
                                        f"{block}_add", f"{block}_out"])
    norm = lambda a: np.linalg.norm(a.reshape(len(images), -1), axis=1)  # noqa: E731
    f, x = norm(maps[f"{block}_bn2"]), norm(maps[f"stage{stage}_block1_out"])
    inverse = "you divided ‖x‖ by ‖F(x)‖: the ratio is the branch's norm over the shortcut's."
    variants = [
        (inverse, (x / f).mean()), (inverse, 1 / right),
        (f"you took the block's output ({block}_out) for F(x); F(x) is the branch alone, before "
         f"it is added: the output of {block}_bn2.", (norm(maps[f"{block}_out"]) / x).mean()),
        (f"you took the sum ({block}_add) for F(x); F(x) is the branch alone, before it is "
         f"added: the output of {block}_bn2.", (norm(maps[f"{block}_add"]) / x).mean()),
        ("you took the norm of the whole batch at once; take it per image, then average.",
         np.linalg.norm(maps[f"{block}_bn2"]) / np.linalg.norm(maps[f"stage{stage}_block1_out"])),
        ("you squared the norms (sum of squares); use the L2 norm, its square root.",
         (f**2 / x**2).mean()),
    ]
    for message, candidate in variants:
        if np.isclose(value, candidate, rtol=2e-3):
            raise Wrong(f"{value:.3f} for {block}: {message}")
    raise Wrong(f"{value:.3f} for {block}, but ‖F(x)‖/‖x‖ is {right:.3f} on these images.")


@functools.lru_cache(maxsize=1)
def _branch_gammas() -> dict[str, float]:
    from ..pretrained import load_pretrained

    model = load_pretrained("resnet20")
    return {l.name.removesuffix("_bn2"): float(np.abs(np.asarray(l.gamma)).mean())
            for l in model.layers if l.name.endswith("_bn2")}


@exercise("04.5", "investigate", "Which block of the trained ResNet-20 stays closest to identity?",
          "The last BatchNorm of each branch (<block>_bn2) scales F(x) by γ. Load "
          "rh.load_pretrained('resnet20') and compare the mean |γ| of every <block>_bn2.")
def _smallest_branch(answer):
    if not isinstance(answer, str):
        raise Wrong(f"Answer with a block name such as 'stage1_block1'; got {answer!r}.")
    gammas = _branch_gammas()
    name = answer.removesuffix("_bn2").removesuffix("_add").removesuffix("_out")
    if name not in gammas:
        raise Wrong(f"{answer!r} is not a residual block of ResNet-20; they are "
                    f"{', '.join(gammas)}.")
    right = min(gammas, key=gammas.get)
    if name == right:
        return (f"Right: {right} (mean |γ| {gammas[right]:.2f}) scales its branch the least; "
                f"the largest is {max(gammas, key=gammas.get)} ({max(gammas.values()):.2f}).")
    if name == max(gammas, key=gammas.get):
        raise Wrong(f"{name} has the largest mean |γ| ({gammas[name]:.2f}): it rewrites its "
                    "input the most. Look for the smallest.")
    raise Wrong(f"{name}'s mean |γ| is {gammas[name]:.2f}; another block's is smaller. Did you "
                "take the absolute value (γ can be negative) and the mean over channels?")
