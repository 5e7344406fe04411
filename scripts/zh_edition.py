"""Keep the Chinese lessons (``notebooks/zh/``) and solutions (``solutions/zh/``) in step with
the English ones.

    python scripts/zh_edition.py check   # what differs; exit status 1 if anything does
    python scripts/zh_edition.py sync    # copy the English code into the Chinese notebooks

The two editions share every cell's ``id``. The rules, the same for the lessons and for the
exercise solutions (:data:`EDITIONS`; ``tests/test_zh_edition.py`` runs :func:`problems` on
every lesson and every solution in CI):

* the same cells in the same order (ids and types), the code cells byte for byte identical —
  comments and printed text included, so that both editions compute the same thing;
* every Chinese markdown cell mostly Chinese: at least :data:`MIN_CJK_SHARE` of its letters
  are CJK characters (code spans, formulas, links' targets and URLs not counted);
* every heading of an English markdown cell has a counterpart of the same level in the same
  Chinese cell, every exercise id (``03.1``) appears in its cell, and every relative link of
  the Chinese notebooks points at an existing file.

``sync`` rewrites each Chinese notebook in the English order: code cells copied from English,
Chinese markdown kept by id, and a markdown cell new in English copied in English under a
``<!-- 待翻译 / to translate -->`` mark, so that ``check`` (and CI) names it until translated.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENGLISH = ROOT / "notebooks"
CHINESE = ENGLISH / "zh"
SOLUTIONS = ROOT / "solutions"
#: (English folder, Chinese folder): the lessons and the exercise solutions.
EDITIONS = ((ENGLISH, CHINESE), (SOLUTIONS, SOLUTIONS / "zh"))
MIN_CJK_SHARE = 0.5
TO_TRANSLATE = "<!-- 待翻译 / to translate -->\n"

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_NOT_PROSE = re.compile(r"```.*?```|`[^`]*`|\$\$.*?\$\$|\$[^$]*\$|\]\([^)]*\)|https?://\S+|<[^>]+>",
                        re.S)
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$", re.M)
_EXERCISE = re.compile(r"\b(0\d\.\d+)\b")
_LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def source(cell: dict) -> str:
    return "".join(cell["source"])


def cjk_share(text: str) -> float:
    """CJK characters / (CJK characters + Latin letters) in ``text``'s prose (1.0 if no letters)."""
    prose = _NOT_PROSE.sub(" ", text)
    cjk, latin = len(_CJK.findall(prose)), len(_LATIN.findall(prose))
    return 1.0 if cjk + latin == 0 else cjk / (cjk + latin)


def _title(cell: dict) -> str:
    text = source(cell).strip().splitlines()
    return (text[0][:70] if text else "(empty)")


def problems(english: dict, chinese: dict, lesson: str, folder: Path = CHINESE) -> list[str]:
    """Every way the Chinese notebook ``chinese`` is out of step with ``english``.

    Args:
        english, chinese: the two notebooks as loaded JSON.
        lesson: the notebook's name (a lesson or a solution), for the messages.
        folder: where the Chinese notebook lives (relative links are checked from there).

    Returns:
        One message per problem, naming the lesson and the cell (its first line); empty when
        the editions are in step.
    """
    found = []
    en_ids = [(c.get("id"), c["cell_type"]) for c in english["cells"]]
    zh_ids = [(c.get("id"), c["cell_type"]) for c in chinese["cells"]]
    if en_ids != zh_ids:
        en_only = [i for i in en_ids if i not in zh_ids]
        zh_only = [i for i in zh_ids if i not in en_ids]
        by_id = {c.get("id"): c for c in english["cells"] + chinese["cells"]}
        for label, missing in (("only in English", en_only), ("only in Chinese", zh_only)):
            for cell_id, kind in missing:
                found.append(f"{lesson}: {kind} cell {cell_id} ({_title(by_id[cell_id])!r}) is "
                             f"{label}; run `python scripts/zh_edition.py sync` and translate")
        if not en_only and not zh_only:
            found.append(f"{lesson}: the cells are in a different order than in English; run "
                         "`python scripts/zh_edition.py sync`")
    zh_by_id = {c.get("id"): c for c in chinese["cells"]}
    for cell in english["cells"]:
        twin = zh_by_id.get(cell.get("id"))
        if twin is None or twin["cell_type"] != cell["cell_type"]:
            continue
        if cell["cell_type"] == "code":
            if source(twin) != source(cell):
                found.append(f"{lesson}: code cell {cell.get('id')} ({_title(cell)!r}) differs "
                             "from the English one; code is shared byte for byte — run sync")
            continue
        en_text, zh_text = source(cell), source(twin)
        share = cjk_share(zh_text)
        if TO_TRANSLATE in zh_text or share < MIN_CJK_SHARE:
            found.append(f"{lesson}: markdown cell {cell.get('id')} ({_title(cell)!r}) is not "
                         f"translated ({share:.0%} Chinese, needs {MIN_CJK_SHARE:.0%})")
        en_levels = [len(h) for h, _ in _HEADING.findall(en_text)]
        zh_levels = [len(h) for h, _ in _HEADING.findall(zh_text)]
        if en_levels != zh_levels:
            for level, title in _HEADING.findall(en_text):
                found.append(f"{lesson}: section {level} {title!r} has no counterpart of the same "
                             f"level in the Chinese cell {cell.get('id')}")
        for exercise in set(_EXERCISE.findall(en_text)) - set(_EXERCISE.findall(zh_text)):
            found.append(f"{lesson}: exercise {exercise} is missing from the Chinese cell "
                         f"{cell.get('id')}")
        for target in _LINK.findall(zh_text):
            if not re.match(r"[a-z]+:", target) and not (folder / target).exists():
                found.append(f"{lesson}: link {target!r} in cell {cell.get('id')} points at no "
                             f"file (links are relative to {folder.relative_to(ROOT)})")
    return found


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _write(path: Path, notebook: dict) -> None:
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def sync(english: dict, chinese: dict) -> dict:
    """``chinese`` rebuilt in ``english``'s cell order: English code, Chinese markdown by id,
    English markdown (marked :data:`TO_TRANSLATE`) where no translation exists."""
    zh_by_id = {c.get("id"): c for c in chinese["cells"]}
    cells = []
    for cell in english["cells"]:
        twin = zh_by_id.get(cell.get("id"))
        if cell["cell_type"] == "markdown" and twin is not None \
                and twin["cell_type"] == "markdown":
            cells.append(twin)
        elif cell["cell_type"] == "markdown":
            cells.append({**cell, "source": [TO_TRANSLATE, *cell["source"]]})
        else:
            cells.append(json.loads(json.dumps(cell)))
    return {**english, "cells": cells}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("check", "sync"))
    args = parser.parse_args(argv)
    found = []
    for english_folder, chinese_folder in EDITIONS:
        for path in sorted(english_folder.glob("[0-9][0-9]_*.ipynb")):
            twin, name = chinese_folder / path.name, str(path.relative_to(ROOT))
            if not twin.exists():
                found.append(f"{name}: no Chinese edition ({twin.relative_to(ROOT)})")
                continue
            english, chinese = _load(path), _load(twin)
            if args.command == "sync":
                synced = sync(english, chinese)
                if synced != chinese:
                    _write(twin, synced)
                    print(f"synced {twin.relative_to(ROOT)}")
                chinese = synced
            found += problems(english, chinese, name, chinese_folder)
    print("\n".join(found) or "the Chinese edition is in step with the English one")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
