"""The commands behind `python -m generator`, each a thin layer over one stage."""

from __future__ import annotations

import argparse
import sys

import generator.formatting  # noqa: F401
import generator.ocd  # noqa: F401
import generator.export  # noqa: F401
import generator.lookup  # noqa: F401
import generator.scaffold  # noqa: F401

from generator.cli import EXIT_DATA, EXIT_OK, EXIT_USAGE, command, run_validation
from generator.problems import has_errors


@command("validate")
def validate_command(arguments: argparse.Namespace) -> int:
    missing = [path for path in arguments.paths if not path.is_file() and not path.is_dir()]
    if missing:
        print(f"error: no such file: {missing[0]}", file=sys.stderr)
        return EXIT_USAGE
    files = [path for path in arguments.paths if path.is_file()]
    folders = [path for path in arguments.paths if path.is_dir()]
    data_dir = folders[0] if folders else arguments.data
    _, problems = run_validation(data_dir, files, arguments.format)
    return EXIT_DATA if has_errors(problems) else EXIT_OK
