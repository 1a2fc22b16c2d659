"""Patterns of parameters that several route groups take, stated as their handlers enforce them.

The symbol services upper-case what they are given (and the body and search fields strip it first),
then match ``SYMBOL_PATTERN``; the OpenAPI document states the same rule, so a client (or a fuzzer)
generating from the schema sends what the handler accepts.
"""

from __future__ import annotations

from tradewind.marketdata.universe import SYMBOL_PATTERN

_SYMBOL = SYMBOL_PATTERN.pattern.removeprefix("^").removesuffix("$").replace("A-Z", "A-Za-z")

SYMBOL_ANY_CASE = f"^{_SYMBOL}$"
"""A symbol in any case (``aapl`` is ``AAPL``)."""

SYMBOL_PADDED = rf"^\s*{_SYMBOL}\s*$"
"""A symbol in any case, blanks around it ignored."""

SYMBOL_PREFIX = rf"^\s*({_SYMBOL})?\s*$"
"""The start of a symbol (or nothing), as symbol search takes it."""
