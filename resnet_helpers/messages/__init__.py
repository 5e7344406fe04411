"""The course's words in the learner's language: one message catalogue per language.

Everything the course prints or draws for a learner — exercise feedback, hints, the progress
table, the conclusions a lesson prints, figure titles and labels — goes through :func:`tr`.
As in GNU gettext, the English text is the key: code reads in English, and a language's
catalogue maps each English text to its translation. The code cells of the two editions of a
lesson stay identical; only the catalogue chosen differs.

* **Which language.** :func:`language`: the one set by :func:`set_language`, else the
  ``RESNET_LANGUAGE`` environment variable (one language for a whole session), else ``"zh"``
  when the notebook runs from a ``zh`` folder (``notebooks/zh/``, ``solutions/zh/``: JupyterLab,
  papermill and nbval start the kernel in the notebook's folder, so ``make lab EDITION=zh``
  and ``make run EDITION=zh`` speak Chinese), else ``"en"``.
* **Templates.** ``tr("{n} epochs at {side} px", n=3, side=32)``: the English template is the
  key, its translation has the same ``{fields}`` (``tests/test_messages.py`` checks both).
* **Marking without translating.** :func:`N_` marks a text to be translated later, where it is
  shown (exercise titles and hints are registered at import, translated when printed).

The catalogues are Python dictionaries (``resnet_helpers/messages/zh/*.py``, each a
``MESSAGES`` dict), not gettext's ``.po``/``.mo`` files: they need no compile step in the
install or in CI, and a translator edits one plain file next to the code it serves.
Backend-neutral (no TensorFlow import).
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import string
import unicodedata
from pathlib import Path

__all__ = ["LANGUAGES", "LANGUAGE_ENV", "language", "set_language", "tr", "N_", "catalogue",
           "ljust", "join", "template_fields"]

#: The languages the course speaks.
LANGUAGES = ("en", "zh")
#: Environment variable naming the language (``en`` or ``zh``).
LANGUAGE_ENV = "RESNET_LANGUAGE"

_CHOSEN: dict[str, str | None] = {"language": None}
_CATALOGUES: dict[str, dict[str, str]] = {}


def _check(value: str) -> str:
    code = str(value).strip().lower().replace("_", "-")
    code = {"zh-cn": "zh", "zh-hans": "zh", "cn": "zh", "chinese": "zh", "中文": "zh",
            "english": "en", "en-us": "en", "en-gb": "en"}.get(code, code)
    if code not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)} (English or Chinese), "
                         f"got {value!r}.")
    return code


def set_language(value: str | None) -> None:
    """Choose the language of everything the course prints and draws from now on.

    Args:
        value: ``"en"`` or ``"zh"``; None goes back to the automatic choice (see the module
            docstring).
    """
    _CHOSEN["language"] = None if value is None else _check(value)


def language() -> str:
    """The language in use: ``"en"`` or ``"zh"`` (see the module docstring for the order)."""
    if _CHOSEN["language"]:
        return _CHOSEN["language"]
    if os.environ.get(LANGUAGE_ENV):
        return _check(os.environ[LANGUAGE_ENV])
    for place in (os.environ.get("JPY_SESSION_NAME", ""), _cwd()):
        if "zh" in Path(place).parts[-2:-1] + Path(place).parts[-1:] and place:
            return "zh"
    return "en"


def _cwd() -> str:
    try:
        return os.getcwd()
    except OSError:  # the folder was deleted under us
        return ""


def catalogue(lang: str) -> dict[str, str]:
    """``{English text: translation}`` for ``lang`` (empty for English), from every module of
    ``resnet_helpers/messages/<lang>/``."""
    lang = _check(lang)
    if lang == "en":
        return {}
    if lang not in _CATALOGUES:
        package = importlib.import_module(f"{__name__}.{lang}")
        merged: dict[str, str] = {}
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for key, value in getattr(module, "MESSAGES", {}).items():
                if key in merged and merged[key] != value:
                    raise ValueError(f"{lang} catalogue: {key!r} is translated twice, "
                                     f"differently (second in {info.name}.py).")
                merged[key] = value
        _CATALOGUES[lang] = merged
    return _CATALOGUES[lang]


def tr(text: str, /, **fields) -> str:
    """``text`` in the learner's language, with ``{fields}`` filled in.

    Args:
        text: the English text (a ``str.format`` template when ``fields`` are given). A text
            the catalogue does not hold is used as it is (so translating twice is harmless).
        **fields: values for the template's ``{fields}``.

    Returns:
        The translated, filled-in text.
    """
    lang = language()
    out = catalogue(lang).get(text, text) if lang != "en" else text
    return out.format(**fields) if fields else out


def N_(text: str) -> str:
    """Mark ``text`` for translation where it is shown, not here; returns it unchanged."""
    return text


def ljust(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` columns of a terminal or notebook output, where
    CJK characters take two columns (``str.ljust`` counts them as one, and a Chinese table
    comes out ragged). Longer text is returned unchanged."""
    columns = sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)
    return text + " " * max(0, width - columns)


def join(items) -> str:
    """``items`` as a list inside a sentence in the learner's language: joined with ``", "``
    in English and with the enumeration comma ``"、"`` in Chinese (``", "`` reads as an English
    list there): ``join(["猫", "狗"])`` → ``"猫、狗"``."""
    return tr(", ").join(str(item) for item in items)


def template_fields(text: str) -> set[str]:
    """The ``{field}`` names of a ``str.format`` template (``"{n:.1f} s"`` → ``{"n"}``)."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text)
            if name}
