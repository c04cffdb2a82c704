"""The canonical layout written by `python -m generator fmt`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.formatting import default_paths, format_text
from generator.loading import load_bytes
from generator.problems import Problem

REPOSITORY = Path(__file__).resolve().parent.parent
CATALOGUE = REPOSITORY / "tests" / "fixtures" / "catalogue"
DATA = REPOSITORY / "data"

VENDOR = """\
name: Acme Analytics
id: acme-analytics
# where the product lives
website: https://analytics.acme.example/
categories:
  - analytics
summary: Acme Analytics counts page views and clicks with a first-party visitor cookie set for a year.
behaviour: "The script sends:\\n\\n- page views;\\n- clicks."
faq:
  - answer: 'No'
    question: Can it load before consent?   # asked by site owners
last_reviewed: 2026-11-30
"""

CANONICAL = """\
# yaml-language-server: $schema=../../generator/schemas/vendor.schema.json
id: acme-analytics
name: Acme Analytics
# where the product lives
website: https://analytics.acme.example/
summary: >-
  Acme Analytics counts page views and clicks with a first-party visitor
  cookie set for a year.
behaviour: |-
  The script sends:

  - page views;
  - clicks.
categories: [analytics]
faq:
  - question: Can it load before consent?  # asked by site owners
    answer: "No"
last_reviewed: 2026-11-30
"""


def loaded(text: str, path: Path) -> object:
    problems: list[Problem] = []
    document = load_bytes(text.encode("utf-8"), path, path.name, problems)
    assert document is not None, problems
    return document.data


def test_vendor_record_gets_canonical_layout() -> None:
    assert format_text(VENDOR, Path("data/vendors/acme-analytics.yaml"), []) == CANONICAL


def test_formatting_twice_changes_nothing() -> None:
    assert format_text(CANONICAL, Path("data/vendors/acme-analytics.yaml"), []) == CANONICAL


def test_schema_line_written_by_contributor_is_kept() -> None:
    text = "# yaml-language-server: $schema=https://example.org/vendor.json\nid: acme\n"
    assert format_text(text, Path("data/vendors/acme.yaml"), []) == text


@pytest.mark.parametrize("value", ["yes", "On", "2024-01-01", "12", "1.5", "null", "true", "~", "- item", "a: b", "#tag", "*star"])
def test_text_that_yaml_could_misread_is_quoted(value: str) -> None:
    text = f'id: acme\nname: "{value}"\n'
    formatted = format_text(text, Path("data/organizations/acme.yaml"), [])
    assert formatted is not None
    assert f'name: "{value}"' in formatted
    assert loaded(formatted, Path("acme.yaml")) == {"id": "acme", "name": value}


def test_file_that_does_not_load_is_reported_not_formatted() -> None:
    problems: list[Problem] = []
    assert format_text("id: acme\nid: again\n", Path("acme.yaml"), problems) is None
    assert [problem.message for problem in problems] == ["the key `id` appears twice, at lines 1 and 2"]


def test_vocabulary_file_keeps_entry_per_item() -> None:
    text = "- name: Web analytics\n  id: analytics\n  description: Measuring traffic.\n"
    assert format_text(text, Path("data/industries.yaml"), []) == (
        "# yaml-language-server: $schema=../generator/schemas/vocabulary.schema.json\n"
        "- id: analytics\n  name: Web analytics\n  description: Measuring traffic.\n"
    )


def data_files(folder: Path) -> list[Path]:
    return default_paths(folder)


@pytest.mark.parametrize("path", data_files(CATALOGUE), ids=lambda path: path.name)
def test_fixture_file_keeps_its_values(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    formatted = format_text(text, path, [])
    assert formatted is not None
    assert loaded(formatted, path) == loaded(text, path)
    assert format_text(formatted, path, []) == formatted


def test_copy_of_real_data_keeps_its_values(tmp_path: Path) -> None:
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    for path in data_files(copy):
        text = path.read_text(encoding="utf-8")
        problems: list[Problem] = []
        formatted = format_text(text, path, problems)
        if formatted is None:  # content writers may be halfway through a file
            continue
        assert loaded(formatted, path) == loaded(text, path), path.name
        assert format_text(formatted, path, []) == formatted, path.name


def test_check_lists_files_and_changes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    record = tmp_path / "data" / "organizations" / "acme.yaml"
    record.parent.mkdir(parents=True)
    record.write_text("name: Acme\nid: acme\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    assert main(["fmt", "--check", "data/organizations/acme.yaml"]) == 1
    assert record.read_text(encoding="utf-8") == "name: Acme\nid: acme\n"
    output = capsys.readouterr()
    assert output.err == (
        "data/organizations/acme.yaml: is not in the canonical layout\n"
        "1 file not in the canonical layout: run the same command without --check to rewrite them\n"
    )
    assert output.out == (
        "--- data/organizations/acme.yaml (as written)\n"
        "+++ data/organizations/acme.yaml (canonical layout)\n"
        "@@ -1,2 +1,3 @@\n"
        "+# yaml-language-server: $schema=../../generator/schemas/organization.schema.json\n"
        "+id: acme\n"
        " name: Acme\n"
        "-id: acme\n"
    )


def test_fmt_rewrites_file_then_check_passes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    record = tmp_path / "data" / "organizations" / "acme.yaml"
    record.parent.mkdir(parents=True)
    record.write_text("name: Acme\nid: acme\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    assert main(["fmt", "data/organizations/acme.yaml"]) == 0
    assert record.read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../../generator/schemas/organization.schema.json\nid: acme\nname: Acme\n"
    )
    assert main(["fmt", "--check", "data/organizations/acme.yaml"]) == 0
    assert [path.name for path in record.parent.iterdir()] == ["acme.yaml"]


def test_fmt_reports_broken_file_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    record = tmp_path / "data" / "organizations" / "acme.yaml"
    record.parent.mkdir(parents=True)
    record.write_text("id: [acme\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    assert main(["fmt", "data/organizations/acme.yaml"]) == 1
    assert record.read_text(encoding="utf-8") == "id: [acme\n"
    assert capsys.readouterr().err.startswith("data/organizations/acme.yaml:2:1: error: invalid YAML")
