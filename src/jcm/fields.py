"""Field types for request bodies: what a JSON client may send, refused when it is of another
kind even where Python would convert it (``false`` is not a number, ``0`` is not a date).

Strings stay accepted where a person's form or a CSV cell writes the value as text.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BeforeValidator


def _no_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("must be a number, not true or false")
    return value


def _day(value: Any) -> Any:
    if isinstance(value, bool | int | float):
        raise ValueError("must be a date written YYYY-MM-DD")
    return value


def _flag(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


Int = Annotated[int, BeforeValidator(_no_bool)]
Float = Annotated[float, BeforeValidator(_no_bool)]
Day = Annotated[date, BeforeValidator(_day)]
Flag = Annotated[bool, BeforeValidator(_flag)]
