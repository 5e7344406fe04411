"""Build the course website from a finished run folder: ``make site [RUN=runs/NAME]``.

    python scripts/build_site.py [--run runs/NAME | --smoke] [--repo-url URL]

The run folder is the source of truth: its executed lessons (``NN_*.ipynb``, written by
scripts/run_course.py), its ``metrics.json`` and ``figures/`` are copied into a staging folder
(``site/_build/<run>/``) together with ``site/`` (the Sphinx configuration and the landing page
template), the README sections, the pages of ``docs/``, the benchmarks and one API page per
``resnet_helpers`` module. Sphinx (MyST-NB, nothing executed) turns it into ``<run>/site/``;
open ``index.html`` there or serve the folder with ``python -m http.server``. Any Sphinx
warning fails the build.

The Chinese site is built beside it, into ``<run>/site/zh/`` (scripts/site_zh.py: the lessons of
``notebooks/zh/`` with the run's outputs, README.zh.md's sections and ``docs/zh/``; ``--run-zh``
takes the outputs from a separate run of the Chinese lessons). Every page of both sites has a
language switch to the same page in the other language. Both Sphinx builds run side by side.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import site_zh
from site_lessons import (DOC_PAGES, api_modules, copy_docs, fix_docs, fix_links, helper_index,
                          landing_lessons, readme_sections, stage_lesson)

ROOT = Path(__file__).resolve().parents[1]
LESSON_GLOB = "[0-9][0-9]_*.ipynb"
#: The README sections the site shows (landing page, "When things go wrong" page).
README_SECTIONS = ("The two commands", "The lessons", "When things go wrong",
                   "Speed: a laptop CPU and a GPU")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--run", help="run folder (or its name under runs/); default: the "
                        "newest full run, else the newest smoke run")
    parser.add_argument("--smoke", action="store_true", help="use the newest smoke run")
    parser.add_argument("--repo-url", default="", help="https://github.com/OWNER/REPO: adds "
                        "repository links and a Binder launch button to each lesson")
    parser.add_argument("--out", help="output folder (default: <run>/site)")
    parser.add_argument("--run-zh", help="a run of the Chinese lessons (make run EDITION=zh) "
                        "for the Chinese pages; default: the outputs of --run")
    parser.add_argument("--no-zh", action="store_true", help="build the English site only")
    return parser.parse_args(argv)


def read_metrics(run: Path) -> dict:
    path = run / "metrics.json"
    return json.loads(path.read_text()) if path.exists() else {}


def finished_runs(runs_dir: Path) -> list[Path]:
    """Run folders holding executed lessons and a ``metrics.json``, oldest first."""
    runs = [p.parent for p in runs_dir.glob("*/metrics.json") if any(p.parent.glob(LESSON_GLOB))]
    return sorted(runs, key=lambda r: (r / "metrics.json").stat().st_mtime)


def choose_run(runs_dir: Path, smoke: bool = False) -> Path:
    """The newest full run (``metrics.json`` says ``smoke: false``); a smoke run when asked or
    when no full run exists."""
    runs = finished_runs(runs_dir)
    full = [r for r in runs if not read_metrics(r).get("smoke")]
    smokes = [r for r in runs if read_metrics(r).get("smoke")]
    if not smoke and full:
        return full[-1]
    if smokes:
        if not smoke:
            print(f"note: no full run under {runs_dir}; using the smoke run {smokes[-1].name}")
        return smokes[-1]
    raise SystemExit(f"error: no finished run under {runs_dir} (a folder with the executed "
                     "lessons and metrics.json). Run `make run` (or `make smoke`) first.")


def resolve_run(arg: str | None, smoke: bool) -> Path:
    if not arg:
        return choose_run(ROOT / "runs", smoke)
    for candidate in (Path(arg), ROOT / arg, ROOT / "runs" / arg):
        if candidate.is_dir():
            run = candidate.resolve()
            break
    else:
        raise SystemExit(f"error: no run folder {arg!r} (looked in . and runs/).")
    if not (run / "metrics.json").exists() or not any(run.glob(LESSON_GLOB)):
        raise SystemExit(f"error: {run} is not a finished run: it needs the executed lessons "
                         "(NN_*.ipynb) and metrics.json that `make run` writes.")
    return run


def run_info(run: Path, repo_url: str) -> dict:
    metrics = read_metrics(run)
    data = str(metrics.get("data_source", "not recorded"))
    slug = re.sub(r"^https://github\.com/", "", repo_url).strip("/") if repo_url else ""
    return {"run": run.name, "smoke": bool(metrics.get("smoke")),
            "device": metrics.get("device", "not recorded"),
            "data": Path(data.split(" (")[0]).name + (f" ({data.split(' (', 1)[1]}"
                                                     if " (" in data else ""),
            "date": metrics.get("finished", "not recorded"), "repo_url": repo_url.rstrip("/"),
            "repo_slug": slug if "github.com" in repo_url else "", "repo_branch": "main"}


def copy_sources(stage: Path, *skip: str) -> None:
    """A fresh ``stage`` holding ``site/`` (Sphinx configuration, templates), less ``skip``."""
    if stage.exists():
        shutil.rmtree(stage)
    shutil.copytree(ROOT / "site", stage, ignore=shutil.ignore_patterns("_build", "zh", *skip))


def stage_site(run: Path, stage: Path, info: dict) -> None:
    """Fill ``stage`` with everything Sphinx reads; only copies, nothing is executed."""
    copy_sources(stage)
    for folder in ("notebooks", "api", "figures", "benchmarks"):
        (stage / folder).mkdir(exist_ok=True)
    package = ROOT / "resnet_helpers"
    index, modules = helper_index(package), api_modules(package)
    prose_dir = ROOT / "notebooks" if info["edition"] == "zh" else None  # a run of notebooks/zh
    lessons = [(nb, stage_lesson(nb, stage / "notebooks" / nb.name, index, modules, info,
                                 nb=site_zh.lesson_notebook(nb, prose_dir)))
               for nb in sorted(run.glob(LESSON_GLOB))]
    for module in modules:
        (stage / "api" / f"{module}.md").write_text(
            f"# resnet_helpers.{module}\n\n```{{eval-rst}}\n.. automodule:: "
            f"resnet_helpers.{module}\n```\n")

    wide = "---\nhtml_theme.sidebar_secondary.remove: true\n---\n"  # room for wide tables
    bench = ROOT / "benchmarks"
    for png in (bench / "results").rglob("*.png"):
        target = stage / "benchmarks" / png.relative_to(bench)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(png, target)
    (stage / "benchmarks" / "README.md").write_text(
        wide + fix_links((bench / "README.md").read_text(), stage / "benchmarks", stage, info))
    # docs/: the README's longer pages; their links to the README go to the guide (README.md)
    copy_docs({name: wide + (ROOT / "docs" / f"{name}.md").read_text().replace(
        "](../README.md", "](../guide.md") for name in DOC_PAGES}, stage)
    readme_text = site_zh.LANGUAGE_LINE.sub("", (ROOT / "README.md").read_text(), count=1)
    readme = readme_sections(readme_text)
    missing = [h for h in README_SECTIONS if h not in readme]
    if missing:
        raise SystemExit(f"error: README.md has no section(s) {missing}, which the site shows; "
                         f"rename them in README_SECTIONS of {Path(__file__).name} as well.")
    guide = re.sub(r"^# .+$", "# Course guide (README)", readme_text, count=1, flags=re.M)
    (stage / "guide.md").write_text(fix_links(guide, stage, stage, info))
    trouble = f"{wide}# When things go wrong\n\n" + readme["When things go wrong"]
    (stage / "troubleshooting.md").write_text(fix_links(trouble, stage, stage, info))
    fix_docs(DOC_PAGES, stage, info, "docs")   # now that every page they link to is staged

    intro = readme[""].split("\n", 1)[1].strip()
    landing = (stage / "index.md").read_text()
    for key, value in {"INTRO": intro,
                       "LESSONS": landing_lessons(lessons, run, readme["The lessons"], stage),
                       "START": readme["The two commands"],
                       "SPEED": readme["Speed: a laptop CPU and a GPU"],
                       "RUN": f"`{info['run']}` ({'smoke run' if info['smoke'] else 'full run'}) "
                              f"on {info['device']}, data {info['data']}, finished "
                              f"{info['date']}"}.items():
        landing = landing.replace(f"%%{key}%%", value)
    (stage / "index.md").write_text(fix_links(landing, stage, stage, info))
    banner = ("Smoke run: these pages show a smoke run (tiny data, one short epoch) — "
              "its numbers are not the course's results." if info["smoke"] else "")
    (stage / "_run.json").write_text(json.dumps({**info, "banner": banner,
                                                 "repo_root": str(ROOT)}, indent=1))


#: Each site's language switch (site/_templates/lang-switch.html): where the other site is.
SWITCHES = {"en": {"label": "中文", "hreflang": "zh-CN", "title": "本页的中文版", "root": "zh/"},
            "zh": {"label": "English", "hreflang": "en", "title": "This page in English",
                   "root": "../"}}


def docnames(stage: Path) -> set[str]:
    """The pages Sphinx makes of ``stage``: its sources, the search page and the index."""
    sources = {p.relative_to(stage) for p in stage.rglob("*") if p.suffix in (".md", ".ipynb")}
    return {p.with_suffix("").as_posix() for p in sources
            if not p.parts[0].startswith(("_", "."))} | {"search", "genindex"}


def link_sites(stage: Path, zh_stage: Path) -> None:
    """Give each site's ``_run.json`` its language switch and the pages both sites have (a
    page the other site lacks switches to that site's landing page)."""
    shared = sorted(docnames(stage) & docnames(zh_stage))
    for folder, lang in ((stage, "en"), (zh_stage, "zh")):
        path = folder / "_run.json"
        settings = json.loads(path.read_text(encoding="utf-8"))
        settings["switch"] = {**SWITCHES[lang], "pages": shared}
        path.write_text(json.dumps(settings, indent=1, ensure_ascii=False), encoding="utf-8")


def sphinx(jobs: list[tuple[Path, Path]]) -> int:
    """Run Sphinx on each (staging folder, output folder) side by side; 0 when all pass."""
    procs = [(stage, subprocess.Popen(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q",
         "-d", str(stage / ".doctrees"), str(stage), str(out)], cwd=ROOT)) for stage, out in jobs]
    status = 0
    for stage, proc in procs:
        if proc.wait():
            print(f"error: Sphinx stopped with warnings or errors (above); staged pages: {stage}",
                  file=sys.stderr)
            status = status or proc.returncode
    return status


def describe(run: Path, repo_url: str) -> dict:
    """:func:`run_info` and which edition of the lessons the run executed (``edition``)."""
    edition = site_zh.edition_of(sorted(run.glob(LESSON_GLOB)))
    return {**run_info(run, repo_url), "edition": edition}


def stage_sites(args, run: Path, stage: Path, out: Path, info: dict) -> list[tuple[Path, Path]]:
    """Stage the English site and, unless ``--no-zh``, the Chinese one (``<stage>-zh``, built
    into ``<out>/zh``); returns the Sphinx jobs: (staging folder, output folder)."""
    stage_site(run, stage, info)
    if args.no_zh:
        return [(stage, out)]
    zh_run = resolve_run(args.run_zh, False) if args.run_zh else run
    zh_info = describe(zh_run, args.repo_url) if args.run_zh else info
    if args.run_zh and zh_info["edition"] != "zh":
        raise SystemExit(f"error: --run-zh {zh_run} is a run of the English lessons; give a run "
                         "of the Chinese ones (make run EDITION=zh), or leave --run-zh out.")
    zh_stage = stage.with_name(f"{stage.name}-zh")
    copy_sources(zh_stage, "api")
    package = ROOT / "resnet_helpers"
    site_zh.stage_zh_site(zh_run, zh_stage, zh_info, helper_index(package), api_modules(package))
    link_sites(stage, zh_stage)
    return [(stage, out), (zh_stage, out / "zh")]


def main(argv=None) -> int:
    args = parse_args(argv)
    run = resolve_run(args.run, args.smoke)
    out = Path(args.out).resolve() if args.out else run / "site"
    info = describe(run, args.repo_url)
    if out.is_file() or out.is_dir() and any(out.iterdir()) and not (out / ".buildinfo").exists():
        print(f"error: {out} is a file, or a folder holding files that are not a site built "
              "here: choose another --out.", file=sys.stderr)
        return 2
    print(f"Building the site of run {run} ({'smoke' if info['smoke'] else 'full'} run) "
          f"into {out}{'' if args.no_zh else ' (English) and ' + str(out / 'zh') + ' (中文)'}",
          flush=True)
    try:
        jobs = stage_sites(args, run, ROOT / "site" / "_build" / run.name, out, info)
    except site_zh.EditionMismatch as error:
        print(f"error: {error}. (`--no-zh` builds the English site alone.)", file=sys.stderr)
        return 2
    shutil.rmtree(out, ignore_errors=True)   # an earlier build of this site: rebuilt whole
    status = sphinx(jobs)
    if status:
        return status
    print(f"Site ready: {out / 'index.html'}  (or: python -m http.server -d {out})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
