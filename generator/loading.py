"""Safe loading of data files: bytes -> checked text -> values with positions.

This is the first stage of every command. It reads one YAML file into plain
Python values (dict, list, str, int, float, bool, None) and remembers the line
and column of every key and value, so that validation can point at the exact
place of a problem. It never raises on bad input: each problem becomes a
`Problem`, and a file that cannot be read yields no document.

The YAML is read from libyaml's event stream rather than through a PyYAML
constructor, for three reasons: positions are kept for every value; anchors
and aliases are rejected before anything is expanded, so a nested alias bomb
costs nothing; and plain scalars are typed the YAML 1.2 way (only `true` and
`false` are booleans, dates stay text) while the YAML 1.1 readings that would
change a contributor's meaning elsewhere are recorded for validation to flag.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.problems import Problem, display_path, format_field

MAX_FILE_BYTES = 256 * 1024
"""Largest data file accepted; the longest real vendor record is far smaller."""

MAX_DEPTH = 32
"""Deepest nesting of lists and mappings accepted; a vendor record needs four levels.

The event walk recurses once per level, so this also keeps a file such as
`- - - - ...` from exhausting Python's recursion limit.
"""

FieldPath = tuple[str | int, ...]
Position = tuple[int, int]

_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_YAML11_BOOLEANS = {
    word: value
    for value, words in ((True, "y yes on"), (False, "n no off"))
    for base in words.split()
    for word in (base, base.capitalize(), base.upper())
}
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_YAML11_TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    r"([Tt ]|[ \t]+)?([0-9]{1,2}:[0-9]{2}:[0-9]{2}(\.[0-9]*)?)?"
    r"([ \t]*(Z|[-+][0-9]{1,2}(:[0-9]{2})?))?"
)
_STRING_TAG = "tag:yaml.org,2002:str"
_ALLOWED_TAGS = {None, "!", _STRING_TAG, "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}


@dataclass
class Document:
    """One loaded data file: its values and where each of them was written."""

    path: Path
    display_path: str
    data: Any
    value_positions: dict[FieldPath, Position] = field(default_factory=dict)
    key_positions: dict[FieldPath, Position] = field(default_factory=dict)
    yaml11_readings: dict[FieldPath, str] = field(default_factory=dict)
    """Plain scalars that YAML 1.1 tools would read as `boolean` or `date`."""

    def position(self, path: FieldPath) -> Position:
        """Return the position of the value at `path`, or of its nearest parent."""
        while path:
            if path in self.value_positions:
                return self.value_positions[path]
            path = path[:-1]
        return self.value_positions.get((), (1, 1))

    def key_position(self, path: FieldPath) -> Position:
        return self.key_positions.get(path) or self.position(path)

    def problem(self, path: FieldPath, message: str, hint: str = "", *, at_key: bool = False) -> Problem:
        line, column = self.key_position(path) if at_key else self.position(path)
        return Problem(self.display_path, line, column, format_field(path), message, hint)


class _Rejected(Exception):
    """Raised inside the event walk when the rest of the file cannot be trusted."""


def load_file(path: Path, problems: list[Problem]) -> Document | None:
    """Load one YAML data file, appending every problem found to `problems`.

    Returns None when the file cannot be read at all (unreadable, too large,
    not UTF-8, not YAML, or using anchors).
    """
    shown = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        problems.append(Problem(shown, 1, 1, "", f"cannot be read: {error.strerror}"))
        return None
    return load_bytes(raw, path, shown, problems)


def load_bytes(raw: bytes, path: Path, shown: str, problems: list[Problem]) -> Document | None:
    found: list[Problem] = []
    text = _decode(raw, shown, found)
    if text is not None:
        _check_indentation(text, shown, found)
    document = None
    if text is not None and not found:
        document = _parse(text, path, shown, found)
    problems.extend(found)
    return document


def _decode(raw: bytes, shown: str, problems: list[Problem]) -> str | None:
    if len(raw) > MAX_FILE_BYTES:
        problems.append(Problem(
            shown, 1, 1, "", f"the file is {len(raw):,} bytes, over the limit of {MAX_FILE_BYTES:,} bytes",
            "a vendor record is a few kilobytes: check that this is the right file, or shorten it",
        ))
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(Problem(
            shown, 1, 1, "", "the file starts with a byte-order mark",
            "save it as UTF-8 without a BOM; most editors offer this when saving",
        ))
        return None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.append(Problem(shown, 1, 1, "", "the file is encoded as UTF-16", "save it as UTF-8"))
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _byte_position(raw, error.start)
        problems.append(Problem(
            shown, line, column, "", f"the file is not valid UTF-8: {_describe_byte(raw[error.start])}",
            "save the file with the encoding UTF-8; most editors offer the choice in their Save As dialog",
        ))
        return None


def _describe_byte(byte: int) -> str:
    # Files that are not UTF-8 are nearly always Windows-1252 or Latin-1, so
    # showing that reading of the byte points the contributor at the character.
    try:
        character = bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return f"the byte 0x{byte:02X} here is not part of any UTF-8 character"
    return f"the byte 0x{byte:02X} here is `{character}` in the older Windows-1252 encoding"


def _byte_position(raw: bytes, offset: int) -> Position:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[line_start:offset].decode("utf-8", errors="replace")) + 1
    return raw.count(b"\n", 0, offset) + 1, column


def _check_indentation(text: str, shown: str, problems: list[Problem]) -> None:
    for number, line in enumerate(text.split("\n"), start=1):
        indentation = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indentation:
            problems.append(Problem(
                shown, number, indentation.index("\t") + 1, "", "a tab is used for indentation",
                "YAML allows only spaces there: replace the tab with spaces",
            ))


def _parse(text: str, path: Path, shown: str, problems: list[Problem]) -> Document | None:
    document = Document(path, shown, None)
    try:
        events = yaml.parse(text, Loader=yaml.CSafeLoader)
        document.data = _Builder(document, problems).build(events)
    except yaml.MarkedYAMLError as error:
        problems.append(_yaml_error_problem(error, text, shown))
        return None
    except yaml.reader.ReaderError as error:
        problems.append(_reader_error_problem(error, text, shown))
        return None
    except yaml.YAMLError as error:
        problems.append(Problem(shown, 1, 1, "", f"invalid YAML: {str(error).splitlines()[0]}"))
        return None
    except _Rejected:
        return None
    return document


def _yaml_error_problem(error: yaml.MarkedYAMLError, text: str, shown: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    opened_at = error.context_mark.line + 1 if error.context_mark else line
    character = text[mark.index] if mark and mark.index < len(text) else ""
    message, hint = _explain_yaml_error(error.problem or "", error.context or "", opened_at, character)
    return Problem(shown, line, column, "", message, hint)


def _explain_yaml_error(problem: str, context: str, opened_at: int, character: str) -> tuple[str, str]:
    """Rewrite libyaml's parser messages as what the contributor typed wrong."""
    same_indentation = "indent the keys of one mapping, and the `- ` items of one list, by the same number of spaces"
    if character == "\t":
        return "a tab is used here", "YAML allows only spaces around keys and list items: replace the tab with spaces"
    if "mapping values are not allowed" in problem:
        return ("invalid YAML: a colon followed by a space starts a new key here",
                'if the colon is part of the text, put the whole value in double quotes: "..."')
    if "cannot start any token" in problem:
        shown = "a backtick" if character == "`" else f"`{character}`"
        return f"invalid YAML: a value cannot start with {shown}", 'put the whole value in double quotes: "..."'
    if "end of stream" in problem and "quoted scalar" in context:
        return "invalid YAML: a quoted value is never closed", f"add the closing quote to the value that starts at line {opened_at}"
    if "expected ',' or ']'" in problem:
        return "invalid YAML: a list in square brackets is not closed", f"separate the items with commas and close the `[` of line {opened_at} with `]`"
    if "expected ',' or '}'" in problem:
        return "invalid YAML: a mapping in braces is not closed", f"separate the entries with commas and close the `{{` of line {opened_at} with `}}`"
    if "did not find expected key" in problem or "expected '-' indicator" in problem:
        return "invalid YAML: this line is indented differently from the lines above it", same_indentation
    if "could not find expected ':'" in problem:
        return ("invalid YAML: a key is missing its colon",
                f"write `key: value` on line {opened_at}; text that continues a value on the next line must be indented")
    if "block sequence entries are not allowed" in problem:
        return "invalid YAML: a list item `- ` cannot start on the same line as its key", "move the item to the next line, indented below the key"
    if "escape" in problem:
        return ("invalid YAML: a backslash in double quotes starts an escape sequence YAML does not know",
                "write the value in single quotes instead, or double the backslash")
    if "nesting depth" in problem:
        return "invalid YAML: lists and mappings are nested too deeply", "a record needs at most four levels: check the brackets"
    where = f" ({context} at line {opened_at})" if context else ""
    return f"invalid YAML: {problem or 'the text is not valid YAML'}{where}", "compare the line with the same part of an existing record"


def _reader_error_problem(error: yaml.reader.ReaderError, text: str, shown: str) -> Problem:
    offset = min(max(error.position, 0), len(text))
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    code = error.character if isinstance(error.character, int) else ord(str(error.character)[:1] or "\0")
    return Problem(
        shown, line, column, "", f"the control character U+{code:04X} is not allowed in a YAML file",
        "delete it: it is invisible in most editors and usually comes from pasting text",
    )


class _Builder:
    """Turn a libyaml event stream into values, recording positions on the way."""

    def __init__(self, document: Document, problems: list[Problem]):
        self.document = document
        self.problems = problems
        self.events: Any = None

    def build(self, events: Any) -> Any:
        self.events = iter(events)
        self._expect(yaml.StreamStartEvent)
        first = next(self.events)
        if isinstance(first, yaml.StreamEndEvent):
            hint = (
                'start from the template: python -m generator new "Vendor Name"'
                if self.document.path.parent.name == "vendors"
                else "copy an existing file of the same folder and change its values"
            )
            self.problems.append(Problem(self.document.display_path, 1, 1, "", "the file is empty", hint))
            raise _Rejected
        value = self._node(next(self.events), ())
        self._expect(yaml.DocumentEndEvent)
        extra = next(self.events)
        if isinstance(extra, yaml.DocumentStartEvent):
            self._reject(extra, "the file holds more than one YAML document",
                         "remove the `---` line and everything after it, or move it to its own file")
        return value

    def _expect(self, kind: type) -> yaml.Event:
        event = next(self.events)
        assert isinstance(event, kind), event
        return event

    def _reject(self, event: yaml.Event, message: str, hint: str) -> None:
        mark = event.start_mark
        self.problems.append(Problem(self.document.display_path, mark.line + 1, mark.column + 1, "", message, hint))
        raise _Rejected

    def _node(self, event: yaml.Event, path: FieldPath) -> Any:
        if len(path) > MAX_DEPTH:
            self._reject(event, f"lists and mappings are nested more than {MAX_DEPTH} levels deep",
                         "a record needs at most four levels: check the indentation")
        if isinstance(event, yaml.AliasEvent):
            self._reject(event, f"an alias (*{event.anchor}) is used",
                         "anchors and aliases are not allowed in data files: write the value out in full")
        if getattr(event, "anchor", None):
            self._reject(event, f"an anchor (&{event.anchor}) is used",
                         "anchors and aliases are not allowed in data files: write the value out in full")
        if getattr(event, "tag", None) not in _ALLOWED_TAGS:
            tag = event.tag.replace("tag:yaml.org,2002:", "!!")
            self._reject(event, f"the tag `{tag}` is used", "remove the tag; put the value in double quotes if it is text")
        self.document.value_positions[path] = (event.start_mark.line + 1, event.start_mark.column + 1)
        if isinstance(event, yaml.ScalarEvent):
            return self._scalar(event, path)
        if isinstance(event, yaml.SequenceStartEvent):
            return self._sequence(path)
        return self._mapping(path)

    def _scalar(self, event: yaml.ScalarEvent, path: FieldPath) -> Any:
        value = event.value
        plain = event.implicit[0] and not event.style and event.tag is None
        if not plain:
            return value
        if value in _NULL:
            return None
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        if value in _YAML11_BOOLEANS:
            self.document.yaml11_readings[path] = "boolean"
            return value
        if _YAML11_TIMESTAMP.fullmatch(value):
            self.document.yaml11_readings[path] = "date"
            return value
        if _INT.fullmatch(value):
            return int(value)
        if _FLOAT.fullmatch(value):
            return float(value)
        return value

    def _sequence(self, path: FieldPath) -> list[Any]:
        items: list[Any] = []
        for event in self.events:
            if isinstance(event, yaml.SequenceEndEvent):
                return items
            items.append(self._node(event, path + (len(items),)))
        raise _Rejected

    def _mapping(self, path: FieldPath) -> dict[str, Any]:
        mapping: dict[str, Any] = {}
        for event in self.events:
            if isinstance(event, yaml.MappingEndEvent):
                return mapping
            key = self._key(event, path)
            key_line = event.start_mark.line + 1
            child = path + (key,)
            value = self._node(next(self.events), child) if key not in mapping else self._skip_value(child)
            if key in mapping:
                first_line = self.document.key_positions[child][0]
                self.problems.append(Problem(
                    self.document.display_path, key_line, event.start_mark.column + 1, format_field(child),
                    f"the key `{key}` appears twice, at lines {first_line} and {key_line}",
                    "keep one of them and merge their content",
                ))
                continue
            self.document.key_positions[child] = (key_line, event.start_mark.column + 1)
            mapping[key] = value
        raise _Rejected

    def _key(self, event: yaml.Event, path: FieldPath) -> str:
        if not isinstance(event, yaml.ScalarEvent):
            self._reject(event, "a list or mapping is used as a key", "keys are plain words such as `name`")
        if event.anchor:
            self._reject(event, f"an anchor (&{event.anchor}) is used",
                         "anchors and aliases are not allowed in data files: write the value out in full")
        return str(event.value)

    def _skip_value(self, path: FieldPath) -> None:
        """Consume a duplicate key's value; it is reported, and the first one is kept."""
        saved = dict(self.document.value_positions), dict(self.document.key_positions), dict(self.document.yaml11_readings)
        self._node(next(self.events), path)
        self.document.value_positions, self.document.key_positions, self.document.yaml11_readings = saved
