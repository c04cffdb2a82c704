"""Cookie durations: `session`, `persistent`, or an ISO 8601 duration, in words.

The schema accepts exactly these forms; pages show them as a visitor reads
them ("13 months", "2 years", "Session").
"""

from __future__ import annotations

import re

_ISO = re.compile(
    r"^P(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)S)?)?$"
)
_UNITS = ("years", "months", "weeks", "days", "hours", "minutes", "seconds")
_WORDS = {
    "session": "Session",
    "persistent": "Persistent (no expiry stated)",
}


def duration_in_words(duration: str) -> str:
    """Write a cookie duration the way a visitor reads it.

    >>> duration_in_words("P13M"), duration_in_words("P1Y6M"), duration_in_words("PT30M")
    ('13 months', '1 year 6 months', '30 minutes')
    >>> duration_in_words("session")
    'Session'
    """
    if duration in _WORDS:
        return _WORDS[duration]
    match = _ISO.match(duration)
    if not match:
        return duration
    parts = []
    for unit in _UNITS:
        amount = match.group(unit)
        if amount and int(amount):
            count = int(amount)
            parts.append(f"{count} {unit if count != 1 else unit[:-1]}")
    return " ".join(parts) or "0 seconds"
