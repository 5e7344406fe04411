"""A font with Chinese characters for the figures, and legible figures without one.

matplotlib ships the DejaVu fonts only, which have no Chinese characters: a title such as
``猫 → 狗`` would be drawn as empty boxes. :func:`use_cjk_font` finds a font that has them and
adds its family at the end of ``rcParams["font.family"]`` (``["sans-serif", "Noto Sans CJK
SC"]``). matplotlib (3.6 and later) falls back glyph by glyph along that list — not along
``font.sans-serif``, of which it takes the first font found only — so Latin letters, digits and
symbols keep DejaVu Sans (or whatever family comes first) and only the Chinese characters come
from the CJK font. Every plot of :mod:`resnet_helpers.inspect.plots` calls it before drawing.

Which font (:func:`cjk_font`): a simplified Chinese one that matplotlib already knows (Noto Sans
CJK SC, Source Han Sans SC, WenQuanYi Micro Hei, and the usual ones of Windows and macOS), else
Noto Sans CJK SC as shipped by the ``mplfonts`` package (a dependency of the course: only its
font file is used, never its API), else another CJK font matplotlib knows (Japanese or
traditional forms), else a CJK font installed on the system after matplotlib built its font
cache.

Without any such font the figures stay legible: :func:`figure_text` draws the course's own
titles and labels in English, :func:`figure_label` names a class written in Chinese ``class 3``,
and one note says which font to install.
"""

from __future__ import annotations

import importlib.util
import re
import string
from functools import lru_cache
from pathlib import Path

import matplotlib
from matplotlib import font_manager

from resnet_helpers.messages import catalogue, language, tr

__all__ = ["cjk_font", "use_cjk_font", "figure_text", "figure_label"]

#: Families drawing simplified Chinese forms, best first.
_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei",
             "SimHei", "PingFang SC", "Hiragino Sans GB", "Noto Sans SC", "Source Han Sans CN",
             "WenQuanYi Zen Hei")
#: Other CJK families: they hold the simplified characters too, in Japanese or traditional forms
#: where those differ, so mplfonts' Noto Sans CJK SC comes before them.
_OTHER_FAMILIES = ("Noto Sans CJK JP", "Noto Sans CJK TC", "Source Han Sans",
                   "Droid Sans Fallback", "Arial Unicode MS")
#: Noto Sans CJK SC inside the ``mplfonts`` package (SIL Open Font License).
_MPLFONTS_FILE = Path("fonts") / "NotoSansCJKsc-Regular.otf"
#: File names of system CJK fonts (for a font installed after matplotlib's font cache was built).
_SYSTEM_FILES = re.compile(r"NotoSansCJK|SourceHanSans|wqy-|msyh|simhei|PingFang|Hiragino Sans GB"
                           r"|NotoSansSC|DroidSansFallback", re.IGNORECASE)
#: Chinese, Japanese and Korean characters and the CJK punctuation (fonts like DejaVu lack them).
_CJK = re.compile(r"[\u2e80-\u2fff\u3000-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f"
                  r"\uff00-\uffef\U00020000-\U0002fa1f]+")

_STATE: dict[str, object] = {"searched": False, "family": None, "noted": False}


def _mplfonts_file() -> str | None:
    """The path of Noto Sans CJK SC as shipped by ``mplfonts``, without importing it."""
    try:
        spec = importlib.util.find_spec("mplfonts")
    except (ImportError, ValueError):
        return None
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / _MPLFONTS_FILE
        if path.is_file():
            return str(path)
    return None


def _register(path: str) -> str | None:
    """Add the font file ``path`` to matplotlib's fonts; its family name, or None."""
    try:
        font_manager.fontManager.addfont(path)
        return font_manager.FontProperties(fname=path).get_name()
    except (OSError, RuntimeError, ValueError):
        return None


def cjk_font() -> str | None:
    """The family name of a font with Chinese characters, made known to matplotlib.

    Looks, in order, at the simplified Chinese fonts matplotlib already knows, the Noto Sans
    CJK SC file of the ``mplfonts`` package, the other CJK fonts matplotlib knows, and the CJK
    fonts installed on the system after matplotlib built its font cache, and registers a file
    found with ``matplotlib.font_manager.fontManager.addfont``.

    Returns:
        The family name (e.g. ``"Noto Sans CJK SC"``), or None when there is no such font.
    """
    known = {entry.name for entry in font_manager.fontManager.ttflist}
    for family in _FAMILIES:
        if family in known:
            return family
    path = _mplfonts_file()
    if path is not None and (family := _register(path)):
        return family
    for family in _OTHER_FAMILIES:
        if family in known:
            return family
    try:
        system = sorted(font_manager.findSystemFonts())
    except (OSError, RuntimeError, ValueError):  # no font folders, fc-list failing
        system = []
    for path in system:
        if _SYSTEM_FILES.search(Path(path).name) and (family := _register(path)):
            return family
    return None


def use_cjk_font() -> str | None:
    """Let figures draw Chinese: add a CJK font at the end of ``rcParams["font.family"]``.

    Searches (:func:`cjk_font`) once; later calls only check that the family is still in the
    list (a style or ``matplotlib.rcdefaults()`` may have reset it), so every plot can call it.
    When there is no such font and the course speaks Chinese, prints one note saying which
    font to install.

    Returns:
        The family used, or None when no font with Chinese characters was found.
    """
    if not _STATE["searched"]:
        _STATE["family"] = cjk_font()
        _STATE["searched"] = True
    family = _STATE["family"]
    if family is None:
        if language() == "zh":
            _note()
        return None
    families = list(matplotlib.rcParams["font.family"])
    if family not in families:
        # last: the families chosen before (the generic "sans-serif": DejaVu Sans) draw what
        # they can, the CJK font the characters they lack (matplotlib's glyph fallback)
        matplotlib.rcParams["font.family"] = [*families, family]
    return str(family)


def _note() -> None:
    if not _STATE["noted"]:
        _STATE["noted"] = True
        print(tr("Note: no font with Chinese characters was found, so figures cannot draw Chinese "
                 "text: they use English labels and class numbers (\"class 3\") instead. To draw "
                 "Chinese, install a font (`pip install mplfonts`, part of the course's "
                 "environment, or a system package such as fonts-noto-cjk) and restart the "
                 "kernel."))


def figure_text(text: str, /, **fields) -> str:
    """A figure's title or label in the learner's language, where the figure can draw it.

    Args:
        text: the English text (a ``str.format`` template when ``fields`` are given); the
            course marks its own with :func:`~resnet_helpers.messages.N_`. A text the
            catalogue does not hold (a title given by the learner) is used as it is.
        **fields: values for the template's ``{fields}``.

    Returns:
        ``tr(text, **fields)``; without a font for Chinese, the English text, with any Chinese
        left in it made legible by :func:`figure_label`.
    """
    shown = tr(text, **fields)
    if not _CJK.search(shown) or use_cjk_font() is not None:
        return shown
    return figure_label(text.format(**fields) if fields else text)


def figure_label(text: str, index: int | None = None) -> str:
    """A class name or a learner's text as a figure can draw it.

    Args:
        text: the text, e.g. a class name (a folder's name: ``"猫"``).
        index: the class's number, when ``text`` names a class.

    Returns:
        ``text`` unchanged when it has no Chinese characters or a font can draw them; else
        ``"class {index}"``, or the English of a text the course translated, or the text with
        its Chinese characters shown as ``?`` (and the note of :func:`use_cjk_font`, once).
    """
    text = str(text)
    if not _CJK.search(text) or use_cjk_font() is not None:
        return text
    _note()
    if index is not None:
        return f"class {index}"
    return _CJK.sub("?", _english(text) or text)


def _field(name: str) -> str:
    """The field a ``str.format`` replacement names: ``"acc"`` for ``acc`` or ``acc.real``."""
    return name.split(".")[0].split("[")[0]


@lru_cache(maxsize=1)
def _templates() -> tuple[tuple[str, re.Pattern], ...]:
    """``(English template, regex of its Chinese text)`` for every template with fields."""
    found = []
    for english, chinese in catalogue("zh").items():
        pattern, seen = [], set()
        try:
            for literal, name, _, _ in string.Formatter().parse(chinese):
                pattern.append(re.escape(literal))
                if name is not None:
                    field = _field(name)
                    pattern.append(f"(?P={field})" if field in seen else f"(?P<{field}>.+?)")
                    seen.add(field)
            if seen:
                found.append((english, re.compile("".join(pattern), re.DOTALL)))
        except (ValueError, re.error):  # positional or odd fields: not a template to undo
            continue
    return tuple(found)


def _english(text: str) -> str | None:
    """The English of ``text`` when it is a Chinese text of the catalogue, fields filled in."""
    for english, chinese in catalogue("zh").items():
        if chinese == text:
            return english
    for english, pattern in _templates():
        match = pattern.fullmatch(text)
        if match:
            values = match.groupdict()
            return "".join(literal + ("" if name is None else values[_field(name)])
                           for literal, name, _, _ in string.Formatter().parse(english))
    return None
