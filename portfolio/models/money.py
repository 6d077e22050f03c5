"""Exact money: amounts are stored as whole minor units (pence).

SQLite has no decimal type (NUMERIC columns hold floats), so a Decimal goes
in as an integer number of pence and comes back as an exact Decimal; sums in
SQL stay exact too.
"""

from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger
from sqlalchemy.types import TypeDecorator

CENT = Decimal("0.01")


class Money(TypeDecorator[Decimal]):
    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> int | None:
        if value is None:
            return None
        exact = Decimal(value)
        if exact != exact.quantize(CENT):
            raise ValueError(f"{value} has more than two decimal places")
        return int(exact * 100)

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(int(value)) / 100).quantize(CENT)
