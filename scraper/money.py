"""Amounts of money read exactly as a portal prints them, or not at all.

A court adapter declares how its portal writes an amount (a `MoneyFormat`); `read_amount`
accepts only that shape. Everything else (a range, two amounts, European separators, three
decimals, an exponent, NaN, letters, a sign the portal does not print) is refused: the caller
records it as an unread value. Rounding or stripping characters until `Decimal` accepts the
rest would turn `$6.557,21` into 6.56 and `$1,000 - $2,000` into 10002000.00, silently.

The shape every format shares: thousands commas in whole groups of three (and always present
from 1,000 up), no leading zeros, exactly two decimals. An amount in whole dollars (`$1,250`)
is refused: no portal in docs/courts/ shows one, and `$12.345` shows how an amount without its cents
cannot be told from one with a separator misread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

# Twelve integer digits (under a trillion dollars) is more than any court's judgment: a longer
# run of digits is a broken page, not an amount.
MAX_INTEGER_DIGITS = 12
_DIGITS = rf"(?:0|[1-9][0-9]{{0,2}}(?:,[0-9]{{3}}){{0,{(MAX_INTEGER_DIGITS - 3) // 3}}})\.[0-9]{{2}}"


@dataclass(frozen=True)
class MoneyFormat:
    """How one portal prints an amount.

    symbol: the currency sign before the digits (`$`), or "" when the portal prints none (a
        sign is then refused). Any whitespace between the sign and the digits is accepted.
    gap: what the portal itself puts between the sign and the digits (`$ 1,477.90`: " ").
    credits_in_parentheses: a credit prints as `(1,250.00)` and reads as a negative amount;
        otherwise parentheses are refused. A minus sign is refused everywhere.
    """

    symbol: str = "$"
    gap: str = ""
    credits_in_parentheses: bool = False
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        sign = re.escape(self.symbol) + r"\s*" if self.symbol else ""
        # ASCII: `\s` and the digit classes must not take other scripts' digits or spaces.
        object.__setattr__(self, "pattern", re.compile(f"{sign}({_DIGITS})", re.ASCII))


def read_amount(text: str, money_format: MoneyFormat) -> Decimal | None:
    """The amount `text` prints in `money_format` (outer whitespace ignored), or None when it
    is not one amount in that format."""
    body = text.strip()
    credit = money_format.credits_in_parentheses and body.startswith("(") and body.endswith(")")
    if credit:
        body = body[1:-1].strip()
    match = money_format.pattern.fullmatch(body)
    if match is None:
        return None
    value = Decimal(match.group(1).replace(",", ""))
    return value.copy_negate() if credit else value  # `-Decimal("0.00")` would lose the sign


def format_amount(value: Decimal, money_format: MoneyFormat) -> str:
    """`value` as the portal prints it (the inverse of `read_amount`); a negative amount only
    in a format with credits in parentheses."""
    if value.is_signed() and not money_format.credits_in_parentheses:
        raise ValueError(f"{value} is negative: the format prints no credits")
    body = f"{money_format.symbol}{money_format.gap if money_format.symbol else ''}{abs(value):,.2f}"
    return f"({body})" if value.is_signed() else body
