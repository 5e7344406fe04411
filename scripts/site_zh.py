"""The Chinese course website, ``<run>/site/zh/``, built beside the English one from the same run.

Used by scripts/build_site.py. Its pages: a landing page from README.zh.md's sections, every
lesson of ``notebooks/zh/``, the troubleshooting page and course guide from README.zh.md, and
the pages of ``docs/zh/`` (the Chinese versions of ``docs/``, and the glossary).
The API reference and the benchmarks are English only: the Chinese pages link to the English
ones (``../api/…``) instead of building them twice.

A Chinese lesson page shows executed outputs without a second execution: the Chinese notebook
with the outputs of the run's executed English notebook copied over cell by cell
(:func:`merge_outputs`; the two editions share cell ids and their code is byte for byte the
same, so a Chinese run prints exactly the same text). A run of the Chinese edition
(``make run EDITION=zh``) or a separate Chinese run (``--run-zh``) is shown as it is.
"""

from __future__ import annotations

import ast
import copy
import json
import re
import shutil
from pathlib import Path

import nbformat

from site_lessons import (DOC_PAGES, copy_docs, fix_docs, fix_links, landing_lessons,
                          readme_sections, stage_lesson)
from zh_edition import cjk_share

ROOT = Path(__file__).resolve().parents[1]
LESSON_GLOB = "[0-9][0-9]_*.ipynb"
#: The README sections the site shows → their headings in README.zh.md.
ZH_SECTIONS = {"The two commands": "两条命令", "The lessons": "各课内容",
               "When things go wrong": "出现问题时",
               "Speed: a laptop CPU and a GPU": "速度：笔记本电脑 CPU 与 GPU"}
TITLE = "残差网络，动手实践"
BANNER = ("冒烟测试运行：这些页面展示的是一次冒烟测试运行（数据很少，只训练一小轮）——"
          "其中的数字不是本课程的结果。")
#: README.zh.md's links to pages only the English site has → those pages (from the site root).
ENGLISH_PAGES = {"benchmarks/README.md": "benchmarks/README.html", "README.md": "guide.html"}
#: The pages of ``docs/zh/`` the Chinese site shows: those of ``docs/`` and the glossary.
ZH_DOC_PAGES = (*DOC_PAGES, "glossary")
#: The "English · 中文" line under each README's title: the sites' language switch replaces it.
LANGUAGE_LINE = re.compile(r"^(?=.*English)(?=.*中文).*·.*\n+", re.M)


_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])\n(?=[{_CJK}])")


def join_cjk_lines(text: str) -> str:
    """Join the lines of a wrapped Chinese paragraph where both sides of the break are CJK
    characters: browsers show such a line break as a space, which Chinese text has not.
    Fenced code, headings, tables and directive lines are left as they are."""
    lines = text.split("\n")
    joined, fenced = [lines[0]], lines[0].lstrip().startswith("```")
    for line in lines[1:]:
        previous = joined[-1]
        if not fenced and not previous.lstrip().startswith(("#", "|", ":")) and \
                _CJK_BREAK.search(f"{previous[-1:]}\n{line[:1]}"):
            joined[-1] += line
        else:
            joined.append(line)
        fenced ^= line.lstrip().startswith("```")
    return "\n".join(joined)


class EditionMismatch(ValueError):
    """The executed lesson and the other edition's notebook are out of step (ids or code)."""


def merge_outputs(executed, prose, lesson: str):
    """The executed notebook with the markdown of the other edition's notebook ``prose``.

    Args:
        executed: the run's executed lesson (``nbformat`` notebook, as papermill wrote it).
        prose: the same lesson in the other edition, unexecuted: same cell ids, same code.
        lesson: the lesson's file name, for the messages.

    Returns:
        A new notebook: ``executed``'s cells, outputs and metadata (papermill's injected
        parameters cell included), each markdown cell's text taken from ``prose``.

    Raises:
        EditionMismatch: a cell is in one notebook only, the cells are in another order, or a
            code cell's source differs; the message names the lesson and the cell.
    """
    merged = copy.deepcopy(executed)
    ran = [c for c in merged.cells if "injected-parameters" not in c.metadata.get("tags", [])]
    fix = ("the run and the other edition are out of step: the lesson changed since the run, "
           "or the other edition lags behind (`python scripts/zh_edition.py check`); build from "
           "a run of the current lessons")
    ran_ids, prose_ids = [c.get("id") for c in ran], [c.get("id") for c in prose.cells]
    for cell_id in [i for i in ran_ids if i not in prose_ids]:
        raise EditionMismatch(f"{lesson}: cell {cell_id} of the executed lesson is missing from "
                              f"the other edition's notebook; {fix}")
    for cell_id in [i for i in prose_ids if i not in ran_ids]:
        raise EditionMismatch(f"{lesson}: cell {cell_id} of the other edition's notebook is "
                              f"missing from the executed lesson; {fix}")
    if ran_ids != prose_ids:
        raise EditionMismatch(f"{lesson}: the cells are in another order in the two "
                              f"editions; {fix}")
    for cell, twin in zip(ran, prose.cells):
        if cell.cell_type != twin.cell_type or cell.cell_type == "code" and \
                cell.source != twin.source:
            first = (cell.source.strip().splitlines() or ["(empty)"])[0][:60]
            raise EditionMismatch(f"{lesson}: {cell.cell_type} cell {cell.get('id')} "
                                  f"({first!r}) differs between the executed lesson and the "
                                  f"other edition; {fix}")
        if cell.cell_type == "markdown":
            cell.source = twin.source
            cell.pop("attachments", None)
            if "attachments" in twin:
                cell["attachments"] = copy.deepcopy(twin["attachments"])
    return merged


def edition_of(notebooks: list[Path]) -> str:
    """``"zh"`` when the executed lessons' markdown is mostly Chinese, else ``"en"``."""
    prose = []
    for path in notebooks:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        prose += ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]
    return "zh" if cjk_share("\n".join(prose)) >= 0.5 else "en"


def lesson_notebook(executed: Path, prose_dir: Path | None):
    """The executed lesson as it is (``prose_dir`` None), or with the markdown of its
    counterpart in ``prose_dir`` (:func:`merge_outputs`)."""
    nb = nbformat.read(executed, as_version=4)
    if prose_dir is None:
        return nb
    counterpart = prose_dir / executed.name
    if not counterpart.is_file():
        raise EditionMismatch(f"{executed.name}: the run has this lesson but {counterpart} does "
                              "not exist; the editions are out of step")
    return merge_outputs(nb, nbformat.read(counterpart, as_version=4), executed.name)


def documented(package: Path, module: str) -> set[str]:
    """Names with an anchor on the module's API page: its documented functions and classes."""
    path = package.joinpath(*module.split("."))                # "models.blocks" → models/blocks
    path = path.with_suffix(".py") if path.with_suffix(".py").is_file() else path / "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {node.name for node in tree.body
             if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and ast.get_docstring(node)}
    if path.name == "__init__.py":   # a package page (the exercises): the names it re-exports
        names |= {a.asname or a.name for node in tree.body if isinstance(node, ast.ImportFrom)
                  for a in node.names}
    return names


def helper_links(module: str, names: list[str]) -> str:
    """One list item: the module's English API page, and each name at its anchor there (a name
    without one, such as a constant, as plain code)."""
    anchored = documented(ROOT / "resnet_helpers", module)
    page = f"../../api/{module}.html"
    return f'- <a href="{page}"><code>resnet_helpers.{module}</code></a>：' + "、".join(
        f'<a href="{page}#resnet_helpers.{module}.{n}"><code>{n}</code></a>'
        if n in anchored else f"`{n}`" for n in names)


def lesson_box(nb_path: Path, used: dict[str, list[str]], info: dict) -> str:
    """The boxes under a Chinese lesson's title: which run made its outputs, JupyterLab,
    helpers (linked to the English API pages: ``../../api/``)."""
    rel = f"notebooks/zh/{nb_path.name}"
    kind = "冒烟测试运行（数据很少、只训练一小轮：不是本课程的结果）" if info["smoke"] \
        else "本课程的一次完整运行"
    origin = ("这些输出是那次运行中英文版各课的输出，逐个单元格复制到了中文版中：两个版本的代码逐字节相同，"
              "中文版运行会打印完全相同的内容。" if info["edition"] == "en"
              else "那次运行执行的就是中文版各课。")
    binder = (f"[在 Binder 上打开这一课](https://mybinder.org/v2/gh/{info['repo_slug']}/"
              f"{info['repo_branch']}?labpath={rel})" if info["repo_slug"] else
              "Binder 可以从 GitHub 上的公开仓库在 JupyterLab 中打开它："
              f"`https://mybinder.org/v2/gh/OWNER/REPO/main?labpath={rel}`（用 `--repo-url` "
              "构建的网站带有这个链接）")
    solution = f"solutions/{nb_path.name}"
    solutions = "" if not (ROOT / solution).exists() else "练习的参考答案（英文）：" + (
        f"[`{solution}`]({info['repo_url']}/blob/{info['repo_branch']}/{solution})"
        if info["repo_url"] else f"仓库中的 `{solution}`") + "。"
    links = "\n".join(helper_links(m, names) for m, names in used.items())
    return join_cjk_lines(f"""
:::{{admonition}} 运行 `{info['run']}`：{kind}
:class: note course-provenance
机器：{info['device']} · 数据：{info['data']} · 完成于 {info['date']}。
下面的输出都来自这次运行；{origin}构建本页时没有重新运行任何代码。
:::

::::{{admonition}} 在 JupyterLab 中打开
:class: tip course-open
在课程仓库的克隆中：
```bash
make lab EDITION=zh
```
然后打开 `{rel}`，从头开始运行。在线：{binder}。{solutions}
::::
""" + (f"""
:::{{admonition}} 本课用到的辅助函数（API 参考为英文）
:class: seealso course-helpers
{links}
:::
""" if used else ""))


def english_links(text: str, base: str = "", up: str = "../") -> str:
    """README.zh.md's links to pages only the English site has, as links to those pages
    (raw HTML: Sphinx knows no page outside this site; the page is at the site's root).
    ``base``: the way from the text's folder in the repository to its root (``../../`` for
    ``docs/zh/``); ``up``: from its staged page to the English site's root (``../../`` for a
    page in ``docs/``)."""
    def link(match):
        label, target, fragment = match.groups()
        page = ENGLISH_PAGES[target[len(base):]]
        return f'<a href="{up}{page}{fragment or ""}">{label}</a>（英文）'

    targets = "|".join(re.escape(base + page) for page in ENGLISH_PAGES)
    return re.sub(rf"(?<!!)\[([^\]]+)\]\(({targets})(#[^)\s]*)?\)", link, text)


def stage_readme_pages(stage: Path, info: dict) -> dict[str, str]:
    """Write the course guide (README.zh.md) and the troubleshooting page; returns README.zh.md's
    sections by their English names."""
    text = (ROOT / "README.zh.md").read_text(encoding="utf-8").replace(
        "](notebooks/zh/", "](notebooks/").replace("](docs/zh/", "](docs/")
    text = join_cjk_lines(english_links(LANGUAGE_LINE.sub("", text, count=1)))
    sections = readme_sections(text)
    missing = [zh for zh in ZH_SECTIONS.values() if zh not in sections]
    if missing:
        raise SystemExit(f"error: README.zh.md has no section(s) {missing}, which the Chinese "
                         f"site shows; rename them in ZH_SECTIONS of {Path(__file__).name} too.")
    guide = re.sub(r"^# .+$", "# 课程指南（README）", text, count=1, flags=re.M)
    (stage / "guide.md").write_text(fix_links(guide, stage, stage, info), encoding="utf-8")
    wide = "---\nhtml_theme.sidebar_secondary.remove: true\n---\n"
    trouble = f"{wide}# 出现问题时\n\n" + sections[ZH_SECTIONS["When things go wrong"]]
    (stage / "troubleshooting.md").write_text(fix_links(trouble, stage, stage, info),
                                              encoding="utf-8")
    return {en: sections[zh] for en, zh in ZH_SECTIONS.items()} | {"": sections[""]}


def run_line(info: dict) -> str:
    """The landing page's words on the run the pages show."""
    kind = "冒烟测试运行" if info["smoke"] else "完整运行"
    origin = "；中文页面上的输出取自这次运行中英文版各课的输出（代码完全相同）" \
        if info["edition"] == "en" else ""
    return (f"运行 `{info['run']}`（{kind}），机器：{info['device']}，数据：{info['data']}，"
            f"完成于 {info['date']}{origin}")


def stage_zh_site(run: Path, stage: Path, info: dict, index, modules) -> None:
    """Fill ``stage`` (already holding ``site/`` without ``api/``) with the Chinese pages.

    Args:
        run: the run folder whose executed lessons give the outputs (English or Chinese).
        stage: the staging folder of the Chinese site.
        info: the run's description (build_site.run_info) with ``edition``: ``"en"`` when
            ``run`` executed the English lessons (their outputs are then merged into
            ``notebooks/zh/``), ``"zh"`` when it executed the Chinese ones.
        index, modules: ``rh.<name>`` → module, and the API modules (site_lessons).
    """
    shutil.copyfile(ROOT / "site" / "zh" / "index.md", stage / "index.md")
    for folder in ("notebooks", "figures"):
        (stage / folder).mkdir(exist_ok=True)
    prose_dir = ROOT / "notebooks" / "zh" if info["edition"] == "en" else None
    lessons = []
    for executed in sorted(run.glob(LESSON_GLOB)):
        nb = lesson_notebook(executed, prose_dir)
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = join_cjk_lines(cell.source)
        title = stage_lesson(executed, stage / "notebooks" / executed.name, index, modules, info,
                             nb=nb, box=lesson_box, repo_dir="notebooks/zh")
        lessons.append((executed, title))
    wide = "---\nhtml_theme.sidebar_secondary.remove: true\n---\n"  # room for wide tables
    copy_docs({name: wide + join_cjk_lines(english_links(
        (ROOT / "docs" / "zh" / f"{name}.md").read_text(encoding="utf-8").replace(
            "](../../README.zh.md", "](../guide.md").replace(
            "](../../notebooks/zh/", "](../notebooks/"), base="../../", up="../../"))
        for name in ZH_DOC_PAGES}, stage)
    readme = stage_readme_pages(stage, info)
    fix_docs(ZH_DOC_PAGES, stage, info, "docs/zh")
    intro = readme[""].split("\n", 1)[1].strip()
    landing = (stage / "index.md").read_text(encoding="utf-8")
    for key, value in {"INTRO": intro, "RUN": run_line(info), "START": readme["The two commands"],
                       "LESSONS": landing_lessons(lessons, run, readme["The lessons"], stage,
                                                  "zh"),
                       "SPEED": readme["Speed: a laptop CPU and a GPU"]}.items():
        landing = landing.replace(f"%%{key}%%", value)
    (stage / "index.md").write_text(fix_links(landing, stage, stage, info), encoding="utf-8")
    (stage / "_run.json").write_text(json.dumps(
        {**info, "language": "zh_CN", "title": TITLE, "banner": BANNER if info["smoke"] else "",
         "repo_root": str(ROOT)}, indent=1, ensure_ascii=False),
        encoding="utf-8")
