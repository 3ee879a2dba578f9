"""The field types of the scenario schema: ids, codes, dates, audiences, texts, effects.

Each type checks its value with a message meant for a scenario author, not a programmer.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, StrictInt

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
CODE_PATTERN = r"^[A-Z]{2,5}$"
COLOUR_PATTERN = r"^#[0-9a-fA-F]{6}$"
_YEAR_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("should not be empty")
    return value


def _day(value: Any) -> date:
    # YAML already turns an unquoted 2022-11-02 into a date; a quoted one arrives as text.
    if isinstance(value, datetime):
        raise ValueError(f"should be a date without a time (YYYY-MM-DD), found {value}")
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _FULL_DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    if value is None:
        raise ValueError("is empty: write a date as YYYY-MM-DD")
    raise ValueError(f"should be a date written YYYY-MM-DD, found {value!r}")


def _day_or_month(value: Any) -> date | str:
    # Articles are sometimes dated only by month; such a date stays the text "YYYY-MM".
    if isinstance(value, str) and _YEAR_MONTH.match(value):
        return value
    try:
        return _day(value)
    except ValueError:
        if value is None:
            raise
        raise ValueError(
            f"should be a date written YYYY-MM-DD (or YYYY-MM when the day is unknown), "
            f"found {value!r}"
        ) from None


def _audience(value: Any) -> Literal["all"] | tuple[str, ...]:
    if value == "all":
        return "all"
    if isinstance(value, list | tuple) and value:
        codes = []
        for item in value:
            if not isinstance(item, str) or not re.match(CODE_PATTERN, item):
                raise ValueError(
                    f'should be "all" or a list of delegation codes like [KOR], '
                    f"but {item!r} is not a delegation code"
                )
            if item in codes:
                raise ValueError(f"names the delegation {item} twice")
            codes.append(item)
        return tuple(codes)
    raise ValueError(f'should be "all" or a list of delegation codes like [KOR], found {value!r}')


Text = Annotated[str, AfterValidator(_not_blank)]
Id = Annotated[str, Field(pattern=ID_PATTERN)]
Code = Annotated[str, Field(pattern=CODE_PATTERN)]
# Before-validators do the checking (with messages meant for authors); the declared types then
# only confirm what they return, and tell pydantic how to serialise the value.
Day = Annotated[date, BeforeValidator(_day)]
DayOrMonth = Annotated[date | str, BeforeValidator(_day_or_month)]
Audience = Annotated[Literal["all"] | tuple[str, ...], BeforeValidator(_audience)]
Delta = Annotated[StrictInt, Field(ge=-50, le=50)]
Effects = dict[Id, Delta]
