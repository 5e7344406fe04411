"""The course website (scripts/build_site.py): built from a smoke run, checked as files and in a
real browser (headless Chromium driven by Playwright; skipped where Chromium is missing).

The site is built (about 20 s) from the test session's smoke run of the whole course (the
``smoke_course_run`` fixture in conftest.py, shared with tests/test_notebooks.py). ``RESNET_SITE_RUN=runs/NAME`` builds from that finished run
instead (faster, locally).
"""
from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote, urlsplit

import nbformat
import pytest
from _browser import browser_skip_reason, launch_chromium
from conftest import REAL_SOURCE

ROOT = Path(__file__).resolve().parents[1]
PHONE = {"width": 390, "height": 844}
sys.path.insert(0, str(ROOT / "scripts"))
import build_site  # noqa: E402  (scripts/ is not a package)
import site_lessons  # noqa: E402


def run_script(*args) -> subprocess.CompletedProcess:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    if not env.get("CIFAR10_SOURCE") and REAL_SOURCE.exists():
        env["CIFAR10_SOURCE"] = str(REAL_SOURCE)   # else Keras's cache, or its download
    return subprocess.run([sys.executable, *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True)


@pytest.fixture(scope="module")
def site(request):
    """The site built from the test session's smoke run of the whole course (conftest.py)."""
    if os.environ.get("RESNET_SITE_RUN"):
        run = (ROOT / os.environ["RESNET_SITE_RUN"]).resolve()
    else:
        run = request.getfixturevalue("smoke_course_run").out
    built = run_script(ROOT / "scripts" / "build_site.py", "--run", run)
    yield SimpleNamespace(run=run, out=run / "site", build=built)
    shutil.rmtree(ROOT / "site" / "_build" / run.name, ignore_errors=True)


class Links(HTMLParser):
    """Every link, image, script and stylesheet a page refers to, and the ids it defines."""

    def __init__(self):
        super().__init__()
        self.refs, self.ids, self.images = [], set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for key in ("href", "src"):
            if attrs.get(key):
                self.refs.append((tag, attrs[key]))
        if tag == "img":
            self.images.append(attrs.get("src", ""))


@functools.cache
def parse(page: Path) -> Links:
    links = Links()
    links.feed(page.read_text(encoding="utf-8"))
    return links


def pages(out: Path) -> list[Path]:
    """The site's pages (not the theme's template files copied into ``_static/``)."""
    return sorted(p for p in out.rglob("*.html") if not p.relative_to(out).parts[0].startswith("_"))


def test_the_build_passes_without_a_generator_warning(site):
    # build_site.py runs Sphinx with -W --keep-going: any warning makes the status non-zero
    assert site.build.returncode == 0, site.build.stdout[-4000:] + site.build.stderr[-4000:]
    assert not re.search(r": (WARNING|ERROR):", site.build.stderr), site.build.stderr[-4000:]
    assert (site.out / "index.html").is_file() and (site.out / "search.html").is_file()


def test_internal_links_images_and_anchors_resolve(site):
    broken = []
    for page in pages(site.out):
        for tag, ref in parse(page).refs:
            parts = urlsplit(ref)
            if parts.scheme or ref.startswith(("//", "mailto:")):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(site.out)}: <{tag}> {ref}")
            elif parts.fragment and target.suffix == ".html" and tag == "a" \
                    and parts.fragment not in parse(target).ids:
                broken.append(f"{page.relative_to(site.out)}: anchor {ref}")
    assert not broken, "\n".join(broken[:30])


def test_every_lesson_page_shows_its_executed_outputs(site):
    lessons = sorted(site.run.glob("[0-9][0-9]_*.ipynb"))
    assert len(lessons) >= 5
    for nb_path in lessons:
        page = site.out / "notebooks" / f"{nb_path.stem}.html"
        html = page.read_text(encoding="utf-8")
        notebook = json.loads(nb_path.read_text())
        with_output = [c for c in notebook["cells"] if c.get("outputs")]
        plots = sum("image/png" in o.get("data", {}) for c in with_output for o in c["outputs"])
        assert html.count('class="cell_output') >= len(with_output) > 0, page.name
        assert len([i for i in parse(page).images if "_images/" in i]) >= plots, page.name
        assert "\x1b[" not in html and "\x08" not in html, f"escape codes left in {page.name}"
        assert "course-provenance" in html and "Open in JupyterLab" in html, page.name
        assert "Helpers used in this lesson" in html and 'href="../api/' in html, page.name


def test_a_smoke_run_says_so_on_every_page(site):
    assert json.loads((site.run / "metrics.json").read_text())["smoke"] is True
    for page in pages(site.out):
        assert "Smoke run:" in page.read_text(encoding="utf-8"), page.name


def test_the_newest_full_run_is_chosen_and_a_smoke_run_only_when_asked_or_alone(tmp_path):
    def make_run(name, smoke, mtime):
        run = tmp_path / name
        run.mkdir()
        (run / "01_residual_block.ipynb").write_text("{}")
        (run / "metrics.json").write_text(json.dumps({"smoke": smoke}))
        os.utime(run / "metrics.json", (mtime, mtime))
        return run

    with pytest.raises(SystemExit, match="no finished run"):
        build_site.choose_run(tmp_path)
    smoke = make_run("smoke-1", True, 1000)
    assert build_site.choose_run(tmp_path) == smoke
    old, new = make_run("full-old", False, 2000), make_run("full-new", False, 3000)
    (tmp_path / "unfinished").mkdir()
    make_run("smoke-2", True, 4000)
    assert build_site.choose_run(tmp_path) == new != old
    assert build_site.choose_run(tmp_path, smoke=True).name == "smoke-2"


def test_outputs_are_cleaned_like_a_terminal_shows_them():
    stream = nbformat.v4.new_output
    cell = nbformat.v4.new_code_cell(outputs=[
        stream("stream", name="stdout", text="\x1b[1m1/3\x1b[0m \x1b[32m━\x1b[0m"),
        stream("stream", name="stdout", text="\b\b\b\b\r\x1b[1m3/3\x1b[0m done\nab\b\bcd\n"),
        stream("stream", name="stderr", text="I0000 00:00:17.51   29 port.cc:153] oneDNN on.\n"),
        stream("execute_result", data={"text/plain": "\x1b[31mred\x1b[0m"}, execution_count=1)])
    nb = nbformat.v4.new_notebook(cells=[cell])
    site_lessons.clean_outputs(nb)
    assert [o.get("text") or o["data"]["text/plain"] for o in cell.outputs] == \
        ["3/3 done\ncd\n", "red"]


def test_lessons_link_the_helpers_they_call_and_repository_files_the_site_lacks(tmp_path):
    package = ROOT / "resnet_helpers"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "block = rh.residual_block(x, 16)\ncfg = rh.course.settings('01', **p)\n"
        "rh.exercises.check('01.1', None)\nrh.no_such_helper()")])
    used = site_lessons.helpers_used(nb, site_lessons.helper_index(package),
                                     site_lessons.api_modules(package))
    assert used == {"blocks": ["residual_block"], "course": ["settings"],
                    "exercises": ["check"]}

    stage = tmp_path / "stage"
    (stage / "notebooks").mkdir(parents=True)
    (stage / "notebooks" / "02_x.ipynb").write_text("{}")
    text = "[next](02_x.ipynb), [the solution](../solutions/01_x.ipynb), [up](#the-idea)"
    info = {"repo_url": "", "repo_branch": "main"}
    fixed = site_lessons.fix_links(text, stage / "notebooks", stage, info, {"the-idea"})
    assert fixed == ("[next](02_x.ipynb), the solution (`solutions/01_x.ipynb` in the "
                     "repository), [up](#the-idea)")
    info["repo_url"] = "https://github.com/o/r"
    assert "[the solution](https://github.com/o/r/blob/main/solutions/01_x.ipynb)" in \
        site_lessons.fix_links(text, stage / "notebooks", stage, info, set())


# --- the real browser ------------------------------------------------------------------------
@pytest.fixture
def served(site):
    """The built site over HTTP on 127.0.0.1 (a free port), like ``python -m http.server``."""
    handler = functools.partial(Quiet, directory=str(site.out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


class Quiet(http.server.SimpleHTTPRequestHandler):
    """No log lines; no caching, so that every resource is fetched afresh (status 200)."""

    def log_message(self, *args):
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


def test_every_page_loads_in_chromium_with_its_images_and_search_works(site, served, tmp_path):
    reason = browser_skip_reason()
    if reason:
        pytest.skip(reason)
    shots = site.run / "site-screenshots"
    shots.mkdir(exist_ok=True)
    problems = []
    with launch_chromium(tmp_path / "profile") as browser:
        page = browser.new_page()
        page.on("response", lambda r: r.status != 200 and problems.append(
            f"{r.status} {r.url} (on {page.url})"))
        page.on("requestfailed", lambda r: problems.append(f"failed {r.url}: {r.failure}"))
        page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        for html in pages(site.out):
            name = html.relative_to(site.out).as_posix()
            # lessons load MathJax and its fonts after the page: wait until the network is idle
            page.goto(f"{served}/{name}",
                      wait_until="networkidle" if name.startswith("notebooks/") else "load")
            images = page.eval_on_selector_all(
                "img", "els => els.map(e => [e.getAttribute('src'), e.naturalWidth])")
            problems += [f"{name}: image {src} did not load" for src, w in images if not w]
            whole = name == "index.html" or name.startswith(("notebooks/", "benchmarks/"))
            page.screenshot(path=shots / f"{name.replace('/', '_')[:-5]}.png", full_page=whole)

        page.goto(f"{served}/search.html?q=residual_block", wait_until="networkidle")
        page.wait_for_selector("#search-results ul.search li", timeout=15_000)
        found = page.inner_text("#search-results")
        assert "residual_block" in found, found[:500]

        # dark theme and phone width: the landing page and a lesson, nothing wider than a phone
        page.emulate_media(color_scheme="dark")
        for name in ("index", "notebooks/03_train_cifar10"):
            page.goto(f"{served}/{name}.html", wait_until="networkidle")
            assert page.evaluate("document.documentElement.dataset.theme") == "dark"
            page.screenshot(path=shots / f"{name.replace('/', '_')}-dark.png")
            page.set_viewport_size(PHONE)
            page.goto(f"{served}/{name}.html", wait_until="networkidle")
            page.screenshot(path=shots / f"{name.replace('/', '_')}-phone.png", full_page=True)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{name} is {width}px wide on a phone"
            page.set_viewport_size({"width": 1280, "height": 900})
        served_problems = list(problems)

        # opened from the folder itself: the search lists the pages (previews need http)
        page.goto(f"{(site.out / 'search.html').as_uri()}?q=residual_block")
        page.wait_for_selector("#search-results ul.search li", timeout=15_000)
        assert "residual_block" in page.inner_text("#search-results")
    assert not served_problems, "\n".join(served_problems[:30])
