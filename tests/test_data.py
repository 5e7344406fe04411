import os
import time

import numpy as np
import pytest
from conftest import fake_batches, fake_image_folder, make_tar

import resnet_helpers as rh
from resnet_helpers.data import cifar10 as data


def _check(arrays, n_train, n_test):
    (x, y), (xt, yt) = arrays
    assert x.shape == (n_train, 32, 32, 3) and x.dtype == np.uint8
    assert xt.shape == (n_test, 32, 32, 3) and xt.dtype == np.uint8
    assert y.shape == (n_train,) and yt.shape == (n_test,)
    assert y.max() <= 9 and yt.max() <= 9


def test_official_folder_layout_matches_pickles(tmp_path):
    folder = fake_batches(tmp_path / "cifar-10-batches-py")
    arrays = rh.load_cifar10(folder)
    _check(arrays, 100, 20)
    import pickle
    with open(folder / "data_batch_2", "rb") as f:
        batch = pickle.load(f, encoding="bytes")
    (x, y), _ = arrays
    # image 0 of batch 2 is image 20 of the training set; rows are R plane, G plane, B plane
    np.testing.assert_array_equal(x[20, :, :, 0], batch[b"data"][0, :1024].reshape(32, 32))
    np.testing.assert_array_equal(x[20, :, :, 2], batch[b"data"][0, 2048:].reshape(32, 32))
    assert list(y[20:40]) == batch[b"labels"]
    # the parent folder works too
    _check(rh.load_cifar10(tmp_path, use_cache=False), 100, 20)


def test_official_archive_checksum_is_verified(tmp_path, monkeypatch):
    folder = fake_batches(tmp_path / "src" / "cifar-10-batches-py")
    archive = make_tar(folder, tmp_path / "cifar-10-python.tar.gz", "cifar-10-batches-py")
    with pytest.raises(ValueError, match=rf"sha256.*{rh.OFFICIAL_SHA256}.*not unpickled"):
        rh.load_cifar10(archive)
    assert archive.exists()  # refused, not deleted
    monkeypatch.setattr(data, "OFFICIAL_SHA256", rh.sha256_file(archive))
    _check(rh.load_cifar10(archive), 100, 20)


def test_malicious_pickle_is_refused(tmp_path):
    import pickle
    folder = fake_batches(tmp_path / "b")

    class Evil:
        def __reduce__(self):
            return (os.system, ("echo pwned",))

    with open(folder / "test_batch", "wb") as f:
        pickle.dump({b"data": Evil(), b"labels": []}, f)
    with pytest.raises(ValueError, match="test_batch is not a CIFAR-10 batch"):
        rh.load_cifar10(folder)


@pytest.mark.parametrize("as_tar", [False, True])
def test_image_folder_and_its_archive(tmp_path, as_tar):
    root = fake_image_folder(tmp_path / "imgs", per_class=2)
    source = make_tar(root, tmp_path / "imgs.tar.gz") if as_tar else root
    (x, y), (xt, yt) = rh.load_cifar10(source)
    _check(((x, y), (xt, yt)), 20, 20)
    assert np.bincount(y).tolist() == [2] * 10
    assert list(y) != sorted(y)  # mixed, not class by class
    from PIL import Image
    first_car = np.flatnonzero(y == 1)[0]  # within a class, files keep their sorted order
    np.testing.assert_array_equal(x[first_car],
                                  np.asarray(Image.open(root / "train/automobile/0000.png")))


def test_image_folder_wrapped_in_one_subfolder(tmp_path):
    fake_image_folder(tmp_path / "outer" / "cifar10", per_class=1)
    _check(rh.load_cifar10(tmp_path / "outer"), 10, 10)


def test_missing_class_is_named(tmp_path):
    root = fake_image_folder(tmp_path / "imgs", per_class=1,
                             classes=[c for c in rh.CLASS_NAMES if c != "frog"])
    with pytest.raises(ValueError, match=r"lacks images for the classes \['frog'\]"):
        rh.load_cifar10(root)


def test_wrong_image_size_is_named(tmp_path):
    root = fake_image_folder(tmp_path / "imgs", per_class=1)
    fake_image_folder(tmp_path / "imgs", per_class=1, size=(28, 28), classes=["cat"])
    with pytest.raises(ValueError, match=r"cat/0000.png is 28×28 pixels"):
        rh.load_cifar10(root)


def test_unreadable_image_is_named(tmp_path):
    root = fake_image_folder(tmp_path / "imgs", per_class=1)
    (root / "test" / "dog" / "0000.png").write_bytes(b"not an image")
    with pytest.raises(ValueError, match=r"dog/0000.png is not a readable image"):
        rh.load_cifar10(root)


@pytest.mark.parametrize("make", ["empty_dir", "text_file", "truncated_tar"])
def test_unusable_sources(tmp_path, make):
    if make == "empty_dir":
        source = tmp_path / "empty"
        source.mkdir()
        match = "not a CIFAR-10 folder"
    elif make == "text_file":
        source = tmp_path / "notes.txt"
        source.write_text("hello")
        match = "neither a folder nor a readable .tar.gz"
    else:
        full = make_tar(fake_image_folder(tmp_path / "imgs", per_class=3), tmp_path / "f.tar.gz")
        source = tmp_path / "cut.tar.gz"
        source.write_bytes(full.read_bytes()[: full.stat().st_size // 2])
        match = "truncated or corrupt|neither a folder nor a readable"
    with pytest.raises(ValueError, match=match):
        rh.load_cifar10(source)


def test_missing_path():
    with pytest.raises(FileNotFoundError, match="does not exist.*cifar-10-python.tar.gz"):
        rh.load_cifar10("/nonexistent/cifar")


def test_environment_variable_is_honoured(tmp_path, monkeypatch):
    folder = fake_batches(tmp_path / "b", per_batch=3)
    monkeypatch.setenv("CIFAR10_SOURCE", str(folder))
    _check(rh.load_cifar10(), 15, 3)


def test_keras_cache_folder_is_used_before_downloading(tmp_path, monkeypatch):
    fake_batches(rh.keras_cache_dir() / "cifar-10-batches-py-target" / "cifar-10-batches-py",
                 per_batch=4)
    monkeypatch.setattr(data, "_download_with_keras", lambda: pytest.fail("tried to download"))
    _check(rh.load_cifar10(), 20, 4)


def test_offline_without_source_fails_fast_with_instructions(monkeypatch):
    import socket

    def no_network(*args, **kwargs):
        raise socket.gaierror(-2, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)  # offline, even where a network exists
    start = time.perf_counter()
    with pytest.raises(rh.DatasetUnavailableError) as info:
        rh.load_cifar10()
    assert time.perf_counter() - start < 30
    message = str(info.value)
    for hint in ("failed", "CIFAR10_SOURCE", "load_cifar10(", str(rh.keras_cache_dir())):
        assert hint in message


def test_cache_hit_and_invalidation(tmp_path, monkeypatch):
    root = fake_image_folder(tmp_path / "imgs", per_class=1)
    first = rh.load_cifar10(root)
    assert len(list(rh.cache_dir().glob("*.npz"))) == 1
    calls = []
    with monkeypatch.context() as patch:
        patch.setattr(data, "_decode", lambda p: calls.append(p))
        second = rh.load_cifar10(root)
    assert calls == []  # served from the cache
    np.testing.assert_array_equal(first[0][0], second[0][0])
    # change one image: the fingerprint changes, the data is decoded afresh
    from PIL import Image
    Image.fromarray(np.zeros((32, 32, 3), np.uint8)).save(root / "train/airplane/0000.png")
    os.utime(root / "train/airplane/0000.png", ns=(1, 1))
    third = rh.load_cifar10(root)
    changed = np.flatnonzero(third[0][1] == 0)[0]  # the first airplane is the file we changed
    assert not third[0][0][changed].any() and first[0][0][changed].any()
    assert len(list(rh.cache_dir().glob("*.npz"))) == 2


def test_damaged_cache_is_rebuilt(tmp_path):
    root = fake_image_folder(tmp_path / "imgs", per_class=1)
    rh.load_cifar10(root)
    (cache,) = rh.cache_dir().glob("*.npz")
    cache.write_bytes(b"garbage")
    _check(rh.load_cifar10(root), 10, 10)


def test_real_cifar10_copy(real_cifar10):
    (x, y), (xt, yt) = real_cifar10
    _check(real_cifar10, 50_000, 10_000)
    assert np.bincount(y).tolist() == [5000] * 10
    assert np.bincount(yt).tolist() == [1000] * 10
    assert len(set(y[:50].tolist())) >= 8 and len(set(yt[:50].tolist())) >= 8  # mixed order
    mean, _ = rh.channel_stats(x)
    np.testing.assert_allclose(mean, rh.CIFAR10_MEAN, atol=2.0)  # the JPEG copy is close
