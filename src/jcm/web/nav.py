"""Which feature pages the running app serves, so the navigation shows only those."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from fastapi import FastAPI


def _paths(routes: Iterable[Any]) -> Iterator[str]:
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _paths(inner.routes)
        elif isinstance(getattr(route, "path", None), str):
            yield route.path


def served_paths(app: FastAPI) -> frozenset[str]:
    """Every path the app serves (included routers walked), computed once per app."""
    cached: frozenset[str] | None = getattr(app.state, "served_paths", None)
    if cached is None:
        cached = frozenset(_paths(app.routes))
        app.state.served_paths = cached
    return cached
