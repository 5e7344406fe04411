"""The Chinese edition (notebooks/zh, solutions/zh) is in step with the English one: same cells,
identical code, translated prose, every section and exercise present, working links."""
import copy
import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("zh_edition", ROOT / "scripts" / "zh_edition.py")
zh = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(zh)

LESSONS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
TRANSLATED = sorted(p.name for p in (ROOT / "notebooks" / "zh").glob("[0-9][0-9]_*.ipynb"))
# Every English notebook of both editions' folders (lessons, solutions) with its Chinese twin.
PAIRS = [(path, chinese / path.name) for english, chinese in zh.EDITIONS
         for path in sorted(english.glob("[0-9][0-9]_*.ipynb"))]


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("english, twin", PAIRS,
                         ids=[str(e.relative_to(ROOT)) for e, _ in PAIRS])
def test_chinese_notebook_is_in_step_with_the_english_one(english, twin):
    name = str(english.relative_to(ROOT))
    assert twin.exists(), f"no Chinese edition of {name}: {twin.relative_to(ROOT)}"
    found = zh.problems(load(english), load(twin), name, twin.parent)
    assert not found, "\n".join(found)


def test_parameters_cells_are_identical():
    for lesson in TRANSLATED:
        en, cn = (load(ROOT / "notebooks" / p / lesson) for p in ("", "zh"))
        tagged = [[zh.source(c) for c in nb["cells"] if "parameters" in
                   c.get("metadata", {}).get("tags", [])] for nb in (en, cn)]
        assert tagged[0] and tagged[0] == tagged[1], lesson


# The check itself must catch what it is there to catch (on a copy of a real lesson).

@pytest.fixture
def pair():
    lesson = LESSONS[0]
    return (load(ROOT / "notebooks" / lesson), load(ROOT / "notebooks" / "zh" / lesson), lesson)


def test_check_names_a_cell_deleted_in_one_edition(pair):
    en, cn, lesson = pair
    code = next(i for i, c in enumerate(cn["cells"]) if c["cell_type"] == "code")
    removed = cn["cells"].pop(code)
    found = zh.problems(en, cn, lesson)
    assert any(removed["id"] in m and "only in English" in m for m in found), found


def test_check_names_a_section_added_in_english_only(pair):
    en, cn, lesson = pair
    en = copy.deepcopy(en)
    en["cells"].insert(3, {"cell_type": "markdown", "id": "new-section", "metadata": {},
                           "source": ["## 9. A new section\n", "Some new English text.\n"]})
    found = zh.problems(en, cn, lesson)
    assert any("'## 9. A new section'" in m and "only in English" in m for m in found), found
    synced = zh.sync(en, cn)  # sync inserts it, marked: the check still names it until translated
    assert any("new-section" in m and "not translated" in m
               for m in zh.problems(en, synced, lesson))


def test_check_names_changed_code_an_untranslated_cell_and_a_lost_heading(pair):
    en, cn, lesson = pair
    code = next(c for c in cn["cells"] if c["cell_type"] == "code")
    code["source"] = code["source"] + ["print('only in Chinese')\n"]
    markdown = [c for c in cn["cells"] if c["cell_type"] == "markdown"]
    english_twin = {c["id"]: c for c in en["cells"]}[markdown[1]["id"]]
    markdown[1]["source"] = english_twin["source"]          # left in English
    markdown[0]["source"] = [l for l in markdown[0]["source"] if not l.startswith("#")]
    found = "\n".join(zh.problems(en, cn, lesson))
    assert f"code cell {code['id']}" in found
    assert f"markdown cell {markdown[1]['id']}" in found and "not translated" in found
    assert "has no counterpart" in found


def test_sync_copies_english_code_and_keeps_chinese_prose(pair):
    en, cn, lesson = pair
    en = copy.deepcopy(en)
    code = next(c for c in en["cells"] if c["cell_type"] == "code")
    code["source"] = ["x = 1  # changed in English\n"]
    synced = zh.sync(en, cn)
    assert [c["id"] for c in synced["cells"]] == [c["id"] for c in en["cells"]]
    assert next(c for c in synced["cells"] if c["id"] == code["id"])["source"] == code["source"]
    for cell in synced["cells"]:
        if cell["cell_type"] == "markdown":
            assert zh.cjk_share(zh.source(cell)) >= zh.MIN_CJK_SHARE


def test_cjk_share_ignores_code_math_and_links():
    assert zh.cjk_share("残差块 `rh.residual_block(x, filters)` $F(x) + x$ [链接](../README.md)") == 1.0
    assert zh.cjk_share("The residual block 残差") < 0.2


def test_every_lesson_and_solution_has_a_chinese_edition():
    for english, chinese in zh.EDITIONS:
        en = {p.name for p in english.glob("[0-9][0-9]_*.ipynb")}
        assert en, f"no notebooks in {english.relative_to(ROOT)}/"
        cn = {p.name for p in chinese.glob("[0-9][0-9]_*.ipynb")}
        assert en <= cn, f"no Chinese edition in {chinese.relative_to(ROOT)}/ of {sorted(en - cn)}"
        assert cn <= en, f"{chinese.relative_to(ROOT)}/ has {sorted(cn - en)}, English lacks it"


def test_chinese_solutions_link_to_the_chinese_lessons():
    for path in sorted((ROOT / "solutions" / "zh").glob("[0-9][0-9]_*.ipynb")):
        links = [t for c in load(path)["cells"] if c["cell_type"] == "markdown"
                 for t in zh._LINK.findall(zh.source(c)) if "notebooks/" in t]
        assert links and all(t.startswith("../../notebooks/zh/") for t in links), (path.name,
                                                                                   links)


def test_check_names_a_solution_link_not_adjusted_for_the_extra_folder():
    name = sorted(p.name for p in (ROOT / "solutions" / "zh").glob("[0-9][0-9]_*.ipynb"))[0]
    en, cn = load(ROOT / "solutions" / name), load(ROOT / "solutions" / "zh" / name)
    assert not zh.problems(en, cn, name, ROOT / "solutions" / "zh")
    title = cn["cells"][0]
    title["source"] = [line.replace("../../notebooks/zh/", "../notebooks/")
                       for line in title["source"]]
    found = zh.problems(en, cn, name, ROOT / "solutions" / "zh")
    assert any("points at no file" in m and "solutions/zh" in m for m in found), found
