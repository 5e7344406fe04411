"""Every lesson through the real JupyterLab: headless Chromium runs all cells from the UI.

The project's own JupyterLab serves temporary copies of the lessons (the repository's notebooks
are never saved) on 127.0.0.1 with a token and temporary settings, in smoke mode
(``RESNET_SMOKE=1`` in the kernel's environment). Screenshots go to a temporary folder, or to
``$RESNET_SCREENSHOTS``.
"""
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from _browser import browser_skip_reason, launch_chromium

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("0*.ipynb"))
RUN_TIMEOUT_S = 240  # one lesson in smoke mode

# Reads the open notebook's model through the app object (--LabApp.expose_app_in_browser).
CELL_STATE_JS = """() => {
  const nb = window.jupyterapp.shell.currentWidget.content;
  return nb.widgets.filter(c => c.model.type === 'code').map(c => {
    const outs = [];
    for (let i = 0; i < c.model.outputs.length; i++) outs.push(c.model.outputs.get(i).toJSON());
    const node = c.node;
    return {count: c.model.executionCount,
            prompt: (node.querySelector('.jp-InputPrompt') || {}).textContent || '',
            errors: outs.filter(o => o.output_type === 'error').map(o => o.ename + ': ' + o.evalue),
            images: outs.filter(o => o.data && o.data['image/png']).length,
            shown_images: node.querySelectorAll('.jp-OutputArea-output img').length};
  });
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A running JupyterLab on temporary copies of the lessons: ``(base_url, token, folder)``."""
    reason = browser_skip_reason()
    if reason:
        pytest.skip(reason)
    tmp = tmp_path_factory.mktemp("lab")
    work = tmp / "notebooks"
    shutil.copytree(ROOT / "notebooks", work)
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "RESNET_SMOKE": "1", "TF_CPP_MIN_LOG_LEVEL": "2",
           "PYTHONPATH": str(ROOT)}
    for var, sub in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_RUNTIME_DIR", "runtime"),
                     ("JUPYTERLAB_SETTINGS_DIR", "settings"),
                     ("JUPYTERLAB_WORKSPACES_DIR", "workspaces")):
        env[var] = str(tmp / sub)
    log = open(tmp / "lab.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1",
         f"--port={port}", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={work}",
         "--LabApp.expose_app_in_browser=True", "--allow-root"],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                assert server.poll() is None, (tmp / "lab.log").read_text()[-3000:]
                assert time.monotonic() < deadline, "JupyterLab did not start in 60 s"
                time.sleep(0.5)
        yield base, token, work
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)  # the server and its kernels
        server.wait(timeout=30)
        log.close()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory):
    folder = Path(os.environ.get("RESNET_SCREENSHOTS") or tmp_path_factory.mktemp("screens"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {folder}")
    return folder


def run_in_lab(lab, name: str, screenshot: Path, profile: Path) -> tuple[list, list]:
    """Open ``name`` in JupyterLab, run all cells, wait; the cells' states and page errors."""
    base, token, _ = lab
    page_errors = []
    with launch_chromium(profile, viewport=(1400, 1000)) as browser:
        page = browser.new_page()
        page.on("pageerror", lambda err: page_errors.append(f"page error: {err}"))
        page.on("console", lambda msg: msg.type == "error" and page_errors.append(
            f"console error: {msg.text}"))
        page.goto(f"{base}/lab/tree/{name}?token={token}")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                               timeout=60_000)
        # The command behind Run → Run All Cells (menu, palette and keyboard all call it).
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        deadline = time.monotonic() + RUN_TIMEOUT_S
        while True:
            time.sleep(1)
            cells = page.evaluate(CELL_STATE_JS)
            finished = all(c["count"] for c in cells) and not any("*" in c["prompt"]
                                                                  for c in cells)
            errored = any(c["errors"] for c in cells)
            if finished or errored or time.monotonic() > deadline:
                break
        page.wait_for_timeout(500)  # let figures render
        cells = page.evaluate(CELL_STATE_JS)
        page.screenshot(path=str(screenshot), full_page=False)
    return cells, page_errors


def check_lesson(cells: list, page_errors: list, name: str) -> list[str]:
    """Every problem a learner would see in ``name``: errors, unfinished cells, lost figures."""
    problems = [f"{name} cell {i}: {err}" for i, c in enumerate(cells) for err in c["errors"]]
    problems += [f"{name} cell {i}: not run (prompt {c['prompt']!r})"
                 for i, c in enumerate(cells) if not c["count"] or "*" in c["prompt"]]
    problems += [f"{name} cell {i}: {c['images']} figures stored, {c['shown_images']} shown"
                 for i, c in enumerate(cells) if c["shown_images"] < c["images"]]
    return problems + [f"{name}: {e}" for e in page_errors]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_lesson_runs_in_jupyterlab(lab, screenshots, tmp_path, lesson):
    cells, page_errors = run_in_lab(lab, lesson.name, screenshots / f"{lesson.stem}.png",
                                    tmp_path / "profile")
    assert cells, f"{lesson.name}: no code cells found in the page"
    assert not check_lesson(cells, page_errors, lesson.name)
    assert sum(c["images"] for c in cells) >= 0


def test_planted_error_is_caught(lab, screenshots, tmp_path):
    """A copy of lesson 01 with an error cell: the detector reports it (and the cell stops)."""
    _, _, work = lab
    nb = nbformat.read(LESSONS[0], as_version=4)
    nb.cells.insert(1, nbformat.v4.new_code_cell("raise RuntimeError('planted error')"))
    nbformat.write(nb, work / "planted_error.ipynb")
    cells, page_errors = run_in_lab(lab, "planted_error.ipynb",
                                    screenshots / "planted_error.png", tmp_path / "profile")
    problems = check_lesson(cells, page_errors, "planted_error.ipynb")
    assert any("RuntimeError: planted error" in p for p in problems), problems
