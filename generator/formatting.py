"""The canonical layout of data files: `python -m generator fmt [--check] [PATH ...]`.

Runs on files that load (see `generator.loading`); it never validates them
against their schema, so a record with a missing key can still be tidied.
The layout depends only on a file's values, so two contributors who write the
same facts get the same bytes:

- the `# yaml-language-server: $schema=...` line first (kept as written, or
  added with the path for the file's kind);
- keys in the order of the schema's `properties`, unknown keys after them in
  the order they were written;
- 2-space indentation, list items indented under their key;
- a list of short texts that need no quotes on one line (`[a, b]`) when
  that line fits in 78 columns, otherwise one item per line;
- text plain when YAML reads it back as the same text (in YAML 1.1 too), and
  in double quotes otherwise. Text that does not fit on its line becomes a
  folded `>-` block wrapped at 78 columns, and text with line breaks a
  literal `|-` block;
- comments kept: a comment line stays above the key or list item that
  followed it, an end-of-line comment stays at the end of its key's line.

The layout is written by hand rather than with ruamel.yaml's round trip:
ruamel keeps the fold points, quotes and flow styles a contributor chose,
which is what a canonical layout must not depend on, and wraps folded text
past the set width. Every formatted file is loaded again and compared with
the original values; a file whose values would change is left untouched.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import yaml
from yaml.emitter import Emitter

from generator.cli import EXIT_DATA, EXIT_OK, EXIT_USAGE, command
from generator.loading import FieldPath, load_bytes
from generator.problems import Problem, display_path, render_report
from generator.schema import load_schema, schema_at

WIDTH = 78
"""Column that folded text and one-line lists are kept within."""

SCHEMA_COMMENT = "# yaml-language-server: $schema="
_VOCABULARY_KINDS = {"categories.yaml": "categories", "industries.yaml": "vocabulary", "data-kinds.yaml": "vocabulary"}
_RECORD_KINDS = {"vendors": "vendor", "organizations": "organization"}
_MAPPING_FILES = {"ocd-platforms.yaml": "ocd-platforms"}
_YAML11_SPECIAL = re.compile(
    r"(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|~|null|Null|NULL|true|True|TRUE|false|False|FALSE"
    r"|[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?|[-+]?0[box]?[0-9a-fA-F_]+|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?"
    r"|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?|<<|=)"
)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_FOLD_POINT = re.compile(r"(?<=\S) (?=\S)")


class FormatError(Exception):
    """Raised when a file cannot be formatted without changing its values."""


def schema_kind(path: Path) -> str | None:
    """Return the schema kind of a data file from where it lives, or None for other files.

    >>> schema_kind(Path("data/vendors/hotjar.yaml")), schema_kind(Path("data/industries.yaml"))
    ('vendor', 'vocabulary')
    """
    if path.name in _VOCABULARY_KINDS:
        return _VOCABULARY_KINDS[path.name]
    if path.name in _MAPPING_FILES:
        return _MAPPING_FILES[path.name]
    return _RECORD_KINDS.get(path.parent.name)


def schema_comment(path: Path, kind: str) -> str:
    """Return the `# yaml-language-server` line for a data file of `kind` at `path`."""
    depth = "../../" if path.parent.name in _RECORD_KINDS else "../"
    return f"{SCHEMA_COMMENT}{depth}generator/schemas/{kind}.schema.json"


def format_text(text: str, path: Path, problems: list[Problem]) -> str | None:
    """Return the canonical layout of one data file, or None when it does not load.

    Problems that stop the file from loading are appended to `problems`.

    >>> format_text("name: Acme\\nid: acme\\n", Path("data/organizations/acme.yaml"), [])
    '# yaml-language-server: $schema=../../generator/schemas/organization.schema.json\\nid: acme\\nname: Acme\\n'
    """
    found: list[Problem] = []
    document = load_bytes(text.encode("utf-8"), path, display_path(path), found)
    problems.extend(found)
    if document is None or found:
        return None
    return format_data(document.data, text, path)


def format_data(data: Any, original_text: str, path: Path) -> str:
    """Write `data` in the canonical layout, keeping the comments of `original_text`.

    Comments belong to paths in the data (a key, a list item), so `data` may
    differ from what `original_text` contains by added keys and list items at the
    end of their lists. Raises `FormatError` if the text would not load back
    as `data`.
    """
    kind = schema_kind(path)
    comments = _collect_comments(original_text)
    first_line = comments.schema_line or (schema_comment(path, kind) if kind else None)
    writer = _Writer(load_schema(kind) if kind else {}, comments)
    writer.document(data)
    lines = ([first_line] if first_line else []) + writer.lines
    formatted = "\n".join(lines) + "\n"
    _check_same_values(formatted, path, data)
    return formatted


def _check_same_values(formatted: str, path: Path, original: Any) -> None:
    found: list[Problem] = []
    again = load_bytes(formatted.encode("utf-8"), path, display_path(path), found)
    if again is None or found or again.data != original or _types(again.data) != _types(original):
        raise FormatError(f"formatting {display_path(path)} would change its values")


def _types(value: Any) -> Any:
    """Return the value's shape with types, so that 1 and 1.0 or True and 1 differ."""
    if isinstance(value, dict):
        return {key: _types(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_types(item) for item in value]
    return type(value).__name__


# Comments ------------------------------------------------------------------


@dataclass
class _Comments:
    before: dict[FieldPath, list[str]] = field(default_factory=dict)
    trailing: dict[FieldPath, str] = field(default_factory=dict)
    at_end: list[str] = field(default_factory=list)
    schema_line: str | None = None


@dataclass
class _Span:
    path: FieldPath
    start: tuple[int, int]
    end: tuple[int, int]
    block: bool


def _collect_comments(text: str) -> _Comments:
    """Find comment lines and end-of-line comments and the node each belongs to."""
    lines = text.split("\n")
    spans, starts = _event_spans(text)
    inside = _lines_inside_scalars(spans)
    ends: dict[int, _Span] = {}
    for span in spans:
        line, column = span.end
        if not span.block and (line not in ends or ends[line].end[1] <= column):
            ends[line] = span

    comments = _Comments()
    pending: list[str] = []
    for number, line in enumerate(lines):
        stripped = line.strip()
        if number in inside:
            continue
        if stripped.startswith("#"):
            if stripped.startswith(SCHEMA_COMMENT) and comments.schema_line is None and not pending and number < min(starts, default=0):
                comments.schema_line = stripped
            else:
                pending.append(stripped)
            continue
        if pending and number in starts:
            comments.before.setdefault(starts[number], []).extend(pending)
            pending = []
        trailing = _trailing_comment(line, ends.get(number))
        if trailing:
            comments.trailing[ends[number].path] = trailing
    comments.at_end = pending
    return comments


def _trailing_comment(line: str, span: _Span | None) -> str | None:
    if span is None:
        return None
    rest = line[span.end[1]:].strip()
    return rest if rest.startswith("#") else None


def _event_spans(text: str) -> tuple[list[_Span], dict[int, FieldPath]]:
    """Return the span of every key, scalar and flow list, and the shortest path starting on each line."""
    spans: list[_Span] = []
    starts: dict[int, FieldPath] = {}
    stack: list[list[Any]] = []  # per open collection: [path, is_mapping, next index or pending key]

    def record(path: FieldPath, event: yaml.Event, block: bool = False) -> None:
        spans.append(_Span(path, (event.start_mark.line, event.start_mark.column), (event.end_mark.line, event.end_mark.column), block))
        line = event.start_mark.line
        if line not in starts or len(path) < len(starts[line]):
            starts[line] = path

    def child_path() -> FieldPath | None:
        if not stack:
            return ()
        parent = stack[-1]
        if parent[1]:
            return parent[0] + (parent[2],) if parent[2] is not None else None
        return parent[0] + (parent[2],)

    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, yaml.ScalarEvent):
            path = child_path()
            if path is None:  # a key of the open mapping
                stack[-1][2] = event.value
                record(stack[-1][0] + (event.value,), event)
                continue
            record(path, event, block=event.style in ("|", ">"))
            _advance(stack)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            path = child_path()
            assert path is not None
            record(path, event)
            is_mapping = isinstance(event, yaml.MappingStartEvent)
            stack.append([path, is_mapping, None if is_mapping else 0, event.flow_style])
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            path, _, _, flow = stack.pop()
            if flow:
                spans.append(_Span(path, (event.start_mark.line, event.start_mark.column), (event.end_mark.line, event.end_mark.column), False))
            _advance(stack)
    return spans, starts


def _advance(stack: list[list[Any]]) -> None:
    if not stack:
        return
    if stack[-1][1]:
        stack[-1][2] = None
    else:
        stack[-1][2] += 1


def _lines_inside_scalars(spans: list[_Span]) -> set[int]:
    inside: set[int] = set()
    for span in spans:
        last = span.end[0] - 1 if span.block and span.end[1] == 0 else span.end[0]
        first = span.start[0] + 1
        inside.update(range(first, last + 1))
    return inside


# Writing -------------------------------------------------------------------


class _Writer:
    """Write plain values as YAML lines in the canonical layout."""

    def __init__(self, schema: dict[str, Any], comments: _Comments):
        self.schema = schema
        self.comments = comments
        self.lines: list[str] = []

    def document(self, data: Any) -> None:
        self._comment_lines((), 0)
        if isinstance(data, dict) and data:
            self._mapping(data, (), 0)
        elif isinstance(data, list) and data:
            self._sequence(data, (), 0)
        else:
            self.lines.append(_inline_scalar(data))
        self.lines.extend(self.comments.at_end)

    def _comment_lines(self, path: FieldPath, indent: int) -> None:
        for comment in self.comments.before.get(path, []):
            self.lines.append(" " * indent + comment)

    def _with_trailing(self, path: FieldPath, line: str) -> str:
        trailing = self.comments.trailing.get(path)
        return f"{line}  {trailing}" if trailing else line

    def _ordered_keys(self, mapping: dict[str, Any], path: FieldPath) -> list[str]:
        known = list(schema_at(self.schema, path).get("properties", {})) if self.schema else []
        return [key for key in known if key in mapping] + [key for key in mapping if key not in known]

    def _mapping(self, mapping: dict[str, Any], path: FieldPath, indent: int, first_prefix: str | None = None) -> None:
        for number, key in enumerate(self._ordered_keys(mapping, path)):
            child = path + (key,)
            prefix = first_prefix if number == 0 and first_prefix is not None else " " * indent
            self._comment_lines(child, indent - 2 if number == 0 and first_prefix is not None else indent)
            self._entry(f"{prefix}{_key(key)}:", mapping[key], child, indent)

    def _sequence(self, items: list[Any], path: FieldPath, indent: int) -> None:
        for index, item in enumerate(items):
            child = path + (index,)
            self._comment_lines(child, indent)
            if isinstance(item, dict) and item:
                self._mapping(item, child, indent + 2, first_prefix=" " * indent + "- ")
            else:
                self._entry(" " * indent + "-", item, child, indent)

    def _entry(self, head: str, value: Any, path: FieldPath, indent: int) -> None:
        """Write `head` (`key:` or `-`) followed by the value, inline or as a block below it."""
        if isinstance(value, dict) and value:
            self.lines.append(self._with_trailing(path, head))
            self._mapping(value, path, indent + 2)
        elif isinstance(value, list) and value:
            flow = _flow_list(value)
            if flow is not None and len(head) + 1 + len(flow) <= WIDTH:
                self._flow_entry(head, flow, path, len(value), indent)
            else:
                self.lines.append(self._with_trailing(path, head))
                self._sequence(value, path, indent + 2)
        elif isinstance(value, str):
            self._text(head, value, path, indent)
        else:
            self.lines.append(self._with_trailing(path, f"{head} {_inline_scalar(value)}"))

    def _flow_entry(self, head: str, flow: str, path: FieldPath, count: int, indent: int) -> None:
        # Comments written between the items of a one-line list move above it.
        trailing = [self.comments.trailing[path]] if path in self.comments.trailing else []
        for index in range(count):
            self._comment_lines(path + (index,), indent)
            if path + (index,) in self.comments.trailing:
                trailing.append(self.comments.trailing[path + (index,)])
        self.lines.append(f"{head} {flow}" + "".join(f"  {comment}" for comment in trailing))

    def _text(self, head: str, text: str, path: FieldPath, indent: int) -> None:
        content_indent = " " * (indent + 2)
        inline = _inline_scalar(text)
        if _DATE.fullmatch(text) and schema_at(self.schema, path).get("format") == "date":
            inline = text  # the schema reads a date here, so YAML 1.1's date reading changes nothing
        if "\n" in text and _literal_safe(text):
            self.lines.append(self._with_trailing(path, f"{head} |-"))
            self.lines.extend(content_indent + line if line else "" for line in text.split("\n"))
        elif "\n" not in text and len(head) + 1 + len(inline) > WIDTH and _folded_safe(text):
            self.lines.append(self._with_trailing(path, f"{head} >-"))
            self.lines.extend(content_indent + line for line in _fold(text, WIDTH - len(content_indent)))
        else:
            self.lines.append(self._with_trailing(path, f"{head} {inline}"))


def _fold(text: str, width: int) -> Iterator[str]:
    """Break text at single spaces into lines of at most `width` characters (longer words stay whole)."""
    line = ""
    for word in _FOLD_POINT.split(text):
        if line and len(line) + 1 + len(word) > width:
            yield line
            line = word
        else:
            line = f"{line} {word}" if line else word
    yield line


def _folded_safe(text: str) -> bool:
    # Folded blocks cannot start with a space (it would set the indentation),
    # lose trailing spaces in most editors, and cannot hold control characters.
    return bool(text) and text == text.strip() and _printable(text) and len(_FOLD_POINT.split(text)) > 1


def _literal_safe(text: str) -> bool:
    lines = text.split("\n")
    return (
        _printable(text.replace("\n", ""))
        and bool(lines[0].strip())
        and not lines[0].startswith(" ")
        and bool(lines[-1].strip())
        and all(line == line.rstrip() for line in lines)
    )


def _printable(text: str) -> bool:
    # Control characters need escapes, and YAML 1.1 readers take \x85, U+2028 and U+2029 for line breaks.
    return not any(unicodedata.category(character) in ("Cc", "Zl", "Zp") for character in text)


def _inline_scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    if _plain_safe(text, flow=False):
        return text
    return _double_quoted(text)


def _plain_safe(text: str, flow: bool) -> bool:
    if not text or _YAML11_SPECIAL.fullmatch(text) or not _printable(text):
        return False
    analysis = Emitter(None).analyze_scalar(text)
    if analysis.multiline:
        return False
    return bool(analysis.allow_flow_plain if flow else analysis.allow_block_plain)


def _double_quoted(text: str) -> str:
    dumped = yaml.dump(text, Dumper=yaml.SafeDumper, default_style='"', width=float("inf"), allow_unicode=True)
    return dumped.rstrip("\n").removesuffix("\n...")


def _key(key: str) -> str:
    return key if _plain_safe(key, flow=False) else _double_quoted(key)


def _flow_list(items: list[Any]) -> str | None:
    if not all(isinstance(item, str) and _plain_safe(item, flow=True) for item in items):
        return None
    return "[" + ", ".join(items) + "]"


# The command ---------------------------------------------------------------


def default_paths(data_dir: Path) -> list[Path]:
    """Return every data file that `fmt` formats when no path is given."""
    paths = [data_dir / name for name in (*_VOCABULARY_KINDS, *_MAPPING_FILES) if (data_dir / name).is_file()]
    for folder in _RECORD_KINDS:
        paths += sorted((data_dir / folder).glob("*.yaml"))
    return paths


def _expand(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        files += sorted(path.rglob("*.yaml")) if path.is_dir() else [path]
    return files


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text` through a temporary file in the same folder, so no reader sees half a file."""
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(temporary, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@command("fmt")
def fmt_command(arguments: argparse.Namespace) -> int:
    missing = [path for path in arguments.paths if not path.exists()]
    if missing:
        print(f"error: no such file or folder: {missing[0]}", file=sys.stderr)
        return EXIT_USAGE
    paths = _expand(arguments.paths) if arguments.paths else default_paths(arguments.data)

    problems: list[Problem] = []
    unformatted: list[Path] = []
    for path in paths:
        change = _format_file(path, arguments.check, problems)
        if change is not None:
            unformatted.append(path)
            if arguments.check:
                # Show what would change, so a contributor editing in a browser can fix it by hand.
                print(_layout_diff(path, *change), end="")

    if problems:
        print(render_report(problems, "text"), file=sys.stderr)
    for path in unformatted:
        verb = "is not in the canonical layout" if arguments.check else "reformatted"
        print(f"{display_path(path)}: {verb}", file=sys.stderr)
    if arguments.check and unformatted:
        print(f"{len(unformatted)} file{'s' if len(unformatted) != 1 else ''} not in the canonical layout: "
              "run the same command without --check to rewrite them", file=sys.stderr)
    return EXIT_DATA if problems or (arguments.check and unformatted) else EXIT_OK


def _format_file(path: Path, check: bool, problems: list[Problem]) -> tuple[str, str] | None:
    """Format one file; return its text and canonical layout when they differ (with `check`, nothing is written)."""
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        load_bytes(path.read_bytes() if path.is_file() else b"", path, display_path(path), problems)
        return None
    try:
        formatted = format_text(text, path, problems)
    except FormatError as error:
        problems.append(Problem(display_path(path), 1, 1, "", str(error), "the file is left as it is; please report this as a bug"))
        return None
    if formatted is None or formatted == text:
        return None
    if not check:
        write_atomically(path, formatted)
    return text, formatted


def _layout_diff(path: Path, text: str, formatted: str) -> str:
    shown = display_path(path)
    lines = difflib.unified_diff(
        text.splitlines(keepends=True), formatted.splitlines(keepends=True), f"{shown} (as written)", f"{shown} (canonical layout)",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)
