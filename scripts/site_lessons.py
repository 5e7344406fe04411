"""The lesson pages of the course website: each executed lesson copied readable, with its boxes.

Used by scripts/build_site.py. A lesson page keeps every output of the run, with progress bars
rendered the way a terminal shows them, and gains under its title the run that produced it,
how to open it in JupyterLab, and links to the API pages of the helpers its code calls.
"""

from __future__ import annotations

import base64
import importlib
import os
import re
import shutil
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
#: The figure each lesson shows on the landing page (``<run>/figures/<name>.png``); a lesson
#: not listed (or a run without that file) shows its first saved figure, else its first plot.
LANDING_FIGURES = {"03": "03_history", "04": "04_grad_cam", "05": "05_degradation"}
#: The landing page's words around each lesson: (what you do and its time, the figure's alt text).
LANDING_WORDS = {"en": ("{what}. *Time on a 2-core CPU: {time}.*", "a figure from {title}"),
                 "zh": ("{what}。*双核 CPU 上的用时：{time}。*", "{title}中的一幅图")}
#: The time of a lesson table with one column per CPU class (laptop-class, server), and what
#: the table's mark of a converted time (``†``, explained under the table) becomes.
LANDING_TIMES = {"en": ("{laptop} on a laptop-class CPU (AVX2 only), {server} on a server CPU "
                        "(AVX-512)", " (converted from a measurement)"),
                 "zh": ("笔记本电脑级 CPU（只支持 AVX2）上{laptop}，服务器 CPU（AVX-512）上{server}",
                        "（由测量换算）")}
#: The pages of ``docs/`` each site shows besides the README (``docs/zh/``: the Chinese ones).
DOC_PAGES = ("running", "helpers", "developers")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
#: TensorFlow's C++ start-up log lines (absl), which a kernel may print to stderr whatever
#: TF_CPP_MIN_LOG_LEVEL says; they tell a reader nothing about the lesson.
TF_LOG_LINE = re.compile(r"^(WARNING: All log messages before absl::InitializeLog\(\) is called"
                         r".*|[IWEF]\d{4} [\d:.]+ +\d+ [\w.]+:\d+\] .*)\n?", re.M)


def clean_text(text: str) -> str:
    """Drop colour codes; apply carriage returns and backspaces the way a terminal would."""
    lines = []
    for line in ANSI.sub("", text).split("\n"):
        line = line.rstrip("\r").split("\r")[-1]
        while "\b" in line:
            line = re.sub(r"[^\b]\b", "", line, count=1).lstrip("\b")
        lines.append(line)
    return "\n".join(lines)


def _text_only_display(out) -> bool:
    return out.get("output_type") == "display_data" and set(out.get("data", {})) == {"text/plain"}


def clean_outputs(nb) -> None:
    """Merge each cell's consecutive stream outputs (a progress bar arrives in pieces) and its
    consecutive plain-text displays (the course's one line per epoch) into one block each,
    clean every text output, and drop TensorFlow's C++ start-up log lines from stderr."""
    for cell in nb.cells:
        merged = []
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and merged and \
                    merged[-1].get("output_type") == "stream" and merged[-1]["name"] == out["name"]:
                merged[-1]["text"] += out["text"]
                continue
            if _text_only_display(out) and merged and _text_only_display(merged[-1]):
                merged[-1]["data"]["text/plain"] = (merged[-1]["data"]["text/plain"].rstrip("\n")
                                                    + "\n" + out["data"]["text/plain"])
                continue
            merged.append(out)
        for out in merged:
            if out.get("output_type") == "stream":
                out["text"] = clean_text(out["text"])
                if out["name"] == "stderr":
                    out["text"] = TF_LOG_LINE.sub("", out["text"])
            elif out.get("output_type") == "error":
                out["traceback"] = [clean_text(t) for t in out["traceback"]]
            elif "text/plain" in out.get("data", {}):
                out["data"]["text/plain"] = clean_text(out["data"]["text/plain"])
        if "outputs" in cell:
            cell["outputs"] = [o for o in merged if o.get("output_type") != "stream" or o["text"]]


def helper_index(package: Path) -> dict[str, str]:
    """``rh.<name>`` and ``rh.<layer>.<name>`` → the module that defines the name, dotted and
    relative to the package (``"residual_block"`` → ``"models.blocks"``, ``"course.settings"``
    → ``"course.lessons"``, ``"exercises"`` → ``"course.exercises"``), from the package's own
    export tables (importing it loads no module yet)."""
    sys.path.insert(0, str(package.parent))
    try:
        rh = importlib.import_module(package.name)
    finally:
        sys.path.pop(0)
    strip = lambda source: source.removeprefix(f"{package.name}.")  # noqa: E731
    index = {name: strip(source) for name, source in rh._EXPORTS.items()}
    for layer_name in ("course", "data", "inspect", "models", "training"):
        layer = getattr(rh, layer_name)
        index.update({f"{layer_name}.{name}": strip(source)
                      for name, source in layer._EXPORTS.items()})
    return index


def api_modules(package: Path) -> list[str]:
    """The package's public modules, dotted (``"models.blocks"``), one API page each: every
    module not starting with ``_``; the exercises and the message catalogues (``messages``:
    ``tr`` and the per-language dictionaries) as one page each (their package)."""
    found = []
    for path in package.rglob("*.py"):
        parts = path.relative_to(package).with_suffix("").parts
        if "exercises" in parts or parts[0] == "messages":
            continue
        if path.name == "__init__.py" or any(p.startswith("_") for p in parts):
            continue
        found.append(".".join(parts))
    return sorted(found + ["course.exercises", "messages"])


def helpers_used(nb, index: dict[str, str], modules: list[str]) -> dict[str, list[str]]:
    """Module → names of the ``rh.<name>`` / ``rh.<layer>.<name>`` calls in the code cells."""
    used: dict[str, set[str]] = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for first, second in re.findall(r"\brh\.(\w+)(?:\.(\w+))?", cell.source):
            if second and f"{first}.{second}" in index:          # rh.course.settings
                if index[f"{first}.{second}"].rsplit(".", 1)[-1] != second:  # not a module
                    used.setdefault(index[f"{first}.{second}"], set()).add(second)
            elif first in index and index[first].rsplit(".", 1)[-1] == first:  # a module
                if second:                                                 # rh.exercises.check
                    used.setdefault(index[first], set()).add(second)
            elif first in index:                                    # rh.residual_block
                used.setdefault(index[first], set()).add(first)
    return {m: sorted(n) for m, n in sorted(used.items())}


def lesson_box(nb_path: Path, used: dict[str, list[str]], info: dict) -> str:
    """The MyST cell put under each lesson's title: provenance, JupyterLab, helpers."""
    rel = f"notebooks/{nb_path.name}"
    kind = "smoke run (tiny data, one short epoch: not the course's results)" \
        if info["smoke"] else "a full run of the course"
    edition = " It ran the Chinese edition of the lessons (`notebooks/zh/`), whose code is " \
        "the same." if info.get("edition") == "zh" else ""
    links = "\n".join(f"- [`resnet_helpers.{m}`](../api/{m}.md): " + ", ".join(
        f"{{py:obj}}`{n} <resnet_helpers.{m}.{n}>`" for n in names) for m, names in used.items())
    binder = (f"[launch this lesson on Binder](https://mybinder.org/v2/gh/{info['repo_slug']}/"
              f"{info['repo_branch']}?labpath={rel}) (or the rocket button at the top)"
              if info["repo_slug"] else
              f"Binder opens it in JupyterLab from a public GitHub repository: "
              f"`https://mybinder.org/v2/gh/OWNER/REPO/main?labpath={rel}` (a site built "
              "with `--repo-url` has this link and a launch button)")
    solution = f"solutions/{nb_path.name}"
    solutions = "" if not (ROOT / solution).exists() else " Solutions to its exercises: " + (
        f"[`{solution}`]({info['repo_url']}/blob/{info['repo_branch']}/{solution})"
        if info["repo_url"] else f"`{solution}`") + " in the repository."
    return f"""
:::{{admonition}} Run `{info['run']}`: {kind}
:class: note course-provenance
Machine: {info['device']} · data: {info['data']} · finished {info['date']}. The outputs below
are those of that run; nothing was re-run to build this page.{edition}
:::

::::{{admonition}} Open in JupyterLab
:class: tip course-open
In a clone of the course:
```bash
make lab
```
then open `{rel}` and run it from the top. Hosted: {binder}.{solutions}
::::
""" + (f"""
:::{{admonition}} Helpers used in this lesson
:class: seealso course-helpers
{links}
:::
""" if used else "")


def stage_lesson(src: Path, dest: Path, index, modules, info, nb=None, box=lesson_box,
                 repo_dir: str = "notebooks") -> str:
    """Copy one executed lesson to ``dest``, readable and with its boxes; returns its title.

    ``nb`` is the lesson already loaded (else ``src`` is read), ``box`` writes its boxes and
    ``repo_dir`` is the lesson's folder in the repository (its relative links start there).
    """
    nb = nbformat.read(src, as_version=4) if nb is None else nb
    clean_outputs(nb)
    prose = [c for c in nb.cells if c.cell_type == "markdown"]
    anchors = heading_anchors("\n".join(c.source for c in prose))
    for cell in prose:
        cell.source = fix_links(cell.source, dest.parent, dest.parents[1], info, anchors,
                                repo_dir)
    box = nbformat.v4.new_markdown_cell(box(src, helpers_used(nb, index, modules), info))
    first = next(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown")
    title, _, rest = nb.cells[first].source.partition("\n")
    nb.cells[first].source = title
    nb.cells[first + 1:first + 1] = [box, nbformat.v4.new_markdown_cell(rest)] if rest.strip() \
        else [box]
    for cell in nb.cells:
        cell.pop("id", None)
    nb.nbformat_minor = 4
    nbformat.write(nb, dest)
    return title.lstrip("# ").strip()


def readme_sections(text: str) -> dict[str, str]:
    """``## Heading`` → its body; ``""`` → the text before the first such heading."""
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    return {"": parts[0], **{h.strip(): b.strip("\n") for h, b in zip(parts[1::2], parts[2::2])}}


def landing_lessons(lessons: list[tuple[Path, str]], run: Path, table_text: str, stage: Path,
                    lang: str = "en") -> str:
    """One section per lesson: its title, what you do and its time (from the README's lesson
    table ``table_text``: ``| # | lesson | what | time |``, or with two time columns, a
    laptop-class CPU's and a server CPU's), and one figure of the run; in English or Chinese
    (``lang``)."""
    table = {}
    for row in table_text.splitlines():
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        if len(cells) in (4, 5) and cells[0].isdigit():
            if len(cells) == 5:
                words, converted = LANDING_TIMES[lang]
                laptop, server = (c.replace(" †", converted) for c in cells[3:])
                cells[3:] = [words.format(laptop=laptop, server=server)]
            table[cells[0]] = cells
    what_and_time, figure_alt = LANDING_WORDS[lang]
    parts = []
    for nb_path, title in lessons:
        number = nb_path.name[:2]
        part = f"### [{title}](notebooks/{nb_path.name})\n\n"
        if number in table:
            what = table[number][2]
            part += what_and_time.format(what=f"{what[:1].upper()}{what[1:]}",
                                         time=table[number][3]) + "\n\n"
        figure = stage / "figures" / f"lesson-{number}.png"
        if lesson_figure(run, nb_path, figure):
            alt = figure_alt.format(title=title)
            part += f"![{alt}](figures/{figure.name}){{.course-figure}}\n\n"
        parts.append(part)
    return "\n".join(parts)


def lesson_figure(run: Path, nb_path: Path, dest: Path) -> bool:
    """Copy the lesson's landing-page figure to ``dest``; False when the lesson has none."""
    number = nb_path.name[:2]
    chosen = run / "figures" / f"{LANDING_FIGURES.get(number, '')}.png"
    saved = sorted((run / "figures").glob(f"{number}_*.png"))
    source = chosen if chosen.is_file() else (saved[0] if saved else None)
    if source:
        shutil.copyfile(source, dest)
        return True
    for cell in nbformat.read(nb_path, as_version=4).cells:
        for out in cell.get("outputs", []):
            if "image/png" in out.get("data", {}):
                dest.write_bytes(base64.b64decode(out["data"]["image/png"]))
                return True
    return False


def copy_docs(texts: dict[str, str], stage: Path) -> None:
    """Write the pages of ``docs/`` (name → Markdown) into ``stage/docs/`` as they are: the
    other pages' links check that these exist (:func:`fix_docs` then fixes their own links)."""
    (stage / "docs").mkdir(exist_ok=True)
    for name, text in texts.items():
        (stage / "docs" / f"{name}.md").write_text(text, encoding="utf-8")


def fix_docs(names, stage: Path, info: dict, repo_dir: str) -> None:
    """Point the links of the staged ``docs/`` pages at the staged pages (:func:`fix_links`);
    ``repo_dir``: their folder in the repository (``docs`` or ``docs/zh``)."""
    for name in names:
        page = stage / "docs" / f"{name}.md"
        page.write_text(fix_links(page.read_text(encoding="utf-8"), page.parent, stage, info,
                                  repo_dir=repo_dir), encoding="utf-8")


def heading_anchors(text: str) -> set[str]:
    return {re.sub(r"[^\w\- ]", "", h).strip().lower().replace(" ", "-")
            for h in re.findall(r"^#+ (.+)$", text, flags=re.M)}


def fix_links(text: str, page_dir: Path, stage: Path, info: dict, anchors=None,
              repo_dir: str | None = None) -> str:
    """Point links at the staged pages: an anchor this page lacks at the README (guide.md), a
    repository file the site lacks at the repository (``--repo-url``), else plain text.

    ``repo_dir``: the folder of the text in the repository, when the staged page does not
    mirror it (a Chinese lesson of ``notebooks/zh/`` staged as ``notebooks/``).
    """
    anchors = heading_anchors(text) if anchors is None else anchors
    repo_dir = page_dir.relative_to(stage).as_posix() if repo_dir is None else repo_dir

    def fix(match):
        label, target = match.groups()
        if re.match(r"[a-z]+:", target):
            return match.group(0)
        if target.startswith("#"):
            guide = os.path.relpath(stage / "guide.md", page_dir)
            return match.group(0) if target[1:] in anchors else f"[{label}]({guide}{target})"
        if (page_dir / target.split("#")[0]).exists():
            return match.group(0)
        in_repo = os.path.normpath(Path(repo_dir) / target)
        if info["repo_url"]:
            return f"[{label}]({info['repo_url']}/blob/{info['repo_branch']}/{in_repo})"
        return f"{label} (`{in_repo}` in the repository)" if in_repo not in label else label

    return re.sub(r"(?<!!)\[([^\]]+)\]\(([^)\s]+)\)", fix, text)
