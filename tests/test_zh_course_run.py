"""The Chinese edition runs through papermill as the English one does: ``make smoke``'s second
half (``scripts/run_course.py --smoke --notebooks notebooks/zh``) into one run folder.

`make test` runs this file in its second pytest process, beside nbval's run of the same
lessons, so it costs no wall time of its own (the first process, tests/, is the long one).
"""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
ZH_LESSONS = sorted((ROOT / "notebooks" / "zh").glob("[0-9][0-9]_*.ipynb"))
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def zh_run(tmp_path_factory, real_cifar10):
    out = tmp_path_factory.mktemp("smoke-course-zh") / "run"
    env = {**os.environ, "CIFAR10_SOURCE": str(__import__("conftest").REAL_SOURCE),
           "TF_CPP_MIN_LOG_LEVEL": "2"}
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "run_course.py"), "--smoke",
                           "--notebooks", str(ROOT / "notebooks" / "zh"), "--out", str(out)],
                          capture_output=True, text=True, env=env, timeout=1200, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return out, proc


def test_every_chinese_lesson_runs_into_one_run_folder(zh_run):
    out, proc = zh_run
    assert sorted(p.name for p in out.glob("*.ipynb")) == [p.name for p in ZH_LESSONS]
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["smoke"] is True and 0.0 <= metrics["test_accuracy"] <= 1.0
    for figure in ("03_confusion_matrix.png", "04_grad_cam.png", "05_degradation.png"):
        assert (out / "figures" / figure).stat().st_size > 1000, figure
    assert "03_train_cifar10.ipynb" in proc.stdout


@pytest.mark.parametrize("lesson", [p.name for p in ZH_LESSONS])
def test_executed_chinese_lesson_is_complete_and_still_chinese(zh_run, lesson):
    out, _ = zh_run
    executed = nbformat.read(out / lesson, as_version=4)
    source = nbformat.read(ROOT / "notebooks" / "zh" / lesson, as_version=4)
    code = [c for c in executed.cells if c.cell_type == "code"
            and "injected-parameters" not in c.metadata.get("tags", [])]
    assert len(code) == sum(c.cell_type == "code" for c in source.cells)
    unrun = [c.source.splitlines()[0] for c in code if c.execution_count is None and c.source]
    assert not unrun, f"{lesson}: cells not executed: {unrun}"
    errors = [c.source.splitlines()[0] for c in code
              if any(o.get("output_type") == "error" for o in c.outputs)]
    assert not errors, f"{lesson}: cells with an error: {errors}"
    prose = "".join(c.source for c in executed.cells if c.cell_type == "markdown")
    assert len(CJK.findall(prose)) > 0.3 * len(prose.replace(" ", "")), \
        f"{lesson}: the executed lesson's prose is not the Chinese edition's"
    text = json.dumps([c.outputs for c in code])
    assert "cuInit" not in text and "oneDNN custom operations" not in text, lesson
    assert "Warning: " not in text, lesson  # no library warnings in the lesson either
