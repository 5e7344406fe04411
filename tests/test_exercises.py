"""The exercises of lessons 01–06: right answers pass, typical wrong answers get their targeted
feedback, placeholders say "not attempted", bad input is explained, progress is kept safely,
and every exercise sits in exactly one lesson with a solution."""
import json
import re
from pathlib import Path

import keras
import nbformat
import numpy as np
import pytest
import tensorflow as tf
from keras import layers

import resnet_helpers as rh
from resnet_helpers.course.exercises import core

ROOT = Path(__file__).resolve().parents[1]

# ------------------------------------------------------------------ right answers (references)


def padding_block(x, filters, stride, *, after_relu=False, stride_on_conv2=False, projection=False):
    s1, s2 = (1, stride) if stride_on_conv2 else (stride, 1)
    f = layers.Conv2D(filters, 3, strides=s1, padding="same", use_bias=False)(x)
    f = layers.ReLU()(layers.BatchNormalization()(f))
    f = layers.Conv2D(filters, 3, strides=s2, padding="same", use_bias=False)(f)
    f = layers.BatchNormalization()(f)
    s = x
    if stride != 1 or x.shape[-1] != filters:
        s = (layers.BatchNormalization()(layers.Conv2D(filters, 1, strides=stride, use_bias=False)(x))
             if projection else rh.ChannelPadShortcut(filters, stride)(x))
    return layers.Add()([layers.ReLU()(f), s]) if after_relu else layers.ReLU()(layers.Add()([f, s]))


def preact_block(x, filters, relu_after_add=False):
    f = layers.Conv2D(filters, 3, padding="same")(layers.ReLU()(layers.BatchNormalization()(x)))
    f = layers.Conv2D(filters, 3, padding="same")(layers.ReLU()(layers.BatchNormalization()(f)))
    y = layers.Add()([f, x])
    return layers.ReLU()(y) if relu_after_add else y


def my_resnet(depth, width=16, *, bias=False, stride=2):
    inputs = keras.Input((32, 32, 3))
    x = layers.Conv2D(width, 3, padding="same", use_bias=bias)(layers.Rescaling(1 / 255)(inputs))
    x = layers.ReLU()(layers.BatchNormalization()(x))
    for stage in range(3):
        for block in range((depth - 2) // 6):
            x = rh.residual_block(x, width * 2**stage, stride=stride if stage and not block else 1,
                                  shortcut="padding", use_bias=bias, name=f"s{stage}b{block}")
    x = layers.Dense(10)(layers.GlobalAveragePooling2D()(x))
    return keras.Model(inputs, layers.Softmax()(x))


def my_augment(images, *, flip=True, per_image=True):
    n, h, w, c = images.shape
    padded = tf.pad(images, [[0, 0], [4, 4], [4, 4], [0, 0]])
    crops = (tf.stack([tf.image.random_crop(padded[i], (h, w, c)) for i in range(n)]) if per_image
             else tf.image.random_crop(padded, images.shape))
    return tf.image.random_flip_left_right(crops) if flip else crops


def most_confused(confusion, *, diagonal=False):
    off = np.array(confusion).copy()
    if not diagonal:
        np.fill_diagonal(off, 0)
    t, p = np.unravel_index(off.argmax(), off.shape)
    return rh.CLASS_NAMES[t], rh.CLASS_NAMES[p]


def compile_recipe(model, steps, epochs, *, optimizer="sgd", momentum=0.9, nesterov=True,
                   weight_decay=5e-3, exclude=True, warmup=True, decay_steps=None,
                   constant=False, loss="smoothed", compile=True):
    cosine = (epochs - 1) * steps if decay_steps is None else decay_steps(steps, epochs)
    lr = (0.2 if constant else
          keras.optimizers.schedules.CosineDecay(0.02, cosine, warmup_target=0.2,
                                                 warmup_steps=steps) if warmup else
          keras.optimizers.schedules.CosineDecay(0.2, cosine))
    opt = (keras.optimizers.Adam(1e-3) if optimizer == "adam" else
           keras.optimizers.SGD(lr, momentum=momentum, nesterov=nesterov,
                                weight_decay=weight_decay))
    if weight_decay and exclude and optimizer == "sgd":
        opt.exclude_from_weight_decay(var_names=["gamma", "beta", "bias"])
    losses = {"smoothed": keras.losses.CategoricalCrossentropy(label_smoothing=0.1),
              "plain": keras.losses.CategoricalCrossentropy(),
              "sparse": keras.losses.SparseCategoricalCrossentropy()}
    if compile:
        model.compile(optimizer=opt, loss=losses[loss], metrics=["accuracy"])
    return model


def make_train_pipeline(images, labels, batch_size, *, buffer=None, reshuffle=True,
                        shuffle=True, after_batch=False, one_hot=True, scale=1.0,
                        drop_remainder=False, augment=True, pad=2):
    h, w = images.shape[1:3]

    def pad_crop_flip(image, label):  # one image, or (after_batch) a whole batch
        image = tf.image.pad_to_bounding_box(image, pad, pad, h + 2 * pad, w + 2 * pad)
        image = tf.image.random_crop(image, tf.concat([tf.shape(image)[:-3], [h, w, 3]], 0))
        return tf.image.random_flip_left_right(image), label

    ds = tf.data.Dataset.from_tensor_slices((images, labels))
    if shuffle:
        ds = ds.shuffle(buffer or len(images), reshuffle_each_iteration=reshuffle)
    if augment and not after_batch:
        ds = ds.map(pad_crop_flip, num_parallel_calls=tf.data.AUTOTUNE)
    ds = ds.batch(batch_size, drop_remainder=drop_remainder)
    if augment and after_batch:
        ds = ds.map(pad_crop_flip)
    return ds.map(lambda x, y: (tf.cast(x, "float32") * scale,
                                tf.one_hot(y, 10) if one_hot else y)).prefetch(tf.data.AUTOTUNE)


def my_grad_cam(model, image, layer_name, *, scores="logits"):
    score_output = model.get_layer("logits").output if scores == "logits" else model.output
    probe = keras.Model(model.inputs, [model.get_layer(layer_name).output, score_output])
    with tf.GradientTape() as tape:
        maps, s = probe([image[None]], training=False)
        score = s[0, tf.argmax(s[0])]
    weights = tf.reduce_mean(tape.gradient(score, maps)[0], axis=(0, 1))
    cam = tf.nn.relu(tf.reduce_sum(maps[0] * weights, axis=-1))
    return (cam / tf.reduce_max(cam)).numpy()


def block_ratio(model, images, block, *, numerator="_bn2"):
    stage = block.split("_")[0]
    maps = rh.feature_maps(model, images, [block + numerator, f"{stage}_block1_out"])
    f = maps[block + numerator].reshape(len(images), -1)
    x = maps[f"{stage}_block1_out"].reshape(len(images), -1)
    return float((np.linalg.norm(f, axis=1) / np.linalg.norm(x, axis=1)).mean())


def my_gradient_norms(model, x, y, *, training=True, shortcuts=False):
    convs = [l for l in model.layers if isinstance(l, layers.Conv2D)
             and (shortcuts or "shortcut" not in l.name)]
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(
            y, model(x, training=training)))
    return [float(tf.norm(g)) for g in tape.gradient(loss, [c.kernel for c in convs])]


def filter_normalize(direction, weights, *, per_filter=True, zero_1d=True):
    out = []
    for d, w in zip(direction, weights):
        if w.ndim < 2:
            out.append(np.zeros_like(w) if zero_1d else d)
            continue
        axes = tuple(range(w.ndim - 1)) if per_filter else None
        out.append(d * np.sqrt((w**2).sum(axes)) / np.sqrt((d**2).sum(axes)))
    return out


def zero_init_learners():
    x_in = keras.Input((8, 8, 4))
    block = keras.Model(x_in, rh.residual_block(x_in, 4, branch_scale=0, name="b"))
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(block(tf.random.normal((4, 8, 8, 4)), training=True))
    grads = tape.gradient(loss, block.trainable_weights)
    return sorted({v.path.split("/")[0] for v, g in zip(block.trainable_weights, grads)
                   if float(tf.reduce_max(tf.abs(g))) > 0})


def first_over_last():
    rng = np.random.default_rng(1)
    _, norms = rh.gradient_norms(rh.build_plain(20), rng.uniform(0, 255, (32, 32, 32, 3)),
                                 rng.integers(0, 10, 32))
    return norms[:2].mean() / norms[-2:].mean()


#: ResNet-20 on the first 1,000 test images: intact 0.887; the two cheapest single deletions,
#: stage2_block3 (0.772) and stage1_block2 (0.749; stage2_block2 0.748), 0.713 together.
LESION_ANSWER = {"prediction": "about the sum of the two single costs",
                 "pair": ("stage2_block3", "stage1_block2"), "accuracy_both_deleted": 0.713}


def lesion(**changes):
    return {**LESION_ANSWER, **changes}


def unfreeze_for_fine_tuning(model, *, batchnorm=False, only=None, model_flag=False):
    if model_flag:
        model.trainable = True  # with TensorFlow a no-op: the model's own flag is already True
        return model
    for layer in model.layers:
        if only is None or layer.name.startswith(only):
            layer.trainable = batchnorm or not isinstance(layer, layers.BatchNormalization)
    return model


def attach_new_classifier(base, num_classes, *, freeze=True, softmax=True, classes=None,
                          hidden=False):
    base.trainable = not freeze
    inputs = keras.Input(base.input_shape[1:])
    x = base(inputs, training=False)
    if hidden:
        x = layers.Dense(8, activation="relu")(x)
    outputs = layers.Dense(classes or num_classes, activation="softmax" if softmax else None)(x)
    return keras.Model(inputs, outputs)


RIGHT = {
    "01.1": lambda: 64 * 128 + 4 * 128, "01.2": lambda: 9 * 16 * 32 + 9 * 32 * 32 + 8 * 32,
    "01.3": lambda: padding_block, "01.4": lambda: preact_block, "01.5": zero_init_learners,
    "02.1": lambda: (10, 10, 64), "02.2": lambda: 2 * 32 * 32 * 9 * 16 * 16,
    "02.3": lambda: 16 * 32 + 4 * 32 + 32 * 64 + 4 * 64, "02.4": lambda: my_resnet,
    "02.5": lambda: 128,
    "03.1": lambda: float(np.log(10)), "03.2": lambda: 0.2 * 0.5 * (1 + np.cos(np.pi * 704 / 1760)),
    "03.3": lambda: my_augment, "03.4": lambda: 0.91, "03.5": lambda: most_confused,
    "03.6": lambda: compile_recipe, "03.7": lambda: make_train_pipeline,
    "04.1": lambda: (6, 8, 8, 64), "04.2": lambda: 3 * 3 * 3 * 16, "04.3": lambda: my_grad_cam,
    "04.4": lambda: block_ratio, "04.5": lambda: "stage2_block2", "04.6": lambda: LESION_ANSWER,
    "05.1": lambda: 2, "05.2": lambda: 1.1 ** 54, "05.3": lambda: my_gradient_norms,
    "05.4": lambda: filter_normalize, "05.5": first_over_last,
    "06.1": lambda: 64 * 12 + 12, "06.2": lambda: unfreeze_for_fine_tuning,
    "06.3": lambda: attach_new_classifier,
}

# -------------------------------------------- typical wrong answers and the feedback they get
WRONG = [
    ("01.1", 64 * 128, "BatchNormalization after it has parameters too"),
    ("01.1", 64 * 128 + 128 + 4 * 128, "you counted a bias"),
    ("01.2", 14_080 + 64, "you counted convolution biases"),
    ("01.2", 14_080 + 640, "you added a projection shortcut"),
    ("01.3", lambda x, f, s: padding_block(x, f, s, after_relu=True), "added after the ReLU"),
    ("01.3", lambda x, f, s: padding_block(x, f, s, stride_on_conv2=True),
     "the stride is on the second convolution"),
    ("01.3", lambda x, f, s: padding_block(x, f, s, projection=True), "projection shortcut (option B)"),
    ("01.4", lambda x, f: rh.residual_block(x, f), "post-activation (original) order"),
    ("01.4", lambda x, f: preact_block(x, f, relu_after_add=True), "a ReLU follows the addition"),
    ("01.5", ["b_conv1", "b_bn1", "b_conv2", "b_bn2"], "get an all-zero gradient"),
    ("01.5", [], "You left out ['b_bn2']"),
    ("02.1", (8, 8, 64), "for CIFAR-10's 32×32 images"),
    ("02.1", (10, 10, 16), "the channels double at each stage"),
    ("02.1", (10, 10, 32), "stage 2's width"), ("02.1", (20, 20, 64), "the resolution halves twice"),
    ("02.1", (5, 5, 64), "the stem and stage 1 have stride 1"),
    ("02.2", 2 * 2 * 32 * 32 * 9 * 16 * 16, "that counts FLOPs"),
    ("02.3", 16 * 32 + 32 * 64, "each is followed by a BatchNorm"),
    ("02.4", lambda d, w=16: rh.build_resnet(d, width=w, shortcut="projection"),
     "uses projection shortcuts"),
    ("02.4", lambda d, w=16: my_resnet(d, w, bias=True), "have biases"),
    ("02.4", lambda d, w=16: my_resnet(d, w, stride=1), "has stride=2"),
    ("02.5", 110, "still less than the snippet's"),
    ("02.5", 100, "is not a depth 6n + 2"),
    ("03.1", 1, "natural logarithm"), ("03.1", 10, "that is the number of classes"),
    ("03.1", 0.91 * np.log(10), "the targets add up to 1"),
    ("03.2", 0.2 * (1 - 704 / 1760), "that is a linear decay"),
    ("03.2", 0.1, "the first epoch is the warm-up"), ("03.2", 0.2, "that is the peak"),
    ("03.2", 0.02, "where the warm-up starts"),
    ("03.2", 0.1 * (1 + np.cos(72)), "72 is the angle in degrees"),
    ("03.3", lambda im: my_augment(im, flip=False), "No image was mirrored"),
    ("03.3", lambda im: my_augment(im, per_image=False), "draw an offset per image"),
    ("03.3", lambda im: im, "nothing was padded"),
    ("03.4", 0.9, "the true one too"),
    ("03.5", lambda c: most_confused(c, diagonal=True), "leave out the diagonal"),
    ("03.5", lambda c: most_confused(c)[::-1], "You swapped them"),
    ("03.6", lambda m, s, e: compile_recipe(m, s, e, optimizer="adam"), "Your optimizer is Adam"),
    ("03.6", lambda m, s, e: compile_recipe(m, s, e, momentum=0.0), "has no momentum"),
    ("03.6", lambda m, s, e: compile_recipe(m, s, e, nesterov=False), "uses plain momentum"),
    ("03.6", lambda m, s, e: compile_recipe(m, s, e, constant=True), "learning rate is constant"),
    ("03.6", lambda m, s, e: compile_recipe(m, s, e, warmup=False), "there is no warm-up"),
    ("03.6", lambda m, s, e: compile_recipe(m, s, e, decay_steps=lambda s, e: e * s),
     "not epochs × steps_per_epoch"),
    ("03.6", lambda m, s, e: compile_recipe(m, s, e, decay_steps=lambda s, e: s),
     "reaches 0 one epoch after the warm-up"),
    ("03.6", lambda m, s, e: compile_recipe(m, s, e, loss="sparse"), "has no label smoothing"),
    ("03.6", lambda m, s, e: compile_recipe(m, s, e, loss="plain"), "without label smoothing"),
    ("03.6", lambda m, s, e: compile_recipe(m, s, e, weight_decay=None), "has no weight decay"),
    ("03.6", lambda m, s, e: compile_recipe(m, s, e, exclude=False), "shrank BatchNorm's γ and β"),
    ("03.6", lambda m, s, e: compile_recipe(m, s, e, compile=False), "is not compiled"),
    ("03.7", lambda x, y, b: make_train_pipeline(x, y, b, shuffle=False), "in their input order"),
    ("03.7", lambda x, y, b: make_train_pipeline(x, y, b, buffer=10), "shuffle buffer is too small"),
    ("03.7", lambda x, y, b: make_train_pipeline(x, y, b, reshuffle=False),
     "Both epochs have the same order"),
    ("03.7", lambda x, y, b: make_train_pipeline(x, y, b, after_batch=True),
     "the augmentation ran on whole batches"),
    ("03.7", lambda x, y, b: make_train_pipeline(x, y, b, one_hot=False), "Your labels are integers"),
    ("03.7", lambda x, y, b: make_train_pipeline(x, y, b, scale=1 / 255), "scaled to 0–1"),
    ("03.7", lambda x, y, b: make_train_pipeline(x, y, b, drop_remainder=True), "drop_remainder=True"),
    ("03.7", lambda x, y, b: make_train_pipeline(x, y, b, augment=False), "no augmentation"),
    ("03.7", lambda x, y, b: make_train_pipeline(x, y, b, pad=4), "pad by 2 (CROP_PAD), not 4"),
    ("04.1", (8, 8, 64), "keeps the batch axis"),
    ("04.2", 448, "the stem has no bias"),
    ("04.3", lambda m, i, n: my_grad_cam(m, i, n, scores="softmax"),
     "you differentiated the softmax probability"),
    ("04.4", lambda m, i, b: 1 / block_ratio(m, i, b), "you divided ‖x‖ by ‖F(x)‖"),
    ("04.4", lambda m, i, b: block_ratio(m, i, b, numerator="_out"), "you took the block's output"),
    ("04.5", "stage3_block3", "largest mean |γ|"),
    ("04.5", "stage4_block1", "is not a residual block of ResNet-20"),
    ("04.6", lesion(prediction=""), "First write down your prediction"),
    ("04.6", lesion(pair=("stage3_block1", "stage2_block3")), "it cannot be deleted"),
    ("04.6", lesion(pair=("stage1_block2_bn2", "stage2_block3")), "is a layer; rh.delete_block"),
    ("04.6", lesion(pair=("stage1_block3", "stage1_block1")), "are the two most costly blocks"),
    ("04.6", lesion(pair=("stage2_block3", "stage3_block3")),
     "stage2_block3 is one of the two, but deleting stage3_block3"),
    ("04.6", lesion(accuracy_both_deleted=0.887), "that is the intact accuracy"),
    ("04.6", lesion(accuracy_both_deleted=0.772 + 0.749 - 0.887), "that is the additive guess"),
    ("04.6", lesion(accuracy_both_deleted=0.772), "with stage2_block3 deleted alone"),
    ("04.6", lesion(accuracy_both_deleted=0.887 - 0.713), "that is the drop;"),
    ("04.6", lesion(accuracy_both_deleted=71.3), "that is a percentage"),
    ("05.1", 44, "that is the longest path"), ("05.1", 4, "projection shortcuts (option B)"),
    ("05.1", 6, "its padding shortcut has no weights"),
    ("05.1", 23, "skips both convolutions of its block"),
    ("05.1", 3, "count only convolutions and the Dense layer"), ("05.1", 1, "both ends count"),
    ("05.2", 1.1 * 54, "factors multiply"), ("05.2", 1.1 ** 55, "54 steps, not 55"),
    ("05.3", lambda m, x, y: my_gradient_norms(m, x, y, training=False), "inference mode"),
    ("05.3", lambda m, x, y: my_gradient_norms(m, x, y, shortcuts=True),
     "the shortcut projections are included"),
    ("05.4", lambda d, w: filter_normalize(d, w, per_filter=False), "scaled the whole array at once"),
    ("05.4", lambda d, w: filter_normalize(d, w, zero_1d=False), "must get a zero direction"),
    ("05.5", 1 / 6, "looks like last / first"),
    ("06.1", 64 * 5 + 5, "the lesson's classifier for five classes"),
    ("06.1", 64 * 12, "a bias for each class"), ("06.1", 16 * 12 + 12, "16 is stage 1's width"),
    ("06.1", 16 * 16 * 64 * 12 + 12, "global average pooling turns each"),
    ("06.1", 270_000, "about the size of the whole network"),
    ("06.2", lambda m: unfreeze_for_fine_tuning(m, batchnorm=True),
     "Your BatchNorm layers are trainable"),
    ("06.2", lambda m: unfreeze_for_fine_tuning(m, model_flag=True),
     "Only the new classifier is trainable"),
    ("06.2", lambda m: m, "Only the new classifier is trainable"),
    ("06.2", lambda m: unfreeze_for_fine_tuning(m, only="stage3"), "convolutions are still frozen"),
    ("06.2", lambda m: unfreeze_for_fine_tuning(m).layers, "return the model (or nothing)"),
    ("06.3", lambda b, k: attach_new_classifier(b, k, freeze=False), "The base is not frozen"),
    ("06.3", lambda b, k: attach_new_classifier(b, k, softmax=False),
     "outputs scores, not probabilities"),
    ("06.3", lambda b, k: attach_new_classifier(b, k, classes=10), "the model should output"),
    ("06.3", lambda b, k: attach_new_classifier(b, k, hidden=True),
     "Only the new Dense layer should train"),
]


@pytest.fixture(autouse=True)
def _progress_file(tmp_path, monkeypatch):
    monkeypatch.setenv(core.PROGRESS_ENV, str(tmp_path / "progress" / "exercises.json"))
    core.keep_progress(True)


@pytest.fixture(autouse=True)
def _real_test_images_for_the_lesion_study(request, monkeypatch):
    """04.6 repeats a lesion study on CIFAR-10's test images: give it the session's real copy
    (conftest leaves every test without CIFAR10_SOURCE and with an empty decode cache)."""
    if "04.6" in request.node.name:
        real = request.getfixturevalue("real_cifar10")
        monkeypatch.setattr(rh.data.cifar10, "load_cifar10", lambda *args, **kwargs: real)


@pytest.mark.parametrize("exercise_id", sorted(RIGHT))
def test_right_answer_passes(exercise_id):
    result = rh.exercises.check(exercise_id, RIGHT[exercise_id](), quiet=True)
    assert result.passed, result.text()


@pytest.mark.parametrize("exercise_id, answer, feedback", WRONG,
                         ids=[f"{w[0]}-{w[2][:24]}" for w in WRONG])
def test_typical_wrong_answer_gets_targeted_feedback(exercise_id, answer, feedback):
    result = rh.exercises.check(exercise_id, answer, quiet=True)
    assert result.status == "wrong" and feedback in result.message, result.text()
    text = result.text()  # what is wrong, then a hint, then where the solution is
    assert text.index(feedback) < text.index("Hint:") < text.index(
        f"solutions/{core.REGISTRY[exercise_id].lesson}.ipynb, exercise {exercise_id}")


def test_every_exercise_has_a_tested_wrong_answer():
    assert {w[0] for w in WRONG} == set(core.REGISTRY) == set(RIGHT)


def _placeholder(*args):
    raise NotImplementedError


def _started_but_unfinished(*args):
    relu = layers.ReLU()  # noqa: F841  (a first line written, the rest still to come)
    raise NotImplementedError


@pytest.mark.parametrize("exercise_id", sorted(RIGHT))
def test_placeholder_is_not_attempted_and_never_raises(exercise_id, capsys):
    placeholders = [None, ..., rh.exercises.NOT_DONE]
    if core.REGISTRY[exercise_id].kind == "code":
        placeholders += [_placeholder]
    for answer in placeholders:
        result = rh.exercises.check(exercise_id, answer)
        assert result.status == "not attempted", (answer, result.text())
        assert "Not attempted yet" in capsys.readouterr().out
    assert not core.progress_file().exists(), "placeholders are not recorded as attempts"


def test_function_still_raising_not_implemented_error_is_not_attempted():
    result = rh.exercises.check("01.3", _started_but_unfinished, quiet=True)
    assert result.status == "not attempted" and "still raises NotImplementedError" in result.message


def test_untouched_dict_of_the_lesion_exercise_is_not_attempted():
    untouched = {"prediction": None, "pair": None, "accuracy_both_deleted": None}
    result = rh.exercises.check("04.6", untouched, quiet=True)
    assert result.status == "not attempted" and "Not attempted yet" in result.message
    assert not core.progress_file().exists()


@pytest.mark.parametrize("exercise_id", ["04.6"])  # in the name: the real test images
def test_lesion_pair_tied_within_one_image_passes_and_says_how_the_costs_add_up(exercise_id):
    # stage1_block2 and stage2_block2 are one image apart alone: either may be ranked second
    pair = ("stage2_block2", "stage2_block3")
    both = rh.exercises.lesson04._pair_accuracy(pair)
    result = rh.exercises.check(exercise_id, lesion(pair=list(pair), accuracy_both_deleted=both),
                                quiet=True)
    assert result.passed, result.text()
    assert "(sum " in result.message and "either pair counts" in result.message


def test_unfreezing_in_place_without_returning_the_model_passes():
    result = rh.exercises.check("06.2", lambda m: unfreeze_for_fine_tuning(m) and None, quiet=True)
    assert result.passed, result.text()


@pytest.mark.parametrize("exercise_id, answer, message", [
    ("01.1", "8704", "should be a number, got str '8704' (write it without quotes)"),
    ("01.1", True, "should be a number"),
    ("02.1", "16x16x32", "should be a shape"),
    ("04.1", (6, 8, 8), "has 3 numbers; rh.feature_maps returns 4 axes"),
    ("01.3", "layers.Conv2D", "expects a function"),
    ("01.3", lambda x, f, s: layers.Add()([layers.Conv2D(f, 3, strides=s, padding="same")(x), x]),
     "raised ValueError"),
    ("01.3", lambda x, f, s: keras.Model(x, x), "should return the block's output tensor"),
    ("02.4", lambda d, w=16: rh.build_resnet(8, input_shape=(28, 28, 3)),
     "should map images (32, 32, 3) to 10 class probabilities; yours maps (28, 28, 3)"),
    ("02.4", lambda d, w=16: "resnet", "should return a keras.Model"),
    ("03.3", lambda im: tf.image.resize(im, (20, 20)), "the result must have the same shape"),
    ("03.7", lambda x, y, b: (x, y), "should return a tf.data.Dataset; it returned tuple"),
    ("04.3", lambda m, i, n: m.get_layer("nothing"), "raised ValueError: No such layer"),
    ("05.3", lambda m, x, y: [1.0], "you returned 1 norms"),
    ("05.4", lambda d, w: d[:2], "one array per weight"),
    ("04.6", "stage1_block3", "Answer with the dict of the exercise cell"),
    ("04.6", {"pair": ("stage1_block1", "stage1_block2")}, "Your dict has no 'prediction'"),
    ("04.6", lesion(pair="stage1_block1 and stage1_block2"), "\"pair\" should be two block names"),
    ("06.3", lambda b, k: "model", "should return a keras.Model"),
    ("01.5", "b_bn2", "list of layer names"),
    ("01.5", 5, "could not be checked (TypeError"),
])
def test_wrong_type_or_shape_gets_a_clear_message(exercise_id, answer, message):
    result = rh.exercises.check(exercise_id, answer, quiet=True)
    assert result.status == "wrong" and message in result.message, result.text()
    assert "Traceback" not in result.text() and len(result.message) < 400


def test_unknown_exercise_lists_the_known_ones():
    with pytest.raises(ValueError, match="No exercise '9.9'; there are 01.1, 01.2"):
        rh.exercises.check("9.9", 1)


# ------------------------------------------------------------------ progress file


def test_progress_is_written_atomically_and_read_back(tmp_path, capsys):
    path = core.progress_file()
    rh.exercises.check("01.1", 1, quiet=True)
    rh.exercises.check("01.1", RIGHT["01.1"](), quiet=True)
    rh.exercises.check("01.1", 2, quiet=True)  # a later slip does not undo a solved exercise
    rh.exercises.check("02.1", (1, 2, 3), quiet=True)
    saved = json.loads(path.read_text())["exercises"]
    assert saved["01.1"]["status"] == "passed" and saved["01.1"]["attempts"] == 3
    assert saved["02.1"] == {**saved["02.1"], "status": "wrong", "attempts": 1}
    assert [p.name for p in path.parent.iterdir()] == ["exercises.json"]  # no temp files left
    table = rh.exercises.progress()
    out = capsys.readouterr().out
    assert table["01_residual_block"]["01.1"] == "passed"
    assert table["02_build_resnet"] == {"02.1": "wrong", "02.2": "not attempted",
                                        "02.3": "not attempted", "02.4": "not attempted",
                                        "02.5": "not attempted"}
    assert "01_residual_block        1/5 passed" in out and f"1/{len(core.REGISTRY)} passed" in out


def test_default_progress_file_is_in_the_course_cache_outside_the_repository(monkeypatch):
    monkeypatch.delenv(core.PROGRESS_ENV)
    path = core.progress_file()
    assert path == rh.cache_dir() / "exercises.json" and ROOT not in path.parents


def test_unreadable_progress_file_is_kept_aside_not_discarded(capsys):
    path = core.progress_file()
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    table = rh.exercises.progress(show=False)
    assert "could not be read" in capsys.readouterr().out
    assert all(s == "not attempted" for lesson in table.values() for s in lesson.values())
    backups = list(path.parent.glob("exercises.json.unreadable-*"))
    assert len(backups) == 1 and backups[0].read_text() == "{not json"
    rh.exercises.check("01.1", RIGHT["01.1"](), quiet=True)
    assert json.loads(path.read_text())["exercises"]["01.1"]["status"] == "passed"


def test_keep_progress_off_records_nothing():
    core.keep_progress(False)
    rh.exercises.check("01.1", RIGHT["01.1"](), quiet=True)
    assert not core.progress_file().exists()


# ------------------------------------------------------------------ lessons and solutions


def _exercise_cells(path):
    nb = nbformat.read(path, as_version=4)
    return nb, [c for c in nb.cells if c.cell_type == "code"
                for _ in re.findall(r'rh\.exercises\.check\("(\d\d\.\d)"', c.source)]


@pytest.mark.parametrize("lessons, solutions", [("notebooks", "solutions"),
                                                ("notebooks/zh", "solutions/zh")],
                         ids=["en", "zh"])
def test_every_exercise_is_in_exactly_one_lesson_and_has_a_solution(lessons, solutions):
    """In each edition (English; Chinese, whose code cells are the English ones)."""
    registered = rh.exercises.list_exercises()
    assert len(registered) >= 31 and {e["kind"] for e in registered} == {
        "predict", "code", "investigate"}
    found = {}
    for path in sorted((ROOT / lessons).glob("0[1-6]_*.ipynb")):
        _, cells = _exercise_cells(path)
        ids = [re.search(r'check\("(\d\d\.\d)"', c.source).group(1) for c in cells]
        assert 3 <= len(ids) <= 8 and ids == sorted(ids), (path.name, ids)
        for i in ids:
            assert i not in found, f"{i} appears in {found.get(i)} and {path.name}"
            found[i] = path.stem
        assert cells == [c for c in _exercise_cells(path)[0].cells[-2 * len(ids) - 2:]
                         if c in cells], "exercise cells come at the end of the lesson"
    assert found == {e["id"]: e["lesson"] for e in registered}
    for lesson in set(found.values()):
        nb, cells = _exercise_cells(ROOT / solutions / f"{lesson}.ipynb")
        solved = [re.search(r'assert rh\.exercises\.check\("(\d\d\.\d)", .*\)\.passed',
                            c.source).group(1) for c in cells]
        assert solved == sorted(i for i, l in found.items() if l == lesson)
        assert all(not c.outputs and c.execution_count is None
                   for c in nb.cells if c.cell_type == "code"), "store solutions without outputs"
        assert "rh.exercises.keep_progress(False)" in nb.cells[1].source


def test_pip_install_carries_every_subpackage():
    import tomllib

    from setuptools import find_packages

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    subpackages = {".".join(p.parent.relative_to(ROOT).parts)
                   for p in (ROOT / "resnet_helpers").rglob("*/__init__.py")}
    # course, course.exercises, data, inspect, messages, messages.zh, models, training
    assert "resnet_helpers.course.exercises" in subpackages and len(subpackages) == 8
    found = find_packages(str(ROOT), **project["tool"]["setuptools"]["packages"]["find"])
    assert subpackages | {"resnet_helpers"} == set(found)


@pytest.mark.parametrize("exercise_id, answer, feedback", WRONG,
                         ids=[f"{w[0]}-{w[2][:24]}" for w in WRONG])
def test_wrong_answer_gets_chinese_feedback_in_the_chinese_edition(exercise_id, answer,
                                                                   feedback):
    """The same wrong answers in Chinese: the message, the hint and the solution's place are
    Chinese (a few English identifiers and numbers may remain)."""
    rh.set_language("zh")
    try:
        result = rh.exercises.check(exercise_id, answer, quiet=True)
    finally:
        rh.set_language(None)
    assert result.status == "wrong", result.text()
    for part in (result.message, result.hint):
        prose = re.sub(r"`[^`]*`|[A-Za-z_][\w.]*\([^)]*\)|[A-Za-z_]+\w*[._]\w+", "", part)
        assert re.search(r"[\u4e00-\u9fff]", part), f"no Chinese in {part!r}"
        english_words = re.findall(r"\b[a-z]{4,}\b", prose)
        assert len(english_words) <= 6, f"English left in {part!r}: {english_words}"
    assert "solutions/zh/" in result.solution and "练习" in result.text()
