"""Plots for the lessons. Every function returns its ``matplotlib`` figure (nothing is shown
or saved here: notebooks display it, :func:`resnet_helpers.course.save_figure` saves it).

Titles, labels and legends speak the learner's language (:func:`~.fonts.figure_text`), and
every plot first makes a font with Chinese characters available (:func:`~.fonts.use_cjk_font`),
so class names such as 猫 and 狗 are drawn; without one, a class written in Chinese is labelled
``class 3`` (:func:`~.fonts.figure_label`)."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import FixedLocator, FuncFormatter, LogLocator, MaxNLocator, NullFormatter

from resnet_helpers.data.cifar10 import CLASS_NAMES
from resnet_helpers.inspect.fonts import figure_label, figure_text, use_cjk_font
from resnet_helpers.messages import N_

__all__ = ["plot_architecture", "plot_confusion_matrix", "plot_curves", "plot_degradation",
           "plot_feature_maps", "plot_filters", "plot_grad_cam", "plot_gradient_norms",
           "plot_history", "plot_interpolation", "plot_lesion", "plot_loss_surfaces",
           "plot_per_class_accuracy", "plot_residual_ratios", "show_images", "show_predictions"]


def _grid(n: int, cols: int):
    rows = max(1, -(-n // cols))
    fig, axes = plt.subplots(rows, cols, figsize=(1.6 * cols, 1.75 * rows), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    return fig, axes.flat


def show_images(images, labels=None, class_names: Sequence[str] = CLASS_NAMES, cols: int = 8,
                titles: Sequence[str] | None = None):
    """A grid of raw images ``(N, H, W, 3)`` (0–255) titled by class name or ``titles``."""
    images = np.asarray(images)
    if images.ndim != 4:
        raise ValueError(f"images must be (N, height, width, channels); got {images.shape}.")
    use_cjk_font()
    fig, axes = _grid(len(images), min(cols, len(images)))
    for i, ax in zip(range(len(images)), axes):
        ax.imshow(images[i].astype("uint8").squeeze(), cmap="gray")
        if titles is not None:
            ax.set_title(figure_text(titles[i]), fontsize=8)
        elif labels is not None:
            ax.set_title(figure_label(class_names[int(labels[i])], int(labels[i])), fontsize=9)
    fig.tight_layout()
    return fig


def plot_history(history: dict, title: str = ""):
    """Loss and accuracy per epoch, training and validation, side by side, under ``title``.

    Args:
        history: ``{"loss": [...], "val_loss": [...], "accuracy": [...], "val_accuracy": [...]}``
            (a Keras ``History.history`` or :func:`resnet_helpers.train`'s ``"history"``).
    """
    if "loss" not in history:
        raise ValueError(f"history needs at least a 'loss' list; got keys {sorted(history)}.")
    epochs = np.arange(1, len(history["loss"]) + 1)
    use_cjk_font()
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
    for ax, metric, name in zip(axes, ("loss", "accuracy"), (N_("loss"), N_("accuracy"))):
        for prefix, label in (("", N_("training")), ("val_", N_("validation"))):
            if f"{prefix}{metric}" in history:
                ax.plot(epochs, history[f"{prefix}{metric}"], "o-", label=figure_text(label))
        ax.set_xlabel(figure_text(N_("epoch")))
        ax.xaxis.set_major_locator(FixedLocator(epochs) if len(epochs) <= 15  # whole epochs
                                   else MaxNLocator(integer=True))
        ax.set_ylabel(figure_text(name))
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle(figure_text(title))
    fig.tight_layout()
    return fig


def plot_curves(curves: dict[str, Sequence[float]], ylabel: str, title: str = "",
                chance: float | None = None):
    """One line per run of a per-epoch value (e.g. validation accuracy), on one axis.

    Args:
        curves: ``{run name: [value per epoch]}``; runs may differ in length.
        ylabel: what the values are.
        title: the figure's title.
        chance: draw this level as a dotted line labelled "chance" (accuracy curves).
    """
    if not curves or any(len(v) == 0 for v in curves.values()):
        raise ValueError("curves must map each run name to a non-empty list of values per epoch.")
    use_cjk_font()
    fig, ax = plt.subplots(figsize=(6.5, 3.6))
    for name, values in curves.items():
        ax.plot(np.arange(1, len(values) + 1), values, "o-", label=figure_text(name))
    if chance is not None:
        ax.axhline(chance, color="grey", linestyle=":", label=figure_text(N_("chance")))
    longest = max(len(v) for v in curves.values())
    ax.xaxis.set_major_locator(FixedLocator(np.arange(1, longest + 1)) if longest <= 15
                               else MaxNLocator(integer=True))
    ax.set_xlabel(figure_text(N_("epoch")))
    ax.set_ylabel(figure_text(ylabel))
    ax.set_title(figure_text(title))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_confusion_matrix(confusion, class_names: Sequence[str] | None = None,
                          normalize: bool = True):
    """Confusion matrix ``(C, C)`` (rows: true class, columns: predicted) as a heatmap.

    ``class_names`` label the axes: one per class; None means CIFAR-10's names for a 10×10
    matrix and class indices otherwise.
    """
    confusion = np.asarray(confusion, dtype=float)
    if confusion.ndim != 2 or confusion.shape[0] != confusion.shape[1]:
        raise ValueError(f"confusion must be a square matrix; got shape {confusion.shape}.")
    if class_names is None:
        class_names = CLASS_NAMES if len(confusion) == len(CLASS_NAMES) else [
            str(i) for i in range(len(confusion))]
    if len(class_names) != len(confusion):
        raise ValueError(f"class_names has {len(class_names)} names for a {len(confusion)}×"
                         f"{len(confusion)} confusion matrix; pass one name per class.")
    shown = confusion / np.maximum(confusion.sum(axis=1, keepdims=True), 1) if normalize \
        else confusion
    use_cjk_font()
    names = [figure_label(name, i) for i, name in enumerate(class_names)]
    fig, ax = plt.subplots(figsize=(6.5, 5.5))
    im = ax.imshow(shown, cmap="Blues", vmin=0)
    ticks = np.arange(len(names))
    ax.set_xticks(ticks, names, rotation=45, ha="right")
    ax.set_yticks(ticks, names)
    for i in range(len(shown)):
        for j in range(len(shown)):
            ax.text(j, i, f"{shown[i, j]:.2f}" if normalize else int(shown[i, j]),
                    ha="center", va="center", fontsize=7,
                    color="white" if shown[i, j] > shown.max() / 2 else "black")
    ax.set_xlabel(figure_text(N_("predicted class")))
    ax.set_ylabel(figure_text(N_("true class")))
    fig.colorbar(im, ax=ax, fraction=0.046)
    fig.tight_layout()
    return fig


def plot_per_class_accuracy(per_class: dict[str, float], overall: float | None = None):
    """Horizontal bars of accuracy per class, with the overall accuracy as a line."""
    use_cjk_font()
    names = [figure_label(name, i) for i, name in enumerate(per_class)]
    values = list(per_class.values())
    fig, ax = plt.subplots(figsize=(6, 3.8))
    ax.barh(names[::-1], values[::-1], color="tab:blue")
    for y, v in enumerate(values[::-1]):
        ax.text(v + 0.01, y, f"{v:.1%}", va="center", fontsize=8)
    if overall is not None:  # legend above the axes, where it cannot hide a bar's label
        ax.axvline(overall, color="tab:red", ls="--",
                   label=figure_text(N_("overall {overall:.1%}"), overall=overall))
        ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=9)
    ax.set_xlim(0, 1.1)
    ax.set_xlabel(figure_text(N_("test accuracy")))
    fig.tight_layout()
    return fig


def show_predictions(images, y_true, probs, class_names: Sequence[str] = CLASS_NAMES,
                     cols: int = 8):
    """Images titled "true → predicted (confidence)", e.g. a gallery of mistakes."""
    pred = np.asarray(probs).argmax(-1)
    titles = [f"{figure_label(class_names[int(t)], int(t))}\n→ "
              f"{figure_label(class_names[int(p)], int(p))} {probs[i, p]:.0%}"
              for i, (t, p) in enumerate(zip(y_true, pred))]
    return show_images(images, titles=titles, cols=cols)


def plot_feature_maps(maps: dict[str, np.ndarray], image_index: int = 0, channels: int = 8,
                      image: np.ndarray | None = None):
    """One row per layer: the first ``channels`` feature maps of one image, titled by layer
    name and shape (as returned by :func:`resnet_helpers.feature_maps`).

    Args:
        maps: ``{layer name: (N, h, w, c)}``.
        image_index: which of the N images to show.
        channels: feature maps per row.
        image: the input image ``(H, W, 3)`` (0–255 or 0–1), drawn in an extra first column.
    """
    extra = int(image is not None)
    use_cjk_font()
    fig, axes = plt.subplots(len(maps), channels + extra,
                             figsize=(1.3 * (channels + extra), 1.55 * len(maps)), squeeze=False)
    for r, (row, (name, value)) in enumerate(zip(axes, maps.items())):
        for ax in row:
            ax.axis("off")
        if extra and r == 0:
            picture = np.asarray(image, dtype="float32")
            row[0].imshow(np.clip(picture / 255 if picture.max() > 1 else picture, 0, 1))
            row[0].set_title(figure_text(N_("input")), fontsize=8)
        for c, ax in enumerate(row[extra:]):
            if c < value.shape[-1]:
                ax.imshow(value[image_index, :, :, c], cmap="viridis")
        row[extra].set_title(f"{name}  {tuple(value.shape[1:])}", fontsize=8, loc="left")
    fig.tight_layout()
    return fig


def plot_filters(kernel: np.ndarray, cols: int = 8, labels: Sequence[str] | None = None):
    """First-layer filters ``(k, k, 3, n)`` shown as RGB patches, each scaled to [0, 1].

    Args:
        kernel: the first convolution's kernel ``(k, k, 3, n)``.
        cols: filters per row.
        labels: one short label per filter (e.g. ``"edge"``), added to its title and drawn
            with a coloured frame when not empty.
    """
    kernel = np.asarray(kernel)
    if kernel.ndim != 4 or kernel.shape[2] != 3:
        raise ValueError(f"expected a (k, k, 3, filters) kernel; got {kernel.shape}.")
    n = kernel.shape[-1]
    if labels is not None and len(labels) != n:
        raise ValueError(f"labels needs one entry per filter: {n} filters, {len(labels)} labels.")
    frame_colours = {}
    use_cjk_font()
    fig, axes = _grid(n, min(cols, n))
    for i, ax in zip(range(n), axes):
        f = kernel[..., i]
        ax.imshow((f - f.min()) / (f.max() - f.min() + 1e-12), interpolation="nearest")
        label = labels[i] if labels is not None else ""
        ax.set_title(f"{i} {figure_text(label)}".strip(), fontsize=7)
        if label:
            colour = frame_colours.setdefault(label, f"C{len(frame_colours)}")
            ax.axis("on")
            ax.set_xticks([])
            ax.set_yticks([])
            for spine in ax.spines.values():
                spine.set_edgecolor(colour)
                spine.set_linewidth(2.5)
    fig.set_size_inches(1.0 * min(cols, n), 1.1 * -(-n // cols))
    fig.tight_layout()
    return fig


def plot_grad_cam(images, heatmaps, titles: Sequence[str], cols: int = 4, alpha: float = 0.45,
                  cells: tuple[int, int] | None = None):
    """Each image with its Grad-CAM heatmap ``(H, W)`` in [0, 1] overlaid, and a colour bar.

    Args:
        images: ``(N, H, W, 3)`` images, 0–255.
        heatmaps: N heatmaps ``(H, W)`` in [0, 1] (:func:`resnet_helpers.grad_cam`).
        titles: one title per image.
        cols: images per row.
        alpha: opacity of the heatmap.
        cells: ``(h, w)`` of the layer the maps were computed at: draws the borders of its
            cells, so that a map resized from 4×4 cells is not mistaken for a fine one.
    """
    if len(heatmaps) != len(images) or len(titles) != len(images):
        raise ValueError(f"give one heatmap and one title per image: {len(images)} images, "
                         f"{len(heatmaps)} heatmaps, {len(titles)} titles.")
    use_cjk_font()
    fig, axes = _grid(len(images), min(cols, len(images)))
    axes = list(axes)
    shown = None
    for i, ax in zip(range(len(images)), axes):
        height, width = np.shape(heatmaps[i])
        ax.imshow(np.asarray(images[i]).astype("uint8"))
        shown = ax.imshow(heatmaps[i], cmap="jet", alpha=alpha, vmin=0, vmax=1)
        if cells is not None:
            for r in range(1, cells[0]):
                ax.axhline(r * height / cells[0] - 0.5, color="white", linewidth=0.4, alpha=0.7)
            for c in range(1, cells[1]):
                ax.axvline(c * width / cells[1] - 0.5, color="white", linewidth=0.4, alpha=0.7)
        ax.set_title(figure_text(titles[i]), fontsize=8)
    fig.set_size_inches(2.4 * min(cols, len(images)) + 0.6, 2.6 * -(-len(images) // cols))
    fig.tight_layout()
    bar = fig.colorbar(shown, ax=axes[:len(images)], shrink=0.8, pad=0.02)
    bar.set_label(figure_text(N_("Grad-CAM (0: no evidence, 1: the most)")), fontsize=8)
    return fig


def plot_residual_ratios(ratios: dict[str, float], title: str | None = None):
    """Bar chart of ‖F(x)‖/‖x‖ per residual block, input to output; ``title`` replaces the
    default title (e.g. to name the network)."""
    use_cjk_font()
    fig, ax = plt.subplots(figsize=(max(5, 0.45 * len(ratios)), 3.4))
    ax.bar(range(len(ratios)), list(ratios.values()), color="tab:green")
    ax.set_xticks(range(len(ratios)), list(ratios), rotation=60, ha="right", fontsize=8)
    ax.axhline(1.0, color="gray", ls=":", lw=1)
    ax.set_ylabel("‖F(x)‖ / ‖x‖")
    ax.set_title(figure_text(title or N_("How much each residual block changes its input")))
    fig.tight_layout()
    return fig


def plot_architecture(model):
    """A readable picture of a model: one box per block (``*_out`` layer), grouped by stage,
    with the output shape of each; shortcuts drawn as arcs for residual blocks — solid red for
    identity shortcuts, dashed purple and labelled for shortcuts that change the shape (a
    ``*_shortcut_conv`` projection or a ``*_shortcut_pad`` padding layer). Models without
    ``*_out`` layers get one box per :func:`resnet_helpers.stage_outputs` layer."""
    from resnet_helpers.inspect.interpret import stage_outputs

    names = [layer.name for layer in model.layers]
    outs = [n for n in names if n.endswith("_out")] or [
        n for n in stage_outputs(model) if n != "stem_relu"]
    blocks = [n.removesuffix("_out") for n in outs]
    boxes = ["input"] + (["stem"] if "stem_conv" in names else []) + blocks + ["pool + dense"]
    words = {"input": N_("input"), "stem": N_("stem"), "pool + dense": N_("pool + dense"),
             "projection": N_("projection"), "padding": N_("padding")}
    shapes = ([tuple(model.input_shape[1:])]
              + ([tuple(model.get_layer("stem_conv").output.shape[1:])] if "stem_conv" in names
                 else [])
              + [tuple(model.get_layer(n).output.shape[1:]) for n in outs]
              + [tuple(model.output_shape[1:])])
    use_cjk_font()
    fig, ax = plt.subplots(figsize=(max(6, 1.15 * len(boxes)), 3.2))
    colors = {"stage1": "#cfe2f3", "stage2": "#d9ead3", "stage3": "#fff2cc", "stage4": "#f4cccc"}
    for i, (box, shape) in enumerate(zip(boxes, shapes)):
        ax.add_patch(plt.Rectangle((i, 0), 0.8, 1, color=colors.get(box.split("_")[0], "#eeeeee"),
                                   ec="black"))
        ax.text(i + 0.4, 0.62, figure_text(words[box]) if box in words else box.replace("_", "\n"),
                ha="center", va="center", fontsize=9)
        ax.text(i + 0.4, 0.16, "×".join(map(str, shape)), ha="center", va="center", fontsize=8)
        if i:
            ax.annotate("", (i, 0.5), (i - 0.2, 0.5), arrowprops=dict(arrowstyle="->"))
        if f"{box}_add" in names:
            kind = ("projection" if f"{box}_shortcut_conv" in names
                    else "padding" if f"{box}_shortcut_pad" in names else "identity")
            style = (dict(color="tab:red", ls="-") if kind == "identity"
                     else dict(color="tab:purple", ls="--"))
            arc = ax.annotate("", (i + 0.75, 1.0), (i + 0.05, 1.0),
                              arrowprops=dict(arrowstyle="->", connectionstyle="arc3,rad=-0.6",
                                              lw=1.5, **style))
            arc.set_gid(f"shortcut:{kind}")
            if kind != "identity":
                ax.text(i + 0.4, 1.42, figure_text(words[kind]), ha="center", va="bottom",
                        fontsize=8, color="tab:purple")
    ax.set_xlim(-0.2, len(boxes))
    ax.set_ylim(-0.2, 1.7)
    ax.axis("off")
    ax.set_title(figure_text(N_("{name}: {parameters:,} parameters (solid red arcs: identity "
                                "shortcuts; dashed purple: shortcuts that change the shape)"),
                             name=model.name, parameters=model.count_params()), fontsize=10)
    fig.tight_layout()
    return fig


def plot_degradation(results: dict):
    """Training and validation error per epoch for plain nets and ResNets, as in He et al.
    (2015), Fig. 1 and 6: plain dashed, residual solid, deeper nets thicker.

    Args:
        results: ``{name: {"history": {"accuracy": [...], "val_accuracy": [...]}, "depth",
            "kind"}}`` as returned by :func:`resnet_helpers.training.degradation.degradation_experiment`.
    """
    use_cjk_font()
    fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=True)
    depths = sorted({r["depth"] for r in results.values()})
    for name, r in results.items():
        h = r["history"]
        style = dict(ls="--" if r["kind"] == "plain" else "-",
                     lw=1.2 + 1.5 * depths.index(r["depth"]),
                     color="tab:red" if r["kind"] == "plain" else "tab:blue",
                     alpha=0.55 + 0.45 * depths.index(r["depth"]) / max(1, len(depths) - 1))
        epochs = np.arange(1, len(h["accuracy"]) + 1)
        axes[0].plot(epochs, 100 * (1 - np.array(h["accuracy"])), label=figure_text(name), **style)
        axes[1].plot(epochs, 100 * (1 - np.array(h["val_accuracy"])), label=figure_text(name),
                     **style)
    for ax, title in zip(axes, (N_("training error"), N_("validation error"))):
        ax.set_title(figure_text(title))
        ax.set_xlabel(figure_text(N_("epoch")))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
    axes[0].set_ylabel(figure_text(N_("error (%)")))
    axes[1].legend()
    fig.tight_layout()
    return fig


def plot_gradient_norms(norms: dict[str, tuple[list[str], np.ndarray]], title: str = ""):
    """Gradient norm of each convolution's kernel, input to output, on a log scale.

    Args:
        norms: ``{label: (layer names, norms)}`` from
            :func:`resnet_helpers.inspect.analysis.gradient_norms`.
    """
    use_cjk_font()
    fig, ax = plt.subplots(figsize=(9, 3.8))
    for label, (names, values) in norms.items():
        ax.semilogy(np.arange(1, len(values) + 1), values, marker="o", ms=3,
                    ls="--" if "plain" in label else "-", label=figure_text(label))
    ax.set_xlabel(figure_text(N_("convolution (1 = first, next to the input)")))
    ax.set_ylabel("‖∂loss/∂kernel‖")
    ax.set_title(figure_text(title))
    ax.grid(alpha=0.3, which="both")
    ax.legend()
    fig.tight_layout()
    return fig


def plot_interpolation(curves: dict[str, tuple[np.ndarray, np.ndarray]]):
    """Loss along the line from initial (α = 0) to trained (α = 1) weights, one line per model
    (log scale, with plain tick labels such as 0.5, 1, 2, when the losses span more than ×4)."""
    use_cjk_font()
    fig, ax = plt.subplots(figsize=(6, 3.8))
    for label, (alphas, losses) in curves.items():
        ax.plot(alphas, losses, marker="o", ms=3, ls="--" if "plain" in label else "-",
                label=figure_text(label))
    ax.set_xlabel(figure_text(N_("α  (0: initialisation, 1: trained)")))
    ax.set_ylabel(figure_text(N_("loss")))
    values = np.concatenate([np.ravel(losses) for _, losses in curves.values()])
    if values.min() > 0 and values.max() / values.min() > 4:  # log scale, plain tick labels
        ax.set_yscale("log")
        ax.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
        ax.yaxis.set_minor_formatter(NullFormatter())
    ax.grid(alpha=0.3, which="both")
    ax.legend()
    fig.tight_layout()
    return fig


def plot_loss_surfaces(surfaces: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]],
                       levels: int = 20):
    """Contour plots of 2-D loss slices side by side, on a shared log colour scale (one colour
    bar for all panels, which keep equal widths; round loss values as its ticks)."""
    use_cjk_font()
    fig, axes = plt.subplots(1, len(surfaces), figsize=(5 * len(surfaces), 4.4), squeeze=False,
                             layout="constrained")
    all_z = np.concatenate([np.log10(z).ravel() for _, _, z in surfaces.values()])
    bounds = np.linspace(all_z.min(), np.percentile(all_z, 98), levels)
    for ax, (label, (alphas, betas, z)) in zip(axes[0], surfaces.items()):
        cs = ax.contourf(alphas, betas, np.log10(z), levels=bounds, cmap="viridis",
                         extend="max")
        ax.contour(alphas, betas, np.log10(z), levels=bounds, colors="white",
                   linewidths=0.3)
        ax.plot([0], [0], "r*", ms=10)
        ax.set_title(figure_text(label))
        ax.set_xlabel(figure_text(N_("direction {n}"), n=1))
        ax.set_aspect("equal")
    axes[0, 0].set_ylabel(figure_text(N_("direction {n}"), n=2))
    bar = fig.colorbar(cs, ax=axes[0].tolist(), label=figure_text(N_("loss (log scale)")),
                       shrink=0.9)
    round_values = [m * 10.0 ** e for e in range(int(np.floor(bounds[0])) - 1,
                                                 int(np.ceil(bounds[-1])) + 1) for m in (1, 2, 5)]
    ticks = [v for v in round_values if bounds[0] <= np.log10(v) <= bounds[-1]]
    if len(ticks) > 8:  # many decades: powers of ten only
        ticks = [v for v in ticks if np.isclose(np.log10(v), round(np.log10(v)))]
    if len(ticks) < 2:  # less than a factor 2 in range: a few values rounded to 2 digits
        ticks = sorted({float(f"{10 ** t:.2g}") for t in np.linspace(bounds[0], bounds[-1], 4)})
    bar.set_ticks(np.log10(ticks), labels=[f"{v:g}" for v in ticks])
    return fig


def plot_lesion(results: dict[str, dict[str, float]], chance: float = 0.1,
                ylabel: str = N_("validation accuracy")):
    """Accuracy after deleting each block, one line per network, blocks input to output.

    Args:
        results: ``{label: lesion_study(...)}``; each includes ``"none"`` (the intact model),
            drawn as a horizontal line in the same colour.
        chance: accuracy of guessing (dotted line); 0.1 for ten classes.
        ylabel: what the accuracies were measured on.
    """
    use_cjk_font()
    fig, ax = plt.subplots(figsize=(9, 4.6))
    for label, accuracies in results.items():
        blocks = [b for b in accuracies if b != "none"]
        line, = ax.plot(np.arange(1, len(blocks) + 1), [accuracies[b] for b in blocks],
                        marker="o", ms=3, ls="--" if "plain" in label else "-",
                        label=figure_text(N_("{label}, one block deleted"), label=label))
        ax.axhline(accuracies["none"], color=line.get_color(), lw=1, alpha=0.6,
                   label=figure_text(N_("{label}, intact ({accuracy:.1%})"), label=label,
                                     accuracy=accuracies["none"]))
    ax.axhline(chance, color="grey", ls=":", lw=1,
               label=figure_text(N_("chance ({chance:.0%})"), chance=chance))
    ax.set_xlabel(figure_text(N_("deleted block (1 = nearest the input; blocks that change shape "
                                 "are kept)")))
    ax.set_ylabel(figure_text(ylabel))
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3)
    fig.tight_layout()
    return fig
