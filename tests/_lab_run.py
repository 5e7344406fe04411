"""Shared helper for tests/test_jupyterlab.py: one notebook run from JupyterLab's UI, and checks.

:func:`run_in_lab` opens one notebook (served by a :class:`_jupyterlab.LabServer`) in JupyterLab's
single-document view, runs every cell from the Run menu, waits (bounded) until nothing is
running, saves it from the File menu and returns what the page and the saved file show
(:class:`LabRun`); :func:`lab_problems` turns that into one message per problem.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from _jupyterlab import RUNNING_PROMPT, LabServer

# --- one notebook in the browser --------------------------------------------------------------
@dataclass
class LabRun:
    """What a notebook run from JupyterLab's UI left, in the page and in the saved file.

    Attributes:
        path: the notebook file (saved from the UI after the run).
        state: ``"done"`` (nothing running), ``"input"`` (a cell waits for ``input()``) or
            ``"timeout"`` (still running when the time was up).
        seconds: from "Run All Cells" to the end of the wait.
        notebook: the saved notebook (JSON).
        prompts: every cell's prompt as shown (``"[3]:"``, ``"[*]:"``; ``""`` for markdown).
        stdin_open: how many ``input()`` boxes are open in the page.
        images: ``(cell index, naturalWidth)`` of every ``<img>`` in the output areas.
        output_chars: the length of every cell's rendered output text.
        front_end_errors: page errors and console errors while the notebook was open.
        screenshot: where the screenshot of the whole notebook was saved.
    """

    path: Path
    state: str
    seconds: float
    notebook: dict
    prompts: list[str]
    stdin_open: int
    images: list[tuple[int, int]]
    output_chars: list[int]
    front_end_errors: list[str]
    screenshot: Path | None = None

    def cell_name(self, index: int) -> str:
        """``cell 3 ("first line of its source")``, for messages."""
        source = _source(self.notebook["cells"][index]).strip().splitlines() or [""]
        return f'cell {index + 1} ("{source[0][:70]}")'


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


_KERNEL_READY_JS = """() => {
    const indicator = document.querySelector('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator');
    const bar = document.querySelector('#jp-main-statusbar');
    return indicator?.dataset.status === 'idle' && !!bar && /\\|\\s*Idle/.test(bar.innerText);
}"""

_STATE_JS = """() => ({
    prompts: [...document.querySelectorAll('.jp-NotebookPanel .jp-Notebook .jp-Cell')]
        .map(cell => cell.querySelector('.jp-InputPrompt')?.textContent.trim() ?? ''),
    stdin: document.querySelectorAll('.jp-NotebookPanel .jp-Stdin').length,
    status: document.querySelector('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator')
        ?.dataset.status ?? 'none',
})"""

_OUTPUTS_JS = """() => {
    const cells = [...document.querySelectorAll('.jp-NotebookPanel .jp-Notebook .jp-Cell')];
    return {
        images: cells.flatMap((cell, i) => [...cell.querySelectorAll('.jp-OutputArea-output img')]
            .map(img => [i, img.naturalWidth])),
        chars: cells.map(cell => cell.querySelector('.jp-OutputArea')?.textContent.length ?? 0),
    };
}"""

_IMAGES_DECODED_JS = """() => [...document.querySelectorAll('.jp-OutputArea-output img')]
    .every(img => img.complete)"""


def open_notebook(page, server: LabServer, path: Path, *, timeout_s: float = 120) -> None:
    """Open ``path`` in the single-document view and wait until its kernel is idle.

    Raises:
        AssertionError: the kernel did not become ready in time.
    """
    page.goto(server.doc_url(path, workspace=path.stem), wait_until="domcontentloaded")
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=timeout_s * 1000)
    try:
        page.wait_for_function(_KERNEL_READY_JS, timeout=timeout_s * 1000, polling=250)
    except Exception as err:   # playwright's TimeoutError
        raise AssertionError(f"{path.name}: the kernel was not ready after {timeout_s:.0f} s "
                             f"in JupyterLab ({err.__class__.__name__})") from None
    server.remember_kernels()


def click_menu(page, menu: str, item: str) -> None:
    """Click ``menu`` in the menu bar, then its entry ``item`` (as a person would)."""
    page.click(f".lm-MenuBar-itemLabel:text-is('{menu}')")
    page.click(f".lm-Menu-itemLabel:text-is('{item}')")


def wait_until_settled(page, before: list[str], timeout_s: float, *,
                       poll_s: float = 0.5) -> str:
    """Wait until no cell runs and the kernel is idle, a cell waits for input, or time is up.

    Args:
        page: the page showing the notebook.
        before: the prompts as they were before the run (so that an untouched notebook does
            not count as finished).
        timeout_s: the longest wait.
        poll_s: seconds between two looks at the page.

    Returns:
        ``"done"``, ``"input"`` or ``"timeout"``.
    """
    deadline, started, calm = time.monotonic() + timeout_s, False, 0
    while time.monotonic() < deadline:
        state = page.evaluate(_STATE_JS)
        if state["stdin"]:
            return "input"
        running = RUNNING_PROMPT in state["prompts"]
        started = started or running or state["prompts"] != before
        calm = calm + 1 if started and not running and state["status"] == "idle" else 0
        if calm >= 2:       # idle twice in a row: not a gap between two cells
            return "done"
        time.sleep(poll_s)
    return "timeout"


def save_notebook(page, path: Path, *, timeout_s: float = 30) -> None:
    """Save from the File menu and wait until the file on disk changed.

    Raises:
        AssertionError: the file was not written in time.
    """
    before = path.stat().st_mtime_ns
    click_menu(page, "File", "Save Notebook")
    deadline = time.monotonic() + timeout_s
    while path.stat().st_mtime_ns == before:
        if time.monotonic() > deadline:
            raise AssertionError(f"{path.name}: File > Save Notebook did not write the file "
                                 f"within {timeout_s:.0f} s")
        time.sleep(0.2)


_NOTEBOOK_HEIGHT_JS = """() => {
    const outer = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer');
    const cells = outer.querySelectorAll('.jp-Cell');
    const box = outer.getBoundingClientRect();
    const bottom = cells.length ? cells[cells.length - 1].getBoundingClientRect().bottom : 0;
    return Math.ceil(bottom - box.top + outer.scrollTop + (window.innerHeight - box.height) + 40);
}"""


def screenshot_notebook(page, target: Path, *, max_height: int = 16000) -> Path:
    """Save a screenshot of the whole notebook: the window made as tall as its cells.

    JupyterLab scrolls the notebook inside a fixed-size page, so a "full page" screenshot would
    show one screen only; the viewport is stretched (up to ``max_height`` pixels) instead, twice:
    cells never scrolled into view have a placeholder height until they are laid out.
    """
    size = page.viewport_size
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        for _ in range(2):
            height = min(max(page.evaluate(_NOTEBOOK_HEIGHT_JS), size["height"]), max_height)
            page.set_viewport_size({"width": size["width"], "height": height})
            page.wait_for_timeout(400)      # let JupyterLab lay the taller window out
        page.evaluate("() => { document.querySelector("
                      "'.jp-NotebookPanel .jp-WindowedPanel-outer').scrollTop = 0; }")
        page.wait_for_timeout(200)
        page.screenshot(path=str(target))
    finally:
        page.set_viewport_size(size)
    return target


def run_in_lab(page, server: LabServer, path: Path, front_end_errors: list[str], *,
               timeout_s: float = 300, screenshot: Path | None = None) -> LabRun:
    """Run every cell of ``path`` from JupyterLab's Run menu, save it, and report what shows.

    Args:
        page: a Playwright page (reused from notebook to notebook).
        server: the JupyterLab server whose root holds ``path``.
        path: the notebook to run.
        front_end_errors: the list the page's error handlers append to; emptied here first, and
            its contents copied into the result.
        timeout_s: longest wait for the cells to finish.
        screenshot: where to save a screenshot of the whole notebook after the run, if given.

    Returns:
        A :class:`LabRun`; the kernel keeps running (see :meth:`LabServer.shut_down_sessions`).
    """
    front_end_errors.clear()
    open_notebook(page, server, path)
    before = page.evaluate(_STATE_JS)["prompts"]
    start = time.monotonic()
    click_menu(page, "Run", "Run All Cells")
    state = wait_until_settled(page, before, timeout_s)
    seconds = time.monotonic() - start
    save_notebook(page, path)
    try:
        page.wait_for_function(_IMAGES_DECODED_JS, timeout=15_000)
    except Exception:
        pass   # images still not decoded are reported by their naturalWidth of 0
    shown, outputs = page.evaluate(_STATE_JS), page.evaluate(_OUTPUTS_JS)
    shot = screenshot_notebook(page, screenshot) if screenshot else None
    return LabRun(path=path, state=state, seconds=seconds,
                  notebook=json.loads(path.read_text(encoding="utf-8")),
                  prompts=shown["prompts"], stdin_open=shown["stdin"],
                  images=[tuple(i) for i in outputs["images"]], output_chars=outputs["chars"],
                  front_end_errors=list(front_end_errors), screenshot=shot)


# --- what counts as a problem -----------------------------------------------------------------
def figure_cells(notebook: dict) -> set[str]:
    """Ids of the cells with an ``image/png`` output."""
    return {cell.get("id") for cell in notebook["cells"]
            if any("image/png" in out.get("data", {}) for out in cell.get("outputs", []))}


def cell_seconds(notebook: dict) -> dict[str, float]:
    """Seconds each cell ran, from the times JupyterLab records (``recordTiming``), by cell id."""
    from datetime import datetime

    seconds = {}
    for cell in notebook["cells"]:
        timing = cell.get("metadata", {}).get("execution", {})
        start = timing.get("shell.execute_reply.started") or timing.get("iopub.execute_input")
        end = timing.get("shell.execute_reply")
        if start and end:
            seconds[cell.get("id")] = (datetime.fromisoformat(end.replace("Z", "+00:00")) -
                                       datetime.fromisoformat(start.replace("Z", "+00:00"))
                                       ).total_seconds()
    return seconds


def lab_problems(run: LabRun, reference: dict | None = None) -> list[str]:
    """Everything wrong with a run, one message each (empty: the run is clean).

    Checks: the wait ended with nothing running; no error output in the saved file; no cell
    still running or waiting for input in the page; every ``<img>`` decoded; no front-end
    errors; and, given ``reference`` (the same notebook executed by papermill), an image output
    in every cell whose counterpart (same cell id) has one.
    """
    cells = run.notebook["cells"]
    problems = []
    if run.state == "timeout":
        problems.append(f"still running after {run.seconds:.0f} s" if RUNNING_PROMPT in run.prompts
                        else f"no cell ran within {run.seconds:.0f} s of Run All Cells")
    if len(run.prompts) != len(cells):
        problems.append(f"the page shows {len(run.prompts)} cells, the file has {len(cells)}: "
                        "the page checks below may miss cells")
    for i, cell in enumerate(cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                problems.append(f"{run.cell_name(i)} failed: {out.get('ename')}: "
                                f"{out.get('evalue', '')[:300]}")
    for i, prompt in enumerate(run.prompts[:len(cells)]):
        if prompt == RUNNING_PROMPT:
            problems.append(f"{run.cell_name(i)} still shows {RUNNING_PROMPT} (queued or running)")
    if run.stdin_open:
        waiting = [run.cell_name(i) for i, p in enumerate(run.prompts[:len(cells)])
                   if p == RUNNING_PROMPT]
        problems.append(f"waiting for input(): {run.stdin_open} open stdin prompt(s) "
                        f"(in {', '.join(waiting) or 'an unknown cell'})")
    problems += [f"{run.cell_name(i)}: an <img> did not load (naturalWidth 0)"
                 for i, width in run.images if i < len(cells) and width <= 0]
    problems += [f"front end: {message}" for message in run.front_end_errors]
    if reference is not None:
        problems += _missing_figures(run, reference)
    return problems


def _missing_figures(run: LabRun, reference: dict) -> list[str]:
    cells = run.notebook["cells"]
    index = {cell.get("id"): i for i, cell in enumerate(cells)}
    shown = figure_cells(run.notebook)
    problems = []
    for cell_id in sorted(figure_cells(reference), key=lambda c: index.get(c, -1)):
        if cell_id not in index:
            problems.append(f"cell id {cell_id!r} shows a figure under papermill but is not in "
                            "the lesson (the reference run is out of date?)")
        elif cell_id not in shown:
            problems.append(f"{run.cell_name(index[cell_id])} shows a figure under papermill "
                            "but has no image output after the JupyterLab run")
    return problems
