"""The inspection layer: what a network computes (:mod:`.interpret`: feature maps, Grad-CAM,
residual ratios — for any functional Keras CNN), why residuals work (:mod:`.analysis`: the
degradation experiment, gradient norms, loss landscapes), deleting blocks (:mod:`.lesion`) and
every plot (:mod:`.plots`, each returning its figure, with a font for Chinese from
:mod:`.fonts`)."""

from resnet_helpers._lazy import attach

_EXPORTS = {
    "analysis": "resnet_helpers.inspect.analysis",
    "gradient_norms": "resnet_helpers.inspect.analysis",
    "interpolate_loss": "resnet_helpers.inspect.analysis",
    "loss_surface": "resnet_helpers.inspect.analysis",
    "recompute_batchnorm_statistics": "resnet_helpers.inspect.analysis",
    "restored_weights": "resnet_helpers.inspect.analysis",
    "cjk_font": "resnet_helpers.inspect.fonts",
    "figure_label": "resnet_helpers.inspect.fonts",
    "figure_text": "resnet_helpers.inspect.fonts",
    "fonts": "resnet_helpers.inspect.fonts",
    "use_cjk_font": "resnet_helpers.inspect.fonts",
    "class_scores": "resnet_helpers.inspect.interpret",
    "feature_maps": "resnet_helpers.inspect.interpret",
    "find_layer": "resnet_helpers.inspect.interpret",
    "grad_cam": "resnet_helpers.inspect.interpret",
    "interpret": "resnet_helpers.inspect.interpret",
    "residual_pairs": "resnet_helpers.inspect.interpret",
    "residual_ratios": "resnet_helpers.inspect.interpret",
    "stage_outputs": "resnet_helpers.inspect.interpret",
    "delete_block": "resnet_helpers.inspect.lesion",
    "lesion": "resnet_helpers.inspect.lesion",
    "lesion_study": "resnet_helpers.inspect.lesion",
    "plot_lesion": "resnet_helpers.inspect.plots",
    "removable_blocks": "resnet_helpers.inspect.lesion",
    "plot_architecture": "resnet_helpers.inspect.plots",
    "plot_confusion_matrix": "resnet_helpers.inspect.plots",
    "plot_curves": "resnet_helpers.inspect.plots",
    "plot_degradation": "resnet_helpers.inspect.plots",
    "plot_feature_maps": "resnet_helpers.inspect.plots",
    "plot_filters": "resnet_helpers.inspect.plots",
    "plot_grad_cam": "resnet_helpers.inspect.plots",
    "plot_gradient_norms": "resnet_helpers.inspect.plots",
    "plot_history": "resnet_helpers.inspect.plots",
    "plot_interpolation": "resnet_helpers.inspect.plots",
    "plot_loss_surfaces": "resnet_helpers.inspect.plots",
    "plot_per_class_accuracy": "resnet_helpers.inspect.plots",
    "plot_residual_ratios": "resnet_helpers.inspect.plots",
    "plots": "resnet_helpers.inspect.plots",
    "show_images": "resnet_helpers.inspect.plots",
    "show_predictions": "resnet_helpers.inspect.plots",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = attach(__name__, _EXPORTS, globals())
