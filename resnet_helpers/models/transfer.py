"""Reusing a trained network for new images: keep its convolutions, give it a new head.

The course's networks are fully convolutional up to a global average pooling layer, so the same
weights work for images of any size: :func:`fine_tune_model` rebuilds the network for the new
input size, copies every weight by layer name, and replaces the classifier with a fresh one for
the new classes. Train the result with :func:`resnet_helpers.train` like any course model (a
smaller learning rate keeps more of what the network knew).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

import keras
import numpy as np
from keras import layers

__all__ = ["fine_tune_model"]


def fine_tune_model(model: keras.Model, num_classes: int,
                    input_shape: Sequence[int] | None = None, *, features: str = "pool",
                    freeze: bool = False, seed: int | None = None) -> keras.Model:
    """A copy of ``model`` with a new classifier for ``num_classes`` classes and, optionally, a
    new input size.

    Everything up to the layer ``features`` (the global average pooling of the course's models)
    keeps the trained weights, including the ``normalize`` layer's statistics, which the
    convolutions were trained with. After it come a new Dense layer ``logits`` (randomly
    initialised) and a ``predictions`` softmax, as in every course model.

    Args:
        model: a trained functional model, e.g. ``rh.load_pretrained("resnet20")``.
        num_classes: classes of the new task (>= 2).
        input_shape: ``(height, width, channels)`` of the new images; None keeps the model's.
            Every layer up to ``features`` must accept it (convolutions, BatchNorm and
            pooling do; the model's channels must match).
        features: the layer whose output ``(batch, features)`` feeds the new classifier.
        freeze: keep the copied layers fixed (train only the new head); their BatchNorm
            layers then also keep their statistics.
        seed: seed of the new head's initial weights.

    Returns:
        An uncompiled ``keras.Model`` named ``<model name>-finetuned``: images
        ``(batch, *input_shape)`` → probabilities ``(batch, num_classes)``.

    Raises:
        ValueError: a model without a layer graph, an unknown ``features`` layer, a bad
            ``num_classes``, or an input shape the copied layers cannot take.
    """
    from resnet_helpers.inspect.interpret import find_layer

    feature_layer = find_layer(model, features, "feature layer")
    if len(feature_layer.output.shape) != 2:
        raise ValueError(f"features={features!r} outputs shape {feature_layer.output.shape}; it "
                         "must be a (batch, features) vector, e.g. the global average pooling.")
    if isinstance(num_classes, bool) or not isinstance(num_classes, (int, np.integer)) \
            or num_classes < 2:
        raise ValueError(f"num_classes must be an integer >= 2, got {num_classes!r}.")
    source = keras.Model(model.inputs[0], feature_layer.output)
    if input_shape is not None and tuple(input_shape) != tuple(model.input_shape[1:]):
        input_shape = tuple(input_shape)
        if len(input_shape) != 3 or input_shape[-1] != model.input_shape[-1]:
            raise ValueError(f"input_shape must be (height, width, {model.input_shape[-1]}) for "
                             f"{model.name}, whose first layers take {model.input_shape[-1]} "
                             f"channels; got {input_shape}.")
        config = copy.deepcopy(source.get_config())
        for layer in config["layers"]:
            if layer["class_name"] == "InputLayer":
                layer["config"]["batch_shape"] = [None, *input_shape]
        from resnet_helpers.models import blocks  # noqa: F401  (registers the course's custom layers)
        from resnet_helpers.training import recipe  # noqa: F401
        try:
            trunk = keras.Model.from_config(config)
        except Exception as err:  # shape errors surface as several exception types
            raise ValueError(f"{model.name} cannot be rebuilt for input {input_shape} "
                             f"({type(err).__name__}: {err}).") from err
        for layer in trunk.layers:
            weights = source.get_layer(layer.name).get_weights()
            if weights:
                layer.set_weights(weights)
    else:
        trunk = keras.models.clone_model(source)
        trunk.set_weights(source.get_weights())
    for layer in trunk.layers:
        layer.trainable = not freeze
    logits = layers.Dense(int(num_classes), name="logits",
                          kernel_initializer=keras.initializers.GlorotUniform(seed=seed)
                          )(trunk.outputs[0])
    # float32 even under a mixed-precision policy, as in every course model
    predictions = layers.Softmax(name="predictions", dtype="float32")(logits)
    return keras.Model(trunk.inputs[0], predictions, name=f"{model.name}-finetuned")
