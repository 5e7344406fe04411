"""The message catalogues: every English text marked for translation has a Chinese one with the
same fields, the language is chosen as documented, and nothing meant for a learner in the
exercise machinery is left unmarked."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from resnet_helpers import messages
from resnet_helpers.messages import N_, catalogue, language, set_language, template_fields, tr

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "resnet_helpers"
MARKERS = {"tr", "N_"}
CJK = re.compile(r"[\u3400-\u9fff]")


def _marked_in(tree: ast.AST) -> list[tuple[str, int]]:
    """``(text, line)`` of every ``tr("…")`` / ``N_("…")`` / ``rh.tr("…")`` with a literal."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args:
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(
                node.func, "id", None)
            first = node.args[0]
            if name in MARKERS and isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.append((first.value, node.lineno))
    return found


def marked_texts() -> dict[str, str]:
    """Every marked English text of the package, of ``make run``'s script and of the English
    lessons → where it is."""
    texts = {}
    for path in [*sorted(PACKAGE.rglob("*.py")), ROOT / "scripts" / "run_course.py"]:
        if path.relative_to(ROOT).parts[1:3] == ("messages", "zh"):  # the catalogues
            continue
        for text, line in _marked_in(ast.parse(path.read_text(encoding="utf-8"))):
            texts.setdefault(text, f"{path.relative_to(ROOT)}:{line}")
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        for index, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
            if cell["cell_type"] == "code":
                source = "".join(cell["source"])
                for text, line in _marked_in(ast.parse(source)):
                    texts.setdefault(text, f"{path.relative_to(ROOT)} cell {index}")
    return texts


@pytest.fixture(autouse=True)
def _automatic_language(monkeypatch):
    monkeypatch.delenv(messages.LANGUAGE_ENV, raising=False)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    set_language(None)
    yield
    set_language(None)


def test_every_marked_text_has_a_chinese_translation_with_the_same_fields():
    zh = catalogue("zh")
    texts = marked_texts()
    assert len(texts) > 100, "the extraction found too few marked texts: is the scan broken?"
    missing = [f"{where}: {text!r}" for text, where in texts.items() if text not in zh]
    assert not missing, f"{len(missing)} texts have no Chinese translation:\n" + "\n".join(missing)
    for text in texts:
        assert template_fields(zh[text]) == template_fields(text), (
            f"fields differ for {text!r}: {template_fields(text)} vs {template_fields(zh[text])}")
        words = re.sub(r"\{[^{}]*\}", "", text)   # field names are not English to translate
        assert CJK.search(zh[text]) or not re.search(r"[A-Za-z]{3}", words), (
            f"the Chinese text for {text!r} has no Chinese in it: {zh[text]!r}")


def test_the_catalogue_holds_no_stale_entries():
    stale = sorted(set(catalogue("zh")) - set(marked_texts()))
    assert not stale, f"translations of texts the course no longer uses: {stale[:10]}"


def test_language_order_explicit_then_environment_then_folder(monkeypatch, tmp_path):
    assert language() == "en"
    (tmp_path / "notebooks" / "zh").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "notebooks" / "zh")
    assert language() == "zh"  # a kernel started in notebooks/zh (JupyterLab, papermill, nbval)
    monkeypatch.setenv(messages.LANGUAGE_ENV, "en")
    assert language() == "en"  # the environment wins over the folder
    set_language("zh")
    assert language() == "zh"  # and an explicit choice over both
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(messages.LANGUAGE_ENV)
    set_language(None)
    monkeypatch.setenv("JPY_SESSION_NAME", str(tmp_path / "notebooks" / "zh" / "03_x.ipynb"))
    assert language() == "zh"  # JupyterLab names the notebook of the session


def test_bad_language_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="en, zh"):
        set_language("fr")


def test_tr_fills_fields_and_passes_unknown_text_through():
    set_language("zh")
    assert tr("not in any catalogue {n}", n=3) == "not in any catalogue 3"
    assert N_("x y z") == "x y z"
    key = next(k for k in catalogue("zh") if template_fields(k) == set())
    assert tr(key) == catalogue("zh")[key]
    set_language("en")
    assert tr(key) == key


def test_ljust_pads_to_terminal_columns_counting_cjk_as_two():
    assert messages.ljust("cat", 6) == "cat   "
    assert messages.ljust("从零训练", 10) == "从零训练  "            # 4 characters, 8 columns
    assert messages.ljust("ResNet（微调）", 16) == "ResNet（微调）  "   # full-width brackets too
    assert messages.ljust("too long for it", 4) == "too long for it"
    rows = [messages.ljust(name, 12) + "|" for name in ("from scratch", "从零训练", "微调 fine")]
    assert len({sum(2 if "\u4e00" <= c <= "\u9fff" or c in "（）" else 1 for c in row)
                for row in rows}) == 1                               # the bars line up


def test_join_lists_with_the_learners_comma():
    set_language("en")
    assert messages.join(["cat", "dog", 3]) == "cat, dog, 3"
    set_language("zh")
    assert messages.join(["猫", "狗"]) == "猫、狗"               # the enumeration comma
    assert messages.join(iter(["从零训练 1.23"])) == "从零训练 1.23" and messages.join([]) == ""
    set_language(None)


def _unmarked_strings(path: Path) -> list[str]:
    """Sentences (three words of two letters or more: a date format is none) in ``path`` that
    reach the learner without a marker: not a docstring, not an argument of tr/N_, not a
    developer's ValueError/TypeError."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)) \
                and node.body and isinstance(node.body[0], ast.Expr) \
                and isinstance(node.body[0].value, ast.Constant):
            skip.add(id(node.body[0].value))
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(
                node.func, "id", None)
            if name in MARKERS or name in ("ValueError", "TypeError", "KeyError", "RuntimeError"):
                skip.update(id(n) for arg in [*node.args, *node.keywords] for n in ast.walk(arg))
    found = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and len(re.findall(r"[A-Za-z]{2,}", node.value)) >= 3 and " " in node.value:
            found.append(f"{path.name}:{node.lineno}: {node.value[:70]!r}")
        if isinstance(node, ast.JoinedStr):
            skip.update(id(n) for n in ast.walk(node))
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            if len(re.findall(r"[A-Za-z]{2,}", text)) >= 3:
                found.append(f"{path.name}:{node.lineno}: f-string {text[:70]!r}")
    return found


@pytest.mark.parametrize("path", sorted((PACKAGE / "course" / "exercises").glob("*.py")),
                         ids=lambda p: p.name)
def test_exercise_feedback_is_all_marked_for_translation(path):
    found = _unmarked_strings(path)
    assert not found, "texts a learner reads that tr()/N_() do not mark:\n" + "\n".join(found)
