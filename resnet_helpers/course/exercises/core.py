"""The exercise machinery: a registry, ``check``, feedback and the progress file.

Every exercise is a function registered with :func:`exercise`; it receives the learner's answer
and either returns a short confirmation or raises :class:`Wrong` with what is wrong
specifically (and, optionally, a hint for that mistake). :func:`check` adds the rest: "not
attempted yet" for the untouched placeholder, the exercise's general hint, where the solution
is, and a line in the progress file.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from resnet_helpers.messages import N_, language, ljust, tr

__all__ = ["PROGRESS_ENV", "NOT_DONE", "LESSONS", "Wrong", "NotAttempted", "Exercise", "Result",
           "REGISTRY", "exercise", "check", "list_exercises", "keep_progress", "progress_file",
           "progress"]

#: Environment variable naming the progress file (default: ``<cache>/exercises.json``).
PROGRESS_ENV = "RESNET_EXERCISES_FILE"


class _NotDone:
    def __repr__(self):
        return "NOT_DONE"


#: The placeholder of every exercise cell (``None`` and ``...`` count as untouched too).
NOT_DONE = _NotDone()

LESSONS = {"01": "01_residual_block", "02": "02_build_resnet", "03": "03_train_cifar10",
           "04": "04_feature_maps", "05": "05_why_residuals_work",
           "06": "06_your_own_images"}


class Wrong(Exception):
    """Raised by a checker: ``message`` says what is wrong; ``hint`` replaces the general one."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message, self.hint = message, hint


class NotAttempted(Exception):
    """The learner's function still raises NotImplementedError (the placeholder body)."""


@dataclass
class Exercise:
    id: str
    kind: str        # "predict", "code" or "investigate"
    title: str
    hint: str
    checker: Callable = field(repr=False)

    @property
    def lesson(self) -> str:
        return LESSONS[self.id.split(".")[0]]

    @property
    def solution(self) -> str:
        """Where the solution is: ``solutions/`` (``solutions/zh/`` in Chinese)."""
        folder = "solutions/zh" if language() == "zh" else "solutions"
        return tr("{path}, exercise {id}", path=f"{folder}/{self.lesson}.ipynb", id=self.id)


@dataclass
class Result:
    """What :func:`check` found: ``status`` is "passed", "wrong" or "not attempted"."""

    exercise_id: str
    status: str
    message: str
    hint: str = ""
    solution: str = ""

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    def text(self) -> str:
        """The feedback as printed: what is wrong, then a hint, then where the solution is."""
        mark = {"passed": "✓", "wrong": "✗", "not attempted": "·"}[self.status]
        head = {"passed": tr(" passed."), "wrong": tr(" wrong."), "not attempted": ""}[self.status]
        lines = [tr("{mark} Exercise {id}:{head} {message}", mark=mark, id=self.exercise_id,
                    head=head, message=tr(self.message))]
        if self.status == "wrong":
            lines += [tr("  Hint: {hint}", hint=tr(self.hint)),
                      tr("  Solution (compare after trying): {where}", where=self.solution)]
        return "\n".join(lines)

    def __repr__(self):
        return f"Result({self.exercise_id!r}, {self.status!r})"


REGISTRY: dict[str, Exercise] = {}


def exercise(exercise_id: str, kind: str, title: str, hint: str):
    """Decorator registering ``checker(answer) -> str`` as exercise ``exercise_id``.

    ``title`` and ``hint`` are English, marked with :func:`~resnet_helpers.messages.N_`; they
    are translated where they are shown."""
    if kind not in ("predict", "code", "investigate"):
        raise ValueError(f"kind must be predict, code or investigate, got {kind!r}")

    def register(checker):
        if exercise_id in REGISTRY:
            raise ValueError(f"exercise {exercise_id} registered twice")
        REGISTRY[exercise_id] = Exercise(exercise_id, kind, title, hint, checker)
        return checker

    return register


def _empty():
    pass


def _untouched(answer) -> bool:
    """The placeholder: ``None``, ``...``, NOT_DONE, or a function whose whole body is ``...``,
    ``pass`` or ``raise NotImplementedError`` (recognised without running it)."""
    if answer is None or answer is NOT_DONE or answer is Ellipsis:
        return True
    code = getattr(answer, "__code__", None)
    if code is None:
        return False
    return code.co_code == _empty.__code__.co_code or (
        code.co_names == ("NotImplementedError",)
        and all(c is None or isinstance(c, str) for c in code.co_consts))


def check(exercise_id: str, answer, *, quiet: bool = False) -> Result:
    """Check an answer, print the feedback and record it in the progress file.

    Args:
        exercise_id: e.g. ``"02.3"`` (lesson 02, exercise 3); see :func:`list_exercises`.
        answer: a number, a shape, a name or a function, as the exercise asks; ``None``,
            ``...`` or :data:`NOT_DONE` (the placeholder) mean "not attempted yet".
        quiet: return the result without printing it.

    Returns:
        A :class:`Result` (``result.passed`` is True when the answer is right).
    """
    exercise_id = str(exercise_id).strip()
    if exercise_id not in REGISTRY:
        raise ValueError(f"No exercise {exercise_id!r}; there are {', '.join(sorted(REGISTRY))}.")
    ex = REGISTRY[exercise_id]
    if _untouched(answer):
        result = Result(ex.id, "not attempted", tr("Not attempted yet — replace the "
                        "placeholder with your answer and run the cell again."),
                        solution=ex.solution)
    else:
        try:
            result = Result(ex.id, "passed", tr(ex.checker(answer) or N_("Right.")))
        except NotAttempted as err:
            result = Result(ex.id, "not attempted", tr(str(err)), solution=ex.solution)
        except Wrong as err:
            result = Result(ex.id, "wrong", tr(err.message), tr(err.hint or ex.hint), ex.solution)
        except Exception as err:  # an answer of a shape no checker foresaw: explain, don't trace
            result = Result(ex.id, "wrong", tr(
                "This answer could not be checked ({error}); is it of the kind the exercise "
                "asks for (a number, a shape, a name, a list or a function)?",
                error=f"{type(err).__name__}: {str(err)[:200]}"), tr(ex.hint), ex.solution)
        if result.status != "not attempted":
            _record(ex.id, result.status)
    if not quiet:
        print(result.text())
    return result


def list_exercises() -> list[dict]:
    """Every exercise: ``[{"id", "lesson", "kind", "title", "solution"}, …]`` in order (the
    title in the learner's language)."""
    return [{"id": e.id, "lesson": e.lesson, "kind": e.kind, "title": tr(e.title),
             "solution": e.solution} for e in sorted(REGISTRY.values(), key=_order)]


def _order(ex: Exercise):
    lesson, number = ex.id.split(".")
    return int(lesson), int(number)


# ----------------------------------------------------------------------------- progress


_KEEP = {"on": True}


def keep_progress(on: bool) -> None:
    """Turn recording off (the solution notebooks do, so they never touch your progress)."""
    _KEEP["on"] = bool(on)


def progress_file() -> Path:
    """``$RESNET_EXERCISES_FILE``, else ``exercises.json`` in the course cache
    (``$RESNET_CACHE`` or ``~/.cache/resnet-course``): outside the repository."""
    from resnet_helpers.data.cifar10 import cache_dir

    return Path(os.environ.get(PROGRESS_ENV) or cache_dir() / "exercises.json").expanduser()


def _read() -> dict:
    path = progress_file()
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text())
        if not isinstance(data, dict) or not isinstance(data.get("exercises"), dict):
            raise ValueError("no 'exercises' table")
        return data["exercises"]
    except (ValueError, OSError) as err:
        backup = path.with_name(f"{path.name}.unreadable-{time.strftime('%Y%m%d-%H%M%S')}")
        path.replace(backup)
        print(tr("Note: the progress file {path} could not be read ({error}); it was kept as "
                 "{backup} and a new one is started.", path=path, error=err, backup=backup.name))
        return {}


def _record(exercise_id: str, status: str) -> None:
    if not _KEEP["on"]:
        return
    table = _read()
    now = time.strftime("%Y-%m-%d %H:%M:%S")
    entry = table.setdefault(exercise_id, {"attempts": 0, "status": "wrong"})
    entry["attempts"] += 1
    entry["last_attempt"] = now
    if status == "passed":
        entry.setdefault("passed_at", now)
        entry["status"] = "passed"  # once solved, a later wrong try does not undo it
    path = progress_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, prefix=".exercises-", suffix=".tmp",
                                     delete=False) as tmp:
        json.dump({"version": 1, "exercises": table}, tmp, indent=1, sort_keys=True)
    os.replace(tmp.name, path)


def progress(show: bool = True) -> dict:
    """Your progress across the course, per lesson, from the progress file.

    Returns:
        ``{lesson: {exercise id: "passed" | "wrong" | "not attempted"}}``; also printed as a
        table unless ``show=False``.
    """
    table = _read()
    out: dict[str, dict[str, str]] = {}
    for ex in sorted(REGISTRY.values(), key=_order):
        out.setdefault(ex.lesson, {})[ex.id] = table.get(ex.id, {}).get("status", "not attempted")
    if show:
        marks = {"passed": "✓", "wrong": "✗", "not attempted": "·"}
        print(tr("progress file: {path}", path=progress_file()))
        for lesson, statuses in out.items():
            done = sum(s == "passed" for s in statuses.values())
            cells = "  ".join(f"{i} {marks[s]}" for i, s in statuses.items())
            print(f"{lesson:<24} " + tr("{done}/{total} passed", done=done, total=len(statuses))
                  + f"   {cells}")
        total = sum(s == "passed" for st in out.values() for s in st.values())
        label = tr("all lessons")
        print(f"{ljust(label, 24)} "
              + tr("{done}/{total} passed", done=total, total=len(REGISTRY))
              + "   " + tr("(✓ passed, ✗ tried, · not yet)"))
    return out
