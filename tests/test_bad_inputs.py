"""Every bad input to the public helpers and the notebooks' parameters gets a specific exception
whose message says what was wrong and what to do. One table, one row per kind of mistake."""
import keras
import numpy as np
import pytest

import resnet_helpers as rh
from resnet_helpers.course import lessons as course

IMAGES = np.zeros((8, 32, 32, 3), np.uint8)
LABELS = np.arange(8) % 10


def _model():
    return rh.build_resnet(8)


CASES = [
    # (kind of mistake, call, exception, words the message must contain)
    ("zero epochs (notebook)", lambda: course.settings("03_train_cifar10", EPOCHS=0),
     ValueError, ["EPOCHS", "positive whole number"]),
    ("negative epochs (helper)", lambda: rh.compile_for_training(_model(), epochs=-1,
                                                                  steps_per_epoch=1),
     ValueError, ["epochs", "positive"]),
    ("batch larger than the data", lambda: rh.make_datasets((IMAGES, LABELS), (IMAGES, LABELS),
                                                            batch_size=64),
     ValueError, ["larger than the 8 training images", "smaller batch"]),
    ("unknown model name", lambda: course.settings("03_train_cifar10", MODEL="vgg16"),
     ValueError, ["MODEL must be one of", "resnet"]),
    ("unknown model name (helper)", lambda: rh.build_model("vgg16"),
     ValueError, ["Unknown model", "'resnet', 'plain', 'resnet9' or 'simple'"]),
    ("depth not 6n+2", lambda: rh.build_resnet(21), ValueError, ["6n+2", "20, 32, 44, 56, 110"]),
    ("depth not 6n+2 (notebook)", lambda: course.settings("03_train_cifar10", DEPTH=18),
     ValueError, ["6n+2"]),
    ("options for the fixed snippet", lambda: rh.build_model("simple", depth=56),
     ValueError, ["fixed layout"]),
    ("wrong input rank", lambda: rh.make_datasets((IMAGES[0], LABELS), (IMAGES, LABELS)),
     ValueError, ["(N, height, width, channels)", "batch axis"]),
    ("wrong channel count", lambda: rh.build_resnet(20, input_shape=(32, 32, 4)),
     ValueError, ["1 or 3 channels", "(32, 32, 3)"]),
    ("images scaled to [0, 1]", lambda: rh.make_datasets((IMAGES / 255.0, LABELS),
                                                         (IMAGES, LABELS), batch_size=2),
     ValueError, ["[0, 1]", "raw 0–255"]),
    ("labels outside the classes", lambda: rh.make_datasets((IMAGES, LABELS + 5),
                                                            (IMAGES, LABELS), batch_size=2,
                                                            num_classes=10),
     ValueError, ["0..9"]),
    ("validation labels the training labels lack", lambda: rh.make_datasets(
        (IMAGES, LABELS), (IMAGES, LABELS + 5), batch_size=2), ValueError, ["Labels must"]),
    ("one label per image", lambda: rh.train_val_split(IMAGES, LABELS[:5]),
     ValueError, ["one label per image"]),
    ("unknown layer for feature maps", lambda: rh.feature_maps(_model(), IMAGES, ["stage4"]),
     ValueError, ["no layer named 'stage4'", "stage3_block1_out"]),
    ("unknown layer for Grad-CAM", lambda: rh.grad_cam(_model(), IMAGES[0], "conv5"),
     ValueError, ["no layer named 'conv5'", "stem_conv"]),
    ("Grad-CAM on a non-spatial layer", lambda: rh.grad_cam(_model(), IMAGES[0], "pool"),
     ValueError, ["convolutional layer"]),
    ("data source that does not exist", lambda: rh.load_cifar10("/no/such/cifar"),
     FileNotFoundError, ["does not exist", "cifar-10-python.tar.gz"]),
    ("data source parameter that does not exist",
     lambda: course.settings("03_train_cifar10", DATA_SOURCE="/no/such/cifar"),
     ValueError, ["DATA_SOURCE", "does not exist"]),
    ("model file that does not exist", lambda: rh.load_model("/no/model.keras"),
     FileNotFoundError, ["No model file", "lesson 03"]),
    ("unknown notebook parameter", lambda: course.settings("04_feature_maps", EPOCHS=3),
     ValueError, ["Unknown parameter", "NUM_IMAGES"]),
    ("learning rate of zero", lambda: course.settings("03_train_cifar10", LEARNING_RATE=0.0),
     ValueError, ["LEARNING_RATE", "between 0 and 10"]),
    ("validation set as large as the data", lambda: rh.train_val_split(IMAGES, LABELS,
                                                                      val_size=8),
     ValueError, ["val_size", "between 1 and 7"]),
    ("bad shortcut kind", lambda: rh.build_resnet(20, shortcut="identity"),
     ValueError, ["shortcut", "projection"]),
    ("too few classes", lambda: rh.build_resnet(20, num_classes=1), ValueError, ["num_classes"]),
    ("negative subset", lambda: rh.make_datasets((IMAGES, LABELS), (IMAGES, LABELS),
                                                 batch_size=2, limit=-5),
     ValueError, ["limit", "positive integer"]),
    ("label smoothing of 1", lambda: rh.SmoothedSparseCrossentropy(1.0),
     ValueError, ["label_smoothing", "[0, 1)"]),
]


@pytest.mark.parametrize("kind,call,error,words", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_answered(kind, call, error, words):
    with pytest.raises(error) as info:
        call()
    assert type(info.value) is error, f"{kind}: expected exactly {error.__name__}"
    for word in words:
        assert word in str(info.value), f"{kind}: message lacks {word!r}: {info.value}"


def test_the_table_covers_at_least_twenty_kinds():
    assert len({c[0] for c in CASES}) >= 20


def test_empty_folder_as_data_source(tmp_path):
    with pytest.raises(ValueError, match="not a CIFAR-10 folder.*train/<class>"):
        rh.load_cifar10(tmp_path)
    keras.backend.clear_session()
