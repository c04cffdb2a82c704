"""Loading: bytes that are not clean UTF-8 YAML become one plain problem each, with line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.loading import MAX_FILE_BYTES, load_bytes

VENDOR = Path("data/vendors/acme.yaml")


def load(raw: bytes) -> tuple[object, list[str]]:
    problems: list = []
    document = load_bytes(raw, VENDOR, "data/vendors/acme.yaml", problems)
    return document, [problem.format() for problem in problems]


def test_byte_order_mark_rejected() -> None:
    document, problems = load(b"\xef\xbb\xbfid: acme\n")
    assert document is None
    assert problems == [
        "data/vendors/acme.yaml:1:1: error: the file starts with a byte-order mark "
        "(save it as UTF-8 without a BOM; most editors offer this when saving)"
    ]


def test_utf16_rejected() -> None:
    _, problems = load("id: acme\n".encode("utf-16"))
    assert problems == ["data/vendors/acme.yaml:1:1: error: the file is encoded as UTF-16 (save it as UTF-8)"]


def test_latin1_byte_named_with_position() -> None:
    _, problems = load("id: acme\nname: Caf\u00e9\n".encode("latin-1"))
    assert problems == [
        "data/vendors/acme.yaml:2:10: error: the file is not valid UTF-8: the byte 0xE9 here is `\u00e9` in the older "
        "Windows-1252 encoding (save the file with the encoding UTF-8; most editors offer the choice in their Save As dialog)"
    ]


def test_tab_in_indentation_rejected() -> None:
    _, problems = load(b"verdict:\n\tblock: true\n")
    assert problems == [
        "data/vendors/acme.yaml:2:1: error: a tab is used for indentation (YAML allows only spaces there: replace the tab with spaces)"
    ]


def test_tab_after_list_dash_rejected() -> None:
    _, problems = load(b"domains:\n-\tpx.example\n")
    assert problems == [
        "data/vendors/acme.yaml:2:2: error: a tab is used here "
        "(YAML allows only spaces around keys and list items: replace the tab with spaces)"
    ]


def test_file_over_size_cap_rejected() -> None:
    _, problems = load(b"#" * (MAX_FILE_BYTES + 1))
    assert problems == [
        "data/vendors/acme.yaml:1:1: error: the file is 262,145 bytes, over the limit of 262,144 bytes "
        "(a vendor record is a few kilobytes: check that this is the right file, or shorten it)"
    ]


def test_control_character_named_with_position() -> None:
    _, problems = load(b"id: acme\nname: Ac\x07me\n")
    assert problems == [
        "data/vendors/acme.yaml:2:9: error: the control character U+0007 is not allowed in a YAML file "
        "(delete it: it is invisible in most editors and usually comes from pasting text)"
    ]


def test_duplicate_key_names_both_lines() -> None:
    document, problems = load(b"id: acme\noverview: First.\nname: Acme\noverview: Second.\n")
    assert problems == [
        "data/vendors/acme.yaml:4:1: error: overview: the key `overview` appears twice, at lines 2 and 4 "
        "(keep one of them and merge their content)"
    ]
    assert document.data == {"id": "acme", "overview": "First.", "name": "Acme"}


def test_anchor_rejected_at_first_use() -> None:
    _, problems = load(b"name: &n Acme\naliases: [*n]\n")
    assert problems == [
        "data/vendors/acme.yaml:1:7: error: an anchor (&n) is used "
        "(anchors and aliases are not allowed in data files: write the value out in full)"
    ]


def test_billion_laughs_rejected_without_expanding() -> None:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 9):
        previous, current = chr(ord("a") + level - 1), chr(ord("a") + level)
        lines.append(f"{current}: &{current} [" + ", ".join([f"*{previous}"] * 9) + "]")
    _, problems = load("\n".join(lines).encode() + b"\n")
    assert problems == [
        "data/vendors/acme.yaml:1:4: error: an anchor (&a) is used "
        "(anchors and aliases are not allowed in data files: write the value out in full)"
    ]


def test_deep_nesting_rejected_without_recursion_error() -> None:
    _, problems = load(b"- " * 3000 + b"x\n")
    assert problems == [
        "data/vendors/acme.yaml:1:67: error: lists and mappings are nested more than 32 levels deep "
        "(a record needs at most four levels: check the indentation)"
    ]


def test_python_tag_rejected() -> None:
    _, problems = load(b"name: !!python/object/apply:os.system [ls]\n")
    assert problems == [
        "data/vendors/acme.yaml:1:7: error: the tag `!!python/object/apply:os.system` is used "
        "(remove the tag; put the value in double quotes if it is text)"
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"summary: Note: it counts visits\n",
         "data/vendors/acme.yaml:1:14: error: invalid YAML: a colon followed by a space starts a new key here "
         '(if the colon is part of the text, put the whole value in double quotes: "...")'),
        (b'name: "Acme\nid: acme\n',
         "data/vendors/acme.yaml:3:1: error: invalid YAML: a quoted value is never closed "
         "(add the closing quote to the value that starts at line 1)"),
        (b"verdict:\n  block: true\n reason: x\n",
         "data/vendors/acme.yaml:3:2: error: invalid YAML: this line is indented differently from the lines above it "
         "(indent the keys of one mapping, and the `- ` items of one list, by the same number of spaces)"),
        (b"name: @acme\n",
         'data/vendors/acme.yaml:1:7: error: invalid YAML: a value cannot start with `@` (put the whole value in double quotes: "...")'),
        (b"domains: [px.example, cdn.example\nid: acme\n",
         "data/vendors/acme.yaml:2:3: error: invalid YAML: a list in square brackets is not closed "
         "(separate the items with commas and close the `[` of line 1 with `]`)"),
        (b"id: acme\n---\nid: other\n",
         "data/vendors/acme.yaml:2:1: error: the file holds more than one YAML document "
         "(remove the `---` line and everything after it, or move it to its own file)"),
        (b"# only a comment\n",
         'data/vendors/acme.yaml:1:1: error: the file is empty (start from the template: python -m generator new "Vendor Name")'),
    ],
    ids=["colon-in-value", "unclosed-quote", "indentation", "at-sign", "unclosed-bracket", "two-documents", "empty"],
)
def test_yaml_syntax_errors_explained(raw: bytes, expected: str) -> None:
    document, problems = load(raw)
    assert document is None
    assert problems == [expected]


def test_yaml11_words_stay_text_and_are_recorded() -> None:
    document, problems = load(b"answer: No\nwhen: 2024-01-31\nblock: true\nquoted: 'no'\n")
    assert problems == []
    assert document.data == {"answer": "No", "when": "2024-01-31", "block": True, "quoted": "no"}
    assert document.yaml11_readings == {("answer",): "boolean", ("when",): "date"}


def test_positions_recorded_for_keys_and_values() -> None:
    document, _ = load(b"id: acme\ndomains:\n  - px.example\n")
    assert document.value_positions[("domains", 0)] == (3, 5)
    assert document.key_positions[("domains",)] == (2, 1)
