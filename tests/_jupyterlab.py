"""Shared helper for tests/test_jupyterlab.py: the project's own JupyterLab, driven from Chromium.

A :class:`LabServer` is ``python -m jupyter lab`` on 127.0.0.1 (a free port, a random token) with
its settings, workspaces, runtime and config folders in a temporary folder; ``_lab_run`` drives
one notebook through its UI (:func:`_lab_run.run_in_lab`) and checks what it left
(:func:`_lab_run.lab_problems`)::

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
