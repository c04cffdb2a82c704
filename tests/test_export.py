"""The JSON and CSV exports, their schemas, their atomic write, and the downloads page."""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

import generator.export as export
from generator.cli import main
from generator.export import BuildInfo, BuildInfoError, build_export, csv_bytes, json_bytes, read_build_info, write_export
from generator.model import Catalogue
from generator.pages.downloads import render_downloads
from generator.validation import validate
from tests.conftest import DATA, REPOSITORY

FIXTURE = REPOSITORY / "tests" / "fixtures" / "catalogue"
INFO = BuildInfo(timestamp=1764585000, source="SOURCE_DATE_EPOCH")  # 2025-12-01 10:30:00 UTC


def load(data_dir: Path) -> Catalogue:
    result = validate(data_dir)
    assert result.catalogue is not None, [problem.format() for problem in result.problems]
    return result.catalogue


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load(FIXTURE)


@pytest.fixture(scope="module")
def files(catalogue: Catalogue) -> dict[str, bytes]:
    return build_export(catalogue, INFO)


def copy_fixture(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(FIXTURE, target)
    return target


def validator(files: dict[str, bytes], schema: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads(files[f"schema/{schema}"]), format_checker=Draft202012Validator.FORMAT_CHECKER)


def errors(files: dict[str, bytes], schema: str, instance: object) -> list[str]:
    return [f"{list(error.absolute_path)}: {error.message}" for error in validator(files, schema).iter_errors(instance)]


def csv_rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


@functools.cache
def catalogues_to_check() -> list:
    real = validate(DATA)
    data_case = pytest.param(
        DATA, id="data",
        marks=pytest.mark.skipif(not real.ok, reason=f"data/ has {len(real.problems)} problems; run `python -m generator validate`"),
    )
    return [pytest.param(FIXTURE, id="fixture"), data_case]


# The schemas ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("data_dir", catalogues_to_check())
def test_every_exported_file_validates_against_its_schema(data_dir: Path) -> None:
    files = build_export(load(data_dir), INFO)

    assert errors(files, "catalogue.schema.json", json.loads(files["catalogue.json"])) == []
    assert errors(files, "domains.schema.json", json.loads(files["domains.json"])) == []
    vendor_files = [path for path in files if path.startswith("vendors/")]
    assert vendor_files
    for path in vendor_files:
        assert errors(files, "vendor.schema.json", json.loads(files[path])) == [], path
    for row in csv_rows(files["catalogue.csv"]):
        assert errors(files, "catalogue-csv-row.schema.json", row) == [], row
    for row in csv_rows(files["cookies.csv"]):
        assert errors(files, "cookies-csv-row.schema.json", row) == [], row


def test_published_schemas_are_valid_draft_2020_12(files: dict[str, bytes]) -> None:
    schemas = sorted(path for path in files if path.startswith("schema/"))

    assert schemas == [
        "schema/catalogue-csv-row.schema.json",
        "schema/catalogue.schema.json",
        "schema/cookies-csv-row.schema.json",
        "schema/domains.schema.json",
        "schema/vendor.schema.json",
    ]
    for path in schemas:
        schema = json.loads(files[path])
        Draft202012Validator.check_schema(schema)
        assert schema["$id"] == f"https://consent-atlas.github.io/consent-atlas/api/v1/{path}"


def test_vendor_schema_rejects_input_forms(files: dict[str, bytes]) -> None:
    vendor = json.loads(files["vendors/beacon-ads.json"])
    vendor["domains"] = ["beacon.example"]
    del vendor["cookies"][0]["match"]

    assert sorted(errors(files, "vendor.schema.json", vendor)) == [
        "['cookies', 0]: 'match' is a required property",
        "['domains', 0]: 'beacon.example' is not of type 'object'",
    ]


def test_vendor_schema_rejects_unnormalised_host(files: dict[str, bytes]) -> None:
    vendor = json.loads(files["vendors/beacon-ads.json"])
    vendor["domains"][0]["host"] = "Beacon.Example."

    assert len(errors(files, "vendor.schema.json", vendor)) == 1


def test_catalogue_schema_rejects_an_unknown_top_level_field(files: dict[str, bytes]) -> None:
    data = json.loads(files["catalogue.json"])
    data["generated"] = "now"

    assert errors(files, "catalogue.schema.json", data) == [
        "[]: Additional properties are not allowed ('generated' was unexpected)"
    ]


# catalogue.json and the vendor files ---------------------------------------------------------------------------------


@pytest.mark.parametrize("data_dir", catalogues_to_check())
def test_catalogue_json_round_trip_gives_back_every_record(data_dir: Path) -> None:
    catalogue = load(data_dir)
    data = json.loads(build_export(catalogue, INFO)["catalogue.json"])

    def by_id(records: list[dict]) -> dict[str, dict]:
        return {record["id"]: record for record in records}

    assert by_id(data["vendors"]) == catalogue.vendors
    assert by_id(data["organizations"]) == catalogue.organizations
    assert by_id(data["categories"]) == catalogue.categories
    assert by_id(data["industries"]) == catalogue.industries
    assert by_id(data["data_kinds"]) == catalogue.data_kinds


def test_vendor_file_equals_its_catalogue_entry(catalogue: Catalogue, files: dict[str, bytes]) -> None:
    for vendor_id, vendor in catalogue.vendors.items():
        assert json.loads(files[f"vendors/{vendor_id}.json"]) == vendor


def test_catalogue_json_header(files: dict[str, bytes]) -> None:
    data = json.loads(files["catalogue.json"])

    assert data["schema_version"] == "1.0.0"
    assert data["catalogue_version"] == "2025.12.01.103000"
    assert data["date"] == "2025-12-01"
    assert data["counts"] == {
        "vendors": 3, "organizations": 2, "categories": 4, "industries": 15, "data_kinds": 20, "domains": 4, "cookies": 3,
    }
    assert data["licence"]["spdx"] == "CC-BY-4.0"
    assert data["licence"]["notices"][0]["source"] == "Open Cookie Database"
    assert data["licence"]["notices"][0]["spdx"] == "Apache-2.0"
    assert data["licence"]["notices"][0]["url"] == "https://github.com/jkwakman/Open-Cookie-Database"
    assert data["licence"]["notices"][0]["vendors"] == []


def test_top_level_lists_are_sorted_by_id(files: dict[str, bytes]) -> None:
    data = json.loads(files["catalogue.json"])

    assert [vendor["id"] for vendor in data["vendors"]] == ["acme-analytics", "beacon-ads", "guard-captcha"]
    assert [category["id"] for category in data["categories"]] == ["analytics", "functional", "marketing", "necessary"]


def test_json_files_sorted_with_final_newline(files: dict[str, bytes]) -> None:
    for path, content in files.items():
        if path.endswith(".json"):
            assert content.endswith(b"}\n"), path
            assert content == json_bytes(json.loads(content)), path


def test_json_writes_text_as_utf8() -> None:
    assert json_bytes({"name": "Bücher"}) == '{\n  "name": "Bücher"\n}\n'.encode("utf-8")


def test_json_rejects_nan() -> None:
    with pytest.raises(ValueError, match="Out of range float values are not JSON compliant"):
        json_bytes({"share": float("nan")})


def test_cookie_database_notice_lists_citing_vendors(tmp_path: Path) -> None:
    data_dir = copy_fixture(tmp_path)
    record = data_dir / "vendors" / "beacon-ads.yaml"
    record.write_text(record.read_text().replace(
        "sources:\n",
        "sources:\n  - title: Open Cookie Database (Apache-2.0)\n    url: https://github.com/jkwakman/Open-Cookie-Database\n",
    ))

    data = json.loads(build_export(load(data_dir), INFO)["catalogue.json"])

    assert data["licence"]["notices"][0]["vendors"] == ["beacon-ads"]


# domains.json and the CSV files --------------------------------------------------------------------------------------


def test_domains_json_lists_every_host_sorted(files: dict[str, bytes]) -> None:
    data = json.loads(files["domains.json"])

    assert data["counts"] == {"domains": 4, "vendors": 3}
    assert data["domains"] == [
        {"host": "api.guard.example", "vendor": "guard-captcha", "categories": ["necessary"], "requires_consent": False, "block": False},
        {"host": "beacon.example", "vendor": "beacon-ads", "categories": ["marketing"], "requires_consent": True, "block": True},
        {"host": "cdn.acme-static.example", "vendor": "acme-analytics", "categories": ["analytics"], "requires_consent": True,
         "block": True},
        {"host": "px.acme.example", "vendor": "acme-analytics", "categories": ["analytics"], "requires_consent": True, "block": True},
    ]


def test_cookies_csv_bytes(files: dict[str, bytes]) -> None:
    assert files["cookies.csv"] == (
        "\ufeffvendor_id,vendor_name,name,match,duration,party,category,requires_consent,description\r\n"
        "acme-analytics,Acme Analytics,_acme_id,exact,P13M,first,analytics,true,Identifies the visitor across visits.\r\n"
        "acme-analytics,Acme Analytics,_acme_s_,prefix,session,first,analytics,true,\r\n"
        "beacon-ads,Beacon Ads,bcn_uid,exact,P2Y,third,marketing,true,Recognises the browser on every site that carries the pixel.\r\n"
    ).encode("utf-8")


def test_catalogue_csv_has_one_row_per_domain(files: dict[str, bytes]) -> None:
    rows = csv_rows(files["catalogue.csv"])

    assert [row["host"] for row in rows] == ["api.guard.example", "beacon.example", "cdn.acme-static.example", "px.acme.example"]
    assert rows[1] == {
        "host": "beacon.example", "vendor_id": "beacon-ads", "vendor_name": "Beacon Ads",
        "organization_id": "acme-labs", "organization_name": "Acme Labs GmbH", "categories": "marketing",
        "requires_consent": "true", "block": "true", "vendor_categories": "marketing",
        "website": "https://beacon.example/", "privacy_policy": "https://beacon.example/privacy", "last_reviewed": "2026-11-30",
    }


@pytest.mark.parametrize(("cell", "written"), [
    ("=HYPERLINK(\"http://x.example\")", "'=HYPERLINK(\"\"http://x.example\"\")"),
    ("+1", "'+1"),
    ("-2", "'-2"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tTab", "'\tTab"),
    ("a=b", "a=b"),
    ("session", "session"),
])
def test_csv_formula_cell_gets_apostrophe(cell: str, written: str) -> None:
    content = csv_bytes(["value"], [[cell]]).decode("utf-8-sig")
    quoted = f'"{written}"' if '"' in written else written

    assert content == f"value\r\n{quoted}\r\n"


def test_cookies_csv_neutralises_formula(tmp_path: Path) -> None:
    data_dir = copy_fixture(tmp_path)
    record = data_dir / "vendors" / "beacon-ads.yaml"
    record.write_text(record.read_text().replace(
        "description: Recognises the browser", "description: =cmd|' /C calc'!A0 recognises the browser"))

    rows = csv_rows(build_export(load(data_dir), INFO)["cookies.csv"])

    assert rows[2]["description"] == "'=cmd|' /C calc'!A0 recognises the browser on every site that carries the pixel."


# Determinism and the build date --------------------------------------------------------------------------------------


def test_two_exports_are_byte_identical(tmp_path: Path) -> None:
    first = build_export(load(FIXTURE), INFO)
    second = build_export(load(copy_fixture(tmp_path)), INFO)

    assert first == second


def test_build_info_reads_source_date_epoch(catalogue: Catalogue) -> None:
    info = read_build_info(catalogue, environ={"SOURCE_DATE_EPOCH": "1764585000"})

    assert (info.date, info.catalogue_version, info.schema_version, info.source) == (
        "2025-12-01", "2025.12.01.103000", "1.0.0", "SOURCE_DATE_EPOCH")


@pytest.mark.parametrize("value", ["yesterday", "-1", "1.5"])
def test_build_info_rejects_a_malformed_source_date_epoch(catalogue: Catalogue, value: str) -> None:
    with pytest.raises(BuildInfoError) as raised:
        read_build_info(catalogue, environ={"SOURCE_DATE_EPOCH": value})

    assert str(raised.value) == (
        f"SOURCE_DATE_EPOCH is not a whole number of seconds: '{value}' "
        "(set it to the output of `git log -1 --format=%ct`, or unset it)"
    )


def test_build_info_reads_the_last_commit(catalogue: Catalogue, tmp_path: Path) -> None:
    environment = {**os.environ, "GIT_COMMITTER_DATE": "2026-01-02T03:04:05Z", "GIT_AUTHOR_DATE": "2026-01-02T03:04:05Z",
                   "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    git = ["git", "-C", str(tmp_path), "-c", "user.name=Test", "-c", "user.email=test@example.com"]
    subprocess.run([*git, "init", "--quiet"], check=True, env=environment)
    subprocess.run([*git, "commit", "--quiet", "--allow-empty", "-m", "Start"], check=True, env=environment)

    info = read_build_info(catalogue, tmp_path, environ={})

    assert (info.catalogue_version, info.source) == ("2026.01.02.030405", "git")


def test_build_info_without_git_uses_the_newest_review(catalogue: Catalogue, tmp_path: Path) -> None:
    info = read_build_info(catalogue, tmp_path, environ={})

    assert (info.date, info.catalogue_version, info.source) == ("2026-11-30", "2026.11.30.000000", "last_reviewed")


# The atomic write ----------------------------------------------------------------------------------------------------


def tree(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def test_write_export_writes_every_file_under_api_v1(tmp_path: Path, files: dict[str, bytes]) -> None:
    summary = write_export(tmp_path, files)

    assert tree(tmp_path / "api" / "v1") == files
    assert summary.written == sorted(files)
    assert summary.unchanged == 0


def test_write_export_leaves_unchanged_files_alone(tmp_path: Path, files: dict[str, bytes]) -> None:
    write_export(tmp_path, files)
    changed = {**files, "domains.json": b"{}\n"}

    summary = write_export(tmp_path, changed)

    assert summary.written == ["domains.json"]
    assert summary.unchanged == len(files) - 1


def test_write_export_removes_stale_vendor_file(tmp_path: Path, files: dict[str, bytes]) -> None:
    write_export(tmp_path, files)
    without = {path: content for path, content in files.items() if path != "vendors/guard-captcha.json"}

    summary = write_export(tmp_path, without)

    assert summary.removed == ["vendors/guard-captcha.json"]
    assert tree(tmp_path / "api" / "v1") == without


@pytest.mark.parametrize("failure", [OSError("No space left on device"), KeyboardInterrupt()], ids=["disk-full", "interrupt"])
def test_interrupted_write_leaves_the_previous_files_intact(
    tmp_path: Path, files: dict[str, bytes], monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    write_export(tmp_path, files)
    before = tree(tmp_path)
    changed = {path: content + b"\n" for path, content in files.items()}
    original = export.write_temporary
    calls = []

    def fail_halfway(target: Path, content: bytes) -> Path:
        calls.append(target)
        if len(calls) == len(changed) // 2:
            raise failure
        return original(target, content)

    monkeypatch.setattr(export, "write_temporary", fail_halfway)

    with pytest.raises(type(failure)):
        write_export(tmp_path, changed)

    assert tree(tmp_path) == before


def test_failed_file_write_removes_temporary(
    tmp_path: Path, files: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_export(tmp_path, files)
    before = tree(tmp_path)
    real_fdopen = os.fdopen

    class HalfWriter:
        def __init__(self, stream: io.BufferedWriter) -> None:
            self.stream = stream

        def __enter__(self) -> HalfWriter:
            return self

        def __exit__(self, *exception: object) -> None:
            self.stream.close()

        def write(self, content: bytes) -> None:
            self.stream.write(content[: len(content) // 2])
            raise OSError("No space left on device")

    monkeypatch.setattr(export.os, "fdopen", lambda descriptor, mode: HalfWriter(real_fdopen(descriptor, mode)))

    with pytest.raises(OSError, match="No space left on device"):
        write_export(tmp_path, {**files, "catalogue.json": b'{"changed": true}\n'})

    assert tree(tmp_path) == before


# The command ---------------------------------------------------------------------------------------------------------


def test_export_command_writes_the_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764585000")

    status = main(["export", "--data", str(FIXTURE), "--out", str(tmp_path / "out")])

    assert status == 0
    assert tree(tmp_path / "out" / "api" / "v1") == build_export(load(FIXTURE), INFO)
    assert capsys.readouterr().out == (
        f"exported 3 vendors into {tmp_path / 'out' / 'api' / 'v1'}: 12 files written, 0 unchanged, 0 removed "
        "(catalogue version 2025.12.01.103000, dated by SOURCE_DATE_EPOCH)\n"
    )


def test_export_command_stops_on_data_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = copy_fixture(tmp_path)
    (data_dir / "vendors" / "beacon-ads.yaml").write_text("id: beacon-ads\n")

    status = main(["export", "--data", str(data_dir), "--out", str(tmp_path / "out")])

    assert status == 1
    assert not (tmp_path / "out").exists()
    assert capsys.readouterr().err.endswith("error: nothing was exported because the data has problems\n")


def test_export_command_reports_an_unwritable_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "out").write_text("a file, not a folder")

    status = main(["export", "--data", str(FIXTURE), "--out", str(tmp_path / "out")])

    assert status == 2
    assert re.fullmatch(
        rf"error: could not write the export into {re.escape(str(tmp_path / 'out'))}: .+ \(choose a folder you can write to\)\n",
        capsys.readouterr().err,
    )


def test_export_command_rejects_a_malformed_source_date_epoch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "tomorrow")

    status = main(["export", "--data", str(FIXTURE), "--out", str(tmp_path / "out")])

    assert status == 2
    assert capsys.readouterr().err == (
        "error: SOURCE_DATE_EPOCH is not a whole number of seconds: 'tomorrow' "
        "(set it to the output of `git log -1 --format=%ct`, or unset it)\n"
    )


# The downloads page --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def downloads(catalogue: Catalogue, files: dict[str, bytes]) -> str:
    return render_downloads(catalogue, files, INFO)


@pytest.mark.parametrize(("name", "vendors", "schema"), [
    ("catalogue.json", 3, "catalogue.schema.json"),
    ("domains.json", 3, "domains.schema.json"),
    ("catalogue.csv", 3, "catalogue-csv-row.schema.json"),
    ("cookies.csv", 2, "cookies-csv-row.schema.json"),
])
def test_downloads_row_matches_file_bytes(
    downloads: str, files: dict[str, bytes], name: str, vendors: int, schema: str
) -> None:
    size = len(files[name])
    row = next(line for line in downloads.splitlines() if line.startswith(f"| [{name}]("))
    cells = [cell.strip() for cell in row.strip("|").split(" | ")]

    assert cells[0] == f"[{name}](api/v1/{name})"
    assert re.fullmatch(r"([\d.]+ [kM]B \()?([\d,]+) bytes\)?", cells[2]).group(2) == f"{size:,}"
    assert cells[3] == str(vendors)
    assert cells[4] == "1.0.0"
    assert cells[5] == f"`{hashlib.sha256(files[name]).hexdigest()}`"
    assert cells[6] == f"[{schema}](api/v1/schema/{schema})"


def test_downloads_vendor_files_total_size(downloads: str, files: dict[str, bytes]) -> None:
    total = sum(len(content) for path, content in files.items() if path.startswith("vendors/"))

    row = next(line for line in downloads.splitlines() if line.startswith("| vendors/*id*.json |"))

    assert f"({total:,} bytes) in all | 3 | 1.0.0 |" in row
    assert "[vendors/acme-analytics.json](api/v1/vendors/acme-analytics.json)" in row


def test_downloads_links_point_into_the_export(downloads: str) -> None:
    # Markdown links are relative to the page's source, docs/downloads.md; MkDocs rewrites them for its URL.
    targets = re.findall(r"\]\(([^)]+)\)", downloads)
    local = [target for target in targets if not target.startswith("https://")]

    assert local
    assert all(target.startswith("api/v1/") for target in local), local


def test_downloads_python_example_runs_on_the_export(
    downloads: str, files: dict[str, bytes], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_export(tmp_path, files)
    code = re.search(r"```python\n(.*?)```", downloads, re.DOTALL).group(1)
    code = code.replace("https://consent-atlas.github.io/consent-atlas/", (tmp_path.as_uri() + "/"))

    exec(compile(code, "downloads-example.py", "exec"), {})

    assert capsys.readouterr().out == (
        "Acme Analytics: consent first (cdn.acme-static.example, px.acme.example)\n"
        "Beacon Ads: consent first (beacon.example)\n"
        "Guard Captcha: no consent needed (api.guard.example)\n"
    )


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_downloads_javascript_example_runs_on_the_export(downloads: str, files: dict[str, bytes], tmp_path: Path) -> None:
    code = re.search(r"```javascript\n(.*?)```", downloads, re.DOTALL).group(1)
    (tmp_path / "domains.json").write_bytes(files["domains.json"])
    stub = 'import { readFileSync } from "node:fs";\nglobalThis.fetch = async () => ({ json: async () => ' \
           f'JSON.parse(readFileSync({json.dumps(str(tmp_path / "domains.json"))}, "utf8")) }});\n'
    checks = '\nconsole.log(mayLoad("https://CDN.px.acme.example:8443/t.js"));\nconsole.log(mayLoad("https://api.guard.example/x"));\n'
    (tmp_path / "example.mjs").write_text(stub + code + checks)

    completed = subprocess.run(["node", str(tmp_path / "example.mjs")], capture_output=True, text=True, timeout=60)

    assert completed.stderr == ""
    assert completed.stdout == "true\nfalse\ntrue\n"
