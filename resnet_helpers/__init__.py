"""resnet_helpers — the tested helper package behind the resnet-course lessons."""
from .blocks import ChannelPadShortcut, bottleneck_block, conv_bn, plain_block, residual_block
from .models import (CIFAR10_MEAN, CIFAR10_STD, PAPER_PARAMS, blocks_per_stage, build_plain,
                     build_resnet, build_simple_resnet, count_multiply_adds, count_params,
                     valid_depths)
from .data import (CLASS_NAMES, OFFICIAL_SHA256, DatasetUnavailableError, cache_dir,
                   keras_cache_dir, load_cifar10, sha256_file)
from .pipeline import (augment_batch, channel_stats, check_images_and_labels, make_datasets,
                       make_eval_dataset, train_val_split)
