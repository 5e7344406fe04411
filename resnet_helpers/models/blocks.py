"""Residual, plain and bottleneck blocks for the Keras functional API.

Every block takes a 4-D tensor ``x`` of shape ``(batch, height, width, channels)`` and
returns a tensor of shape ``(batch, height / stride, width / stride, out_channels)``.

Layer names are predictable, so later lessons can address them (feature maps, Grad-CAM).
With ``name="stage2_block1"`` a basic residual block creates::

    stage2_block1_conv1  stage2_block1_bn1  stage2_block1_relu1
    stage2_block1_conv2  stage2_block1_bn2
    stage2_block1_shortcut_conv  stage2_block1_shortcut_bn    (projection shortcut)
    stage2_block1_shortcut_pad                                 (padding shortcut)
    stage2_block1_add    stage2_block1_out

``<name>_add`` is ``F(x) + shortcut(x)``; ``<name>_out`` is the block's output (the ReLU after
the addition, or an identity in the pre-activation ordering, where no ReLU follows the add).
"""

from __future__ import annotations

import math
import numbers

import keras
from keras import layers

__all__ = ["SHORTCUTS", "ChannelPadShortcut", "conv_bn", "residual_block", "plain_block",
           "bottleneck_block"]

SHORTCUTS = ("projection", "padding")


@keras.saving.register_keras_serializable(package="resnet_helpers")
class ChannelPadShortcut(layers.Layer):
    """Parameter-free shortcut of He et al. (2015), option A.

    Subsamples with a stride (keeps every ``stride``-th pixel) and appends zero channels.

    Input ``(batch, h, w, c_in)`` → output ``(batch, h / stride, w / stride, out_channels)``.
    """

    def __init__(self, out_channels: int, stride: int = 1, **kwargs):
        super().__init__(**kwargs)
        self.out_channels = int(out_channels)
        self.stride = int(stride)

    def call(self, x):
        x = x[:, :: self.stride, :: self.stride, :]
        extra = self.out_channels - x.shape[-1]
        if extra > 0:
            before = extra // 2
            x = keras.ops.pad(x, [[0, 0], [0, 0], [0, 0], [before, extra - before]])
        return x

    def compute_output_shape(self, input_shape):
        b, h, w, _ = input_shape
        h = None if h is None else -(-h // self.stride)
        w = None if w is None else -(-w // self.stride)
        return (b, h, w, self.out_channels)

    def get_config(self):
        return {**super().get_config(), "out_channels": self.out_channels, "stride": self.stride}


def _check_block_args(x, filters: int, stride: int, shortcut: str = "projection") -> None:
    if len(x.shape) != 4:
        raise ValueError(
            f"A block needs a 4-D tensor (batch, height, width, channels); got shape {x.shape}. "
            "Add a batch axis or start from keras.Input(shape=(32, 32, 3))."
        )
    if not isinstance(filters, int) or filters < 1:
        raise ValueError(f"filters must be a positive integer, got {filters!r}.")
    if stride not in (1, 2):
        raise ValueError(f"stride must be 1 or 2, got {stride!r}.")
    if shortcut not in SHORTCUTS:
        raise ValueError(f"Unknown shortcut {shortcut!r}; choose one of {SHORTCUTS}.")
    if shortcut == "padding" and filters < x.shape[-1]:
        raise ValueError(
            f"The padding shortcut can only add channels ({x.shape[-1]} → {filters}); "
            "use shortcut='projection' to reduce them."
        )


def _check_branch_scale(branch_scale: float) -> None:
    if (isinstance(branch_scale, bool) or not isinstance(branch_scale, numbers.Real)
            or not 0 <= branch_scale < math.inf):
        raise ValueError(f"branch_scale must be a number >= 0 (1.0: He et al.'s initialisation, "
                         f"0: every residual branch starts at zero); got {branch_scale!r}.")


def _scaled_he_normal(scale: float) -> keras.initializers.Initializer:
    """He-normal initialiser whose samples are multiplied by ``scale`` (0: all zeros)."""
    if scale == 0:
        return keras.initializers.Zeros()
    return keras.initializers.VarianceScaling(scale=2.0 * scale**2, mode="fan_in",
                                              distribution="truncated_normal")


def conv_bn(x, filters: int, kernel_size: int, stride: int, *, name: str, index: int | str = "",
            use_bias: bool, relu: bool = True, gamma: float = 1.0,
            bn_momentum: float = 0.99):
    """Conv2D → BatchNorm (→ ReLU) on ``(batch, h, w, c)``; returns ``(batch, h/stride, w/stride, filters)``.

    Layers are named ``<name>_conv<index>``, ``<name>_bn<index>``, ``<name>_relu<index>``:
    ``name="stage1_block1", index=1`` gives ``stage1_block1_conv1`` and so on. ``gamma`` is the
    BatchNorm scale's initial value.
    """
    x = layers.Conv2D(filters, kernel_size, strides=stride, padding="same", use_bias=use_bias,
                      kernel_initializer="he_normal", name=f"{name}_conv{index}")(x)
    x = layers.BatchNormalization(momentum=bn_momentum, name=f"{name}_bn{index}",
                                  gamma_initializer=keras.initializers.Constant(gamma))(x)
    if relu:
        x = layers.ReLU(name=f"{name}_relu{index}")(x)
    return x


def _shortcut(x, filters: int, stride: int, shortcut: str, name: str, *, use_bias: bool,
              batch_norm: bool = True, bn_momentum: float = 0.99):
    """Identity when shapes agree, else a 1×1 projection (+ BN) or the padding shortcut."""
    if stride == 1 and x.shape[-1] == filters:
        return x
    if shortcut == "padding":
        return ChannelPadShortcut(filters, stride, name=f"{name}_shortcut_pad")(x)
    s = layers.Conv2D(filters, 1, strides=stride, use_bias=use_bias,
                      kernel_initializer="he_normal", name=f"{name}_shortcut_conv")(x)
    if batch_norm:
        s = layers.BatchNormalization(momentum=bn_momentum, name=f"{name}_shortcut_bn")(s)
    return s


def residual_block(x, filters: int, kernel_size: int = 3, stride: int = 1, *,
                   shortcut: str = "projection", preact: bool = False, branch_scale: float = 1.0,
                   use_bias: bool = True, bn_momentum: float = 0.99, name: str = "block"):
    """The basic two-convolution residual block of He et al. (2015).

    Post-activation (default, the course's origin snippet)::

        out = ReLU( BN(conv2( ReLU(BN(conv1(x))) )) + shortcut(x) )

    Pre-activation (``preact=True``, He et al. 2016, "v2")::

        out = conv2( ReLU(BN( conv1( ReLU(BN(x)) ) )) ) + shortcut(x)

    Args:
        x: input tensor ``(batch, h, w, c_in)``.
        filters: output channels ``c_out``.
        kernel_size: size of both convolutions.
        stride: 1, or 2 to halve height and width (in the first convolution).
        shortcut: used only when the shape changes (``stride != 1`` or ``c_in != c_out``):
            ``"projection"`` – 1×1 convolution + BN (option B; has parameters);
            ``"padding"`` – strided identity with zero-padded channels (option A; none).
        preact: use the pre-activation ordering.
        branch_scale: size of the residual branch at initialisation, relative to He et al.'s
            (1.0): the last BN's gamma starts at this value (post-activation), or the last
            convolution's initial kernel is scaled by it (pre-activation). 0 starts the branch
            at zero (Goyal et al. 2017): the block is then exactly ``ReLU(x)``
            (post-activation) or ``x`` (pre-activation) when the shortcut is the identity.
        use_bias: give convolutions a bias (the origin snippet does; the paper's models do not,
            since BN follows).
        bn_momentum: BatchNormalization moving-average momentum.
        name: prefix of every layer name.

    Returns:
        Tensor ``(batch, h / stride, w / stride, filters)``.
    """
    _check_block_args(x, filters, stride, shortcut)
    _check_branch_scale(branch_scale)
    if preact:
        pre = layers.BatchNormalization(momentum=bn_momentum, name=f"{name}_bn1")(x)
        pre = layers.ReLU(name=f"{name}_relu1")(pre)
        short = _shortcut(pre if (stride != 1 or x.shape[-1] != filters) else x, filters, stride,
                          shortcut, name, use_bias=use_bias, batch_norm=False)
        y = layers.Conv2D(filters, kernel_size, strides=stride, padding="same", use_bias=use_bias,
                          kernel_initializer="he_normal", name=f"{name}_conv1")(pre)
        y = layers.BatchNormalization(momentum=bn_momentum, name=f"{name}_bn2")(y)
        y = layers.ReLU(name=f"{name}_relu2")(y)
        y = layers.Conv2D(filters, kernel_size, padding="same", use_bias=use_bias,
                          kernel_initializer=_scaled_he_normal(branch_scale),
                          name=f"{name}_conv2")(y)
        y = layers.Add(name=f"{name}_add")([y, short])
        return layers.Identity(name=f"{name}_out")(y)

    y = conv_bn(x, filters, kernel_size, stride, name=name, index=1, use_bias=use_bias,
                bn_momentum=bn_momentum)
    y = conv_bn(y, filters, kernel_size, 1, name=name, index=2, use_bias=use_bias, relu=False,
                gamma=branch_scale, bn_momentum=bn_momentum)
    short = _shortcut(x, filters, stride, shortcut, name, use_bias=use_bias,
                      bn_momentum=bn_momentum)
    y = layers.Add(name=f"{name}_add")([y, short])
    return layers.ReLU(name=f"{name}_out")(y)


def plain_block(x, filters: int, kernel_size: int = 3, stride: int = 1, *,
                use_bias: bool = True, bn_momentum: float = 0.99, name: str = "block"):
    """The basic block without its shortcut: ``ReLU(BN(conv2(ReLU(BN(conv1(x))))))``.

    Same layer names as :func:`residual_block` (no ``_add``/``_shortcut_*``), so plain and
    residual networks can be compared layer by layer.

    Args:
        x: input tensor ``(batch, h, w, c_in)``.
        filters: output channels.
        kernel_size: size of both convolutions.
        stride: 1, or 2 to halve height and width.
        use_bias: give convolutions a bias.
        bn_momentum: BatchNormalization momentum.
        name: prefix of every layer name.

    Returns:
        Tensor ``(batch, h / stride, w / stride, filters)``.
    """
    _check_block_args(x, filters, stride)
    y = conv_bn(x, filters, kernel_size, stride, name=name, index=1, use_bias=use_bias,
                bn_momentum=bn_momentum)
    y = conv_bn(y, filters, kernel_size, 1, name=name, index=2, use_bias=use_bias, relu=False,
                bn_momentum=bn_momentum)
    return layers.ReLU(name=f"{name}_out")(y)


def bottleneck_block(x, filters: int, stride: int = 1, *, expansion: int = 4,
                     shortcut: str = "projection", branch_scale: float = 1.0,
                     use_bias: bool = False, bn_momentum: float = 0.99, name: str = "block"):
    """The bottleneck block (1×1 reduce → 3×3 → 1×1 expand), as in ResNet-50 and deeper.

    Args:
        x: input tensor ``(batch, h, w, c_in)``.
        filters: width of the 1×1 and 3×3 convolutions; the block outputs
            ``filters * expansion`` channels.
        stride: 1 or 2, applied in the 3×3 convolution.
        expansion: output channels per inner channel (4 in the paper).
        shortcut: ``"projection"`` or ``"padding"``, used only when the shape changes.
        branch_scale: the last BN's gamma starts at this value (0: the branch starts at zero).
        use_bias: give convolutions a bias.
        bn_momentum: BatchNormalization momentum.
        name: prefix of every layer name (``<name>_conv1..3``, ``_bn1..3``, ``_add``, ``_out``).

    Returns:
        Tensor ``(batch, h / stride, w / stride, filters * expansion)``.
    """
    _check_block_args(x, filters, stride, shortcut)
    _check_branch_scale(branch_scale)
    out_channels = filters * expansion
    y = conv_bn(x, filters, 1, 1, name=name, index=1, use_bias=use_bias, bn_momentum=bn_momentum)
    y = conv_bn(y, filters, 3, stride, name=name, index=2, use_bias=use_bias, bn_momentum=bn_momentum)
    y = conv_bn(y, out_channels, 1, 1, name=name, index=3, use_bias=use_bias, relu=False,
                gamma=branch_scale, bn_momentum=bn_momentum)
    short = _shortcut(x, out_channels, stride, shortcut, name, use_bias=use_bias,
                      bn_momentum=bn_momentum)
    y = layers.Add(name=f"{name}_add")([y, short])
    return layers.ReLU(name=f"{name}_out")(y)
