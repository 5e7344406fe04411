"""Your own images: any folder of class sub-folders, any class names, any image sizes.

:func:`load_image_folder` reads either layout::

    my_photos/train/<class>/*.jpg      my_photos/<class>/*.jpg
    my_photos/test/<class>/*.jpg       (split for you: stratified, seeded)

and returns uint8 arrays in the same form as :func:`resnet_helpers.load_cifar10`, plus the
class names (the sub-folder names, sorted). Every image is decoded by the same code as the
CIFAR-10 image folder (:func:`resnet_helpers.data.cifar10_images.decode_into`):

* **size and aspect:** each image is centre-cropped to the aspect ratio of ``image_size``
  (the edges of the longer side are cut equally), then resized (bicubic) — so a photo is never
  squashed, and a square ``image_size`` keeps the middle square of each photo;
* **modes:** grayscale, palette, CMYK and transparent images (RGBA, LA) are converted to RGB
  (transparent pixels on white), and the summary says how many of each were converted;
* **files:** JPEG, PNG, BMP, GIF (first frame), WebP and TIFF by their suffix; hidden files are
  skipped and other files are listed in the summary as ignored; a file with an image suffix
  that cannot be decoded stops the load with its name.

Images are decoded straight into one preallocated array per split, so a folder is never held
in memory twice.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import numpy as np

from resnet_helpers.data.cifar10_images import decode_into
from resnet_helpers.messages import N_, join, tr

__all__ = ["IMAGE_SUFFIXES", "MODE_NAMES", "LoadedFolder", "load_image_folder",
           "write_image_folder"]

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff")
MODE_NAMES = {"L": N_("grayscale"), "LA": N_("grayscale with transparency"), "P": N_("palette"),
              "PA": N_("palette with transparency"), "RGBA": "RGBA", "CMYK": "CMYK",
              "1": N_("black-and-white"), "I;16": N_("16-bit grayscale"),
              "I": N_("32-bit grayscale")}
Split = tuple[np.ndarray, np.ndarray]


def _image_size(image_size) -> tuple[int, int]:
    size = (image_size, image_size) if isinstance(image_size, (int, np.integer)) else image_size
    try:
        height, width = (int(v) for v in size)
        ok = not any(isinstance(v, bool) for v in size) and min(height, width) >= 8
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ValueError(f"image_size must be a whole number of pixels (square images) or "
                         f"(height, width), at least 8; got {image_size!r}. 32 matches "
                         "CIFAR-10; 48 or 64 keep more detail at a higher cost.")
    return height, width


def _visible(folder: Path):
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


def _class_files(folder: Path, ignored: list[Path]) -> dict[str, list[Path]]:
    """``{class name: image files}`` of the sub-folders of ``folder``; other files → ``ignored``."""
    classes = {}
    for sub in _visible(folder):
        if not sub.is_dir():
            ignored.append(sub)
            continue
        files = [p for p in _visible(sub) if p.is_file()]
        classes[sub.name] = [p for p in files if p.suffix.lower() in IMAGE_SUFFIXES]
        ignored += [p for p in files if p.suffix.lower() not in IMAGE_SUFFIXES]
    return classes


def _check_classes(where: str, classes: dict[str, list[Path]]) -> None:
    if not any(classes.values()):
        raise ValueError(
            f"{where} has no images. Expected one sub-folder per class holding image files "
            f"({', '.join(IMAGE_SUFFIXES)}): either train/<class>/ and test/<class>/, or "
            "<class>/ directly (split for you).")
    empty = [c for c, files in classes.items() if not files]
    if empty:
        raise ValueError(f"{where}: the class folder(s) {empty} hold no images. Add images or "
                         "remove the folder.")
    if len(classes) < 2:
        raise ValueError(f"{where} has only one class ({next(iter(classes))!r}); a classifier "
                         "needs at least two class folders.")


def _split_files(classes: dict[str, list[Path]], test_fraction: float, seed: int):
    """Stratified split: every class gives ``round(test_fraction · n)`` images (at least one)."""
    if isinstance(test_fraction, bool) or not isinstance(test_fraction, (int, float)) \
            or not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be a number between 0 and 1 (e.g. 0.2: a fifth "
                         f"of each class is held out for testing), got {test_fraction!r}.")
    rng = np.random.default_rng(seed)
    train, test = {}, {}
    for name, files in classes.items():
        if len(files) < 2:
            raise ValueError(f"class {name!r} has {len(files)} image; splitting needs at least "
                             "2 per class (one to train on, one to test).")
        n_test = min(len(files) - 1, max(1, round(test_fraction * len(files))))
        order = rng.permutation(len(files))
        test[name] = [files[i] for i in sorted(order[:n_test])]
        train[name] = [files[i] for i in sorted(order[n_test:])]
    return train, test


def _decode_split(files: dict[str, list[Path]], names: list[str], size: tuple[int, int],
                  seed: int, converted: Counter) -> Split:
    items = [(path, label) for label, name in enumerate(names) for path in files.get(name, [])]
    order = np.random.default_rng(seed).permutation(len(items))   # mixed classes, as CIFAR-10
    images = np.empty((len(items), *size, 3), dtype=np.uint8)
    labels = np.empty((len(items),), dtype=np.uint8 if len(names) <= 256 else np.int32)
    unreadable = []
    for slot, i in enumerate(order):
        path, label = items[i]
        try:
            mode = decode_into(images[slot], path, str(path), resize=True)
        except ValueError as err:
            unreadable.append(str(err))
            continue
        if mode:
            converted[mode] += 1
        labels[slot] = label
    if unreadable:
        raise ValueError(f"{len(unreadable)} file(s) could not be read as images; remove or "
                         "replace them:\n  " + "\n  ".join(unreadable[:10])
                         + ("\n  …" if len(unreadable) > 10 else ""))
    return images, labels


class LoadedFolder(tuple):
    """``(train, test, class_names)`` from :func:`load_image_folder` — it unpacks like the
    3-tuple — plus ``report``, a dict of what was read: ``folder``, ``split`` (how train and test
    were formed), ``classes``, ``train_images``, ``test_images``, ``train_per_class`` and
    ``test_per_class`` (class → count), ``image_size`` ``(height, width)``, ``converted`` (image
    mode → count converted to RGB), ``ignored`` (paths that are not images) and
    ``untested_classes``: the facts the printed summary states."""

    def __new__(cls, train: Split, test: Split, class_names: list[str], report: dict):
        folder = super().__new__(cls, (train, test, class_names))
        folder.report = report
        return folder


def load_image_folder(path: str | os.PathLike, image_size, *, test_fraction: float = 0.2,
                      seed: int = 0, verbose: bool = True) -> LoadedFolder:
    """Load a folder of your own images for training and testing.

    Args:
        path: a folder with ``train/<class>/*`` and ``test/<class>/*``, or with ``<class>/*``
            directly (then split into training and test images for you).
        image_size: pixels of the returned images: ``64`` (square) or ``(height, width)``. Each
            image is centre-cropped to this aspect ratio and resized (see the module docstring).
        test_fraction: share of each class held out for testing when the folder is not split
            already (at least one image per class); ignored for ``train/`` + ``test/``.
        seed: the split and the mixed order of the images.
        verbose: print a summary: classes, counts, conversions and ignored files.

    Returns:
        ``(x_train, y_train), (x_test, y_test), class_names``: images uint8
        ``(N, height, width, 3)``, labels ``(N,)`` (uint8 up to 256 classes) indexing
        ``class_names`` (the sub-folder names, sorted), classes mixed in a seeded order — as a
        :class:`LoadedFolder`, whose ``report`` holds what the summary prints (counts,
        conversions, ignored files).

    Raises:
        FileNotFoundError: ``path`` does not exist.
        ValueError: a folder the course cannot train on — no images, one class only, an
            empty class folder, a class only in ``test/``, ``train/`` without ``test/`` (or the
            reverse), a class with one image to split, or files that cannot be decoded; the
            message names the folder or files and what to do.
    """
    size = _image_size(image_size)
    root = Path(path).expanduser()
    if not root.exists():
        raise FileNotFoundError(f"No folder {root}. Give the folder holding your class "
                                "sub-folders (or train/ and test/).")
    if not root.is_dir():
        raise ValueError(f"{root} is a file; give the folder holding your class sub-folders.")
    ignored: list[Path] = []
    has_train, has_test = (root / "train").is_dir(), (root / "test").is_dir()
    if has_train != has_test:
        there, missing = ("train", "test") if has_train else ("test", "train")
        raise ValueError(f"{root} has {there}/ but no {missing}/. Give both train/<class>/ and "
                         f"test/<class>/, or put the class folders directly in {root} to have "
                         "them split for you.")
    if has_train:
        train_files = _class_files(root / "train", ignored)
        test_files = _class_files(root / "test", ignored)
        _check_classes(f"{root / 'train'}", train_files)
        only_test = sorted(set(test_files) - set(train_files))
        if only_test:
            raise ValueError(f"{root}: the class(es) {only_test} are in test/ but not in train/; "
                             "the network cannot learn a class it never sees. Add training "
                             "images for them or remove them from test/.")
        if not any(test_files.values()):
            raise ValueError(f"{root / 'test'} has no images; add test/<class>/ folders with "
                             "images, or put the class folders directly in the folder to have "
                             "them split for you.")
        empty = sorted(c for c, files in test_files.items() if not files)
        if empty:
            raise ValueError(f"{root / 'test'}: the class folder(s) {empty} hold no images. "
                             "Add test images or remove the empty folders.")
        how, shown_how = "split as given (train/, test/)", tr("split as given (train/, test/)")
    else:
        classes = _class_files(root, ignored)
        _check_classes(str(root), classes)
        train_files, test_files = _split_files(classes, test_fraction, seed)
        template = N_("split for you: {fraction:.0%} of each class for testing (seed {seed})")
        how = template.format(fraction=test_fraction, seed=seed)   # the report stays English
        shown_how = tr(template, fraction=test_fraction, seed=seed)
    names = sorted(train_files)
    converted: Counter = Counter()
    train = _decode_split(train_files, names, size, seed, converted)
    test = _decode_split(test_files, names, size, seed + 1, converted)
    counts = [np.bincount(labels, minlength=len(names)) for _, labels in (train, test)]
    report = {"folder": str(root), "split": how, "classes": names,
              "train_images": len(train[1]), "test_images": len(test[1]),
              "train_per_class": dict(zip(names, counts[0].tolist())),
              "test_per_class": dict(zip(names, counts[1].tolist())),
              "image_size": tuple(size), "converted": dict(converted),
              "ignored": [str(p) for p in ignored],
              "untested_classes": [c for c in names if not test_files.get(c)]}
    if verbose:
        _print_summary(report, shown_how)
    return LoadedFolder(train, test, names, report)


def _print_summary(report: dict, split: str) -> None:
    """The loader's summary in the learner's language (``report`` stays English: it is data)."""
    per_class = report["train_per_class"].values()
    (height, width), ignored = report["image_size"], report["ignored"]
    print(tr("{folder}: {classes} classes, {train:,} training and {test:,} test images ({split}); "
             "training images per class {low}–{high}", folder=report["folder"],
             classes=len(report["classes"]), train=report["train_images"],
             test=report["test_images"], split=split, low=min(per_class), high=max(per_class)))
    print(tr("  classes: {names}", names=join(report["classes"])))
    print(tr("  every image centre-cropped to {width}:{height} and resized to {height}×{width} "
             "pixels (height × width)", width=width, height=height))
    if report["converted"]:
        counts = join(f"{n} {tr(MODE_NAMES.get(m, m))} ({m})"
                      for m, n in report["converted"].items())
        print(tr("  converted to RGB: {counts}", counts=counts))
    if report["untested_classes"]:
        print(tr("  no test images for: {names} (their accuracy is not measured)",
                 names=join(report["untested_classes"])))
    if ignored:
        shown = join(Path(p).name for p in ignored[:5]) + (" …" if len(ignored) > 5 else "")
        print(tr("  ignored {count} file(s) or folder(s) that are not images: {names}",
                 count=len(ignored), names=shown))


def write_image_folder(root: str | os.PathLike, splits: dict[str, Split],
                       class_names: list[str], *, image_size: int = 64, seed: int = 0) -> dict:
    """Write arrays as an image folder in the layout :func:`load_image_folder` reads, with the
    variety of real photo collections — a stand-in for your own images (lesson 06).

    Every image is upscaled to ``image_size`` pixels (bicubic) and saved as
    ``<root>/<split>/<class>/<index>.<ext>``. Most are JPEG (quality 90) or PNG; about one in
    twenty each is saved as grayscale PNG, RGBA PNG or palette GIF, and about one in ten is
    widened with grey margins to a 5:4 landscape JPEG, which the loader's centre crop removes.

    Args:
        root: the folder to create; it must not exist yet or be empty.
        splits: ``{"train": (x, y), "test": (x, y)}`` with uint8 images ``(N, H, W, 3)`` and
            labels indexing ``class_names`` (a single ``{"all": …}`` with key ``""`` writes
            ``<root>/<class>/…`` for the loader to split).
        class_names: folder names of the classes.
        image_size: side of the written square images, in pixels.
        seed: which images get which format.

    Returns:
        ``{"files": N, "formats": {description: count}}``; the descriptions are English keys,
        shown in the learner's language with ``rh.tr``.
    """
    from PIL import Image

    root = Path(root).expanduser()
    if root.exists() and any(root.iterdir()):
        raise FileExistsError(f"{root} is not empty; write the example folder somewhere new.")
    rng = np.random.default_rng(seed)
    counts: Counter = Counter()
    for split, (x, y) in splits.items():
        for i, (image, label) in enumerate(zip(x, y)):
            folder = root / split / class_names[int(label)]
            folder.mkdir(parents=True, exist_ok=True)
            img = Image.fromarray(np.asarray(image, np.uint8)).resize(
                (image_size, image_size), Image.Resampling.BICUBIC)
            kind = rng.choice(["jpeg", "png", "gray", "rgba", "gif", "wide"],
                              p=[0.45, 0.3, 0.05, 0.05, 0.05, 0.1])
            if kind == "wide":
                canvas = Image.new("RGB", (image_size * 5 // 4, image_size), (128, 128, 128))
                canvas.paste(img, ((canvas.width - image_size) // 2, 0))
                canvas.save(folder / f"{i:05d}.jpg", quality=90)
                counts[N_("landscape JPEG with margins")] += 1
            elif kind == "gray":
                img.convert("L").save(folder / f"{i:05d}.png")
                counts[N_("grayscale PNG")] += 1
            elif kind == "rgba":
                img.convert("RGBA").save(folder / f"{i:05d}.png")
                counts[N_("RGBA PNG")] += 1
            elif kind == "gif":
                img.convert("P", palette=Image.Palette.ADAPTIVE).save(folder / f"{i:05d}.gif")
                counts[N_("palette GIF")] += 1
            elif kind == "png":
                img.save(folder / f"{i:05d}.png")
                counts[N_("PNG")] += 1
            else:
                img.save(folder / f"{i:05d}.jpg", quality=90)
                counts[N_("JPEG")] += 1
    return {"files": sum(counts.values()), "formats": dict(counts)}
