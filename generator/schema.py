"""JSON Schema checks of one loaded document, with messages a contributor can act on.

Runs after loading and before the cross-record checks. The schemas in
`generator/schemas/` are the single description of each record kind: they
drive editor completion through the `# yaml-language-server` line, this
validation, and the published export schemas. jsonschema's own messages
("None is not of type 'array'") are rewritten here into sentences that name
the field, say what is wrong in YAML's terms and how to fix it.
"""

from __future__ import annotations

import datetime
import difflib
import functools
import json
from pathlib import Path
from typing import Any, Callable, Iterator
from urllib.parse import urlsplit

import fastjsonschema
from jsonschema import Draft202012Validator, FormatChecker, ValidationError

from generator import domains as hosts
from generator.loading import Document, FieldPath
from generator.problems import Problem

SCHEMA_DIR = Path(__file__).parent / "schemas"

_PATTERN_MESSAGES = {
    "^[a-z0-9]+(-[a-z0-9]+)*$": (
        "is not a valid id",
        "use lowercase letters a-z, digits and single hyphens, such as `google-analytics`",
    ),
    "^[^\\n]*\\S[^\\n]*$": ("must be one line of text", "remove the line breaks"),
    "\\S": ("is blank", "write the text after the colon"),
    "^https?://[^\\s/]+": ("is not an http or https URL", "write the full address, starting with https://"),
    "^[A-Z]{2}$": ("is not an ISO 3166-1 alpha-2 country code", "write two capital letters, such as US or DE"),
    "^[^\\s;,=]+$": ("is not a valid cookie name", "a cookie name has no spaces, commas, semicolons or `=`"),
}
_DURATION_HINT = (
    "write `session`, `persistent`, or an ISO 8601 duration such as P13M (13 months), P2Y (2 years) or PT30M (30 minutes)"
)


@functools.cache
def load_schema(kind: str) -> dict[str, Any]:
    """Return the JSON Schema of one record kind: vendor, organization, categories or vocabulary."""
    return json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))


def _is_web_address(value: object) -> bool:
    """Check the parts of an http(s) URL that the schema's pattern cannot: spaces and the host."""
    if not isinstance(value, str) or not value.lower().startswith(("http://", "https://")):
        return True  # other types and schemes are reported by the type and pattern checks
    if any(character.isspace() or ord(character) < 32 for character in value):
        return False
    try:
        host = urlsplit(value).hostname
        urlsplit(value).port
    except ValueError:
        return False
    return host is not None and isinstance(hosts.parse_host(host), str)


_FORMAT_CHECKER = FormatChecker(formats=())
_FORMAT_CHECKER.checkers["date"] = Draft202012Validator.FORMAT_CHECKER.checkers["date"]
_FORMAT_CHECKER.checks("uri")(_is_web_address)


@functools.cache
def _validator(kind: str) -> Draft202012Validator:
    # Resolving `$ref`s took three quarters of validation time; the schemas
    # have no recursive references, so they are inlined once here.
    return Draft202012Validator(inline_references(load_schema(kind)), format_checker=_FORMAT_CHECKER)


def inline_references(schema: dict[str, Any]) -> dict[str, Any]:
    """Return `schema` with every local `$ref` replaced by the subschema it names.

    >>> inline_references({"$defs": {"id": {"type": "string"}}, "properties": {"x": {"$ref": "#/$defs/id"}}})
    {'properties': {'x': {'type': 'string'}}}
    """
    def inline(node: Any) -> Any:
        if isinstance(node, list):
            return [inline(item) for item in node]
        if not isinstance(node, dict):
            return node
        return {key: inline(value) for key, value in _resolve(schema, node).items() if key != "$defs"}

    return inline(schema)


def check_document(document: Document, kind: str) -> list[Problem]:
    """Validate `document` against the schema of `kind` and report every problem.

    >>> from generator.loading import load_bytes
    >>> found = []
    >>> document = load_bytes(b"country: us\\n", Path("acme.yaml"), "acme.yaml", found)
    >>> check_document(document, "organization")[-1].format()
    'acme.yaml:1:10: error: country: is not an ISO 3166-1 alpha-2 country code (write two capital letters, such as US or DE)'
    """
    expects_list = load_schema(kind).get("type") == "array"
    if not isinstance(document.data, list if expects_list else dict):
        expected = "a list of entries, each starting with `- id:`" if expects_list else "keys such as `id:` and `name:`, one per line"
        return [document.problem((), f"the file must contain {expected}", "copy an existing file of the same folder and change its values")]

    yaml11 = dict(_yaml11_problems(document, kind))
    problems: list[Problem] = []
    if not _is_valid_fast(kind, document.data):
        for error in _validator(kind).iter_errors(document.data):
            problems.extend(_translate(error, document, kind, yaml11))
    problems.extend(yaml11.values())
    return problems


def _is_date(value: str) -> bool:
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _is_valid_fast(kind: str, data: Any) -> bool:
    try:
        _compiled_validator(kind)(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


@functools.cache
def _compiled_validator(kind: str) -> Callable[[Any], Any]:
    # fastjsonschema compiles the schema to Python and checks a valid record
    # about ten times faster than jsonschema, which is kept for what only it
    # gives: every error of an invalid record, with its path. It implements
    # draft-07, which covers every keyword these schemas use once `$ref`s are
    # inlined; both use the same format checks.
    schema = {**inline_references(load_schema(kind)), "$schema": "http://json-schema.org/draft-07/schema#"}
    formats = {"date": _is_date, "uri": _is_web_address}
    return fastjsonschema.compile(schema, formats=formats)


def _translate(error: ValidationError, document: Document, kind: str, yaml11: dict[FieldPath, Problem]) -> Iterator[Problem]:
    path: FieldPath = tuple(error.absolute_path)
    if path in yaml11 and error.validator in ("type", "pattern", "format", "oneOf"):
        return  # reported once, with a better message, by _yaml11_problems
    if error.validator == "oneOf":
        yield from _one_of(error, document, path, kind, yaml11)
        return
    handler = _HANDLERS.get(str(error.validator), _generic)
    yield from handler(error, document, path, kind)


def _required(error: ValidationError, document: Document, path: FieldPath, kind: str) -> Iterator[Problem]:
    missing = error.message.split("'")[1]
    yield document.problem(path + (missing,), f"the required key `{missing}` is missing", _required_hint(error, document, path, missing, kind))


def _required_hint(error: ValidationError, document: Document, path: FieldPath, missing: str, kind: str) -> str:
    if missing == "id" and not path:
        return f"add `id: {document.path.stem}`, the file name without .yaml"
    # The validator's schema has its `$ref`s inlined, so the property's description is right there.
    description = error.schema.get("properties", {}).get(missing, {}).get("description", "")
    if not description:
        return f"add `{missing}:` with its value"
    first_word = description.split()[0]
    if first_word[1:].islower() and first_word not in ("Markdown:",):
        description = description[0].lower() + description[1:]
    return f"add `{missing}:` with {description.rstrip('.')}"


def _additional_properties(error: ValidationError, document: Document, path: FieldPath, kind: str) -> Iterator[Problem]:
    allowed = sorted(error.schema.get("properties", {}))
    for key in error.instance:
        if key in allowed:
            continue
        close = difflib.get_close_matches(key, allowed, n=1)
        hint = f"did you mean `{close[0]}`?" if close else "the keys allowed here are: " + ", ".join(allowed)
        yield document.problem(path + (key,), f"`{key}` is not a known key", hint, at_key=True)


def _type(error: ValidationError, document: Document, path: FieldPath, kind: str) -> Iterator[Problem]:
    expected = error.validator_value
    expected = expected if isinstance(expected, list) else [expected]
    if error.instance is None:
        message = "the list is empty" if "array" in expected else "is empty"
        yield document.problem(path, message, _empty_hint(expected, error.schema, document, path, kind))
        return
    wanted = " or ".join(_TYPE_WORDS.get(name, name) for name in expected)
    yield document.problem(path, f"is {_describe(error.instance)}, but {wanted} belongs here", _type_hint(expected, error))


def _empty_hint(expected: list[str], schema: dict[str, Any], document: Document, path: FieldPath, kind: str) -> str:
    if path and isinstance(path[-1], int):
        return "write a value after the `- `, or remove the empty item"
    key = str(path[-1]) if path else ""
    optional = "" if _is_required(kind, path) else f", or remove the `{key}:` line"
    if "array" in expected:
        return f"add at least one item below `{key}:`, each on its own line starting with `- `{optional}"
    if "object" in expected:
        return f"add {_keys_of(schema)} on the lines below `{key}:`, indented by two more spaces{optional}"
    if "boolean" in expected:
        return "write true or false after the colon"
    if path == ("id",):
        return f"write `id: {document.path.stem}`, the file name without .yaml"
    return f"write the value after the colon{optional}"


def _is_required(kind: str, path: FieldPath) -> bool:
    if not path:
        return True
    schema = load_schema(kind)
    parent = schema_at(schema, path[:-1])
    # A domain entry is a `oneOf`: its keys are required by the mapping branch.
    branches = [parent, *(_resolve(schema, branch) for branch in parent.get("oneOf", []))]
    return any(path[-1] in branch.get("required", []) for branch in branches)


def _keys_of(schema: dict[str, Any]) -> str:
    keys = schema.get("required") or sorted(schema.get("properties", {}))
    return "the keys " + ", ".join(f"`{key}:`" for key in keys)


def _type_hint(expected: list[str], error: ValidationError) -> str:
    instance = error.instance
    if "array" in expected:
        return "write a list: one item per line, each starting with `- `"
    if "string" in expected and isinstance(instance, (int, float, bool)):
        return f'put the value in double quotes: "{_yaml_text(instance)}"'
    if "string" in expected and isinstance(instance, list):
        return "write the text itself, without `- ` or square brackets"
    if "string" in expected:
        return "write the text on the same line as its key; if the text contains `: `, put it in double quotes"
    if "boolean" in expected:
        return "write true or false, without quotes"
    if "integer" in expected or "number" in expected:
        return "write the number alone, such as 42, without quotes"
    if "object" in expected:
        return f"write {_keys_of(error.schema)} on their own lines, indented below this one"
    return "compare it with the same field in an existing record"


_TYPE_WORDS = {
    "array": "a list",
    "object": "a mapping of keys",
    "string": "text",
    "boolean": "true or false",
    "integer": "a whole number",
    "number": "a number",
}


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {_yaml_text(value)}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text `{value}`" if len(value) <= 40 and "\n" not in value and "`" not in value else "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping of keys"
    return "empty"


def _yaml_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "(empty)"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _enum(error: ValidationError, document: Document, path: FieldPath, kind: str) -> Iterator[Problem]:
    choices = ", ".join(f"`{choice}`" for choice in error.validator_value)
    if error.instance is None:
        yield document.problem(path, "is empty", f"write one of {choices} after the colon")
    elif isinstance(error.instance, (dict, list)):
        yield document.problem(path, f"is {_describe(error.instance)}", f"write one of {choices}")
    else:
        yield document.problem(path, f"`{_yaml_text(error.instance)}` is not allowed here", f"write one of {choices}")


def _pattern(error: ValidationError, document: Document, path: FieldPath, kind: str) -> Iterator[Problem]:
    if path and path[-1] == "duration":
        yield document.problem(path, f"`{error.instance}` is not a duration", _DURATION_HINT)
        return
    if kind == "vendor" and error.instance != "" and _names_another_record(path):
        return  # the cross-record checks report an unknown id with the ids that exist
    message, hint = _PATTERN_MESSAGES.get(error.validator_value, ("has the wrong form", f"it must match {error.validator_value}"))
    if error.instance == "":
        message, hint = "is empty", "write the value between the quotes"
    yield document.problem(path, message, hint)


def _names_another_record(path: FieldPath) -> bool:
    """Tell whether the value at `path` is the id of an organization, a vendor or a vocabulary entry."""
    fields = [part for part in path if isinstance(part, str)]
    return bool(fields) and fields[-1] in ("organization", "related", "industries", "categories", "category", "data_collected")


def _min_items(error: ValidationError, document: Document, path: FieldPath, kind: str) -> Iterator[Problem]:
    yield document.problem(
        path, "the list is empty",
        "add at least one item below it, each on a line starting with `- `, or remove the key if it is optional",
    )


def _min_length(error: ValidationError, document: Document, path: FieldPath, kind: str) -> Iterator[Problem]:
    yield document.problem(path, "is empty", "write the value between the quotes")


def _max_length(error: ValidationError, document: Document, path: FieldPath, kind: str) -> Iterator[Problem]:
    yield document.problem(
        path, f"is {len(error.instance)} characters long, over the limit of {error.validator_value}",
        "shorten it",
    )


def _unique_items(error: ValidationError, document: Document, path: FieldPath, kind: str) -> Iterator[Problem]:
    seen: dict[str, int] = {}
    for index, item in enumerate(error.instance):
        key = json.dumps(item, sort_keys=True)
        if key in seen:
            line = document.position(path + (seen[key],))[0]
            what = "this entry" if isinstance(item, (dict, list)) else f"`{_yaml_text(item)}`"
            yield document.problem(path + (index,), f"{what} is listed twice, first at line {line}", "remove this one")
        seen.setdefault(key, index)


def _format(error: ValidationError, document: Document, path: FieldPath, kind: str) -> Iterator[Problem]:
    if error.validator_value == "date":
        yield document.problem(path, f"`{error.instance}` is not a valid date", "write the date as YYYY-MM-DD, such as 2026-01-31")
    elif error.validator_value == "uri":
        yield document.problem(
            path, f"`{error.instance}` is not a valid web address",
            "write the full address as the browser shows it, such as https://example.com/privacy, with spaces written as %20",
        )
    else:
        yield document.problem(path, f"`{error.instance}` is not a valid {error.validator_value}", "check the value")


def _minimum(error: ValidationError, document: Document, path: FieldPath, kind: str) -> Iterator[Problem]:
    yield document.problem(path, f"is {error.instance}, below the minimum of {error.validator_value}",
                           f"write a number of at least {error.validator_value}")


def _one_of(
    error: ValidationError, document: Document, path: FieldPath, kind: str, yaml11: dict[FieldPath, Problem]
) -> Iterator[Problem]:
    # A domain entry is either a host name or a mapping: report the errors of
    # the branch whose type matches what the contributor wrote.
    wanted = "object" if isinstance(error.instance, dict) else "string"
    matching = [sub for sub in error.context or [] if _branch_type(error, sub) == wanted]
    if isinstance(error.instance, (dict, str)) and matching:
        for sub in matching:
            yield from _translate(sub, document, kind, yaml11)
        return
    yield document.problem(
        path, f"is {_describe(error.instance)}",
        "write a host name such as `cdn.example.com`, or the keys `host:` and (optionally) `categories:`",
    )


def _branch_type(error: ValidationError, sub: ValidationError) -> str | None:
    index = sub.relative_schema_path[0]
    branches = error.validator_value
    if isinstance(index, int) and index < len(branches):
        return branches[index].get("type")
    return None


def _generic(error: ValidationError, document: Document, path: FieldPath, kind: str) -> Iterator[Problem]:
    yield document.problem(path, f"does not fit the schema ({error.validator})", "compare it with the same field in an existing record")


_HANDLERS = {
    "required": _required,
    "additionalProperties": _additional_properties,
    "type": _type,
    "enum": _enum,
    "pattern": _pattern,
    "minItems": _min_items,
    "minLength": _min_length,
    "maxLength": _max_length,
    "uniqueItems": _unique_items,
    "format": _format,
    "minimum": _minimum,
}


def _yaml11_problems(document: Document, kind: str) -> Iterator[tuple[FieldPath, Problem]]:
    schema = load_schema(kind)
    for path, reading in document.yaml11_readings.items():
        expected = schema_at(schema, path)
        value = _value_at(document.data, path)
        if expected.get("type") == "boolean":
            meaning = "true" if value.lower() in ("y", "yes", "on") else "false"
            yield path, document.problem(path, f"`{value}` means {meaning} only to some YAML readers", f"write {meaning}")
        elif not _expects_text(expected) or (reading == "date" and expected.get("format") == "date"):
            continue  # the schema check reports what belongs here, or the date is what belongs here
        elif reading == "date":
            yield path, document.problem(
                path, f"`{value}` is read as a date by YAML 1.1 tools, but text belongs here", f'put it in double quotes: "{value}"',
            )
        else:
            meaning = "true" if value.lower() in ("y", "yes", "on") else "false"
            yield path, document.problem(
                path, f"`{value}` is read as the boolean {meaning} by YAML 1.1 tools, but text belongs here",
                f'put it in double quotes: "{value}"',
            )


def _expects_text(expected: dict[str, Any]) -> bool:
    if "enum" in expected:
        return False
    return expected.get("type") == "string" or any(branch.get("type") == "string" for branch in expected.get("oneOf", []))


def schema_at(schema: dict[str, Any], path: FieldPath) -> dict[str, Any]:
    """Return the subschema that describes the value at `path`, resolving local `$ref`s."""
    node = _resolve(schema, schema)
    for part in path:
        if isinstance(part, int):
            node = _resolve(schema, node.get("items", {}))
            continue
        for branch in node.get("oneOf", []):
            if _resolve(schema, branch).get("type") == "object":
                node = _resolve(schema, branch)
        node = _resolve(schema, node.get("properties", {}).get(part, {}))
    return node


def _resolve(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Return `node` with its local `$ref` replaced by the subschema it names, keeping its other keys."""
    while "$ref" in node:
        target = root
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = {**target, **{key: value for key, value in node.items() if key != "$ref"}}
    return node


def _value_at(data: Any, path: FieldPath) -> Any:
    for part in path:
        data = data[part]
    return data
