"""The course website (scripts/build_site.py): built from a smoke run, checked as files and in a
real browser (headless Chromium driven by Playwright; skipped where Chromium is missing).

The site is built (about 20 s) from the test session's smoke run of the whole course (the
``smoke_course_run`` fixture in conftest.py, shared with tests/test_notebooks.py). ``RESNET_SITE_RUN=runs/NAME`` builds from that finished run
instead (faster, locally). Both languages: the English site and, in its ``zh/`` folder, the
Chinese one (scripts/site_zh.py), with a language switch on every page.
"""
from __future__ import annotations

import functools
import html as htmllib
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
import site_zh  # noqa: E402


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
    yield SimpleNamespace(run=run, out=run / "site", zh=run / "site" / "zh", build=built)
    for stage in (run.name, f"{run.name}-zh"):
        shutil.rmtree(ROOT / "site" / "_build" / stage, ignore_errors=True)


class Links(HTMLParser):
    """Every link, image, script and stylesheet a page refers to, and the ids it defines."""

    def __init__(self):
        super().__init__()
        self.refs, self.ids, self.images, self.switches = [], set(), [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "course-lang-switch" in (attrs.get("class") or "").split():
            self.switches.append(attrs.get("href", ""))
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
    """The site's pages (not the theme's template files copied into ``_static/``, nor the
    Chinese site in ``zh/``)."""
    return sorted(p for p in out.rglob("*.html")
                  if not p.relative_to(out).parts[0].startswith("_") and
                  p.relative_to(out).parts[0] != "zh")


def test_the_build_passes_without_a_generator_warning(site):
    # build_site.py runs Sphinx with -W --keep-going: any warning makes the status non-zero
    assert site.build.returncode == 0, site.build.stdout[-4000:] + site.build.stderr[-4000:]
    assert not re.search(r": (WARNING|ERROR):", site.build.stderr), site.build.stderr[-4000:]
    assert (site.out / "index.html").is_file() and (site.out / "search.html").is_file()
    # the Chinese site: its own build (same -W run), in Chinese (the theme's words too)
    index = (site.zh / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN"' in index and "搜索" in index and "残差" in index
    assert (site.zh / "search.html").is_file() and not (site.zh / "api").exists()


def test_internal_links_images_and_anchors_resolve(site):
    broken = []
    for page in pages(site.out) + pages(site.zh):   # zh pages link ../api/… of the English site
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
    for page in pages(site.zh):
        assert "冒烟测试运行：" in page.read_text(encoding="utf-8"), f"zh/{page.name}"


def printed_line(notebook: dict) -> str:
    """A plain line the lesson printed (stdout), as a page shows it."""
    for cell in notebook["cells"]:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out["name"] == "stdout":
                for line in site_lessons.clean_text("".join(out["text"])).splitlines():
                    if re.fullmatch(r"[\w .,:=()%/+-]{16,}", line.strip()):
                        return line.strip()
    return ""


def test_every_chinese_lesson_page_shows_the_english_runs_outputs_and_chinese_prose(site):
    lessons = sorted(site.run.glob("[0-9][0-9]_*.ipynb"))
    for nb_path in lessons:
        page = site.zh / "notebooks" / f"{nb_path.stem}.html"
        assert page.is_file(), f"no Chinese page for {nb_path.name}"
        html = page.read_text(encoding="utf-8")
        executed = json.loads(nb_path.read_text())
        with_output = [c for c in executed["cells"] if c.get("outputs")]
        plots = sum("image/png" in o.get("data", {}) for c in with_output for o in c["outputs"])
        assert html.count('class="cell_output') >= len(with_output) > 0, page.name
        assert len([i for i in parse(page).images if "_images/" in i]) >= plots, page.name
        line = printed_line(executed)
        assert not line or htmllib.escape(line, quote=False) in html, (page.name, line)
        chinese = json.loads((ROOT / "notebooks" / "zh" / nb_path.name).read_text())
        title = "".join(chinese["cells"][0]["source"]).splitlines()[0].lstrip("# ")
        assert htmllib.escape(title, quote=False) in html, (page.name, title)
        assert "运行 <code" in html and site.run.name in html and "在 JupyterLab 中打开" in html
        assert "本课用到的辅助函数" in html and 'href="../../api/' in html, page.name


def test_every_page_switches_language_to_its_counterpart(site):
    checked = 0
    for here, there in ((site.out, site.zh), (site.zh, site.out)):
        for page in pages(here):
            switches = parse(page).switches
            assert len(switches) == 1, f"{page}: {len(switches)} language switches"
            target = (page.parent / switches[0]).resolve()
            twin = there / page.relative_to(here)
            assert target == (twin if twin.is_file() else there / "index.html"), (page, target)
            checked += twin.is_file()
    assert checked >= 2 * 9   # landing, 6 lessons, troubleshooting and guide both ways


def merge_pair(zh_code: str = "print(1)"):
    """A tiny executed English lesson and its Chinese notebook (``zh_code`` in its code cell)."""
    v4 = nbformat.v4
    executed = v4.new_notebook(cells=[
        v4.new_markdown_cell("# Lesson", id="title"),
        v4.new_code_cell("N = 1", id="params", metadata={"tags": ["parameters"]}),
        v4.new_code_cell("N = 2", id="injected", metadata={"tags": ["injected-parameters"]}),
        v4.new_code_cell("print(1)", id="code", execution_count=3, outputs=[
            v4.new_output("stream", name="stdout", text="1\n")])])
    chinese = v4.new_notebook(cells=[
        v4.new_markdown_cell("# 第一课", id="title"),
        v4.new_code_cell("N = 1", id="params", metadata={"tags": ["parameters"]}),
        v4.new_code_cell(zh_code, id="code")])
    return executed, chinese


def test_the_chinese_lesson_gets_the_outputs_and_out_of_step_editions_are_refused():
    merged = site_zh.merge_outputs(*merge_pair(), "01_x.ipynb")
    assert [c.id for c in merged.cells] == ["title", "params", "injected", "code"]
    assert merged.cells[0].source == "# 第一课"
    assert merged.cells[3].outputs[0]["text"] == "1\n" and merged.cells[3].execution_count == 3
    with pytest.raises(site_zh.EditionMismatch, match=r"01_x\.ipynb: code cell code .*out of step"):
        site_zh.merge_outputs(*merge_pair("print(2)"), "01_x.ipynb")
    executed, chinese = merge_pair()
    chinese.cells[2].id = "other"
    with pytest.raises(site_zh.EditionMismatch, match=r"01_x\.ipynb: cell code of the executed"):
        site_zh.merge_outputs(executed, chinese, "01_x.ipynb")


def test_a_run_of_the_chinese_lessons_is_recognised_and_wrapped_chinese_lines_joined(tmp_path):
    for name, text in (("en.ipynb", "# Lesson\nThe residual block."), ("zh.ipynb", "# 第一课\n残差块。")):
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(text)]),
                       tmp_path / name)
    assert site_zh.edition_of([tmp_path / "en.ipynb"]) == "en"
    assert site_zh.edition_of([tmp_path / "zh.ipynb"]) == "zh"
    assert site_zh.join_cjk_lines("残差\n网络，\n`rh`\n```\n代码\n注释\n```") == \
        "残差网络，\n`rh`\n```\n代码\n注释\n```"


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
    epochs = nbformat.v4.new_code_cell(outputs=[   # the course's one display line per epoch
        stream("display_data", data={"text/plain": f"Epoch {i}/3 done"}) for i in (1, 2, 3)])
    epochs.outputs.append(stream("display_data", data={"text/plain": "x", "image/png": "AA=="}))
    nb = nbformat.v4.new_notebook(cells=[epochs])
    site_lessons.clean_outputs(nb)
    assert [o["data"]["text/plain"] for o in epochs.outputs] == \
        ["Epoch 1/3 done\nEpoch 2/3 done\nEpoch 3/3 done", "x"]


def test_lessons_link_the_helpers_they_call_and_repository_files_the_site_lacks(tmp_path):
    package = ROOT / "resnet_helpers"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "block = rh.residual_block(x, 16)\ncfg = rh.course.settings('01', **p)\n"
        "rh.exercises.check('01.1', None)\nrh.no_such_helper()")])
    used = site_lessons.helpers_used(nb, site_lessons.helper_index(package),
                                     site_lessons.api_modules(package))
    assert used == {"models.blocks": ["residual_block"], "course.lessons": ["settings"],
                    "course.exercises": ["check"]}

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
        for html in pages(site.out) + pages(site.zh):
            name = html.relative_to(site.out).as_posix()
            # lessons load MathJax and its fonts after the page: wait until the network is idle
            page.goto(f"{served}/{name}", wait_until="networkidle"
                      if name.startswith(("notebooks/", "zh/notebooks/")) else "load")
            images = page.eval_on_selector_all(
                "img", "els => els.map(e => [e.getAttribute('src'), e.naturalWidth])")
            problems += [f"{name}: image {src} did not load" for src, w in images if not w]
            if name.startswith("zh/"):   # Chinese text on the page; two screenshots suffice
                assert "残差" in page.inner_text("body"), f"no Chinese text on {name}"
                if name not in ("zh/index.html", "zh/notebooks/03_train_cifar10.html"):
                    continue
            whole = name.startswith(("index.html", "notebooks/", "benchmarks/", "zh/"))
            page.screenshot(path=shots / f"{name.replace('/', '_')[:-5]}.png", full_page=whole)

        # the language switch, both ways, over http (and below from file://)
        page.goto(f"{served}/index.html", wait_until="networkidle")
        page.click("a.course-lang-switch")
        page.wait_for_url(f"{served}/zh/index.html", wait_until="networkidle")
        page.click("a.course-lang-switch")
        page.wait_for_url(f"{served}/index.html", wait_until="networkidle")
        # the Chinese search finds Chinese words (site/zh_search.py)
        page.goto(f"{served}/zh/search.html?q=残差网络", wait_until="networkidle")
        page.wait_for_selector("#search-results ul.search li", timeout=15_000)
        assert page.locator("#search-results ul.search li").count() >= 3

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
        page.goto((site.zh / "notebooks" / "03_train_cifar10.html").as_uri())
        page.click("a.course-lang-switch")
        page.wait_for_url((site.out / "notebooks" / "03_train_cifar10.html").as_uri())
    assert not served_problems, "\n".join(served_problems[:30])
