"""Shared fixtures: quiet TensorFlow, fixed seeds, fake CIFAR-10 sources in temp folders."""
import os
import pickle
import subprocess
import sys
import tarfile
from pathlib import Path
from types import SimpleNamespace

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import pytest

SHARED_ARCHIVE = Path(__file__).resolve().parents[2] / "shared" / "data" / "cifar10-jpeg.tar.gz"
#: The real data for the tests that need it: $CIFAR10_SOURCE as the run began, else the shared copy.
REAL_SOURCE = Path(os.environ.get("CIFAR10_SOURCE") or SHARED_ARCHIVE)


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """Every test gets its own empty decode cache and Keras home, and no CIFAR10_SOURCE."""
    import keras

    monkeypatch.setenv("RESNET_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    monkeypatch.delenv("CIFAR10_SOURCE", raising=False)
    keras.utils.set_random_seed(0)


def fake_batches(folder: Path, per_batch: int = 20, seed: int = 0) -> Path:
    """Write official-format pickles (dicts with b'data', b'labels', …) into ``folder``."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        data = rng.integers(0, 256, (per_batch, 3072), dtype=np.uint8)
        labels = [int(v) for v in rng.integers(0, 10, per_batch)]
        batch = {b"batch_label": name.encode(), b"labels": labels, b"data": data,
                 b"filenames": [f"{i}.png".encode() for i in range(per_batch)]}
        with open(folder / name, "wb") as f:
            pickle.dump(batch, f, protocol=2)
    return folder


def fake_image_folder(root: Path, per_class: int = 2, size=(32, 32), fmt="PNG", seed: int = 0,
                      classes=None) -> Path:
    """Write ``train/<class>/*.png`` and ``test/<class>/*.png`` with random pixels."""
    from PIL import Image

    from resnet_helpers import CLASS_NAMES

    rng = np.random.default_rng(seed)
    for split in ("train", "test"):
        for cls in classes or CLASS_NAMES:
            d = root / split / cls
            d.mkdir(parents=True, exist_ok=True)
            for i in range(per_class):
                pixels = rng.integers(0, 256, (*size[::-1], 3), dtype=np.uint8)
                Image.fromarray(pixels).save(d / f"{i:04d}.{fmt.lower()}", fmt)
    return root


def make_tar(folder: Path, out: Path, arcname: str = ".") -> Path:
    with tarfile.open(out, "w:gz") as tar:
        tar.add(folder, arcname=arcname)
    return out


@pytest.fixture(scope="session")
def real_cifar10():
    """The real CIFAR-10 arrays, decoded once per test session (skipped where no copy exists)."""
    if not REAL_SOURCE.exists():
        pytest.skip(f"no local CIFAR-10 copy: set CIFAR10_SOURCE (looked at {REAL_SOURCE})")
    from resnet_helpers.data.cifar10 import load_cifar10

    return load_cifar10(REAL_SOURCE, use_cache=False)


@pytest.fixture(scope="session")
def smoke_course_run(tmp_path_factory, real_cifar10):
    """``make smoke`` once per test session: every lesson executed into one run folder.

    ``scripts/run_course.py --smoke`` with ``-p MODEL resnet -p DEPTH 14 -p EPOCHS 2`` (so the
    parameters are seen to reach the lessons). Shared by the run-course test and the website
    tests, which build the site from it. Returns ``out`` (the run folder) and ``proc``.
    """
    out = tmp_path_factory.mktemp("smoke-course") / "run"
    env = {**os.environ, "CIFAR10_SOURCE": str(REAL_SOURCE), "TF_CPP_MIN_LOG_LEVEL": "2"}
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.run([sys.executable, str(root / "scripts" / "run_course.py"), "--smoke",
                           "--out", str(out), "-p", "MODEL", "resnet", "-p", "DEPTH", "14",
                           "-p", "EPOCHS", "2"],
                          capture_output=True, text=True, env=env, timeout=1200, cwd=root)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return SimpleNamespace(out=out, proc=proc)
