"""The `validate` command: report formats, exit status, and no traceback whatever the input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.loading import load_bytes
from generator.schema import check_document

FIXTURE = Path(__file__).parent / "fixtures" / "catalogue"
BEACON = "data/vendors/beacon-ads.yaml"
BROKEN_ANSWER = (
    f"{BEACON}:29:13: error: faq[1].answer: `No` is read as the boolean false by YAML 1.1 tools, "
    'but text belongs here (put it in double quotes: "No")'
)


@pytest.fixture
def catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    return Path("data")


def break_answer(catalogue: Path) -> None:
    path = catalogue / "vendors/beacon-ads.yaml"
    path.write_text(path.read_text().replace('answer: "No"', "answer: No"))


def test_clean_data_exits_zero_silently(catalogue: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--data", "data"]) == 0
    assert capsys.readouterr() == ("", "")


def test_data_problem_exits_one_with_text_report(catalogue: Path, capsys: pytest.CaptureFixture[str]) -> None:
    break_answer(catalogue)
    assert main(["validate", "--data", "data"]) == 1
    assert capsys.readouterr().err == f"{BROKEN_ANSWER}\n1 error found.\n"


def test_github_format_prints_annotations(catalogue: Path, capsys: pytest.CaptureFixture[str]) -> None:
    break_answer(catalogue)
    assert main(["validate", "--data", "data", "--format", "github"]) == 1
    assert capsys.readouterr().out == (
        f"::error file={BEACON},line=29,col=13::faq[1].answer: `No` is read as the boolean false by YAML 1.1 tools, "
        'but text belongs here (put it in double quotes: "No")\n'
    )


def test_json_format_prints_problem_objects(catalogue: Path, capsys: pytest.CaptureFixture[str]) -> None:
    break_answer(catalogue)
    assert main(["validate", "--data", "data", "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out) == [{
        "path": BEACON, "line": 29, "column": 13, "severity": "error", "field": "faq[1].answer",
        "message": "`No` is read as the boolean false by YAML 1.1 tools, but text belongs here",
        "hint": 'put it in double quotes: "No"',
    }]


def test_json_format_prints_empty_list_when_clean(catalogue: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--data", "data", "--format", "json"]) == 0
    assert capsys.readouterr().out == "[]\n"


def test_one_file_reports_only_its_problems(catalogue: Path, capsys: pytest.CaptureFixture[str]) -> None:
    break_answer(catalogue)
    assert main(["validate", "--data", "data", "data/vendors/acme-analytics.yaml"]) == 0
    assert main(["validate", "--data", "data", BEACON]) == 1
    assert capsys.readouterr().err == f"{BROKEN_ANSWER}\n1 error found.\n"


def test_missing_file_is_wrong_usage(catalogue: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--data", "data", "data/vendors/nope.yaml"]) == 2
    assert capsys.readouterr().err == "error: no such file: data/vendors/nope.yaml\n"


def test_unknown_format_is_wrong_usage(catalogue: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", "--format", "xml"])
    assert exit_info.value.code == 2


YAML_CHARACTERS = "abyesnoYNOf:-[]{}&*!|>'\"#%@`\t\n ,?.0123456789\\\x00\x07\ufeff\u00e9"

plain_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20) | st.dates().map(str),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.sampled_from(
        ["id", "name", "domains", "faq", "answer", "host", "categories", "verdict", "block", "overview", "x"]), children, max_size=4),
    max_leaves=12,
)
random_inputs = st.one_of(
    st.binary(max_size=300),
    st.text(alphabet=YAML_CHARACTERS, max_size=200).map(lambda text: text.encode("utf-8")),
    plain_values.map(lambda value: yaml.safe_dump(value, allow_unicode=True).encode("utf-8")),
)
RANDOM = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@RANDOM
@given(raw=random_inputs, kind=st.sampled_from(["vendor", "organization", "categories", "vocabulary"]))
def test_random_input_loads_and_checks_without_traceback(raw: bytes, kind: str) -> None:
    problems: list = []
    document = load_bytes(raw, Path("data/vendors/random.yaml"), "data/vendors/random.yaml", problems)
    if document is not None:
        problems += check_document(document, kind)
    for problem in problems:
        text = problem.format()
        assert text.startswith("data/vendors/random.yaml:")
        assert "None" not in problem.message
        assert "datetime" not in problem.message


@RANDOM
@given(raw=random_inputs)
def test_random_vendor_file_gives_report_not_traceback(
    raw: bytes, catalogue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (catalogue / "vendors/beacon-ads.yaml").write_bytes(raw)
    status = main(["validate", "--data", "data"])
    captured = capsys.readouterr()
    assert status in (0, 1)
    assert "Traceback" not in captured.err
    if status == 1:
        assert captured.err.endswith(" found.\n")


RECORD = yaml.safe_load((FIXTURE / "vendors/beacon-ads.yaml").read_text())
field_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20)
    | st.sampled_from(["no", "On", "2024-01-31", "beacon-ads", "px.example", "*.px.example", "github.io", "[a](javascript:x)", "<b>"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.sampled_from(["host", "categories", "question", "answer", "block", "reason", "name", "party", "url"]), children, max_size=3),
    max_leaves=8,
)


@RANDOM
@given(changes=st.dictionaries(st.sampled_from(sorted(RECORD)), field_values, min_size=1, max_size=3))
def test_record_with_random_fields_gives_report_not_traceback(
    changes: dict, catalogue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (catalogue / "vendors/beacon-ads.yaml").write_text(yaml.safe_dump({**RECORD, **changes}, allow_unicode=True))
    status = main(["validate", "--data", "data", "--format", "json"])
    reported = json.loads(capsys.readouterr().out)
    assert status == (1 if any(problem["severity"] == "error" for problem in reported) else 0)
    for problem in reported:
        assert "None" not in problem["message"]
        assert "datetime" not in problem["message"]


def test_missing_data_folder_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lookup", "px.example", "--data", str(tmp_path / "nowhere")]) == 2
    assert capsys.readouterr().err == (
        f"error: {tmp_path / 'nowhere'} is not a Consent Atlas data folder, because it has no vendors/ folder "
        "(run the command from the repository root, or pass --data DIR)\n"
    )
