"""Lesson 01 — the residual block: parameter counts, a block by hand, pre-activation, zero-init."""

from __future__ import annotations

import keras
import tensorflow as tf

from resnet_helpers.models.blocks import residual_block
from resnet_helpers.messages import N_, tr
from . import probe
from .answers import predict_number
from .core import Wrong, exercise


def _block(input_shape, filters, **kwargs) -> keras.Model:
    x = keras.Input(shape=input_shape)
    return keras.Model(x, residual_block(x, filters, name="b", **kwargs))


def _params(model, part: str = "") -> int:
    return sum(l.count_params() for l in model.layers if part in l.name)


@exercise("01.1", "predict", N_("Parameters of a projection shortcut, 64 → 128 channels"),
          N_("The projection is a 1×1 convolution without bias (k·k·c_in·c_out weights) followed "
             "by a BatchNormalization: 2 learned numbers per channel (γ, β) and 2 running "
             "statistics (mean, variance), and Keras counts all four as parameters."))
def _projection_params(answer):
    model = _block((8, 8, 64), 128, stride=2, shortcut="projection", use_bias=False)
    right = _params(model, "shortcut")
    weights, bn = 64 * 128, 4 * 128
    return predict_number(answer, right, {
        weights: N_("that is the 1×1 convolution alone; the BatchNormalization after it has "
                    "parameters too (γ, β, moving mean, moving variance per channel)."),
        weights + 128 + bn: N_("you counted a bias for the convolution; the paper's convolutions "
                               "have none, because the BatchNorm right after them has its own "
                               "offset β."),
        weights + 2 * 128: N_("BatchNorm has 2 learned numbers per channel (γ, β) and 2 running "
                              "statistics (mean, variance); Keras counts all four."),
        9 * weights + bn: N_("you used a 3×3 kernel; the projection is a 1×1 convolution."),
        64 * 64 + 4 * 64: N_("the projection outputs the block's 128 channels, not 64."),
    })


@exercise("01.2", "predict", N_("Parameters of a basic block 16 → 32, stride 2, padding shortcut"),
          N_("Two 3×3 convolutions (the second one reads the first one's 32 channels), two "
             "BatchNorms of 32 channels, and a shortcut that costs nothing."))
def _block_params(answer):
    right = _block((32, 32, 16), 32, stride=2, shortcut="padding", use_bias=False).count_params()
    conv1, conv2, bns = 9 * 16 * 32, 9 * 32 * 32, 2 * 4 * 32
    return predict_number(answer, right, {
        conv1 + conv2: N_("those are the convolutions alone; add the two BatchNorms (2 learned "
                          "+ 2 running statistics per channel each)."),
        conv1 + conv2 + bns + 2 * 32: N_("you counted convolution biases; use_bias=False here, "
                                         "as in the paper (BatchNorm follows every "
                                         "convolution)."),
        conv1 + conv2 + 2 * 2 * 32: N_("besides γ and β, BatchNorm keeps 2 running statistics "
                                       "per channel (mean, variance), and Keras counts them "
                                       "too."),
        conv1 + conv2 + bns + 16 * 32 + 4 * 32: N_("you added a projection shortcut; the padding "
                                                   "shortcut (option A) has no parameters."),
        2 * conv1 + bns: N_("the second convolution reads 32 channels, not 16: 3·3·32·32."),
    })


def _check_padding_block(fn, c_in: int, filters: int, stride: int, gen) -> None:
    try:
        model = probe.block_model(fn, (8, 8, c_in), filters, stride)
    except Wrong as err:
        if "incompatible shapes" not in err.message:
            raise
        raise Wrong(err.message, N_("F(x) and the shortcut must have the same shape before the "
                                    "Add: when the block has a stride or more channels, subsample "
                                    "the shortcut with the same stride and append zero "
                                    "channels.")) from err
    want = (8 // stride, 8 // stride, filters)
    got = tuple(model.output_shape[1:])
    if got != want:
        where = (tr("it keeps the 8×8 size: stride=2 belongs in the first convolution and in "
                    "the shortcut's subsampling") if got[:2] == (8, 8) and stride == 2 else
                 tr("check the strides and the number of filters"))
        raise Wrong(tr("With {c_in} → {filters} channels and stride {stride}, an 8×8 input should "
                       "give {want}; your block gives {got}: {where}.", c_in=c_in, filters=filters,
                       stride=stride, want=want, got=got, where=where))
    convs = probe.of_type(model, keras.layers.Conv2D)
    bns = probe.of_type(model, keras.layers.BatchNormalization)
    if len(convs) == 3 and (stride != 1 or c_in != filters):
        raise Wrong(tr("Your block has three convolutions: that is the projection shortcut "
                       "(option B). This exercise asks for the padding shortcut (option A): "
                       "subsample x[:, ::stride, ::stride, :] and append zero channels."),
                    N_("rh.ChannelPadShortcut(filters, stride) does it, or keras.ops.pad in a "
                       "keras.layers.Lambda."))
    if len(convs) != 2 or len(bns) != 2:
        raise Wrong(tr("A basic block has two 3×3 convolutions and two BatchNormalizations; "
                       "yours has {convs} Conv2D and {bns} BatchNormalization layers.",
                       convs=len(convs), bns=len(bns)))
    reference = _block((8, 8, c_in), filters, stride=stride, shortcut="padding",
                       use_bias=convs[0].use_bias)
    if model.count_params() != reference.count_params():
        raise Wrong(tr("Your block has {got:,} parameters; rh.residual_block with the same "
                       "settings has {want:,}. Check kernel sizes (3×3) and that the second "
                       "convolution has `filters` inputs and outputs.",
                       got=model.count_params(), want=reference.count_params()))
    conv1, conv2 = sorted(convs, key=lambda c: c.kernel.shape[2] != c_in)
    bn1, bn2 = bns
    probe.randomise(model, gen)
    x = gen.normal(size=(2, 8, 8, c_in)).astype("float32")
    out = probe.run(model, x)

    def branch(s1, s2):
        h = probe.relu(probe.bn(probe.conv_stride(x, conv1, s1), bn1))
        return probe.bn(probe.conv_stride(h, conv2, s2), bn2)

    f = branch(stride, 1)
    right = {w: probe.relu(f + probe.pad_channels(x, filters, stride, w))
             for w in ("split", "end", "start")}
    if probe.closest(out, right):
        return
    s = probe.pad_channels(x, filters, stride, "split")
    s_end = probe.pad_channels(x, filters, stride, "end")
    wrong = {
        "after": [probe.relu(f) + s, probe.relu(f) + s_end],
        "twice": [probe.relu(probe.relu(f) + s), probe.relu(probe.relu(f) + s_end)],
        "none": [f + s, f + s_end],
        "plain": [probe.relu(f)],
    }
    if stride == 2:
        g = branch(1, 2)
        wrong["stride2"] = [probe.relu(g + s), probe.relu(g + s_end)]
    messages = {
        "after": N_("the shortcut is added after the ReLU: your block computes ReLU(F(x)) + x. "
                    "The ReLU belongs after the addition: ReLU(F(x) + shortcut(x))."),
        "twice": N_("there is a ReLU on the branch before the addition (ReLU(ReLU(F(x)) + x)); "
                    "F(x) ends with the second BatchNorm, no ReLU, so it can be negative."),
        "none": N_("the final ReLU after the addition is missing: out = ReLU(F(x) + "
                   "shortcut(x))."),
        "plain": N_("your block ignores the shortcut: that is the plain block, ReLU(F(x))."),
        "stride2": N_("the stride is on the second convolution; the paper (and "
                      "rh.residual_block) downsample in the first one, so the second works on "
                      "the small map."),
        "other": N_("the shapes and parameter count are right, but the values are not "
                    "ReLU(BN(conv2(ReLU(BN(conv1(x))))) + shortcut(x)). Check the order conv → "
                    "BN → ReLU and the shortcut (subsample, then zero channels)."),
    }
    found = next((name for name, values in wrong.items()
                  if any(probe.closest(out, {name: v}) for v in values)), "other")
    raise Wrong(tr("Stride {stride}, {c_in} → {filters} channels: {problem}", stride=stride,
                   c_in=c_in, filters=filters, problem=tr(messages[found])))


@exercise("01.3", "code", N_("A residual block by hand with the padding shortcut"),
          N_("conv1 (3×3, stride) → BN → ReLU → conv2 (3×3) → BN gives F(x); the shortcut keeps "
             "every stride-th pixel and appends zero channels; out = ReLU(F(x) + shortcut)."))
def _padding_block(answer):
    gen = probe.rng()
    c_in = int(gen.integers(2, 5))
    _check_padding_block(answer, c_in, int(c_in * 2 + gen.integers(0, 2) * 2), 2, gen)
    _check_padding_block(answer, c_in, c_in, 1, gen)
    return tr("Your block matches rh.residual_block(shortcut='padding') on fresh random weights "
              "and inputs, with and without downsampling.")


@exercise("01.4", "code", N_("A pre-activation block (He et al. 2016)"),
          N_("Pre-activation: BN → ReLU → conv → BN → ReLU → conv, then add x; nothing after the "
             "addition."))
def _preact_block(answer):
    gen = probe.rng()
    c = int(gen.integers(2, 6))
    model = probe.block_model(answer, (8, 8, c), c)
    if tuple(model.output_shape[1:]) != (8, 8, c):
        raise Wrong(tr("With {c} channels and an 8×8 input the block must keep the shape "
                       "(8, 8, {c}); yours gives {got}.", c=c, got=tuple(model.output_shape[1:])))
    convs = probe.of_type(model, keras.layers.Conv2D)
    bns = probe.of_type(model, keras.layers.BatchNormalization)
    if len(convs) != 2 or len(bns) != 2:
        raise Wrong(tr("The pre-activation block has two convolutions and two BatchNorms; yours "
                       "has {convs} Conv2D and {bns} BatchNormalization layers.",
                       convs=len(convs), bns=len(bns)))
    reference = _block((8, 8, c), c, preact=True, use_bias=convs[0].use_bias)
    if model.count_params() != reference.count_params():
        raise Wrong(tr("Your block has {got:,} parameters, rh.residual_block(preact=True) "
                       "{want:,}: both convolutions are 3×3.", got=model.count_params(),
                       want=reference.count_params()))
    probe.randomise(model, gen)
    x = gen.normal(size=(2, 8, 8, c)).astype("float32")
    out = probe.run(model, x)
    (c1, c2), (b1, b2) = convs, bns
    pre = probe.relu(probe.bn(x, b1))
    f = probe.conv(probe.relu(probe.bn(probe.conv(pre, c1), b2)), c2)
    if probe.closest(out, {"right": f + x}):
        return tr("Your block matches rh.residual_block(preact=True) on fresh random weights.")
    post = probe.relu(probe.bn(probe.conv(probe.relu(probe.bn(probe.conv(x, c1), b1)), c2), b2) + x)
    wrong = {
        N_("a ReLU follows the addition. In the pre-activation block nothing follows it: the "
           "shortcut path stays a pure identity through the whole network."): probe.relu(f + x),
        N_("this is the post-activation (original) order conv → BN → ReLU. Move each BN and ReLU "
           "before its convolution."): post,
        N_("you added the normalised input ReLU(BN(x)); with an identity shortcut add the raw "
           "x."): f + pre,
    }
    name = probe.closest(out, wrong)
    raise Wrong(tr("Your block: {problem}", problem=tr(name)) if name else
                tr("The shapes are right but the values are not "
                   "conv2(ReLU(BN(conv1(ReLU(BN(x)))))) + x. Check the order of BN, ReLU and "
                   "convolution on the branch."))


@exercise("01.5", "investigate",
          N_("Which layers learn in the first step of a zero-initialised block?"),
          N_("Differentiate any loss of the block's output with tf.GradientTape with respect to "
             "model.trainable_weights, and list the layers whose gradient is not all zeros."))
def _zero_init_gradients(answer):
    if isinstance(answer, str) or not all(isinstance(a, str) for a in answer):
        raise Wrong(tr("Answer with a list of layer names, e.g. ['b_conv1', 'b_bn1']."))
    model = _block((8, 8, 4), 4, branch_scale=0)
    x = tf.constant(probe.rng().normal(size=(4, 8, 8, 4)), "float32")
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(model(x, training=True) - 1.0))
    grads = tape.gradient(loss, model.trainable_weights)
    truth = {w.path.split("/")[0] for w, g in zip(model.trainable_weights, grads)
             if float(tf.reduce_max(tf.abs(g))) > 1e-7}
    given, names = set(answer), {l.name for l in model.layers if l.weights}
    unknown = given - names
    if unknown:
        raise Wrong(tr("{unknown} are not layers of this block; its layers with weights are "
                       "{names}.", unknown=sorted(unknown), names=sorted(names)))
    if given == truth:
        return tr("Right: only {layers} moves at first. γ = 0 multiplies every gradient "
                  "flowing back into the branch, so the convolutions wait until γ has grown.",
                  layers=sorted(truth))
    if given - truth:
        raise Wrong(tr("{layers} get an all-zero gradient at the first step: everything behind "
                       "b_bn2 reaches the output only through γ·x̂, and γ = 0.",
                       layers=sorted(given - truth)))
    raise Wrong(tr("You left out {layers}: its γ and β do get a gradient (dL/dβ = Σ dL/dy, "
                   "dL/dγ = Σ dL/dy·x̂), which is how the branch starts to grow.",
                   layers=sorted(truth - given)))
