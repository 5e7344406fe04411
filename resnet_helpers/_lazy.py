"""Package attributes imported on first use (PEP 562).

``import resnet_helpers`` and its subpackages import nothing heavy themselves: each name of
their public API is imported from the module that defines it the first time it is used. So
``rh.build_resnet`` works as always, and importing a backend-neutral module — the models, the
recipe, the CIFAR-10 loader — does not import TensorFlow through its neighbours: they run under
Keras's JAX backend too (``benchmarks/gpu_recipe.py``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable


def attach(package: str, exports: dict[str, str], namespace: dict
           ) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of a package that serves ``exports`` lazily.

    Args:
        package: the package's ``__name__``.
        exports: public name → the module it comes from; a module is listed under its own
            name, the last part of its path (``{"pipeline": "resnet_helpers.data.pipeline"}``).
        namespace: the package's ``globals()``: a name, once imported, is kept there.
    """

    def __getattr__(name: str):
        try:
            source = exports[name]
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        module = importlib.import_module(source)
        # a (sub)module listed under its own name is the value itself, else the name in it
        value = module if source.rsplit(".", 1)[-1] == name else getattr(module, name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(exports))

    return __getattr__, __dir__
