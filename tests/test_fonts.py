"""Figures draw Chinese: a CJK font is part of the course's environment (mplfonts' Noto Sans CJK
SC), found without any system font; without one, figures fall back to legible English and
``class 3`` labels with a single note. matplotlib's "Glyph … missing from font(s)" warning is
an error in these tests, so a figure that would show empty boxes fails them."""

import re
import tomllib
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.ft2font import FT2Font  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from PIL import Image  # noqa: E402

from resnet_helpers import messages  # noqa: E402
from resnet_helpers.inspect import fonts  # noqa: E402
from resnet_helpers.inspect.plots import (  # noqa: E402
    plot_confusion_matrix, plot_history, show_images)
from resnet_helpers.messages import catalogue, tr  # noqa: E402
from resnet_helpers.messages.zh import figures as zh_figures  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
#: CIFAR-10's classes as a Chinese image folder would name them.
CHINESE_NAMES = ["飞机", "汽车", "鸟", "猫", "鹿", "狗", "青蛙", "马", "船", "卡车"]
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")
#: matplotlib's own fonts (DejaVu, STIX, Computer Modern): none has Chinese characters.
MPL_FONTS = Path(matplotlib.get_data_path()) / "fonts"
NOTE = ("Note: no font with Chinese characters was found, so figures cannot draw Chinese text: "
        "they use English labels and class numbers (\"class 3\") instead. To draw Chinese, "
        "install a font (`pip install mplfonts`, part of the course's environment, or a system "
        "package such as fonts-noto-cjk) and restart the kernel.")


def _clear_font_caches():
    font_manager.fontManager._findfont_cached.cache_clear()
    font_manager._get_font.cache_clear()


@pytest.fixture
def fresh_fonts(monkeypatch):
    """A fresh search for a CJK font, in rcParams that are restored afterwards."""
    monkeypatch.setattr(fonts, "_STATE", {"searched": False, "family": None, "noted": False})
    plt.close("all")  # no "more than 20 figures" warning left by other tests
    with matplotlib.rc_context():
        yield
    plt.close("all")


@pytest.fixture
def no_system_fonts(fresh_fonts, monkeypatch):
    """matplotlib knows its own fonts only and finds none on the system (a bare CI runner)."""
    bundled = [entry for entry in font_manager.fontManager.ttflist
               if Path(entry.fname).resolve().is_relative_to(MPL_FONTS.resolve())]
    assert bundled, "matplotlib's own fonts should be in its font list"
    monkeypatch.setattr(font_manager.fontManager, "ttflist", bundled)
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *args, **kwargs: [])
    _clear_font_caches()
    yield
    _clear_font_caches()


@pytest.fixture
def no_cjk_font(no_system_fonts, monkeypatch):
    """Not even mplfonts: no font with Chinese characters anywhere."""
    monkeypatch.setattr(fonts, "_mplfonts_file", lambda: None)


@pytest.fixture
def zh():
    previous = messages._CHOSEN["language"]
    messages.set_language("zh")
    yield
    messages.set_language(previous)


@pytest.fixture
def en():
    previous = messages._CHOSEN["language"]
    messages.set_language("en")
    yield
    messages.set_language(previous)


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def _save(fig, path: Path) -> Path:
    fig.savefig(path, dpi=80)
    assert path.stat().st_size > 5_000, f"{path.name} is nearly empty"
    pixels = np.asarray(Image.open(path).convert("L"), dtype=float)
    assert pixels.std() > 10, f"{path.name} has no visible content"
    return path


def _chinese_figures(tmp_path):
    """A confusion matrix and an image grid with Chinese class names, drawn and saved with
    every warning (a missing glyph included) raised as an error."""
    rng = np.random.default_rng(0)
    confusion = rng.integers(0, 50, (10, 10)) + np.diag(rng.integers(100, 200, 10))
    images = rng.integers(0, 256, (8, 32, 32, 3), dtype=np.uint8)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        matrix = plot_confusion_matrix(confusion, CHINESE_NAMES)
        _save(matrix, tmp_path / "confusion.png")
        grid = show_images(images, labels=np.arange(8), class_names=CHINESE_NAMES, cols=4)
        _save(grid, tmp_path / "images.png")
    return matrix, grid


@pytest.mark.parametrize("where", ["course environment", "mplfonts only"])
def test_chinese_figures_draw_every_character(where, tmp_path, zh, fresh_fonts, request):
    if where == "mplfonts only":
        request.getfixturevalue("no_system_fonts")
    assert fonts.use_cjk_font() is not None, f"no font with Chinese characters ({where})"
    matrix, grid = _chinese_figures(tmp_path)

    ax = matrix.axes[0]
    assert ax.get_xlabel() == catalogue("zh")["predicted class"] == "预测类别"
    assert ax.get_ylabel() == catalogue("zh")["true class"] == "真实类别"
    assert [t.get_text() for t in ax.get_xticklabels()] == CHINESE_NAMES
    assert [t.get_text() for t in ax.get_yticklabels()] == CHINESE_NAMES
    assert {"预测类别", "真实类别", "猫", "狗", "飞机"} <= set(_texts(matrix))
    assert [a.get_title() for a in grid.axes] == CHINESE_NAMES[:8]


def test_the_font_found_on_a_bare_machine_is_mplfonts_noto_sans_cjk(no_system_fonts):
    path = fonts._mplfonts_file()
    assert path is not None, "mplfonts is not installed (it is a dependency of the course)"
    assert "mplfonts" in Path(path).parts and Path(path).name == "NotoSansCJKsc-Regular.otf"
    assert fonts.cjk_font() == "Noto Sans CJK SC"
    found = font_manager.findfont(font_manager.FontProperties(family="Noto Sans CJK SC"),
                                  fallback_to_default=False)
    assert Path(found).samefile(path)

    dejavu = FT2Font(font_manager.findfont("DejaVu Sans"))
    noto = FT2Font(path)
    assert dejavu.get_char_index(ord("猫")) == 0  # without the CJK font: empty boxes
    # every Chinese character of the class names and of the figures' catalogue
    characters = set("".join(CHINESE_NAMES)) | {
        c for text in zh_figures.MESSAGES.values() for c in text if CJK.match(c)}
    missing = sorted(c for c in characters if noto.get_char_index(ord(c)) == 0)
    assert not missing, f"Noto Sans CJK SC lacks {missing}"


def test_simplified_chinese_comes_before_other_cjk_fonts_and_late_system_fonts_are_found(
        no_system_fonts, monkeypatch):
    path = fonts._mplfonts_file()
    # a Japanese CJK font matplotlib knows: mplfonts' simplified Chinese one is preferred
    bundled = list(font_manager.fontManager.ttflist)
    japanese = font_manager.FontEntry(fname=path, name="Noto Sans CJK JP")
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [*bundled, japanese])
    assert fonts.cjk_font() == "Noto Sans CJK SC"
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [*bundled, japanese])
    monkeypatch.setattr(fonts, "_mplfonts_file", lambda: None)
    assert fonts.cjk_font() == "Noto Sans CJK JP"
    # without either: a CJK font installed after matplotlib built its cache, found by file name
    monkeypatch.setattr(font_manager.fontManager, "ttflist", list(bundled))
    _clear_font_caches()
    monkeypatch.setattr(font_manager, "findSystemFonts",
                        lambda *args, **kwargs: [font_manager.findfont("DejaVu Sans"), path])
    assert fonts.cjk_font() == "Noto Sans CJK SC"


def test_latin_text_keeps_dejavu_and_the_cjk_font_survives_rcdefaults(no_system_fonts):
    family = fonts.use_cjk_font()
    assert matplotlib.rcParams["font.family"][0] == "sans-serif"  # DejaVu Sans first
    assert matplotlib.rcParams["font.family"][-1] == family
    found = font_manager.fontManager._find_fonts_by_props(font_manager.FontProperties())
    assert [Path(p).name for p in found] == ["DejaVuSans.ttf", "NotoSansCJKsc-Regular.otf"]
    matplotlib.rcdefaults()  # a style reset drops the family; the next plot puts it back
    assert family not in matplotlib.rcParams["font.family"]
    assert fonts.use_cjk_font() == family
    assert family in matplotlib.rcParams["font.family"]


def test_without_any_cjk_font_figures_fall_back_to_english_with_one_note(
        tmp_path, zh, no_cjk_font, capsys):
    assert fonts.use_cjk_font() is None
    mixed = ["airplane"] + CHINESE_NAMES[1:]
    history = {"loss": [2.0, 1.5], "val_loss": [2.1, 1.7],
               "accuracy": [0.3, 0.45], "val_accuracy": [0.28, 0.4]}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no glyph warning: nothing Chinese is drawn
        matrix, grid = _chinese_figures(tmp_path)
        mixed_matrix = plot_confusion_matrix(np.eye(10), mixed)
        curves = plot_history(history, title="ResNet-20")
        _save(curves, tmp_path / "history.png")

    ax = matrix.axes[0]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("predicted class", "true class")
    assert [t.get_text() for t in ax.get_xticklabels()] == [f"class {i}" for i in range(10)]
    assert [a.get_title() for a in grid.axes] == [f"class {i}" for i in range(8)]
    assert [t.get_text() for t in mixed_matrix.axes[0].get_xticklabels()] == (
        ["airplane"] + [f"class {i}" for i in range(1, 10)])
    assert curves.axes[0].get_xlabel() == "epoch" and curves.axes[0].get_ylabel() == "loss"
    for fig in (matrix, grid, mixed_matrix, curves):
        drawn = [t for t in _texts(fig) if CJK.search(t)]
        assert not drawn, f"Chinese text drawn without a font for it: {drawn}"

    out = capsys.readouterr().out
    chinese_note = catalogue("zh")[NOTE]
    assert out.count(chinese_note) == 1, out  # one note for four figures
    assert "pip install mplfonts" in chinese_note


def test_without_a_cjk_font_translated_texts_go_back_to_english(zh, no_cjk_font, capsys):
    assert fonts.figure_text("overall {overall:.1%}", overall=0.5) == "overall 50.0%"
    assert fonts.figure_label("总体 50.0%") == "overall 50.0%"  # the catalogue's Chinese, undone
    assert fonts.figure_label("训练集") == "training"
    learner = fonts.figure_label("我的网络 v2")  # not the course's: legible, not boxes
    assert not CJK.search(learner) and learner.endswith(" v2")
    assert fonts.figure_label("狗", 5) == "class 5"
    assert fonts.figure_label("dog", 5) == "dog"
    assert capsys.readouterr().out.count(tr(NOTE)) == 1


def test_english_figures_are_unchanged(en, fresh_fonts, tmp_path):
    history = {"loss": [2.0, 1.5], "val_loss": [2.1, 1.7],
               "accuracy": [0.3, 0.45], "val_accuracy": [0.28, 0.4]}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        matrix = plot_confusion_matrix(np.eye(10))
        curves = plot_history(history, title="ResNet-20")
        _save(curves, tmp_path / "history.png")
    ax = matrix.axes[0]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("predicted class", "true class")
    assert ax.get_xticklabels()[3].get_text() == "cat"
    assert curves.axes[0].get_xlabel() == "epoch"
    assert [a.get_ylabel() for a in curves.axes] == ["loss", "accuracy"]
    assert [t.get_text() for t in curves.axes[0].get_legend().get_texts()] == [
        "training", "validation"]
    assert curves._suptitle.get_text() == "ResNet-20"
    assert not any(CJK.search(t) for fig in (matrix, curves) for t in _texts(fig))


def test_the_course_environment_installs_the_font():
    """make install, CI and environment.yml all install the package with its dependencies at
    constraints.txt's versions: mplfonts must be among them."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert any(re.match(r"mplfonts\b", d) for d in project["project"]["dependencies"])
    assert re.search(r"^mplfonts==", (ROOT / "constraints.txt").read_text(), re.MULTILINE)
    environment = (ROOT / "environment.yml").read_text()
    assert "-c constraints.txt" in environment and "-e .[course]" in environment
