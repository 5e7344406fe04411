"""Shared helper for tests/test_jupyterlab.py: the project's own JupyterLab, driven from Chromium.

A :class:`LabServer` is ``python -m jupyter lab`` on 127.0.0.1 (a free port, a random token) with
its settings, workspaces, runtime and config folders in a temporary folder. :func:`run_in_lab`
opens one notebook in JupyterLab's single-document view, runs every cell from the Run menu,
waits (bounded) until nothing is running, saves it from the File menu and returns what the page
and the saved file show (:class:`LabRun`); :func:`lab_problems` turns that into messages::

    server = LabServer.start(root, env)
    try:
        run = run_in_lab(page, server, root / "notebooks" / "01_x.ipynb", front_end_errors)
        assert not lab_problems(run)
    finally:
        assert not server.stop()      # names any kernel process left alive

Kernels are started by jupyter_client in their own session (process group), so ending the
server's group does not end them: :meth:`LabServer.stop` shuts them down through the REST API,
then kills every process it saw under the server that is still alive.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

#: JupyterLab user settings for the test server: no news feed or update check (the machine is
#: offline, and the opt-in question would cover the notebook in the screenshots); each cell's
#: start and end time kept in its metadata (to compare with papermill's durations).
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"recordTiming": True},
}

#: The prompt JupyterLab shows on a cell that is queued or running.
RUNNING_PROMPT = "[*]:"


# --- the server -------------------------------------------------------------------------------
def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LabServer:
    """A running ``jupyter lab`` process and how to reach it.

    Attributes:
        root: the server's root folder (``--ServerApp.root_dir``).
        url: base URL, e.g. ``http://127.0.0.1:PORT``.
        token: the random token that authenticates every request.
        proc: the server process (leader of its own process group).
        log: the file that receives the server's stdout and stderr.
        seen: ``pid -> create_time`` of every process ever seen under the server (kernels).
    """

    root: Path
    url: str
    token: str
    proc: subprocess.Popen
    log: Path
    seen: dict[int, float] = field(default_factory=dict)

    @classmethod
    def start(cls, root: Path, env: dict[str, str], *, timeout_s: float = 90) -> "LabServer":
        """Start ``sys.executable -m jupyter lab`` serving ``root`` and wait until it answers.

        Args:
            root: folder to serve; ``root/.lab`` receives settings, workspaces, runtime files
                and the server's log.
            env: environment of the server, inherited by its kernels.
            timeout_s: how long ``/api/status`` may take to answer.

        Raises:
            RuntimeError: the server exited or did not answer in time (with its log's tail).
        """
        state = root / ".lab"
        for sub in ("settings", "workspaces", "runtime", "config", "data"):
            (state / sub).mkdir(parents=True, exist_ok=True)
        for name, values in LAB_SETTINGS.items():
            target = state / "settings" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(values), encoding="utf-8")
        port, token = free_port(), secrets.token_hex(24)
        env = {**env, "JUPYTER_RUNTIME_DIR": str(state / "runtime"),
               "JUPYTER_CONFIG_DIR": str(state / "config"),
               "JUPYTER_DATA_DIR": str(state / "data")}
        cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root",
               "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
               f"--LabApp.user_settings_dir={state / 'settings'}",
               f"--LabApp.workspaces_dir={state / 'workspaces'}"]
        log = state / "server.log"
        with open(log, "wb") as out:    # a file, not a pipe: a full pipe would stall the server
            proc = subprocess.Popen(cmd, env=env, cwd=root, stdout=out, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, start_new_session=True)
        server = cls(root=root, url=f"http://127.0.0.1:{port}", token=token, proc=proc, log=log)
        try:
            server._wait_until_up(timeout_s)
        except BaseException:
            server.stop()
            raise
        return server

    def _wait_until_up(self, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with status {self.proc.returncode}:\n"
                                   f"{self.log_tail()}")
            try:
                self.api("GET", "/api/status", timeout_s=2)
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"jupyter lab did not answer /api/status within {timeout_s:.0f} s:\n"
                           f"{self.log_tail()}")

    def log_tail(self, chars: int = 3000) -> str:
        """The end of the server's log."""
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return "(no log)"

    def api(self, method: str, path: str, *, timeout_s: float = 10) -> Any:
        """Call the REST API (``/api/...``) with the token; the decoded JSON answer or ``None``."""
        request = urllib.request.Request(f"{self.url}{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            body = response.read()
        return json.loads(body) if body else None

    def doc_url(self, path: Path, workspace: str) -> str:
        """URL of ``path`` in JupyterLab's single-document view, in its own fresh workspace.

        A fresh workspace per notebook, so that JupyterLab does not reopen earlier notebooks.
        """
        rel = path.relative_to(self.root).as_posix()
        return f"{self.url}/doc/workspaces/{workspace}/tree/{rel}?token={self.token}"

    def remember_kernels(self) -> None:
        """Record every process now running under the server (its kernels and their children)."""
        try:
            for proc in psutil.Process(self.proc.pid).children(recursive=True):
                try:
                    self.seen.setdefault(proc.pid, proc.create_time())
                except psutil.Error:
                    pass
        except psutil.Error:
            pass

    def shut_down_sessions(self) -> None:
        """Close every notebook session and shut its kernel down (REST API)."""
        self.remember_kernels()
        for session in self.api("GET", "/api/sessions"):
            self.api("DELETE", f"/api/sessions/{session['id']}", timeout_s=30)

    def stop(self, *, timeout_s: float = 20) -> list[str]:
        """Shut every kernel down, end the server, kill what survives.

        Returns:
            One line per process seen under the server that is still alive afterwards (empty
            when the clean-up worked).
        """
        self.remember_kernels()
        if self.proc.poll() is None:
            try:
                for kernel in self.api("GET", "/api/kernels"):
                    self.api("DELETE", f"/api/kernels/{kernel['id']}", timeout_s=timeout_s)
            except OSError:
                pass   # the server is not answering: the signals and the kill below still work
            _end_group(self.proc, timeout_s)
        return _kill_survivors(self.seen)


def _end_group(proc: subprocess.Popen, timeout_s: float) -> None:
    """SIGTERM the process group led by ``proc``, wait, then SIGKILL it if needed."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=timeout_s)
            break
        except subprocess.TimeoutExpired:
            continue
    proc.poll()


def _alive(pid: int, created: float) -> psutil.Process | None:
    """The process ``pid`` if it is still the one created at ``created`` and not a zombie."""
    try:
        proc = psutil.Process(pid)
        if proc.create_time() == created and proc.status() != psutil.STATUS_ZOMBIE:
            return proc
    except psutil.Error:
        pass
    return None


def _kill_survivors(seen: dict[int, float]) -> list[str]:
    """Kill every process in ``seen`` still alive; describe those that outlive the kill."""
    survivors = [p for p in (_alive(pid, created) for pid, created in seen.items()) if p]
    for proc in survivors:
        try:
            proc.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(survivors, timeout=10)
    left = []
    for proc in survivors:
        if _alive(proc.pid, seen[proc.pid]):
            try:
                left.append(f"pid {proc.pid}: {' '.join(proc.cmdline())[:200]}")
            except psutil.Error:
                pass
    return left


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
