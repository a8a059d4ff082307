"""``cls(**fields)`` for a frozen slotted dataclass, several times cheaper than its ``__init__``.

A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``; an
ExecutionReport has 37 fields, and the venue builds one per report it sends (a sweep: tens of
thousands in one step). :func:`keyword_builder` generates, once per class, a function taking
the same keyword arguments with the same defaults that sets each slot through its own
descriptor (as :func:`workstation.fix.messages.fields.slot_builder` does positionally). It
does what the generated ``__init__`` does and nothing else: a class with a ``__post_init__``
or a field with a default factory is refused when the builder is made.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["keyword_builder"]

T = TypeVar("T")


def keyword_builder(cls: type[T]) -> Callable[..., T]:
    """A keyword-only constructor of frozen slotted dataclass ``cls`` that skips ``__init__``."""
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or "__slots__" not in vars(cls):
        raise TypeError(f"{cls!r} is not a frozen slotted dataclass")
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__} has a __post_init__ the builder would skip")
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    parameters: list[str] = []
    for f in fields:
        if f.default_factory is not dataclasses.MISSING:
            raise TypeError(f"{cls.__name__}.{f.name} has a default factory")
        namespace[f"_set_{f.name}"] = vars(cls)[f.name].__set__
        if f.default is dataclasses.MISSING:
            parameters.append(f.name)
        else:
            namespace[f"_default_{f.name}"] = f.default
            parameters.append(f"{f.name}=_default_{f.name}")
    lines = [f"def build(*, {', '.join(parameters)}):", "    obj = _new(_cls)"]
    lines += [f"    _set_{f.name}(obj, {f.name})" for f in fields]
    lines.append("    return obj")
    exec("\n".join(lines), namespace)  # source built only from the class's field names
    build: Callable[..., T] = namespace["build"]
    build.__qualname__ = f"build_{cls.__name__}"
    return build
