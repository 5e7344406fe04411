"""The models layer: residual and plain blocks (:mod:`.blocks`), the networks' shared input and
head (:mod:`.parts`), the paper's CIFAR ResNets and plain networks (:mod:`.resnets`), ResNet-9
(:mod:`.fastnet`), the shipped trained networks (:mod:`.pretrained`) and their reuse for new
classes (:mod:`.transfer`)."""

from resnet_helpers._lazy import attach

_EXPORTS = {
    "ChannelPadShortcut": "resnet_helpers.models.blocks",
    "blocks": "resnet_helpers.models.blocks",
    "bottleneck_block": "resnet_helpers.models.blocks",
    "conv_bn": "resnet_helpers.models.blocks",
    "plain_block": "resnet_helpers.models.blocks",
    "residual_block": "resnet_helpers.models.blocks",
    "build_resnet9": "resnet_helpers.models.fastnet",
    "fit_whitening": "resnet_helpers.models.fastnet",
    "fastnet": "resnet_helpers.models.fastnet",
    "CIFAR10_MEAN": "resnet_helpers.models.parts",
    "CIFAR10_STD": "resnet_helpers.models.parts",
    "parts": "resnet_helpers.models.parts",
    "load_pretrained": "resnet_helpers.models.pretrained",
    "pretrained": "resnet_helpers.models.pretrained",
    "pretrained_manifest": "resnet_helpers.models.pretrained",
    "shipped_pretrained": "resnet_helpers.models.pretrained",
    "trained_pair": "resnet_helpers.models.pretrained",
    "PAPER_PARAMS": "resnet_helpers.models.resnets",
    "blocks_per_stage": "resnet_helpers.models.resnets",
    "build_model": "resnet_helpers.models.resnets",
    "build_plain": "resnet_helpers.models.resnets",
    "build_resnet": "resnet_helpers.models.resnets",
    "build_simple_resnet": "resnet_helpers.models.resnets",
    "count_multiply_adds": "resnet_helpers.models.resnets",
    "count_params": "resnet_helpers.models.resnets",
    "load_model": "resnet_helpers.models.resnets",
    "resnets": "resnet_helpers.models.resnets",
    "stage_summary": "resnet_helpers.models.resnets",
    "valid_depths": "resnet_helpers.models.resnets",
    "weighted_depth": "resnet_helpers.models.resnets",
    "fine_tune_model": "resnet_helpers.models.transfer",
    "transfer": "resnet_helpers.models.transfer",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = attach(__name__, _EXPORTS, globals())
