"""Problems found in the data, and the three ways of reporting them.

Loading and validation append `Problem`s to one list instead of raising, so a
contributor sees every problem of a run at once. The command line sorts them
by file and line and prints them as text, GitHub workflow annotations or JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path


class Severity(str, Enum):
    ERROR = "error"
    NOTE = "note"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or worth knowing) at one place in one data file.

    >>> Problem("data/vendors/acme.yaml", 4, 3, "domains[0]", "is a URL, not a host name",
    ...         hint="write px.example").format()
    'data/vendors/acme.yaml:4:3: error: domains[0]: is a URL, not a host name (write px.example)'
    """

    path: str
    line: int
    column: int
    field: str
    message: str
    hint: str = ""
    severity: Severity = field(default=Severity.ERROR)

    def format(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        subject = f"{self.field}: " if self.field else ""
        advice = f" ({self.hint})" if self.hint else ""
        return f"{where}: {self.severity.value}: {subject}{self.message}{advice}"

    def format_github(self) -> str:
        # Workflow commands end at a newline and treat %, \r and \n specially.
        text = f"{self.field}: {self.message}" if self.field else self.message
        if self.hint:
            text += f" ({self.hint})"
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        command = "error" if self.severity is Severity.ERROR else "notice"
        return f"::{command} file={self.path},line={self.line},col={self.column}::{text}"

    def as_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity.value,
            "field": self.field,
            "message": self.message,
            "hint": self.hint,
        }


def display_path(path: Path) -> str:
    """Return `path` relative to the working directory when it lies below it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def format_field(path: tuple[str | int, ...]) -> str:
    """Write a path into a record the way a contributor reads it: `faq[2].answer`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def render_report(problems: list[Problem], output_format: str) -> str:
    ordered = sorted(problems)
    if output_format == "json":
        return json.dumps([problem.as_json() for problem in ordered], indent=2, ensure_ascii=False)
    if output_format == "github":
        return "\n".join(problem.format_github() for problem in ordered)
    return "\n".join(problem.format() for problem in ordered)


def has_errors(problems: list[Problem]) -> bool:
    return any(problem.severity is Severity.ERROR for problem in problems)
