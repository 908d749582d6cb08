from __future__ import annotations

from typing import Any


class HooklineObject(dict):
    """A JSON object from the API: a plain ``dict`` whose keys are also readable as attributes.

    ``endpoint["secret"]`` and ``endpoint.secret`` are the same. Keys that collide with dict
    methods (``items``, ``keys``, ``values``, ``get``, ``update``…) are only reachable with
    ``[]``: a list page's rows are ``page["items"]``.
    """

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"{type(self).__name__} has no field {name!r}") from None

    def __dir__(self) -> list:
        return sorted(set(super().__dir__()) | {k for k in self if isinstance(k, str) and k.isidentifier()})


def object_hook(pairs: dict) -> HooklineObject:
    return HooklineObject(pairs)
