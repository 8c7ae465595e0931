"""Money as billing holds it: an integer count of the currency's smallest unit (cents for USD),
never a float, and one way to show it ("$29.00")."""

from __future__ import annotations

from dataclasses import dataclass

# Currencies whose smallest unit is the whole unit or a thousandth, as Stripe lists them
# (https://docs.stripe.com/currencies#zero-decimal, #three-decimal); every other one has cents.
ZERO_DECIMAL = frozenset(
    [
        "bif",
        "clp",
        "djf",
        "gnf",
        "jpy",
        "kmf",
        "krw",
        "mga",
        "pyg",
        "rwf",
        "ugx",
        "vnd",
        "vuv",
        "xaf",
        "xof",
        "xpf",
    ]
)
THREE_DECIMAL = frozenset(["bhd", "jod", "kwd", "omr", "tnd"])
SYMBOLS = {"usd": "$", "eur": "€", "gbp": "£", "jpy": "¥"}


def currency_exponent(currency: str) -> int:
    """How many digits of the smallest unit follow the decimal point."""
    code = currency.lower()
    if code in ZERO_DECIMAL:
        return 0
    if code in THREE_DECIMAL:
        return 3
    return 2


def currency_symbol(currency: str) -> str:
    """ "$" for the few with a well-known sign, else the code and a space ("CHF ")."""
    return SYMBOLS.get(currency.lower(), f"{currency.upper()} ")


def money(amount: int, currency: str) -> str:
    """``amount`` smallest units as people read it: money(2900, "usd") == "$29.00",
    money(-150, "eur") == "-€1.50", money(123456789, "usd") == "$1,234,567.89". Integer
    arithmetic only, so no amount is ever rounded."""
    exponent = currency_exponent(currency)
    sign = "-" if amount < 0 else ""
    major, minor = divmod(abs(amount), 10**exponent)
    digits = f"{major:,}" + (f".{minor:0{exponent}d}" if exponent else "")
    return f"{sign}{currency_symbol(currency)}{digits}"


@dataclass(frozen=True)
class Money:
    """An amount with its currency; renders as ``money()`` does (templates print it as is)."""

    amount: int
    currency: str

    def __str__(self) -> str:
        return money(self.amount, self.currency)
