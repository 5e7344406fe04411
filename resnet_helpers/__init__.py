"""resnet_helpers — the tested helper package behind the resnet-course lessons.

``import resnet_helpers as rh`` gives the whole public API:

* blocks: :func:`residual_block`, :func:`plain_block`, :func:`bottleneck_block`
* models: :func:`build_simple_resnet`, :func:`build_resnet`, :func:`build_plain`,
  :func:`build_resnet9` (shaped for speed),
  :func:`count_params`, :func:`count_multiply_adds`, :func:`load_model`,
  :func:`load_pretrained` (the shipped trained ResNet-20), :func:`fine_tune_model` (reuse it
  for new classes and image sizes)
* data: :func:`load_cifar10`, :data:`CLASS_NAMES`, :func:`load_image_folder` (your own
  images), :func:`train_val_split`,
  :func:`make_datasets`, :func:`make_eval_dataset`, :func:`augment_batch`
* training: :func:`train`, :func:`estimate_training_time` (an ETA from a few timed steps),
  :func:`measure_training_throughput`, :func:`compile_for_training`,
  :func:`predict_probabilities`, :func:`accuracy_report`; every timed step follows one rule
  (:mod:`resnet_helpers.timing`)
* devices: :func:`pick_strategy`, :func:`scale_for_replicas` (``train(strategy=…)``),
  :func:`pick_precision` (mixed precision where the hardware has it)
* a run for this machine: :func:`plan_training` (a measured probe picks width, epochs, image
  sizes and precision for a time budget), :func:`resize_per_epoch` (progressive resizing)
* why residuals work (:mod:`resnet_helpers.analysis`): :func:`degradation_experiment`,
  :func:`gradient_norms`, :func:`interpolate_loss`, :func:`loss_surface`, :func:`lesion_study`
* looking inside (any functional Keras CNN): :func:`feature_maps`, :func:`grad_cam`,
  :func:`class_scores`, :func:`residual_ratios`, :func:`residual_pairs`, :func:`stage_outputs`
* plots (each returns a figure): :func:`show_images`, :func:`plot_history`,
  :func:`plot_confusion_matrix`, :func:`plot_feature_maps`, :func:`plot_grad_cam`, …
* :mod:`resnet_helpers.course`: what the notebooks share (settings, smoke mode, run folder).
* :mod:`resnet_helpers.exercises`: the lessons' self-checking exercises
  (``rh.exercises.check("02.3", answer)``, ``rh.exercises.progress()``).
"""

from . import analysis, course, exercises
from .callbacks import AtomicCheckpoint, EpochLog, read_history, save_model_atomic
from .blocks import ChannelPadShortcut, bottleneck_block, conv_bn, plain_block, residual_block
from .data import (CLASS_NAMES, OFFICIAL_SHA256, DatasetUnavailableError, cache_dir,
                   describe_source, keras_cache_dir, load_cifar10, sha256_file)
from .distribute import pick_precision, pick_strategy, scale_for_replicas
from .interpret import (class_scores, feature_maps, grad_cam, residual_pairs, residual_ratios,
                        stage_outputs)
from .models import (CIFAR10_MEAN, CIFAR10_STD, PAPER_PARAMS, blocks_per_stage, build_model,
                     build_plain, build_resnet, build_simple_resnet, count_multiply_adds,
                     count_params, load_model, stage_summary, valid_depths, weighted_depth)
from .resizing import EpochImageSize, resize_per_epoch
from .planner import plan_training
from .pipeline import (augment_batch, channel_stats, check_images_and_labels, make_datasets,
                       make_eval_dataset, resize_images, train_val_split)
from .recipe import SmoothedSparseCrossentropy, compile_for_training, learning_rate_schedule
from .train import (accuracy_report, estimate_training_time, history_columns,
                    measure_training_throughput, predict_probabilities, train)
from .fastnet import build_resnet9
from .pretrained import load_pretrained, pretrained_manifest, shipped_pretrained, trained_pair
from .own_images import load_image_folder
from .transfer import fine_tune_model
from .analysis import (degradation_experiment, gradient_norms, interpolate_loss,
                       loss_surface, recompute_batchnorm_statistics)
from .lesion import delete_block, lesion_study, plot_lesion, removable_blocks
from .viz import (plot_architecture, plot_confusion_matrix, plot_degradation, plot_feature_maps,
                  plot_curves, plot_filters, plot_grad_cam, plot_gradient_norms, plot_history,
                  plot_interpolation, plot_loss_surfaces, plot_per_class_accuracy,
                  plot_residual_ratios, show_images, show_predictions)

__version__ = "0.1.0"
