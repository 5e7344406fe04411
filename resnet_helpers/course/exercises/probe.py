"""Tools the checkers share to run a learner's Keras code on fresh random inputs.

Blocks are checked by giving the learner's own layers random weights and recomputing the
right answer (and the typical wrong ones) from those weights with plain TensorFlow ops, so the
layers may be named and ordered as the learner likes.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from resnet_helpers.messages import N_, tr

from .answers import call_learner
from .core import Wrong

__all__ = ["rng", "block_model", "of_type", "randomise", "conv", "conv_stride", "bn", "relu",
           "pad_channels", "run", "closest", "no_conv_bias"]


def rng() -> np.random.Generator:
    """A new generator for each check, seeded from NumPy's global one: every check draws new
    inputs and configurations, and ``keras.utils.set_random_seed`` makes a session repeatable."""
    return np.random.default_rng(np.random.randint(2**31))


def block_model(fn, input_shape, *args) -> keras.Model:
    """``keras.Model(x, fn(x, *args))`` on ``keras.Input(input_shape)``, or :class:`Wrong`."""
    x = keras.Input(shape=input_shape)
    y = call_learner(fn, x, *args, what=tr("Your function (called on keras.Input(shape={shape}) "
                                           "with {args})", shape=tuple(input_shape), args=args))
    if not isinstance(y, keras.KerasTensor):
        raise Wrong(tr("Your function should return the block's output tensor (a KerasTensor); "
                       "it returned {kind}.", kind=type(y).__name__))
    try:
        return keras.Model(x, y)
    except Exception as err:  # e.g. an output not computed from the given input
        raise Wrong(tr("Could not build a model from your block's input to its output "
                       "({error}); return a tensor computed from x.",
                       error=f"{type(err).__name__}: {str(err).splitlines()[0][:200]}")) from err


def of_type(model: keras.Model, kind) -> list:
    """The model's layers of a type, input to output."""
    return [layer for layer in model.layers if isinstance(layer, kind)]


def randomise(model: keras.Model, gen: np.random.Generator) -> None:
    """Random convolution kernels and BatchNorm statistics, so no step is an identity."""
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            for w in layer.weights:
                name = w.path.split("/")[-1]
                size = w.shape
                value = (gen.uniform(0.5, 1.5, size) if name in ("gamma", "moving_variance")
                         else gen.normal(0, 0.2, size))
                w.assign(value.astype(w.dtype))
        elif layer.weights:
            for w in layer.weights:
                fan_in = int(np.prod(w.shape[:-1])) if len(w.shape) > 1 else 1
                w.assign(gen.normal(0, np.sqrt(2 / fan_in), w.shape).astype(w.dtype))


def conv(x, layer) -> np.ndarray:
    """Apply a Conv2D layer's kernel (and bias) with 'same' padding, using tf.nn directly."""
    y = tf.nn.conv2d(x, np.asarray(layer.kernel), layer.strides, "SAME").numpy()
    return y + np.asarray(layer.bias) if layer.use_bias else y


def conv_stride(x, layer, stride: int) -> np.ndarray:
    """The same convolution with another stride (to compute 'stride on the wrong conv')."""
    y = tf.nn.conv2d(x, np.asarray(layer.kernel), stride, "SAME").numpy()
    return y + np.asarray(layer.bias) if layer.use_bias else y


def bn(x, layer) -> np.ndarray:
    """A BatchNormalization layer in inference mode."""
    values = {w.path.split("/")[-1]: np.asarray(w) for w in layer.weights}
    out = (x - values["moving_mean"]) / np.sqrt(values["moving_variance"] + layer.epsilon)
    return out * values.get("gamma", 1.0) + values.get("beta", 0.0)


def relu(x):
    return np.maximum(x, 0)


def pad_channels(x, out_channels: int, stride: int, where: str) -> np.ndarray:
    """The padding shortcut: subsample, then zero channels before/after/split."""
    x = x[:, ::stride, ::stride, :]
    extra = out_channels - x.shape[-1]
    before = {"split": extra // 2, "end": 0, "start": extra}[where]
    return np.pad(x, [(0, 0), (0, 0), (0, 0), (before, extra - before)])


def run(model: keras.Model, x) -> np.ndarray:
    """The model's output in inference mode, or :class:`Wrong` naming the failure."""
    try:
        return np.asarray(model(x, training=False), dtype="float64")
    except Exception as err:
        raise Wrong(tr("Running your model on a batch of shape {shape} failed: {error}",
                       shape=x.shape, error=f"{type(err).__name__}: "
                                            f"{str(err).splitlines()[0][:200]}")) from err


def closest(output, candidates: dict, atol: float = 1e-3):
    """The name of the candidate output equal to ``output`` (within ``atol``), or None."""
    for name, value in candidates.items():
        if value.shape == output.shape and np.allclose(output, value, atol=atol, rtol=1e-3):
            return name
    return None


def no_conv_bias(convs, why: str) -> None:
    """:class:`Wrong` if a convolution has a bias; ``why`` (marked with ``N_``) says why not."""
    with_bias = [c.name for c in convs if c.use_bias]
    if with_bias:
        raise Wrong(tr("Your convolutions {names} have biases; {why}", names=with_bias,
                       why=tr(why)),
                    N_("Pass use_bias=False to Conv2D: the BatchNormalization right after it "
                       "subtracts the mean, so a bias would be cancelled anyway."))
