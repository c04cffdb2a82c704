"""The command line: `python -m generator COMMAND`.

Exit status: 0 when all is well, 1 when the data has problems (or a lookup
finds no vendor), 2 when the command was used wrongly. No input, however
broken, produces a traceback: problems in the data are reported as
`path:line:column: error: field: message (hint)` lines.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Callable, Sequence

from generator.problems import Problem, Severity, display_path, render_report
from generator.validation import Result, validate

log = logging.getLogger("generator")

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2

Command = Callable[[argparse.Namespace], int]
_COMMANDS: dict[str, Command] = {}


def command(name: str) -> Callable[[Command], Command]:
    def register(function: Command) -> Command:
        _COMMANDS[name] = function
        return function

    return register


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    arguments = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if arguments.verbose else logging.WARNING, format="%(levelname)s: %(message)s")
    if not arguments.command:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    _load_commands()
    data_dir = getattr(arguments, "data", None)
    if data_dir is not None and not _names_own_folder(arguments) and not (data_dir / "vendors").is_dir():
        print(f"error: {data_dir} is not a Consent Atlas data folder, because it has no vendors/ folder "
              "(run the command from the repository root, or pass --data DIR)", file=sys.stderr)
        return EXIT_USAGE
    return _COMMANDS[arguments.command](arguments)


def _names_own_folder(arguments: argparse.Namespace) -> bool:
    """Tell whether the command was given its files or folder as arguments, so --data is not read."""
    if arguments.command == "validate":
        return any(path.is_dir() for path in arguments.paths)
    return arguments.command == "fmt" and bool(arguments.paths)


def _load_commands() -> None:
    # Commands live beside the stage they drive; importing them registers them.
    from generator import commands  # noqa: F401


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m generator", description="Validate, build and export the Consent Atlas catalogue.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("validate", help="check the data files and report every problem", description=_sentence("check the data files and report every problem"))
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                       help="record files to check (default: the whole data folder); reports only their problems")
    _add_data_option(check)
    check.add_argument("--format", choices=("text", "github", "json"), default="text",
                       help="report as text lines, GitHub workflow annotations, or JSON")

    export = sub.add_parser("export", help="write the JSON and CSV catalogue files", description=_sentence("write the JSON and CSV catalogue files"))
    export.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder to write api/v1/ files into")
    _add_data_option(export)

    lookup = sub.add_parser("lookup", help="find the vendor of a script URL or host", description=_sentence("find the vendor of a script URL or host"))
    lookup.add_argument("target", metavar="URL_OR_HOST",
                        help="a script or beacon address such as https://cdn.example.com/t.js, or a host such as cdn.example.com")
    lookup.add_argument("--json", action="store_true", help="print the match as JSON")
    _add_data_option(lookup)

    new = sub.add_parser("new", help="start a vendor record from the template", description=_sentence("start a vendor record from the template"))
    new.add_argument("name", help='the vendor\'s name, such as "Acme Analytics"')
    new.add_argument("--id", help="the id to use (default: derived from the name)")
    _add_data_option(new)

    fmt = sub.add_parser("fmt", help="rewrite records in the canonical layout", description=_sentence("rewrite records in the canonical layout"))
    fmt.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files to format (default: every record)")
    fmt.add_argument("--check", action="store_true", help="change nothing; exit 1 if a file is not in the canonical layout")
    _add_data_option(fmt)

    ocd = sub.add_parser("import-ocd", help="propose cookie facts from the Open Cookie Database", description=_sentence("propose cookie facts from the Open Cookie Database"))
    ocd.add_argument("csv", type=Path, metavar="CSV", help="open-cookie-database.csv")
    ocd.add_argument("--apply", action="store_true", help="write the new facts into the records")
    _add_data_option(ocd)
    return parser


def _sentence(help_text: str) -> str:
    return help_text[0].upper() + help_text[1:] + "."


def _add_data_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=Path("data"), metavar="DIR", help="the data folder (default: data)")


def run_validation(data_dir: Path, paths: Sequence[Path] = (), output_format: str = "text") -> tuple[Result, list[Problem]]:
    """Validate, print the report, and return the result with the problems reported.

    With `paths`, only the problems of those files are reported. The text
    report goes to standard error; machine formats go to standard output.
    """
    # Files directly in the data folder (the vocabularies) are read by validate() itself; only records replace.
    records = [path for path in paths if path.is_file() and path.resolve().parent != data_dir.resolve()]
    result = validate(data_dir, records)
    problems = result.problems
    if paths:
        shown = {display_path(path) for path in paths}
        problems = [problem for problem in problems if problem.path in shown]
    report = render_report(problems, output_format)
    if output_format == "text":
        if report:
            print(report, file=sys.stderr)
        errors = sum(problem.severity is Severity.ERROR for problem in problems)
        if errors:
            print(f"{errors} error{'s' if errors != 1 else ''} found.", file=sys.stderr)
    elif report or output_format == "json":
        print(report)
    return result, problems
