"""Lesson 02 — assembling a ResNet: shapes, multiply-adds, shortcut costs, ResNet-6n+2 by hand."""

from __future__ import annotations

import functools

import keras
import numpy as np

from resnet_helpers.models.blocks import residual_block
from resnet_helpers.inspect.interpret import stage_outputs
from resnet_helpers.models.resnets import build_resnet, build_simple_resnet, count_multiply_adds
from resnet_helpers.messages import N_, tr
from . import probe
from .answers import as_number, as_shape, call_learner, predict_number
from .core import Wrong, exercise


@exercise("02.1", "predict", N_("Output shape of stage 3 of ResNet-20 for 40×40 images"),
          N_("The stem and stage 1 keep the image's height and width; the first block of stages "
             "2 and 3 halves them (stride 2) and doubles the filters: 16, 32, 64."))
def _stage3_shape(answer):
    model = build_resnet(8, 5, (40, 40, 3))  # the same shapes at every depth 6n + 2
    right = tuple(model.get_layer(stage_outputs(model)[-1]).output.shape[1:])
    shape = as_shape(answer, 3)
    if shape == right:
        return tr("Right: {right}. Only stages 2 and 3 halve the resolution, so a 40×40 image "
                  "leaves a {height}×{width} map to the global average pooling.", right=right,
                  height=right[0], width=right[1])
    side, channels = right[0], right[-1]
    mistakes = {
        (8, 8, channels): N_("that is stage 3 for CIFAR-10's 32×32 images; these are 40×40."),
        (side, side, channels // 4): N_("the channels double at each stage: 16, 32, 64."),
        (side, side, channels // 2): N_("32 filters is stage 2's width; stage 3 doubles it once "
                                        "more."),
        (2 * side, 2 * side, channels): N_("the resolution halves twice, at the first block of "
                                           "stage 2 and again at the first block of stage 3."),
        (2 * side, 2 * side, channels // 2): N_("that is stage 2's output; stage 3 halves the "
                                                "resolution once more and doubles the "
                                                "channels."),
        (4 * side, 4 * side, channels // 4): N_("that is stage 1's output (and the stem's)."),
        (side // 2, side // 2, channels): N_("only stages 2 and 3 halve the resolution; the stem "
                                             "and stage 1 have stride 1."),
        (channels, side, side): N_("Keras keeps channels last: (height, width, channels)."),
    }
    message = mistakes.get(shape, N_("work it out stage by stage from the 40×40×16 stem "
                                     "output."))
    raise Wrong(tr("{value} is not it: {message}", value=shape, message=tr(message)))


@exercise("02.2", "predict", N_("Multiply-adds of one stage-1 block of ResNet-20"),
          N_("A 3×3 convolution costs h_out·w_out·3·3·c_in·c_out multiply-adds per image; a "
             "block has two. Count multiply-adds, not FLOPs (one multiply-add = 2 FLOPs)."))
def _block_macs(answer):
    x = keras.Input(shape=(32, 32, 16))
    right = count_multiply_adds(keras.Model(x, residual_block(x, 16, use_bias=False)))
    one = right // 2
    return predict_number(answer, right, {
        one: N_("that is one convolution; the block has two."),
        2 * right: N_("that counts FLOPs (a multiply and an add each); the question asks for "
                      "multiply-adds."),
        right // 9: N_("you left out the 3×3 kernel: each output value reads 3·3·16 inputs."),
        right // 4: N_("stage 1 runs at the full 32×32 resolution, not 16×16."),
        one // 16: N_("each of the 16 output channels needs its own 3·3·16 multiply-adds per "
                      "pixel."),
    })


@exercise("02.3", "predict", N_("Extra parameters of ResNet-20 with projection shortcuts"),
          N_("Only the two downsampling blocks (16 → 32 and 32 → 64) change shape; each gets a "
             "1×1 convolution without bias plus a BatchNorm (2 learned + 2 running statistics "
             "per channel; Keras counts all four)."))
def _projection_extra(answer):
    right = (build_resnet(8, shortcut="projection").count_params()
             - build_resnet(8, shortcut="padding").count_params())  # the same for every depth
    first, second = 16 * 32 + 4 * 32, 32 * 64 + 4 * 64
    convs = 16 * 32 + 32 * 64
    return predict_number(answer, right, {
        convs: N_("those are the two 1×1 convolutions alone; each is followed by a BatchNorm "
                  "(2 learned + 2 running statistics per channel)."),
        right + 32 + 64: N_("you counted biases; the paper's convolutions have none."),
        convs + 2 * (32 + 64): N_("besides γ and β, BatchNorm keeps 2 running statistics per "
                                  "channel, and Keras counts them too."),
        first: N_("that is the first downsampling block (16 → 32) only; stage 3 starts with one "
                  "too."),
        second: N_("that is the second downsampling block (32 → 64) only; stage 2 starts with "
                   "one too."),
        9 * convs + 4 * (32 + 64): N_("the projection is a 1×1 convolution, not 3×3."),
    })


def _last_map(model):
    maps = [l for l in model.layers if len(getattr(l.output, "shape", ())) == 4]
    return tuple(maps[-1].output.shape[1:]) if maps else None


def _check_resnet(fn, depth: int, width: int) -> None:
    model = call_learner(fn, depth, width, what=f"my_resnet({depth}, {width})")
    if not isinstance(model, keras.Model):
        raise Wrong(tr("my_resnet({depth}, {width}) should return a keras.Model; it returned "
                       "{kind}.", depth=depth, width=width, kind=type(model).__name__))
    reference = build_resnet(depth, width=width)
    n = (depth - 2) // 6
    if tuple(model.input_shape[1:]) != (32, 32, 3) or tuple(model.output_shape[1:]) != (10,):
        raise Wrong(tr("The model should map images (32, 32, 3) to 10 class probabilities; "
                       "yours maps {inputs} to {outputs}.", inputs=model.input_shape[1:],
                       outputs=model.output_shape[1:]))
    out = probe.run(model, probe.rng().uniform(0, 255, (2, 32, 32, 3)).astype("float32"))
    if not np.allclose(out.sum(axis=1), 1, atol=1e-3) or out.min() < 0:
        raise Wrong(tr("Your model outputs scores, not probabilities: end it with a softmax "
                       "(keras.layers.Softmax() after Dense(10), as the course's models do)."))
    adds = sum(isinstance(l, keras.layers.Add) for l in model.layers)
    if adds != 3 * n:
        raise Wrong(tr("ResNet-{depth} has three stages of n = (depth − 2) / 6 = {n} blocks, "
                       "{additions} residual additions; yours has {adds}.", depth=depth, n=n,
                       additions=3 * n, adds=adds))
    convs = probe.of_type(model, keras.layers.Conv2D)
    probe.no_conv_bias(convs, N_("the paper's ResNets use none (pass use_bias=False to the "
                                 "stem convolution and to rh.residual_block)."))
    last = _last_map(model)
    if last != (8, 8, 4 * width):
        raise Wrong(tr("With width {width} the last stage should output (8, 8, {channels}); "
                       "yours ends at {last}. The first block of stages 2 and 3 has stride=2 and "
                       "doubles the filters (width, 2·width, 4·width).", width=width,
                       channels=4 * width, last=last))
    got, want = model.count_params(), reference.count_params()
    if got == build_resnet(depth, width=width, shortcut="projection").count_params():
        raise Wrong(tr("Your model uses projection shortcuts; the paper's CIFAR ResNets use the "
                       "parameter-free padding shortcut: rh.residual_block(…, "
                       "shortcut='padding')."))
    if got != want:
        raise Wrong(tr("ResNet-{depth} of width {width} has {want:,} parameters, yours {got:,}. "
                       "Compare rh.stage_summary(your_model) with "
                       "rh.stage_summary(rh.build_resnet({depth}, width={width})).",
                       depth=depth, width=width, want=want, got=got))


@exercise("02.4", "code", N_("ResNet-(6n+2) from rh.residual_block"),
          N_("Stem: Conv2D(width, 3, padding='same', use_bias=False) + BN + ReLU; three stages of "
             "n blocks with width·1, ·2, ·4 filters, stride 2 in the first block of stages 2 and "
             "3; GlobalAveragePooling2D, Dense(10), softmax."))
def _my_resnet(answer):
    gen = probe.rng()
    for depth in (8, 14):
        _check_resnet(answer, depth, int(gen.integers(2, 7)))
    return tr("Your networks match rh.build_resnet in shape, residual blocks and parameters at "
              "two depths and random widths.")


@functools.lru_cache(maxsize=1)
def _reference_macs() -> tuple[int, int, int]:
    """Multiply-adds of the snippet's network, ResNet-8 and ResNet-14."""
    return tuple(count_multiply_adds(m) for m in (build_simple_resnet(), build_resnet(8),
                                                  build_resnet(14)))


@exercise("02.5", "investigate", N_("From which depth does a ResNet cost more than the snippet?"),
          N_("Compute rh.count_multiply_adds for rh.build_resnet(depth) at growing depths 6n+2 "
             "and compare with rh.build_simple_resnet(); every extra block per stage adds the "
             "same cost."))
def _crossover_depth(answer):
    depth = as_number(answer)
    if depth != int(depth) or (int(depth) - 2) % 6 or depth < 8:
        raise Wrong(tr("{answer} is not a depth 6n + 2 (8, 14, 20, …); a CIFAR ResNet has no "
                       "other.", answer=answer))
    snippet, m8, m14 = _reference_macs()
    macs = lambda d: m8 + (m14 - m8) * ((d - 8) // 6)  # noqa: E731  (linear in n)
    right = next(d for d in range(8, 10_000, 6) if macs(d) > snippet)
    depth = int(depth)
    if depth == right:
        return tr("Right: ResNet-{depth} ({macs:.0f}M multiply-adds) is the first to cost more "
                  "than the snippet's network ({snippet:.0f}M).", depth=right,
                  macs=macs(right) / 1e6, snippet=snippet / 1e6)
    if depth < right:
        raise Wrong(tr("ResNet-{depth} costs {macs:.0f}M multiply-adds per image, still less than "
                       "the snippet's {snippet:.0f}M.", depth=depth, macs=macs(depth) / 1e6,
                       snippet=snippet / 1e6))
    raise Wrong(tr("ResNet-{depth} does cost more ({macs:.0f}M vs the snippet's {snippet:.0f}M), "
                   "but so does ResNet-{shallower} ({shallower_macs:.0f}M): find the first.",
                   depth=depth, macs=macs(depth) / 1e6, snippet=snippet / 1e6,
                   shallower=depth - 6, shallower_macs=macs(depth - 6) / 1e6))
