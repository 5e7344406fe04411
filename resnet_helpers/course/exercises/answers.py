"""Reading the learner's answers: numbers, shapes and functions, with one-line messages."""

from __future__ import annotations

import numpy as np

from resnet_helpers.messages import tr

from .core import NotAttempted, Wrong

__all__ = ["call_learner", "call_text", "as_number", "predict_number", "as_shape"]


def call_text(function: str, *args) -> str:
    """How the checker calls the learner's function, written as code: ``function(arg, …)``
    (the ``what`` of :func:`call_learner`; code, so not translated)."""
    return f"{function}({', '.join(str(a) for a in args)})"


def call_learner(fn, *args, what: str | None = None):
    """Call the learner's function; any exception becomes a one-line :class:`Wrong`.

    ``what`` names the call in the message (code such as ``"my_resnet(8, 3)"``, or a phrase
    already passed through :func:`~resnet_helpers.messages.tr`); None means "your function"."""
    if not callable(fn):
        raise Wrong(tr("This exercise expects a function (def …), got {value}.",
                       value=_describe(fn)))
    try:
        return fn(*args)
    except NotImplementedError as err:
        raise NotAttempted(tr("Not attempted yet — your function still raises "
                              "NotImplementedError; write its body and run the cell again.")
                           ) from err
    except Wrong:
        raise
    except Exception as err:  # the learner's code may fail in any way: summarise, don't trace
        first = (str(err).strip().splitlines() or [""])[0][:300]
        error = type(err).__name__
        raise Wrong(tr("your function raised {error}: {first}", error=error, first=first)
                    if what is None else
                    tr("{what} raised {error}: {first}", what=what, error=error, first=first)
                    ) from err


def _describe(value) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text[:60]}{'…' if len(text) > 60 else ''}"


def as_number(answer) -> float:
    """The answer as a float, or :class:`Wrong` saying why it is not a number."""
    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, (int, float, np.number)):
        extra = tr(" (write it without quotes)") if isinstance(answer, str) else ""
        raise Wrong(tr("The answer should be a number, got {value}{extra}.",
                       value=_describe(answer), extra=extra))
    return float(answer)


def predict_number(answer, correct: float, mistakes: dict, rel_tol: float = 1e-6) -> str:
    """Compare a predicted number; ``mistakes`` maps typical wrong values to what went wrong
    (English texts marked with ``N_``, translated here)."""
    value = as_number(answer)
    fmt = lambda v: f"{int(v):,}" if float(v).is_integer() else f"{v:,.4g}"  # noqa: E731
    close = lambda a, b: abs(a - b) <= rel_tol * max(1.0, abs(b))  # noqa: E731
    if close(value, correct):
        return tr("Right: {value}.", value=fmt(correct))
    for wrong_value, message in mistakes.items():
        if close(value, wrong_value) and not close(wrong_value, correct):
            raise Wrong(tr("{value} is not it: {message}", value=fmt(value), message=tr(message)))
    if value > correct:
        raise Wrong(tr("{value} is too large; it is none of the usual slips either.",
                       value=fmt(value)))
    raise Wrong(tr("{value} is too small; it is none of the usual slips either.",
                   value=fmt(value)))


def as_shape(answer, length: int | None = None) -> tuple:
    """The answer as a tuple of ints (a leading ``None`` batch axis is dropped)."""
    if not isinstance(answer, (tuple, list)) or not all(
            a is None or isinstance(a, (int, np.integer)) for a in answer):
        raise Wrong(tr("The answer should be a shape, a tuple of whole numbers such as "
                       "(32, 32, 16); got {value}.", value=_describe(answer)))
    shape = tuple(answer[1:] if answer and answer[0] is None else answer)
    if length is not None and len(shape) != length:
        raise Wrong(tr("{answer} has {count} numbers; this shape has {length}.",
                       answer=tuple(answer), count=len(shape), length=length))
    return tuple(int(a) for a in shape)
