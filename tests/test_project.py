"""The project's files agree with each other."""
import re
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_environment_yml_installs_what_pyproject_declares():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    python = next(d for d in deps if isinstance(d, str) and d.startswith("python"))
    version = python.split("=")[1]
    low, high = re.findall(r"(\d+\.\d+)", project["requires-python"])
    as_tuple = lambda v: tuple(map(int, v.split(".")))  # noqa: E731
    assert as_tuple(low) <= as_tuple(version) < as_tuple(high)
    assert "pip" in deps
    pip = next(d for d in deps if isinstance(d, dict))["pip"]
    extras = set(project["optional-dependencies"])
    assert pip == ["-e .[course]"] and "course" in extras


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in readme and "make run" in readme
    assert re.search(r"^make test$", ci, re.M)


def test_package_imports_public_api():
    import resnet_helpers as rh
    for name in ("residual_block", "build_resnet", "build_simple_resnet", "build_plain",
                 "load_cifar10", "train_val_split", "make_datasets", "CLASS_NAMES", "train",
                 "feature_maps", "grad_cam", "plot_history", "plot_confusion_matrix",
                 "show_images", "plot_feature_maps", "build_resnet9", "load_pretrained",
                 "pick_precision", "compile_for_training"):
        assert hasattr(rh, name), name


def test_the_pretrained_checkpoint_is_packaged():
    """`pip install .` must carry the checkpoint and its manifest (load_pretrained reads them)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = project["tool"]["setuptools"]["package-data"]["resnet_helpers"]
    shipped = [p.relative_to(ROOT / "resnet_helpers").as_posix()
               for p in (ROOT / "resnet_helpers" / "pretrained").iterdir()]
    assert shipped and all(any(Path(f).match(pat) for pat in patterns) for f in shipped), shipped


def test_importing_the_package_keeps_tensorflow_start_up_lines_out():
    """The lessons import resnet_helpers first; `make` exports TF_CPP_MIN_LOG_LEVEL=2."""
    import os
    import subprocess
    import sys

    def stderr_of(env_level):
        env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
        if env_level is not None:
            env["TF_CPP_MIN_LOG_LEVEL"] = env_level
        return subprocess.run([sys.executable, "-c", "import resnet_helpers, keras"],
                              capture_output=True, text=True, env=env, timeout=300).stderr

    noise = ("oneDNN custom operations", "cuda", "cuInit", "absl::InitializeLog")
    loud = stderr_of("0")   # a user who asks for every message gets them
    assert any(n in loud for n in noise), "TensorFlow printed nothing at level 0: test is moot"
    for level in (None, "2"):
        quiet = stderr_of(level)
        assert not any(n in quiet for n in noise), f"level {level}: {quiet[-2000:]}"
