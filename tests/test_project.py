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
    assert pip == ["-c constraints.txt", "-e .[course]"] and "course" in extras  # as make install


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


def test_importing_the_package_leaves_stderr_and_the_environment_alone():
    """No redirected descriptor and no log level set behind the user's back: a broken
    TensorFlow's C++ lines reach whoever imports the package, as TensorFlow prints them."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    code = ("import os, resnet_helpers, keras; "
            "print('TF_CPP_MIN_LOG_LEVEL' in os.environ, keras.backend.backend())")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["False", "tensorflow"]
    noise = ("oneDNN custom operations", "cuda", "cuInit", "absl::InitializeLog")
    assert any(n in proc.stderr for n in noise), f"TensorFlow's lines were hidden: {proc.stderr!r}"


def test_the_course_kernel_keeps_tensorflow_start_up_lines_out_of_the_lessons(tmp_path):
    """`make install` registers the lessons' kernel with scripts/install_kernel.py: TensorFlow's
    C++ log level set before it loads, and descriptor-2 output left to the terminal."""
    import json
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "install_kernel.py"),
                           "--prefix", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    spec = json.loads((tmp_path / "share" / "jupyter" / "kernels" / "resnet-course"
                       / "kernel.json").read_text())
    assert spec["display_name"] == "Python (resnet-course)"
    assert spec["argv"][0] == sys.executable and "--IPKernelApp.capture_fd_output=False" in spec["argv"]
    assert spec["env"] == {"TF_CPP_MIN_LOG_LEVEL": "2"}
    assert "install_kernel.py" in (ROOT / "Makefile").read_text()


# --- The READMEs are front doors for learners; the details live in docs/, the measurements in
# benchmarks/README.md.
LESSONS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_FENCED = re.compile(r"^```.*?^```", re.M | re.S)


def neutral_words(text: str) -> float:
    """A length that compares English and Chinese text: every run of Latin letters or digits is
    one word, and every two CJK characters are one (the usual rough equivalence; this project's
    translations use about 2 characters per English word of prose)."""
    latin = re.findall(r"[A-Za-z0-9]+(?:['’.][A-Za-z0-9]+)*", _CJK.sub(" ", text))
    return len(latin) + len(_CJK.findall(text)) / 2


def test_the_readme_is_a_front_door_of_at_most_1500_words():
    """Counted like `wc -w`, code blocks included (as the 6,600 words of the old README were):
    what a learner scrolls through. Measurement logs go to benchmarks/README.md, details to docs/."""
    text = (ROOT / "README.md").read_text()
    assert len(text.split()) <= 1500, f"README.md has {len(text.split())} words (at most 1,500)"
    for lesson in LESSONS:                                  # every lesson is named and linked
        assert f"](notebooks/{lesson})" in text, lesson
    for command in ("make lab", "make run", "make test", "EDITION=zh", "conda env create",
                    "CIFAR10_SOURCE", "make site", "rh.exercises.check", "load_image_folder"):
        assert command in text, command
    assert not re.search(r"(?i)\bissues? \d+", text), "issue numbers belong in the history"


def test_the_chinese_readme_mirrors_the_english_one_at_about_its_length():
    """README.zh.md has the English front door's sections, lessons and table, starts a Chinese
    learner on the Chinese lessons, and is at most 10% longer than README.md when both are
    measured alike (:func:`neutral_words`: a translation runs a little longer than its source)."""
    en = (ROOT / "README.md").read_text()
    zh = (ROOT / "README.zh.md").read_text(encoding="utf-8")
    heads = lambda t: re.findall(r"^## ", _FENCED.sub("", t), re.M)  # noqa: E731
    assert len(heads(zh)) == len(heads(en))
    for lesson in LESSONS:
        assert f"](notebooks/zh/{lesson})" in zh, lesson
    rows = lambda t: [r for r in t.splitlines() if re.match(r"\| (\d\d)? ?\|", r)]  # noqa: E731
    assert len(rows(zh)) == len(rows(en)) == len(LESSONS) + 1      # + the make run total
    first_code = _FENCED.search(zh).group(0)
    assert "make lab EDITION=zh" in first_code and "make run EDITION=zh" in first_code
    assert "(benchmarks/README.md" in zh and "| 项目 | 结果 |" not in zh   # no measurement log
    assert neutral_words(zh) <= 1.1 * neutral_words(en), (neutral_words(zh), neutral_words(en))


def _anchors(text: str) -> set[str]:
    """GitHub's heading anchors (as the website's MyST makes them) of a Markdown text."""
    return {re.sub(r"[^\w\- ]", "", h).strip().lower().replace(" ", "-")
            for h in re.findall(r"^#+ (.+)$", _FENCED.sub("", text), re.M)}


@pytest.mark.parametrize("page", ["README.md", "README.zh.md", "benchmarks/README.md",
                                  *sorted(p.relative_to(ROOT).as_posix()
                                          for p in (ROOT / "docs").rglob("*.md"))])
def test_links_between_the_project_pages_resolve(page):
    """Every relative link of the READMEs, docs/ and benchmarks/README.md points at an existing
    file, and every #anchor at a heading of its page (the moved sections keep their links)."""
    path = ROOT / page
    text = _FENCED.sub("", path.read_text(encoding="utf-8"))
    broken = []
    for target in re.findall(r"(?<!!)\[[^\]]+\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue
        file, _, anchor = target.partition("#")
        dest = (path.parent / file).resolve() if file else path
        if not dest.exists():
            broken.append(target)
        elif anchor and dest.suffix == ".md" and anchor not in _anchors(dest.read_text("utf-8")):
            broken.append(target)
    assert not broken, broken


# --- The package by layers ----------------------------------------------------------------------
#: Modules that run under any Keras backend (benchmarks/gpu_recipe.py runs them under JAX on a
#: GPU, where TensorFlow is not installed).
BACKEND_NEUTRAL = ["resnet_helpers.data.cifar10", "resnet_helpers.models.resnets",
                   "resnet_helpers.models.fastnet", "resnet_helpers.models.pretrained",
                   "resnet_helpers.training.recipe"]


def _module_file(module: str) -> Path | None:
    path = ROOT / Path(*module.split("."))
    for candidate in (path / "__init__.py", path.with_suffix(".py")):
        if candidate.exists():
            return candidate
    return None


def _module_imports(module: str) -> tuple[set[str], set[str]]:
    """(resnet_helpers modules, other top-level packages) a module imports, when it loads or
    inside any of its functions."""
    import ast

    ours, others = set(), set()
    for node in ast.walk(ast.parse(_module_file(module).read_text())):
        if isinstance(node, ast.Import):
            found = [(a.name, []) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            found = [(node.module, [a.name for a in node.names])]
        else:
            continue
        for name, imported in found:
            if not name.startswith("resnet_helpers"):
                others.add(name.split(".")[0])
                continue
            ours.add(name)
            ours |= {f"{name}.{i}" for i in imported if _module_file(f"{name}.{i}")}
    return ours, others


def test_backend_neutral_modules_import_nothing_that_needs_tensorflow():
    reached = set()
    for module in BACKEND_NEUTRAL:
        seen, todo = set(), [module]
        while todo:
            current = todo.pop()
            parts = current.split(".")
            # importing a module runs every package __init__ on its way
            for chain in [".".join(parts[:i]) for i in range(1, len(parts) + 1)]:
                if chain in seen:
                    continue
                seen.add(chain)
                ours, others = _module_imports(chain)
                assert "tensorflow" not in others, f"{module} imports TensorFlow through {chain}"
                todo += sorted(ours)
        reached |= seen
    assert {"resnet_helpers.models.blocks", "resnet_helpers.data.cifar10_images",
            "resnet_helpers.training.recipe"} <= reached, "the check follows the imports"


def test_every_layer_lists_its_public_names_and_the_top_level_serves_them():
    import importlib

    import resnet_helpers as rh

    for layer in ("data", "models", "training", "inspect", "course"):
        package = importlib.import_module(f"resnet_helpers.{layer}")
        assert package.__all__ == sorted(package._EXPORTS)
        for name, source in package._EXPORTS.items():
            module = importlib.import_module(source)
            if source.rsplit(".", 1)[-1] != name:
                assert name in module.__all__, f"{source}.__all__ lacks {name}"
    modules = [p for p in (ROOT / "resnet_helpers").rglob("*.py")
               if not p.name.startswith("_") and "exercises" not in p.parts
               or p.name in ("core.py", "answers.py")]
    for path in modules:
        assert "__all__" in path.read_text(), f"{path.relative_to(ROOT)} has no __all__"
    assert all(hasattr(rh, name) for name in rh.__all__)
    assert rh.train is rh.training.trainer.train and rh.exercises is rh.course.exercises
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        rh.nope  # noqa: B018
