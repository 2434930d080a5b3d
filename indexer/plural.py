"""Counts in the command line's English messages: ``1 article``, ``2 articles``."""

from __future__ import annotations


def counted(n: int, noun: str, thousands: bool = False) -> str:
    """``n`` and ``noun``, plural unless ``n`` is 1 (``thousands``: 2,018)."""
    number = f"{n:,}" if thousands else str(n)
    return f"{number} {noun}{'' if n == 1 else 's'}"
