"""The lessons as files: stored clean, parameterised once, and executable with parameters.

Every lesson is executed top to bottom in `make test`: by papermill here (the run-course test,
which also proves that injected parameters take effect and bad ones fail early), from the real
JupyterLab in tests/test_jupyterlab.py, and the Chinese edition through papermill
(tests/test_zh_course_run.py) and under nbval.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import ast

import nbformat
import papermill
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
ZH_NOTEBOOKS = sorted((ROOT / "notebooks" / "zh").glob("[0-9][0-9]_*.ipynb"))


def test_lessons_exist_in_order():
    assert [p.name[:2] for p in NOTEBOOKS] == ["01", "02", "03", "04", "05", "06"]


@pytest.mark.parametrize("path", NOTEBOOKS + ZH_NOTEBOOKS,
                         ids=lambda p: str(p.relative_to(ROOT / "notebooks")))
def test_notebook_is_clean_and_has_one_parameters_cell(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), \
        "store notebooks without outputs (make strip)"
    tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    names = []
    for line in tagged[0].source.splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, value = (s.strip() for s in line.split("=", 1))
            assert name.isupper(), f"parameter names are UPPER_CASE: {name}"
            ast.literal_eval(value)  # plain literals only
            names.append(name)
    # papermill must see every one of them (it skips lines with a second "=", even in comments)
    assert list(papermill.inspect_notebook(str(path))) == names
    for cell in code:
        for line in cell.source.splitlines():
            assert not line.lstrip().startswith(("!", "%")), f"no shell or magics: {line}"
    assert any("import resnet_helpers as rh" in c.source for c in code)


def _papermill(notebook, out, *params, env_extra=None):
    env = {**os.environ, "RESNET_SMOKE": "1", **(env_extra or {})}
    args = [sys.executable, "-m", "papermill", str(notebook), str(out), "--cwd",
            str(ROOT / "notebooks"), "-k", "python3", "--no-progress-bar"]
    for name, value in params:
        args += ["-p", name, str(value)]
    return subprocess.run(args, capture_output=True, text=True, env=env, timeout=600)


def test_bad_parameter_fails_in_the_settings_cell(tmp_path):
    out = tmp_path / "03.ipynb"
    proc = _papermill(ROOT / "notebooks" / "03_train_cifar10.ipynb", out, ("EPOCHS", -1),
                      ("RUN_DIR", tmp_path / "run"))
    assert proc.returncode != 0
    nb = nbformat.read(out, as_version=4)
    errors = [c for c in nb.cells if c.cell_type == "code" and any(
        o.get("output_type") == "error" for o in c.outputs)]
    assert len(errors) == 1 and "rh.course.settings(" in errors[0].source
    assert "EPOCHS must be a positive whole number" in json.dumps(errors[0].outputs)
    assert not (tmp_path / "run").exists()  # nothing was trained or written


def test_run_course_passes_parameters_into_the_run(smoke_course_run, real_cifar10):
    out, proc = smoke_course_run.out, smoke_course_run.proc
    env = {**os.environ, "CIFAR10_SOURCE": str(__import__("conftest").REAL_SOURCE)}
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["depth"] == 14 and metrics["epochs"] == 2 and metrics["smoke"] is True
    assert metrics["model_name"] == "resnet14"
    for key in ("test_accuracy", "train_seconds", "images_per_second", "param_count", "device",
                "data_source", "per_class_accuracy"):
        assert key in metrics
    assert sorted(p.name for p in out.glob("*.ipynb")) == [p.name for p in NOTEBOOKS]
    assert (out / "figures" / "03_confusion_matrix.png").exists()
    assert (out / "figures" / "04_grad_cam.png").exists()
    assert "test accuracy" in proc.stdout and "03_train_cifar10.ipynb" in proc.stdout
    for executed in out.glob("*.ipynb"):  # TensorFlow's start-up lines and library warnings
        text = executed.read_text(encoding="utf-8")  # stay out of the lessons
        assert "cuInit" not in text and "oneDNN custom operations" not in text, executed.name
        assert "Warning: " not in text, executed.name
    # a second run into the same folder is refused: nothing is overwritten
    again = subprocess.run([sys.executable, str(ROOT / "scripts" / "run_course.py"), "--smoke",
                            "--out", str(out)], capture_output=True, text=True, env=env)
    assert again.returncode == 2 and "not empty" in again.stderr


def test_lesson04_falls_back_to_the_pretrained_model(tmp_path, real_cifar10):
    out = tmp_path / "04.ipynb"
    proc = _papermill(ROOT / "notebooks" / "04_feature_maps.ipynb", out,
                      ("RUN_DIR", tmp_path / "empty_run"),
                      env_extra={"CIFAR10_SOURCE": str(__import__("conftest").REAL_SOURCE)})
    assert proc.returncode == 0, proc.stderr[-3000:]
    text = json.dumps([c.outputs for c in nbformat.read(out, as_version=4).cells
                       if c.cell_type == "code"])
    assert "using the shipped one" in text and "inspecting the pretrained resnet20" in text
    assert "stage3_block3_out" in text  # ResNet-20's last stage was inspected
    assert (tmp_path / "empty_run" / "figures" / "04_grad_cam.png").exists()


def test_lesson04_refuses_model_path_with_pretrained(tmp_path):
    proc = _papermill(ROOT / "notebooks" / "04_feature_maps.ipynb", tmp_path / "04.ipynb",
                      ("MODEL_PATH", ROOT / "resnet_helpers" / "pretrained" / "resnet20.keras"),
                      ("PRETRAINED", True))
    assert proc.returncode != 0 and "not both" in proc.stderr + proc.stdout


def test_run_course_rejects_unknown_parameters(tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "run_course.py"), "--out",
                           str(tmp_path / "r"), "-p", "EPOCH", "3"], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 2 and "EPOCH" in proc.stderr and "EPOCHS" in proc.stderr


def _tiny_lesson(path, code):
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('RUN_DIR = None  # run folder\nLABEL = "a"  # any label')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(code)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


def test_run_course_resumes_an_interrupted_run(tmp_path):
    lessons, out = tmp_path / "lessons", tmp_path / "run"
    lessons.mkdir()
    count = ("from pathlib import Path\n"
             "f = Path(RUN_DIR) / '{name}.count'\n"
             "f.write_text(str(int(f.read_text()) + 1 if f.exists() else 1))\n")
    _tiny_lesson(lessons / "01_first.ipynb", count.format(name="01"))
    _tiny_lesson(lessons / "02_second.ipynb", count.format(name="02") +
                 "if (Path(RUN_DIR).parent / 'break').exists():\n    raise RuntimeError('interrupted')\n")
    script = [sys.executable, str(ROOT / "scripts" / "run_course.py"), "--notebooks", str(lessons),
              "--out", str(out)]

    def run(*extra):
        return subprocess.run(script + list(extra), capture_output=True, text=True, timeout=300)

    (tmp_path / "break").touch()
    first = run("-p", "LABEL", "b")
    assert first.returncode == 1 and "02_second.ipynb failed" in first.stderr
    refused = run("-p", "LABEL", "c", "--resume")   # other parameters: refused, nothing runs
    assert refused.returncode == 2 and "parameters it was started with" in refused.stderr
    assert run().returncode == 2                      # a plain run still refuses the folder
    (tmp_path / "break").unlink()
    resumed = run("--resume")
    assert resumed.returncode == 0, resumed.stdout[-2000:] + resumed.stderr[-2000:]
    assert "01_first.ipynb: finished earlier, kept" in resumed.stdout
    assert (out / "01.count").read_text() == "1" and (out / "02.count").read_text() == "2"
    executed = nbformat.read(out / "02_second.ipynb", as_version=4)
    assert executed.metadata.papermill.parameters["LABEL"] == "b"  # the recorded parameters
    again = run("--resume")                            # nothing left to do: nothing re-runs
    assert again.returncode == 0 and (out / "02.count").read_text() == "2"
    elsewhere = tmp_path / "other"
    elsewhere.mkdir()
    (elsewhere / "x.txt").touch()
    proc = subprocess.run(script[:-1] + [str(elsewhere), "--resume"], capture_output=True, text=True)
    assert proc.returncode == 2 and "run_course.json is missing" in proc.stderr
    assert (elsewhere / "x.txt").exists()
