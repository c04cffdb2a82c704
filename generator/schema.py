"""JSON Schema checks of one loaded document, with messages a contributor can act on.

Runs after loading and before the cross-record checks. The schemas in
`generator/schemas/` are the single description of each record kind: they
drive editor completion through the `# yaml-language-server` line, this
validation, and the published export schemas. jsonschema's own messages
("None is not of type 'array'") are rewritten here into sentences that name
the field, say what is wrong in YAML's terms and how to fix it.
"""

from __future__ import annotations

import difflib
import functools
import json
from pathlib import Path
from typing import Any, Iterator

from jsonschema import Draft202012Validator, ValidationError

from generator.loading import Document, FieldPath
from generator.problems import Problem

SCHEMA_DIR = Path(__file__).parent / "schemas"

_PATTERN_MESSAGES = {
    "^[a-z0-9]+(-[a-z0-9]+)*$": (
        "is not a valid id",
        "use lowercase letters a-z, digits and single hyphens, such as `google-analytics`",
    ),
    "^[^\\n]*\\S[^\\n]*$": ("must be one line of text", "remove the line breaks"),
    "\\S": ("is blank", "write the text, or remove the key if it is optional"),
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


@functools.cache
def _validator(kind: str) -> Draft202012Validator:
    return Draft202012Validator(load_schema(kind), format_checker=Draft202012Validator.FORMAT_CHECKER)


def check_document(document: Document, kind: str) -> list[Problem]:
    """Validate `document` against the schema of `kind` and report every problem."""
    problems: list[Problem] = []
    if not isinstance(document.data, (dict, list)):
        expected = "a list of entries" if kind in ("categories", "vocabulary") else "a mapping of keys such as `id:` and `name:`"
        return [document.problem((), f"the file must contain {expected}", "start from an existing file in the same folder")]
    for error in _validator(kind).iter_errors(document.data):
        problems.extend(_translate(error, document))
    problems.extend(_yaml11_problems(document, kind))
    return problems


def _translate(error: ValidationError, document: Document) -> Iterator[Problem]:
    path: FieldPath = tuple(error.absolute_path)
    if path in document.yaml11_readings and error.validator in ("type", "pattern", "format"):
        return  # reported once, with a better message, by _yaml11_problems
    handler = _HANDLERS.get(str(error.validator), _generic)
    yield from handler(error, document, path)


def _required(error: ValidationError, document: Document, path: FieldPath) -> Iterator[Problem]:
    missing = error.message.split("'")[1]
    description = error.schema.get("properties", {}).get(missing, {}).get("description", "")
    hint = f"add `{missing}:`" + (f" ({description[0].lower()}{description[1:].rstrip('.')})" if description else "")
    yield document.problem(path + (missing,), f"the required key `{missing}` is missing", hint)


def _additional_properties(error: ValidationError, document: Document, path: FieldPath) -> Iterator[Problem]:
    allowed = sorted(error.schema.get("properties", {}))
    for key in error.instance:
        if key in allowed:
            continue
        close = difflib.get_close_matches(key, allowed, n=1)
        hint = f"did you mean `{close[0]}`?" if close else "the keys allowed here are: " + ", ".join(allowed)
        yield document.problem(path + (key,), f"`{key}` is not a known key", hint, at_key=True)


def _type(error: ValidationError, document: Document, path: FieldPath) -> Iterator[Problem]:
    expected = error.validator_value
    expected = expected if isinstance(expected, list) else [expected]
    if error.instance is None:
        yield document.problem(path, "is empty", _empty_hint(expected))
        return
    wanted = " or ".join(_TYPE_WORDS.get(name, name) for name in expected)
    yield document.problem(path, f"is {_describe(error.instance)}, but {wanted} belongs here", _type_hint(expected, error.instance))


def _empty_hint(expected: list[str]) -> str:
    if "array" in expected:
        return "add at least one item below it, each on a line starting with `- `, or remove the key if it is optional"
    if "object" in expected:
        return "add its keys below it, indented, or remove the key if it is optional"
    if "boolean" in expected:
        return "write true or false"
    return "write a value after the colon, or remove the key if it is optional"


def _type_hint(expected: list[str], instance: Any) -> str:
    if "array" in expected and not isinstance(instance, list):
        return "write a list: one item per line, each starting with `- `"
    if "string" in expected and isinstance(instance, (int, float, bool)):
        return f'quote the value: "{_yaml_text(instance)}"'
    if "boolean" in expected:
        return "write true or false"
    return "see the schema's description of this field"


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
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping of keys"
    return "empty"


def _yaml_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _enum(error: ValidationError, document: Document, path: FieldPath) -> Iterator[Problem]:
    choices = ", ".join(f"`{choice}`" for choice in error.validator_value)
    yield document.problem(path, f"`{_yaml_text(error.instance)}` is not allowed here", f"write one of {choices}")


def _pattern(error: ValidationError, document: Document, path: FieldPath) -> Iterator[Problem]:
    if path and path[-1] == "duration":
        yield document.problem(path, f"`{error.instance}` is not a duration", _DURATION_HINT)
        return
    message, hint = _PATTERN_MESSAGES.get(error.validator_value, ("has the wrong form", f"it must match {error.validator_value}"))
    if error.instance == "":
        message, hint = "is empty", "write a value, or remove the key if it is optional"
    yield document.problem(path, message, hint)


def _min_items(error: ValidationError, document: Document, path: FieldPath) -> Iterator[Problem]:
    yield document.problem(
        path, "the list is empty",
        "add at least one item below it, each on a line starting with `- `, or remove the key if it is optional",
    )


def _min_length(error: ValidationError, document: Document, path: FieldPath) -> Iterator[Problem]:
    yield document.problem(path, "is empty", "write a value, or remove the key if it is optional")


def _max_length(error: ValidationError, document: Document, path: FieldPath) -> Iterator[Problem]:
    yield document.problem(
        path, f"is {len(error.instance)} characters long, over the limit of {error.validator_value}",
        "shorten it",
    )


def _unique_items(error: ValidationError, document: Document, path: FieldPath) -> Iterator[Problem]:
    seen: set[str] = set()
    for index, item in enumerate(error.instance):
        key = json.dumps(item, sort_keys=True)
        if key in seen:
            yield document.problem(path + (index,), f"`{_yaml_text(item)}` is listed twice", "remove the second one")
        seen.add(key)


def _format(error: ValidationError, document: Document, path: FieldPath) -> Iterator[Problem]:
    if error.validator_value == "date":
        yield document.problem(path, f"`{error.instance}` is not a valid date", "write the date as YYYY-MM-DD, such as 2026-01-31")
    else:
        yield document.problem(path, f"`{error.instance}` is not a valid {error.validator_value}", "check the value")


def _minimum(error: ValidationError, document: Document, path: FieldPath) -> Iterator[Problem]:
    yield document.problem(path, f"is {error.instance}, below the minimum of {error.validator_value}", "check the value")


def _one_of(error: ValidationError, document: Document, path: FieldPath) -> Iterator[Problem]:
    # A domain entry is either a host name or a mapping: report the errors of
    # the branch whose type matches what the contributor wrote.
    wanted = "object" if isinstance(error.instance, dict) else "string"
    matching = [sub for sub in error.context or [] if _branch_type(error, sub) == wanted]
    if isinstance(error.instance, (dict, str)) and matching:
        for sub in matching:
            yield from _translate(sub, document)
        return
    yield document.problem(
        path, f"is {_describe(error.instance)}",
        "write a host name such as `cdn.example.com`, or a mapping with `host:` and `categories:`",
    )


def _branch_type(error: ValidationError, sub: ValidationError) -> str | None:
    index = sub.relative_schema_path[0]
    branches = error.validator_value
    if isinstance(index, int) and index < len(branches):
        return branches[index].get("type")
    return None


def _generic(error: ValidationError, document: Document, path: FieldPath) -> Iterator[Problem]:
    yield document.problem(path, f"does not fit the schema ({error.validator})", "see the schema's description of this field")


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
    "oneOf": _one_of,
}


def _yaml11_problems(document: Document, kind: str) -> Iterator[Problem]:
    schema = load_schema(kind)
    for path, reading in sorted(document.yaml11_readings.items(), key=lambda item: document.position(item[0])):
        expected = schema_at(schema, path)
        value = _value_at(document.data, path)
        if reading == "date":
            if expected.get("format") == "date":
                continue
            yield document.problem(
                path, f"`{value}` is read as a date by YAML, but text belongs here",
                f'quote it: "{value}"',
            )
        elif expected.get("type") == "boolean":
            meaning = "true" if value.lower() in ("y", "yes", "on") else "false"
            yield document.problem(
                path, f"`{value}` is not a boolean in every YAML reader",
                f"write {meaning}",
            )
        else:
            meaning = "true" if value.lower() in ("y", "yes", "on") else "false"
            yield document.problem(
                path, f"`{value}` is read as the boolean {meaning} by YAML 1.1 tools, but text belongs here",
                f'quote it: "{value}"',
            )


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
    while "$ref" in node:
        target = root
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = {**target, **{key: value for key, value in node.items() if key != "$ref"}}
    return node


def _value_at(data: Any, path: FieldPath) -> Any:
    for part in path:
        data = data[part]
    return data
