"""Loading CIFAR-10 from wherever it is: Keras's download, the official archive, a folder.

``load_cifar10()`` looks for the data in this order:

1. the ``source`` argument;
2. the environment variable ``CIFAR10_SOURCE``;
3. Keras's cache (``~/.keras/datasets``, or ``$KERAS_HOME/datasets``), downloading into it
   with ``keras.datasets.cifar10.load_data()`` when it is empty.

A source is one of:

* the official ``cifar-10-python.tar.gz`` (its sha256 is checked before anything is unpickled);
* its extracted ``cifar-10-batches-py/`` folder (``data_batch_1`` … ``test_batch``);
* an image folder ``train/<class>/*.{jpg,png}`` + ``test/<class>/*`` with class folders named as
  in :data:`CLASS_NAMES`, given as a folder or as a ``.tar.gz`` of that folder. Its images are
  returned in a fixed mixed order (seed 0), as the official batches are, not class by class.

Decoded arrays are cached as ``.npz`` under ``$RESNET_CACHE`` (default
``~/.cache/resnet-course``), keyed by a fingerprint of the source (the archive's sha256, or a
folder's file names, sizes and modification times), so a second load takes about a second and a
changed source is decoded afresh.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import socket
import tarfile
from pathlib import Path

import numpy as np

from resnet_helpers.data.cifar10_images import CLASS_NAMES, read_image_archive, read_image_folder

__all__ = ["OFFICIAL_SHA256", "BATCH_FILES", "DOWNLOAD_TIMEOUT_S", "CACHE_VERSION",
           "DatasetUnavailableError", "cache_dir", "keras_cache_dir", "describe_source",
           "load_cifar10", "sha256_file"]

#: sha256 of the official https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz
OFFICIAL_SHA256 = "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"
BATCH_FILES = tuple(f"data_batch_{i}" for i in range(1, 6)) + ("test_batch",)
DOWNLOAD_TIMEOUT_S = 20
CACHE_VERSION = 2  # bump when the decoded arrays change for the same source

Arrays = tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


class DatasetUnavailableError(RuntimeError):
    """CIFAR-10 could neither be found locally nor downloaded."""


def cache_dir() -> Path:
    """Folder of decoded-array caches: ``$RESNET_CACHE`` or ``~/.cache/resnet-course``."""
    return Path(os.environ.get("RESNET_CACHE") or Path.home() / ".cache" / "resnet-course")


def keras_cache_dir() -> Path:
    """Where ``keras.datasets`` keeps downloads: ``$KERAS_HOME/datasets`` or ``~/.keras/datasets``."""
    return Path(os.environ.get("KERAS_HOME") or Path.home() / ".keras") / "datasets"


def describe_source(source: str | os.PathLike | None = None) -> str:
    """Where :func:`load_cifar10` takes the data from, in words (for logs and metrics)."""
    if source is not None:
        return str(Path(source).expanduser().resolve())
    if os.environ.get("CIFAR10_SOURCE"):
        return str(Path(os.environ["CIFAR10_SOURCE"]).expanduser().resolve()) + " (CIFAR10_SOURCE)"
    cached = _keras_cached_batches()
    return f"{cached} (Keras cache)" if cached else "Keras download (cifar-10-python.tar.gz)"


def load_cifar10(source: str | os.PathLike | None = None, *, use_cache: bool = True) -> Arrays:
    """Load CIFAR-10 as ``(x_train, y_train), (x_test, y_test)``.

    Args:
        source: path to the official archive, its extracted folder, or an image folder / its
            ``.tar.gz``. ``None`` means ``$CIFAR10_SOURCE``, then Keras's cache or download.
        use_cache: read and write the decoded ``.npz`` cache (see :func:`cache_dir`).

    Returns:
        ``x_train`` uint8 ``(50000, 32, 32, 3)``, ``y_train`` uint8 ``(50000,)``, ``x_test``
        uint8 ``(10000, 32, 32, 3)``, ``y_test`` uint8 ``(10000,)`` — labels 0–9 index
        :data:`CLASS_NAMES` (sizes are those of the source; a small image folder gives fewer).

    Raises:
        FileNotFoundError: the source path does not exist.
        ValueError: the source exists but is not CIFAR-10 in a known layout, is corrupt, or fails
            the checksum; the message names the file and what to do.
        DatasetUnavailableError: no source was given and the download failed (offline).
    """
    if source is None:
        source = os.environ.get("CIFAR10_SOURCE") or None
    if source is None:
        cached = _keras_cached_batches()
        if cached is None:
            return _download_with_keras()
        source = cached
    path = Path(source).expanduser()
    if not path.exists():
        raise FileNotFoundError(
            f"CIFAR-10 source {str(path)!r} does not exist. Give the path of "
            "cifar-10-python.tar.gz, of its extracted cifar-10-batches-py folder, or of an image "
            "folder (train/<class>/*, test/<class>/*) or its .tar.gz."
        )
    key = _fingerprint(path)
    cache_file = cache_dir() / f"cifar10-v{CACHE_VERSION}-{key[:20]}.npz"
    if use_cache and cache_file.exists():
        try:
            with np.load(cache_file) as z:
                return (z["x_train"], z["y_train"]), (z["x_test"], z["y_test"])
        except (OSError, ValueError, KeyError, EOFError):
            pass  # a damaged cache is decoded afresh and rewritten below
    arrays = _decode(path)
    if use_cache:
        _write_cache(cache_file, arrays)
    return arrays


def _decode(path: Path) -> Arrays:
    if path.is_dir():
        batches = _find_batches_dir(path)
        if batches is not None:
            return _read_batches({n: (batches / n).read_bytes() for n in BATCH_FILES}, path)
        return read_image_folder(path)
    if not tarfile.is_tarfile(path):
        raise ValueError(
            f"{path} is neither a folder nor a readable .tar.gz archive (truncated or another "
            "format?). Download cifar-10-python.tar.gz again, or point to an extracted folder."
        )
    try:
        with tarfile.open(path, "r:*") as tar:
            names = {Path(m.name).name: m for m in tar.getmembers() if m.isfile()}
            if all(n in names for n in BATCH_FILES):
                digest = sha256_file(path)
                if digest != OFFICIAL_SHA256:
                    raise ValueError(
                        f"{path} holds CIFAR-10 batch files but its sha256 is {digest}, not the "
                        f"official {OFFICIAL_SHA256}. It may be corrupt or tampered with, so it "
                        "was not unpickled (and not deleted). Download it again from "
                        "https://www.cs.toronto.edu/~kriz/cifar.html."
                    )
                return _read_batches({n: tar.extractfile(names[n]).read() for n in BATCH_FILES},
                                     path)
            return read_image_archive(tar, path)
    except (tarfile.TarError, EOFError, OSError) as err:
        raise ValueError(
            f"Could not read the archive {path}: {err}. It is probably truncated or corrupt; "
            "download or copy it again."
        ) from err


class _ArrayUnpickler(pickle.Unpickler):
    """Unpickles only plain containers and numpy arrays: no arbitrary code from a pickle."""

    ALLOWED = {("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"),
               ("numpy", "ndarray"), ("numpy", "dtype"), ("numpy.core.multiarray", "scalar"),
               ("numpy._core.multiarray", "scalar"), ("codecs", "encode"), ("_codecs", "encode"),
               ("numpy._core.numeric", "_frombuffer"), ("numpy.core.numeric", "_frombuffer")}

    def find_class(self, module, name):
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(f"refusing to load {module}.{name} from a batch file")
        return super().find_class(module, name)


def _read_batches(raw: dict[str, bytes], origin: Path) -> Arrays:
    xs, ys = [], []
    for name in BATCH_FILES:
        try:
            batch = _ArrayUnpickler(io.BytesIO(raw[name]), encoding="bytes").load()
            data = np.asarray(batch[b"data"], dtype=np.uint8).reshape(-1, 3, 32, 32)
            labels = np.asarray(batch[b"labels"], dtype=np.uint8)
        except Exception as err:  # any malformed batch gets the same clear message
            raise ValueError(
                f"{origin}: {name} is not a CIFAR-10 batch ({type(err).__name__}: {err}). "
                "Extract the official cifar-10-python.tar.gz again."
            ) from err
        if len(data) != len(labels) or labels.max(initial=0) >= len(CLASS_NAMES):
            raise ValueError(f"{origin}: {name} has mismatched images and labels (0–9 expected).")
        xs.append(data.transpose(0, 2, 3, 1))
        ys.append(labels)
    return (np.concatenate(xs[:5]), np.concatenate(ys[:5])), (xs[5], ys[5])


def _find_batches_dir(path: Path) -> Path | None:
    for candidate in (path, path / "cifar-10-batches-py"):
        if all((candidate / n).is_file() for n in BATCH_FILES):
            return candidate
    return None


def sha256_file(path: str | os.PathLike, chunk: int = 1 << 20) -> str:
    """Hex sha256 of a file, read in chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


def _fingerprint(path: Path) -> str:
    if path.is_file():
        return sha256_file(path)
    h = hashlib.sha256()
    for p in sorted(path.rglob("*")):
        if p.is_file():
            st = p.stat()
            h.update(f"{p.relative_to(path)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _write_cache(cache_file: Path, arrays: Arrays) -> None:
    (x_train, y_train), (x_test, y_test) = arrays
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache_file.with_suffix(f".tmp{os.getpid()}.npz")
        np.savez(tmp, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
        os.replace(tmp, cache_file)  # atomic: a crash never leaves a half-written cache
    except OSError:
        pass  # a read-only home folder only costs speed


def _keras_cached_batches() -> Path | None:
    base = keras_cache_dir()
    for candidate in (base / "cifar-10-batches-py-target", base / "cifar-10-batches-py"):
        if candidate.is_dir() and _find_batches_dir(candidate) is not None:
            return candidate
    return None


def _download_with_keras() -> Arrays:
    import keras

    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(DOWNLOAD_TIMEOUT_S)
    try:
        (x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
    except Exception as err:  # urllib, SSL, DNS and Keras errors all mean the same to a learner
        raise DatasetUnavailableError(
            f"Downloading CIFAR-10 with Keras failed ({type(err).__name__}: {err}).\n"
            "Provide a local copy in one of three ways:\n"
            "  1. pass it: rh.load_cifar10('/path/to/cifar-10-python.tar.gz')  (or the notebooks' "
            "DATA_SOURCE parameter, or `make run DATA=/path/...`);\n"
            "  2. set the environment variable CIFAR10_SOURCE=/path/to/cifar-10-python.tar.gz;\n"
            f"  3. put the extracted cifar-10-batches-py/ folder into {keras_cache_dir()}/.\n"
            "A source may be the official archive, its extracted folder, or an image folder "
            "(train/<class>/*, test/<class>/*) or its .tar.gz."
        ) from None
    finally:
        socket.setdefaulttimeout(previous)
    return (x_train, y_train.reshape(-1)), (x_test, y_test.reshape(-1))
