"""Every lesson run from the real JupyterLab UI, in headless Chromium (Playwright).

The project's own ``jupyter lab`` serves a temporary copy of ``notebooks/*.ipynb`` (as
``<tmp>/notebooks/``, so the lessons' default run folder ``../runs/smoke`` is ``<tmp>/runs/smoke``)
in smoke mode (``RESNET_SMOKE=1``). Each lesson, in order (04 reads the model 03 trained), is
opened in JupyterLab, run from the Run menu ("Run All Cells"), saved from the File menu and
checked: no error output, nothing still running or waiting for input, every figure papermill
shows (the session's ``smoke_course_run``) shown here too and decoded, no front-end errors, and
lesson 03's training output kept short. A screenshot of each lesson goes to
``<tmp>/runs/smoke/jupyterlab-screenshots/`` and, when ``$RESNET_SCREENSHOT_DIR`` is set, there too.

Two cheap tests run planted notebooks (a failing cell, a cell waiting for ``input()``) through
the same code path to show that the checks catch what they are meant to catch.
Skipped (with the reason) where Chromium/Playwright or the CIFAR-10 copy is missing.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any, Iterator

import nbformat
import pytest
from _browser import browser_skip_reason, launch_chromium
from _jupyterlab import LabServer
from _lab_run import LabRun, cell_seconds, lab_problems, run_in_lab
from conftest import REAL_SOURCE

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
#: The longest a lesson may take in smoke mode from "Run All Cells" to its last cell.
LESSON_TIMEOUT_S = 300
#: Lesson 03's training cell (found by this text) and the most output text it may render: its
#: ``fit(..., verbose=2)`` prints one line per epoch, so a flood means a per-step bar crept in.
TRAINING_CELL = ("03_train_cifar10", "model.fit(", 5000)
SCREENSHOT_ENV = "RESNET_SCREENSHOT_DIR"
#: A Playwright page and the list of front-end errors its handlers fill.
BrowserPage = tuple[Any, list[str]]


# --- fixtures ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def lab(tmp_path_factory) -> Iterator[LabServer]:
    """The project's JupyterLab serving ``<tmp>/notebooks/`` (a copy of the lessons).

    Torn down whatever happens: kernels shut down through the REST API, the server's process
    group ended, and any kernel process still alive killed; then none may be left alive.
    """
    reason = browser_skip_reason()
    if reason:
        pytest.skip(reason)
    root = tmp_path_factory.mktemp("jupyterlab")
    (root / "notebooks").mkdir()
    for lesson in LESSONS:
        shutil.copy2(lesson, root / "notebooks" / lesson.name)
    env = {**os.environ, "RESNET_SMOKE": "1", "CIFAR10_SOURCE": str(REAL_SOURCE),
           "TF_CPP_MIN_LOG_LEVEL": "2",
           # the exercise cells record attempts: not into the learner's own progress file
           "RESNET_EXERCISES_FILE": str(root / "exercises.json")}
    server = LabServer.start(root, env)
    try:
        yield server
    finally:
        left = server.stop()
    assert not left, "kernel processes still alive after the JupyterLab server stopped:\n" + \
        "\n".join(left)


@pytest.fixture(scope="module")
def browser_page(lab: LabServer, tmp_path_factory) -> Iterator[BrowserPage]:
    """One Chromium page for the whole module, and the list its error handlers fill.

    Collected: uncaught page errors and console messages of type "error" (JupyterLab logs
    nothing else as an error here: the news feed and update check are off, see
    ``_jupyterlab.LAB_SETTINGS``).
    """
    errors: list[str] = []
    with launch_chromium(tmp_path_factory.mktemp("chromium-profile")) as browser:
        page = browser.new_page()
        page.on("pageerror", lambda err: errors.append(f"page error: {err}"))
        page.on("console", lambda msg: msg.type == "error" and errors.append(
            f"console error: {msg.text}" + (f" ({msg.location['url']})"
                                            if msg.location.get("url") else "")))
        yield page, errors


def screenshot_path(lab: LabServer, name: str) -> Path:
    """Where the screenshot of notebook ``name`` goes (inside the lessons' run folder)."""
    return lab.root / "runs" / "smoke" / "jupyterlab-screenshots" / f"{name}.png"


def publish_screenshot(shot: Path | None) -> None:
    """Copy a screenshot to ``$RESNET_SCREENSHOT_DIR`` when that is set."""
    folder = os.environ.get(SCREENSHOT_ENV)
    if shot and folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy2(shot, Path(folder) / shot.name)


def run_notebook(lab: LabServer, browser_page: BrowserPage, path: Path,
                 timeout_s: float) -> LabRun:
    """Run ``path`` from JupyterLab's UI (see ``run_in_lab``), then close its kernel."""
    page, errors = browser_page
    try:
        run = run_in_lab(page, lab, path, errors, timeout_s=timeout_s,
                         screenshot=screenshot_path(lab, path.stem))
    finally:
        try:
            page.goto("about:blank")  # leave the page first: the kernel goes away next
        finally:
            lab.shut_down_sessions()
    publish_screenshot(run.screenshot)
    return run


def planted(lab: LabServer, name: str, *sources: str) -> Path:
    """Write a small notebook of code cells ``sources`` into ``<root>/planted/``."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    path = lab.root / "planted" / f"{name}.ipynb"
    path.parent.mkdir(exist_ok=True)
    nbformat.write(nb, path)
    return path


# --- the checks catch what they should ----------------------------------------------------------
def test_a_failing_cell_a_missing_figure_and_a_console_error_are_reported(lab, browser_page):
    path = planted(lab, "planted_error", "print('before')",
                   "from IPython.display import Javascript\n"
                   "display(Javascript(\"console.error('planted console error')\"))",
                   'raise RuntimeError("planted")', "print('not reached')")
    reference = json.loads(path.read_text(encoding="utf-8"))   # "papermill showed a figure"
    reference["cells"][0]["outputs"] = [nbformat.v4.new_output(
        "display_data", data={"image/png": "iVBORw0KGgo="})]
    run = run_notebook(lab, browser_page, path, timeout_s=60)
    problems = lab_problems(run, reference)
    assert run.state == "done", f"the run did not settle: {run.state}"
    assert len(problems) == 3, problems
    assert problems[0] == 'cell 3 ("raise RuntimeError("planted")") failed: RuntimeError: planted'
    assert problems[1].startswith("front end: console error: planted console error"), problems
    assert problems[2] == ('cell 1 ("print(\'before\')") shows a figure under papermill but has '
                           "no image output after the JupyterLab run"), problems


def test_a_cell_waiting_for_input_is_reported_without_waiting_for_it(lab, browser_page):
    path = planted(lab, "planted_input", "print('before')", "answer = input('Your name? ')")
    run = run_notebook(lab, browser_page, path, timeout_s=60)
    problems = lab_problems(run)
    assert run.state == "input" and run.seconds < 30, (run.state, run.seconds)
    assert any(p.startswith("waiting for input(): 1 open stdin prompt") and
               "cell 2 (\"answer = input('Your name? ')\")" in p for p in problems), problems
    assert 'cell 2 ("answer = input(\'Your name? \')") still shows [*]: (queued or running)' \
        in problems, problems


# --- every lesson -------------------------------------------------------------------------------
def flood_problems(run: LabRun, lesson: str) -> list[str]:
    """Lesson 03's training cell must render short output (one line per epoch)."""
    name, marker, limit = TRAINING_CELL
    if lesson != name:
        return []
    cells = [i for i, c in enumerate(run.notebook["cells"])
             if c["cell_type"] == "code" and marker in "".join(c["source"])]
    if len(cells) != 1:
        return [f"expected one training cell containing {marker!r}, found {len(cells)}"]
    chars = run.output_chars[cells[0]] if cells[0] < len(run.output_chars) else 0
    if chars <= limit:
        return []
    return [f"{run.cell_name(cells[0])} renders {chars:,} characters of output "
            f"(at most {limit:,}): more than one line per epoch"]


def timing_report(run: LabRun, reference: dict) -> str:
    """One line: the run's time in JupyterLab and under papermill, and its slowest cells."""
    lab, papermill = cell_seconds(run.notebook), {
        c.get("id"): c["metadata"].get("papermill", {}).get("duration") or 0.0
        for c in reference["cells"]}
    slowest = sorted(lab, key=lab.get, reverse=True)[:3]
    cells = ", ".join(f"{i} {lab[i]:.0f} s (papermill {papermill.get(i, 0):.0f} s)"
                      for i in slowest)
    total = reference["metadata"].get("papermill", {}).get("duration") or 0.0
    return (f"{run.path.name}: {run.seconds:.0f} s in JupyterLab (cells {sum(lab.values()):.0f} s),"
            f" papermill {total:.0f} s; slowest: {cells}")


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_lesson_runs_clean_in_jupyterlab(lesson, real_cifar10, smoke_course_run, lab,
                                         browser_page):
    reference = json.loads((smoke_course_run.out / lesson.name).read_text(encoding="utf-8"))
    run = run_notebook(lab, browser_page, lab.root / "notebooks" / lesson.name,
                       timeout_s=LESSON_TIMEOUT_S)
    print(timing_report(run, reference))      # shown by pytest -rP
    problems = lab_problems(run, reference) + flood_problems(run, lesson.stem)
    assert not problems, (f"{lesson.name} run from JupyterLab's UI ({run.state} after "
                          f"{run.seconds:.0f} s; screenshot {run.screenshot}):\n  - "
                          + "\n  - ".join(problems))
