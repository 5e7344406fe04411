"""A reproducible install: constraints.txt pins what pyproject.toml allows, and the Keras
internals the course uses fail with a clear message on a Keras it was not tested with."""
import re
import tomllib
from pathlib import Path

import keras
import numpy as np
import pytest
from packaging.requirements import Requirement

import resnet_helpers as rh
from resnet_helpers import keras_internals
from resnet_helpers.training.callbacks import CompactProgbar

ROOT = Path(__file__).resolve().parents[1]


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"constraints.txt pins exact versions only: {line!r}"
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version.strip()
    return pins


def _requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [Requirement(r) for r in project["dependencies"]
            + project["optional-dependencies"]["course"]]


def test_constraints_pin_every_dependency_inside_the_allowed_range():
    pins = _pins()
    for requirement in _requirements():
        name = re.sub(r"[-_.]+", "-", requirement.name).lower()
        assert name in pins, f"constraints.txt does not pin {requirement.name} (run make lock)"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"constraints.txt pins {name}=={pins[name]}, outside pyproject.toml's {requirement}")
    assert "resnet-course" not in pins, "the course itself is installed from the checkout"


def test_the_installed_environment_is_the_pinned_one():
    """make install and CI install with -c constraints.txt: what runs is what is pinned."""
    pins = _pins()
    assert keras.__version__ == pins["keras"] and np.__version__ == pins["numpy"]


def test_the_keras_range_is_the_tested_one():
    keras_spec = next(r.specifier for r in _requirements() if r.name == "keras")
    for minor in keras_internals.TESTED_KERAS:
        assert keras_spec.contains(f"{minor}.0") and keras_spec.contains(f"{minor}.99")
    major, minor = (int(v) for v in keras_internals.TESTED_KERAS[-1].split("."))
    assert not keras_spec.contains(f"{major}.{minor + 1}.0"), (
        "pyproject.toml must not allow a Keras whose internals were not tested")
    assert ".".join(_pins()["keras"].split(".")[:2]) in keras_internals.TESTED_KERAS


def test_an_untested_keras_fails_with_a_message_that_says_what_to_do(monkeypatch):
    keras_internals.require("anything")          # the installed Keras is a tested one
    monkeypatch.setattr(keras, "__version__", "3.99.0")
    message = r"tested with Keras 3\.15\.x only, and this is Keras 3\.99\.0.*make install"
    with pytest.raises(RuntimeError, match=message):
        keras_internals.require("anything")
    inputs = keras.Input((32, 32, 3))      # not a course model: its scores are found in the graph
    maps = keras.layers.Conv2D(4, 3, activation="relu")(inputs)
    pooled = keras.layers.GlobalAveragePooling2D()(maps)
    foreign = keras.Model(inputs, keras.layers.Dense(3, activation="softmax")(pooled))
    with pytest.raises(RuntimeError, match=r"rh\.grad_cam.*" + message):
        rh.grad_cam(foreign, np.zeros((32, 32, 3), "float32"))
    with pytest.raises(RuntimeError, match=r"rh\.residual_pairs.*" + message):
        rh.residual_pairs(rh.build_resnet(8))
    with pytest.raises(RuntimeError, match=r"CompactProgbar.*" + message):
        CompactProgbar()
