"""The data layer: CIFAR-10 (:mod:`.cifar10`, and its copies as image files:
:mod:`.cifar10_images`), folders of your own images (:mod:`.folders`), the ``tf.data`` pipelines
that split, augment and batch them (:mod:`.pipeline`) and progressive resizing
(:mod:`.resizing`)."""

from resnet_helpers._lazy import attach

_EXPORTS = {
    "DatasetUnavailableError": "resnet_helpers.data.cifar10",
    "OFFICIAL_SHA256": "resnet_helpers.data.cifar10",
    "cache_dir": "resnet_helpers.data.cifar10",
    "cifar10": "resnet_helpers.data.cifar10",
    "describe_source": "resnet_helpers.data.cifar10",
    "keras_cache_dir": "resnet_helpers.data.cifar10",
    "load_cifar10": "resnet_helpers.data.cifar10",
    "sha256_file": "resnet_helpers.data.cifar10",
    "CLASS_NAMES": "resnet_helpers.data.cifar10_images",
    "cifar10_images": "resnet_helpers.data.cifar10_images",
    "LoadedFolder": "resnet_helpers.data.folders",
    "folders": "resnet_helpers.data.folders",
    "load_image_folder": "resnet_helpers.data.folders",
    "write_image_folder": "resnet_helpers.data.folders",
    "augment_batch": "resnet_helpers.data.pipeline",
    "channel_stats": "resnet_helpers.data.pipeline",
    "check_images_and_labels": "resnet_helpers.data.pipeline",
    "make_datasets": "resnet_helpers.data.pipeline",
    "make_eval_dataset": "resnet_helpers.data.pipeline",
    "pipeline": "resnet_helpers.data.pipeline",
    "resize_images": "resnet_helpers.data.pipeline",
    "train_val_split": "resnet_helpers.data.pipeline",
    "EpochImageSize": "resnet_helpers.data.resizing",
    "check_sizes": "resnet_helpers.data.resizing",
    "resize_per_epoch": "resnet_helpers.data.resizing",
    "resizing": "resnet_helpers.data.resizing",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = attach(__name__, _EXPORTS, globals())
