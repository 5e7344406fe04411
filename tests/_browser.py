"""Shared helper for the browser tests: Debian's Chromium driven by Playwright.

Playwright never downloads a browser here (the network only reaches package registries); it
drives the distribution's ``chromium`` package (``apt-get install chromium``)::

    from _browser import browser_skip_reason, launch_chromium   # tests/ is on sys.path

    reason = browser_skip_reason()
    if reason:
        pytest.skip(reason)
    with launch_chromium(tmp_path / "profile") as browser:
        page = browser.new_page()
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

#: Where Debian's ``chromium`` package puts the browser; ``$CHROMIUM`` overrides it.
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")

#: Headless, as root, on a closed network: no sandbox, no GPU, nothing phoning home.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


def find_chromium() -> str | None:
    """Path of the Chromium executable (``$CHROMIUM``, else Debian's), or ``None``."""
    for candidate in (os.environ.get("CHROMIUM"), *CHROMIUM_CANDIDATES):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium")


def browser_skip_reason() -> str | None:
    """Why the browser tests cannot run here (for ``pytest.skip``), or ``None`` when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed: pip install -e '.[course]'"
    if find_chromium() is None:
        return ("no Chromium found (looked at $CHROMIUM, "
                f"{', '.join(CHROMIUM_CANDIDATES)}): apt-get install chromium")
    return None


@contextlib.contextmanager
def launch_chromium(user_data_dir: str | os.PathLike | None = None, *,
                    viewport: tuple[int, int] = (1280, 900)) -> Iterator:
    """A Playwright browser context on Debian's Chromium, closed (with Playwright) on exit.

    Args:
        user_data_dir: an empty folder for the browser profile (a new temporary one if ``None``).
        viewport: width and height of pages in CSS pixels.

    Yields:
        A ``playwright.sync_api.BrowserContext``: call ``.new_page()`` on it.
    """
    from playwright.sync_api import sync_playwright

    reason = browser_skip_reason()
    if reason:
        raise RuntimeError(reason)
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    with contextlib.ExitStack() as stack:
        if user_data_dir is None:
            user_data_dir = stack.enter_context(tempfile.TemporaryDirectory(prefix="chromium-"))
        Path(user_data_dir).mkdir(parents=True, exist_ok=True)
        pw = stack.enter_context(sync_playwright())
        context = pw.chromium.launch_persistent_context(
            str(user_data_dir), executable_path=find_chromium(), headless=True,
            args=CHROMIUM_ARGS, viewport={"width": viewport[0], "height": viewport[1]})
        stack.callback(context.close)
        yield context
