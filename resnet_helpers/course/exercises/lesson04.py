"""Lesson 04 — looking inside: feature-map shapes, the stem's filters, Grad-CAM by hand,
‖F(x)‖/‖x‖ of one block, which block of the trained ResNet-20 stays closest to the identity,
and what deleting its two cheapest blocks together costs (a lesion study, predicted first)."""

from __future__ import annotations

import functools

import keras
import numpy as np
import tensorflow as tf

from resnet_helpers.inspect.interpret import feature_maps, grad_cam, residual_ratios
from resnet_helpers.messages import N_, join, tr
from resnet_helpers.models.resnets import build_resnet
from . import probe
from .answers import as_number, as_shape, call_learner, call_text, predict_number
from .core import NotAttempted, Wrong, exercise



@exercise("04.1", "predict", N_("Shape of rh.feature_maps at stage3_block3_out, six images"),
          N_("rh.feature_maps returns one array per layer with the batch axis first: (images, "
             "height, width, channels). Stage 3 of ResNet-20 works at 8×8 with 64 channels."))
def _feature_map_shape(answer):
    right = (6, *build_resnet(8).get_layer("stage3_block1_out").output.shape[1:])
    shape = as_shape(answer)
    if shape == right:
        return tr("Right: {shape}.", shape=right)
    if len(shape) != 4 and shape != right[1:]:
        raise Wrong(tr("{answer} has {count} numbers; rh.feature_maps returns 4 axes: "
                       "(images, height, width, channels).", answer=tuple(answer),
                       count=len(shape)))
    mistakes = {
        right[1:]: N_("rh.feature_maps keeps the batch axis: one map per image, six images."),
        (6, 64, 8, 8): N_("Keras keeps channels last: (images, height, width, channels)."),
        (6, 32, 32, 16): N_("that is the stem's (and stage 1's) output; stage 3 is two halvings "
                            "further."),
        (6, 16, 16, 32): N_("that is stage 2's output; stage 3 halves once more and has 64 "
                            "channels."),
        (6, 8, 8, 16): N_("stage 3 has four times the first stage's 16 filters."),
    }
    raise Wrong(tr("{shape} is not it: {message}", shape=shape, message=tr(mistakes.get(
        shape, N_("check height, width and channels stage by stage.")))))


@exercise("04.2", "predict", N_("Parameters of ResNet-20's first convolution (stem_conv)"),
          N_("A kernel is height × width × input channels × filters; the stem reads the image's "
             "3 colour channels, and the paper's convolutions have no bias."))
def _stem_params(answer):
    right = build_resnet(8).get_layer("stem_conv").count_params()
    return predict_number(answer, right, {
        right + 16: N_("the stem has no bias (use_bias=False): BatchNorm follows it."),
        right // 3: N_("each filter reads all 3 colour channels: 3·3·3 weights per filter."),
        right // 16: N_("that is one filter; the stem has 16."),
        right + 4 * 16: N_("that adds the BatchNorm after it (stem_bn); the question asks for "
                           "the convolution alone."),
        9 * 16 * 16: N_("the stem reads the 3 colour channels of the image, not 16 channels."),
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


@exercise("04.3", "code", N_("Grad-CAM by hand with a GradientTape"),
          N_("Build keras.Model(model.inputs, [layer output, model.get_layer('logits').output]); "
             "under a GradientTape take the predicted class's logit, its gradient with respect "
             "to the feature maps, average it over height and width (one weight per channel), "
             "sum weight × map over channels, ReLU, divide by the maximum."))
def _grad_cam(answer):
    gen = probe.rng()
    model = build_resnet(8, width=4, input_shape=(16, 16, 3))
    layer = str(gen.choice(["stage3_block1_out", "stage2_block1_out"]))
    # an image whose map has negative parts too, so that a missing ReLU shows
    images = gen.uniform(0, 255, (6, 16, 16, 3)).astype("float32")
    raw = [_cam(model, i, layer, relu=False) for i in images]
    image = images[int(np.argmax([min(r.max(), -r.min()) for r in raw]))]
    reference = grad_cam(model, image, layer)
    out = call_learner(answer, model, image, layer,
                       what=call_text("my_grad_cam", "model", "image", repr(layer)))
    try:
        out = np.asarray(out, dtype="float64").squeeze()
    except (TypeError, ValueError) as err:
        raise Wrong(tr("Return the heatmap as an array; got {kind}.",
                       kind=type(out).__name__)) from err
    if not np.isfinite(out).all():
        raise Wrong(tr("Your map contains NaN or infinite values: did you divide by a maximum of "
                       "0? That happens when the weighted sum is negative everywhere, e.g. for a "
                       "class other than the predicted one (the argmax of the logits)."))
    h, w = model.get_layer(layer).output.shape[1:3]
    if out.shape == (h, w):
        resized = tf.image.resize(out[..., None], (16, 16), method="bilinear")[..., 0].numpy()
    elif out.shape == (16, 16):
        resized = out
    else:
        raise Wrong(tr("At {layer!r} ({h}×{w} maps) the heatmap should be ({h}, {w}) — or "
                       "resized to the image, (16, 16); yours has shape {shape}. Sum over "
                       "channels.", layer=layer, h=h, w=w, shape=out.shape))
    if np.allclose(resized, reference, atol=2e-3):
        return tr("Your Grad-CAM equals rh.grad_cam on a fresh random network at {layer!r}.",
                  layer=layer)
    if out.min() < -1e-6:
        raise Wrong(tr("Your map has negative values: Grad-CAM keeps only the evidence *for* "
                       "the class, ReLU(Σ_k weight_k · A_k), before scaling."))
    if out.max() > 1 + 1e-3 or out.max() < 1 - 1e-3:
        raise Wrong(tr("The map's maximum is {maximum:.3g}; divide by it so the map runs 0 to 1.",
                       maximum=out.max()))
    variants = {
        tr("you differentiated the softmax probability; Grad-CAM uses the class score before "
           "the softmax (the 'logits' layer), whose gradient does not shrink as the network "
           "grows confident."): _cam(model, image, layer, use_probabilities=True),
        tr("you multiplied every position's gradient with its activation; Grad-CAM first "
           "averages the gradient over height and width, one weight per channel."):
            _cam(model, image, layer, average=False),
    }
    for message, value in variants.items():
        candidate = value if out.shape == (h, w) else tf.image.resize(
            value[..., None], (16, 16), method="bilinear")[..., 0].numpy()
        if np.allclose(out, candidate, atol=2e-3):
            raise Wrong(tr("Your map is close, but {message}", message=message))
    raise Wrong(tr("Your map differs from rh.grad_cam's (largest difference {difference:.2f}). "
                   "Explain the predicted class (argmax of the logits) and weight each channel "
                   "by its mean gradient.", difference=np.abs(resized - reference).max()))


@exercise("04.4", "code", N_("‖F(x)‖/‖x‖ of one residual block"),
          N_("F(x) is the output of the branch's last layer (<block>_bn2), x the shortcut (for "
             "an identity block, the block's input). Read both with rh.feature_maps, take the "
             "norm per image over all values, divide, then average over the images."))
def _block_ratio(answer):
    gen = probe.rng()
    model = build_resnet(14, width=4, input_shape=(16, 16, 3))
    probe.randomise(model, gen)
    stage = int(gen.integers(1, 4))
    block = f"stage{stage}_block2"
    images = gen.uniform(0, 255, (6, 16, 16, 3)).astype("float32")
    right = residual_ratios(model, images)[block]
    value = call_learner(answer, model, images, block,
                         what=call_text("block_ratio", "model", "images", repr(block)))
    try:
        value = float(np.asarray(value).squeeze())
    except (TypeError, ValueError) as err:
        raise Wrong(tr("Return one number (a float); got {kind}.",
                       kind=type(value).__name__)) from err
    if np.isclose(value, right, rtol=2e-3):
        return tr("Right: {value:.3f} for {block}, as rh.residual_ratios finds.", value=value,
                  block=block)
    before = f"stage{stage}_block1"  # x of an identity block: the output of the block before
    maps = feature_maps(model, images, [f"{block}_bn2", f"{before}_out",
                                        f"{block}_add", f"{block}_out"])
    norm = lambda a: np.linalg.norm(a.reshape(len(images), -1), axis=1)  # noqa: E731
    f, x = norm(maps[f"{block}_bn2"]), norm(maps[f"{before}_out"])
    inverse = tr("you divided ‖x‖ by ‖F(x)‖: the ratio is the branch's norm over the "
                 "shortcut's.")
    variants = [
        (inverse, (x / f).mean()), (inverse, 1 / right),
        (tr("you took the block's output ({block}_out) for F(x); F(x) is the branch alone, "
            "before it is added: the output of {block}_bn2.", block=block),
         (norm(maps[f"{block}_out"]) / x).mean()),
        (tr("you took the sum ({block}_add) for F(x); F(x) is the branch alone, before it is "
            "added: the output of {block}_bn2.", block=block),
         (norm(maps[f"{block}_add"]) / x).mean()),
        (tr("you took the norm of the whole batch at once; take it per image, then average."),
         np.linalg.norm(maps[f"{block}_bn2"]) / np.linalg.norm(maps[f"{before}_out"])),
        (tr("you squared the norms (sum of squares); use the L2 norm, its square root."),
         (f**2 / x**2).mean()),
    ]
    for message, candidate in variants:
        if np.isclose(value, candidate, rtol=2e-3):
            raise Wrong(tr("{value:.3f} for {block}: {message}", value=value, block=block,
                           message=message))
    raise Wrong(tr("{value:.3f} for {block}, but ‖F(x)‖/‖x‖ is {right:.3f} on these images.",
                   value=value, block=block, right=right))


@functools.lru_cache(maxsize=1)
def _branch_gammas() -> dict[str, float]:
    from resnet_helpers.models.pretrained import load_pretrained

    model = load_pretrained("resnet20")
    return {l.name.removesuffix("_bn2"): float(np.abs(np.asarray(l.gamma)).mean())
            for l in model.layers if l.name.endswith("_bn2")}


@exercise("04.5", "investigate",
          N_("Which block of the trained ResNet-20 stays closest to identity?"),
          N_("The last BatchNorm of each branch (<block>_bn2) scales F(x) by γ. Load "
             "rh.load_pretrained('resnet20') and compare the mean |γ| of every <block>_bn2."))
def _smallest_branch(answer):
    if not isinstance(answer, str):
        raise Wrong(tr("Answer with a block name such as 'stage1_block1'; got {answer!r}.",
                       answer=answer))
    gammas = _branch_gammas()
    name = answer.removesuffix("_bn2").removesuffix("_add").removesuffix("_out")
    if name not in gammas:
        raise Wrong(tr("{answer!r} is not a residual block of ResNet-20; they are {blocks}.",
                       answer=answer, blocks=join(gammas)))
    right = min(gammas, key=gammas.get)
    largest = max(gammas, key=gammas.get)
    if name == right:
        return tr("Right: {right} (mean |γ| {gamma:.2f}) scales its branch the least; the "
                  "largest is {largest} ({largest_gamma:.2f}).", right=right,
                  gamma=gammas[right], largest=largest, largest_gamma=gammas[largest])
    if name == largest:
        raise Wrong(tr("{name} has the largest mean |γ| ({gamma:.2f}): it rewrites its input "
                       "the most. Look for the smallest.", name=name, gamma=gammas[name]))
    raise Wrong(tr("{name}'s mean |γ| is {gamma:.2f}; another block's is smaller. Did you take "
                   "the absolute value (γ can be negative) and the mean over channels?",
                   name=name, gamma=gammas[name]))


#: The images the lesion studies of exercise 04.6 run on: the first ones of the test set.
LESION_IMAGES = 1000
#: How far the learner's accuracy with both blocks deleted may be from the check's own.
PAIR_TOLERANCE = 0.01
#: Blocks whose single deletions leave accuracies this close count as tied (one image apart):
#: another machine, or another batch size, may rank them the other way round.
TIE = 1.5 / LESION_IMAGES


@functools.lru_cache(maxsize=1)
def _lesion() -> tuple[keras.Model, tuple[np.ndarray, np.ndarray], dict[str, float], list[str]]:
    """The shipped ResNet-20, the first test images, its single-deletion accuracies, its blocks."""
    from resnet_helpers.data.cifar10 import load_cifar10
    from resnet_helpers.inspect.lesion import lesion_study
    from resnet_helpers.models.pretrained import load_pretrained

    model = load_pretrained("resnet20")
    try:
        _, (x_test, y_test) = load_cifar10()
    except Exception as err:  # no $CIFAR10_SOURCE and no download: say so in one line
        raise Wrong(tr("The check repeats the lesion study on CIFAR-10's test images and could "
                       "not load them ({error}); set the environment variable CIFAR10_SOURCE to "
                       "your copy of CIFAR-10.", error=type(err).__name__)) from err
    blocks = sorted({l.name.removesuffix("_conv1") for l in model.layers
                     if l.name.startswith("stage") and l.name.endswith("_conv1")})
    data = (x_test[:LESION_IMAGES], y_test[:LESION_IMAGES])
    return model, data, lesion_study(model, data), blocks


@functools.lru_cache(maxsize=None)
def _pair_accuracy(pair: tuple[str, str]) -> float:
    """Accuracy of the shipped ResNet-20 with both blocks of ``pair`` deleted at once."""
    from resnet_helpers.inspect.analysis import restored_weights
    from resnet_helpers.inspect.lesion import delete_block

    model, (x, y), _, _ = _lesion()
    with restored_weights(model):
        for block in pair:
            delete_block(model, block)
        probs = model.predict(x, batch_size=500, verbose=0)
    return float((probs.argmax(-1) == np.asarray(y).reshape(-1)).mean())


_PAIR_KEYS = ("prediction", "pair", "accuracy_both_deleted")


def _pair_names(pair) -> tuple[str, str]:
    """The answer's pair as two stripped strings, or :class:`Wrong` saying what it is instead."""
    if isinstance(pair, str) or not isinstance(pair, (tuple, list, set, frozenset)) or len(
            pair) != 2 or not all(isinstance(name, str) for name in pair):
        raise Wrong(tr("\"pair\" should be two block names in a tuple, (\"stageS_blockB\", "
                       "\"stageS_blockB\"); got {pair}.", pair=str(pair)[:60]))
    return tuple(name.strip() for name in pair)


def _check_blocks(names: tuple[str, str], blocks: list[str], removable: list[str]) -> None:
    """:class:`Wrong` unless both names are different removable blocks of ResNet-20."""
    for name in names:
        if name == "none":
            raise Wrong(tr("'none' is the intact network in rh.lesion_study's result; the pair "
                           "is two blocks, the two whose single deletion costs the least."))
        owner = next((b for b in blocks if name.startswith(f"{b}_")), None)
        if owner is not None:
            raise Wrong(tr("{name!r} is a layer; rh.delete_block deletes whole blocks, named "
                           "like {owner!r}.", name=name, owner=owner))
        if name not in blocks:
            raise Wrong(tr("{name!r} is not a block of ResNet-20; the removable ones are "
                           "{removable}.", name=name, removable=join(removable)))
        if name not in removable:
            raise Wrong(tr("{name} changes the shape of its input (stride 2 and more channels), "
                           "so it cannot be deleted (rh.lesion_study leaves it out); choose "
                           "among {removable}.", name=name, removable=join(removable)))
    if names[0] == names[1]:
        raise Wrong(tr("Both names are {name}; the pair is two different blocks.",
                       name=names[0]))


@exercise("04.6", "investigate",
          N_("Predict, then measure: delete the two cheapest blocks together"),
          N_("rh.lesion_study(trained, (x_test[:1000], y_test[:1000])) on "
             "rh.load_pretrained('resnet20') gives the accuracy with each block deleted alone; "
             "the two cheapest leave the highest accuracies after 'none'. Delete both inside one "
             "`with rh.restored_weights(trained):` block and measure the accuracy there, "
             "on the same 1,000 images."))
def _lesion_pair(answer):
    if not isinstance(answer, dict):
        raise Wrong(tr("Answer with the dict of the exercise cell: {{\"prediction\": …, "
                       "\"pair\": …, \"accuracy_both_deleted\": …}}; got {kind} {text}.",
                       kind=type(answer).__name__, text=str(answer)[:60]))
    missing = [k for k in _PAIR_KEYS if k not in answer]
    if missing:
        raise Wrong(tr("Your dict has no {missing}; keep the three keys of the exercise cell.",
                       missing=join(map(repr, missing))))
    if all(answer[k] is None for k in _PAIR_KEYS):
        raise NotAttempted(tr("Not attempted yet — write your prediction, then fill in what you "
                              "measured, and run the cell again."))
    prediction, pair, value = (answer[k] for k in _PAIR_KEYS)
    if not isinstance(prediction, str) or not prediction.strip():
        raise Wrong(tr("First write down your prediction, in words (e.g. \"about the sum of the "
                       "two single costs\"), before you measure: it is what you compare the "
                       "result with."))
    a, b = _pair_names(pair)
    _, _, single, blocks = _lesion()
    removable = [block for block in single if block != "none"]
    _check_blocks((a, b), blocks, removable)
    intact = single["none"]
    cost = {block: intact - single[block] for block in removable}
    points = lambda block: f"{100 * cost[block]:.1f}"  # noqa: E731
    # the pair is right when no other block's single deletion costs less, ties of an image aside
    others = [block for block in removable if block not in (a, b)]
    cheapest = sorted(removable, key=single.get, reverse=True)
    if min(single[a], single[b]) < max(single[c] for c in others) - TIE:
        if {a, b} == set(cheapest[-2:]):
            raise Wrong(tr("{a} and {b} are the two most costly blocks to delete ({cost_a} and "
                           "{cost_b} points alone); take the two whose single deletion costs the "
                           "least: the highest accuracies after 'none'.", a=a, b=b,
                           cost_a=points(a), cost_b=points(b)))
        good = [name for name in (a, b) if single[name] >= single[cheapest[1]] - TIE]
        if good:
            bad = b if good[0] == a else a
            raise Wrong(tr("{good} is one of the two, but deleting {bad} alone costs {cost} "
                           "points on the first {images:,} test images; another removable block "
                           "costs less.", good=good[0], bad=bad, cost=points(bad),
                           images=LESION_IMAGES))
        raise Wrong(tr("Deleting {a} alone costs {cost_a} points and {b} {cost_b} on the first "
                       "{images:,} test images; two other removable blocks cost less (the "
                       "highest accuracies after 'none').", a=a, b=b, cost_a=points(a),
                       cost_b=points(b), images=LESION_IMAGES))
    right = _pair_accuracy(tuple(sorted((a, b))))
    value = as_number(value)
    additive = intact - cost[a] - cost[b]
    if abs(value - right) > PAIR_TOLERANCE:
        alone = N_("that is the accuracy with {deleted} deleted alone; delete {other} too, "
                   "inside the same `with` block.")
        for wrong_value, message in (
                (intact, tr("that is the intact accuracy ('none'); delete both blocks, then "
                            "measure.")),
                (single[a], tr(alone, deleted=a, other=b)),
                (single[b], tr(alone, deleted=b, other=a)),
                (additive, tr("that is the additive guess, the intact accuracy minus the sum of "
                              "the two single drops; measure it.")),
                (intact - right, tr("that is the drop; give the accuracy with both blocks "
                                    "deleted.")),
                (100 * (intact - right), tr("that is the drop, in points; give the accuracy with "
                                            "both blocks deleted, as a fraction.")),
                (100 * right, tr("that is a percentage; give the accuracy as a fraction (0 to "
                                 "1).")),
                (cost[a] + cost[b], tr("that is the sum of the two single drops; give the "
                                       "accuracy measured with both blocks deleted."))):
            tolerance = PAIR_TOLERANCE * (100 if wrong_value > 1 else 1)
            if abs(value - wrong_value) <= tolerance and abs(wrong_value - right) > tolerance:
                raise Wrong(tr("{value:.3g} is not it: {message}", value=value, message=message))
        raise Wrong(tr("{value:.3f} is not the accuracy with {a} and {b} deleted together on the "
                       "first {images:,} test images. Delete both inside one `with "
                       "rh.restored_weights(trained):` block and measure there, on the same "
                       "images.", value=value, a=a, b=b, images=LESION_IMAGES))
    pair_cost, summed = intact - right, cost[a] + cost[b]
    if abs(pair_cost - summed) <= PAIR_TOLERANCE:
        verdict = tr("about the sum — the two deletions add up as if they were independent")
    elif pair_cost < summed:
        verdict = tr("less than the sum — once one block is gone, deleting the other costs less "
                     "than it did alone")
    else:
        verdict = tr("more than the sum — once one block is gone, deleting the other costs more "
                     "than it did alone")
    tie = ("" if {a, b} == set(cheapest[:2]) else
           tr(" ({blocks} cost the same within one image here, so either pair counts.)",
              blocks=join(sorted({a, b} ^ set(cheapest[:2])))))
    return tr("Right: with {a} and {b} deleted together the accuracy is {right:.1%} (intact "
              "{intact:.1%}). Alone they cost {cost_a} and {cost_b} points (sum {summed:.1f}), "
              "together {together:.1f}: {verdict}.{tie} Your prediction was: “{prediction}”.",
              a=a, b=b, right=right, intact=intact, cost_a=points(a), cost_b=points(b),
              summed=100 * summed, together=100 * pair_cost, verdict=verdict, tie=tie,
              prediction=prediction.strip()[:120])
