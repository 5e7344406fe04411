"""CIFAR-10 as an image folder: ``train/<class>/*`` and ``test/<class>/*``, or its ``.tar.gz``.

Class folders are named as in :data:`CLASS_NAMES`; images must be 32×32 (JPEG, PNG or BMP).
Each split is returned as ``(images uint8 (N, 32, 32, 3), labels uint8 (N,))`` in a fixed mixed
order (seed 0), as the official batches are, so that the first N images cover every class.

:func:`decode_into` — one image file decoded straight into a slot of a preallocated array,
every mode converted to RGB — is shared with :mod:`resnet_helpers.data.folders`, the loader for
folders of your own images (any class names and sizes).
"""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import numpy as np

__all__ = ["CLASS_NAMES", "IMAGE_SUFFIXES", "read_image_folder", "read_image_archive",
           "decode_into"]

CLASS_NAMES = ("airplane", "automobile", "bird", "cat", "deer",
               "dog", "frog", "horse", "ship", "truck")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp")
Split = tuple[np.ndarray, np.ndarray]


def _split_root(path: Path) -> Path:
    """The folder holding ``train/`` and ``test/`` (the path itself or its only subfolder)."""
    if (path / "train").is_dir():
        return path
    subdirs = [p for p in path.iterdir() if p.is_dir()]
    if len(subdirs) == 1 and (subdirs[0] / "train").is_dir():
        return subdirs[0]
    raise ValueError(
        f"{path} is not a CIFAR-10 folder: expected cifar-10-batches-py files (data_batch_1 … "
        "test_batch) or an image folder with train/<class>/ and test/<class>/ subfolders named "
        f"{', '.join(CLASS_NAMES)}."
    )


def read_image_folder(path: Path) -> tuple[Split, Split]:
    root = _split_root(path)
    out = []
    for split in ("train", "test"):
        files = {c: sorted(p for p in (root / split / c).glob("*")
                           if p.suffix.lower() in IMAGE_SUFFIXES) for c in CLASS_NAMES
                 if (root / split / c).is_dir()}
        _check_classes(path, split, files)
        items = [(str(p), p.read_bytes(), label) for label, c in enumerate(CLASS_NAMES)
                 for p in files[c]]
        out.append(_decode_images(items))
    return _mixed(out[0]), _mixed(out[1])


def read_image_archive(tar: tarfile.TarFile, path: Path) -> tuple[Split, Split]:
    per_split: dict[str, dict[str, list]] = {"train": {}, "test": {}}
    for member in tar:
        parts = Path(member.name).parts
        if not member.isfile() or len(parts) < 3 or Path(member.name).suffix.lower() \
                not in IMAGE_SUFFIXES:
            continue
        split, cls = parts[-3], parts[-2]
        if split in per_split and cls in CLASS_NAMES:
            data = tar.extractfile(member).read()
            per_split[split].setdefault(cls, []).append((member.name, data))
    out = []
    for split in ("train", "test"):
        files = per_split[split]
        _check_classes(path, split, files)
        items = [(name, data, label) for label, c in enumerate(CLASS_NAMES)
                 for name, data in sorted(files[c])]
        out.append(_decode_images(items))
    return _mixed(out[0]), _mixed(out[1])


def _mixed(split: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Image folders come class by class; put them in a fixed mixed order (like the official
    batches), so that the first N images of a split cover every class."""
    order = np.random.default_rng(0).permutation(len(split[1]))
    return split[0][order], split[1][order]


def _check_classes(path: Path, split: str, files: dict) -> None:
    missing = [c for c in CLASS_NAMES if not files.get(c)]
    if len(missing) == len(CLASS_NAMES):
        raise ValueError(
            f"{path} has no images under {split}/<class>/. An image folder needs train/ and test/, "
            f"each with one subfolder per class: {', '.join(CLASS_NAMES)}."
        )
    if missing:
        raise ValueError(
            f"{path}: {split}/ lacks images for the classes {missing}. Every class of "
            f"CIFAR-10 needs a folder {split}/<class>/ with at least one image."
        )


def _decode_images(items: list[tuple[str, bytes, int]]) -> tuple[np.ndarray, np.ndarray]:
    images = np.empty((len(items), 32, 32, 3), dtype=np.uint8)
    labels = np.empty((len(items),), dtype=np.uint8)
    for i, (name, data, label) in enumerate(items):
        decode_into(images[i], io.BytesIO(data), name, resize=False)
        labels[i] = label
    return images, labels


def decode_into(out: np.ndarray, source, name: str, *, resize: bool) -> str | None:
    """Decode one image file straight into ``out``, a ``(H, W, 3)`` uint8 slot of a larger array.

    Every mode becomes RGB: grayscale is repeated over the three channels, palette images are
    expanded, and transparent pixels (RGBA, LA, palette with transparency) are placed on a
    white background.

    Args:
        out: the destination ``(H, W, 3)`` uint8 array (a view, written in place).
        source: a file path or a binary file object.
        name: the file's name, for messages.
        resize: False: the image must already be ``H × W`` (CIFAR-10's 32×32). True: centre-crop
            it to the aspect ratio of ``out`` (cutting the longer side's edges equally), then
            resize with bicubic interpolation.

    Returns:
        The image's original mode (``"L"``, ``"RGBA"``, ``"P"``, …) when it was converted,
        None when it was RGB already.

    Raises:
        ValueError: an unreadable file, or (``resize=False``) an image of another size; the
            message names the file.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    height, width = out.shape[:2]
    try:
        with Image.open(source) as img:
            if not resize and img.size != (width, height):
                raise ValueError(
                    f"{name} is {img.size[0]}×{img.size[1]} pixels; CIFAR-10 images are "
                    f"{width}×{height}. Resize it or remove it from the folder."
                )
            mode = img.mode
            if resize:
                img.draft("RGB", (width, height))  # JPEG: decode at a reduced scale if large
            if mode in ("RGBA", "LA", "PA") or (mode == "P" and "transparency" in img.info):
                rgba = img.convert("RGBA")
                img = Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba)
            rgb = img.convert("RGB")
            if resize and rgb.size != (width, height):
                rgb = ImageOps.fit(rgb, (width, height), method=Image.Resampling.BICUBIC)
            out[...] = np.asarray(rgb)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as err:
        raise ValueError(f"{name} is not a readable image ({err}); remove or replace it.") \
            from err
    return None if mode == "RGB" else mode
