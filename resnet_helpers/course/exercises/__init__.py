"""Self-checking exercises for lessons 01–06.

``rh.exercises.check("02.3", answer)`` checks an answer and says what is wrong, a hint, and
where the solution is (``solutions/<lesson>.ipynb``); ``rh.exercises.progress()`` shows which
exercises you have solved (kept in ``~/.cache/resnet-course/exercises.json``, or in
``$RESNET_EXERCISES_FILE``); ``rh.exercises.list_exercises()`` lists them all. The placeholder
answer (``None``, ``...``, :data:`NOT_DONE`, or a function that raises NotImplementedError)
reports "not attempted yet" and never raises, so every lesson runs top to bottom.
"""

from . import (lesson01, lesson02, lesson03, lesson04, lesson05,  # noqa: F401  (registers them)
               lesson06)
from .core import (NOT_DONE, PROGRESS_ENV, REGISTRY, Result, check, keep_progress,
                   list_exercises, progress, progress_file)

__all__ = ["NOT_DONE", "PROGRESS_ENV", "REGISTRY", "Result", "check", "keep_progress",
           "list_exercises", "progress", "progress_file"]
