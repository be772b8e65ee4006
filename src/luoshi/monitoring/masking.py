"""Masking personal data: what a reader without the need sees of an ID or phone number."""

from __future__ import annotations


def mask_id(number: str) -> str:
    """142301199001011234 → 1423**********1234: the region and the check part, not the birth date."""
    if not number:
        return ""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_phone(number: str) -> str:
    """13812345678 → 138****5678, as Chinese services show it."""
    if not number:
        return ""
    if len(number) <= 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]
