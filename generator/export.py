"""The JSON and CSV exports of the catalogue, and their atomic write.

Runs after validation, on the `Catalogue` only (no YAML is read here).
`build_export` computes every file in memory; `write_export` writes them
under `OUT/api/v1/` so that a failed or interrupted write leaves the
previous files as they were. The MkDocs plugin calls `build_export` and
`read_build_info` during the site build, and `python -m generator export`
calls all three.

Every file is deterministic: keys and top-level lists are sorted, and the
only date is the build's, taken from SOURCE_DATE_EPOCH or the last commit.
Lists inside a record keep the contributor's order, because that order
carries meaning (the first FAQ entry is the first question asked).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import logging
import os
import subprocess
import sys
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from generator.cli import EXIT_DATA, EXIT_OK, EXIT_USAGE, command, run_validation
from generator.export_schemas import CATALOGUE_COLUMNS, COOKIE_COLUMNS, SITE_URL, export_schemas
from generator.model import Catalogue, Record

log = logging.getLogger(__name__)

SCHEMA_VERSION = "1.0.0"
"""Semantic version of the export's shape; its major version is the `v1` of the path."""
API_PATH = Path("api", "v1")

OPEN_COOKIE_DATABASE = "https://github.com/jkwakman/Open-Cookie-Database"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class BuildInfoError(ValueError):
    """The build's date cannot be read from the environment."""


@dataclass(frozen=True)
class BuildInfo:
    """When the export was built and which schema it follows.

    >>> info = BuildInfo(timestamp=1764585000, source="SOURCE_DATE_EPOCH")
    >>> info.date, info.catalogue_version, info.schema_version
    ('2025-12-01', '2025.12.01.103000', '1.0.0')
    """

    timestamp: int
    """Seconds since 1970-01-01 UTC."""
    source: str
    """The timestamp's source: SOURCE_DATE_EPOCH, git, or last_reviewed."""
    schema_version: str = SCHEMA_VERSION

    @property
    def moment(self) -> datetime:
        return datetime.fromtimestamp(self.timestamp, tz=timezone.utc)

    @property
    def date(self) -> str:
        return self.moment.strftime("%Y-%m-%d")

    @property
    def catalogue_version(self) -> str:
        # Fixed-width UTC date and time, so that comparing two versions as text orders them in time.
        return self.moment.strftime("%Y.%m.%d.%H%M%S")


def read_build_info(catalogue: Catalogue, directory: Path | None = None, environ: Mapping[str, str] | None = None) -> BuildInfo:
    """Return the build's date and versions, never from the wall clock.

    The date comes from SOURCE_DATE_EPOCH when it is set, else from the last
    commit of the git repository that contains `directory` (default: the
    working directory), else from the newest `last_reviewed` of the
    catalogue's vendors (midnight UTC; 1970-01-01 for a catalogue without
    vendors). Raises `BuildInfoError` when SOURCE_DATE_EPOCH is set but is
    not a whole number of seconds.

    >>> read_build_info(catalogue, environ={"SOURCE_DATE_EPOCH": "1764585000"}).date
    '2025-12-01'
    """
    environ = os.environ if environ is None else environ
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        if not epoch.isdigit():
            raise BuildInfoError(
                f"SOURCE_DATE_EPOCH is not a whole number of seconds: {epoch!r} "
                "(set it to the output of `git log -1 --format=%ct`, or unset it)"
            )
        return BuildInfo(int(epoch), "SOURCE_DATE_EPOCH")
    commit_time = _last_commit_time(directory or Path.cwd())
    if commit_time is not None:
        return BuildInfo(commit_time, "git")
    log.info("no SOURCE_DATE_EPOCH and no git commit: dating the export by the newest last_reviewed")
    return BuildInfo(_newest_review(catalogue), "last_reviewed")


def _last_commit_time(directory: Path) -> int | None:
    try:
        completed = subprocess.run(
            ["git", "-C", str(directory), "log", "-1", "--format=%ct"],
            capture_output=True, text=True, timeout=30, check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        log.info("could not run git for the build date: %s", error)
        return None
    output = completed.stdout.strip()
    return int(output) if completed.returncode == 0 and output.isdigit() else None


def _newest_review(catalogue: Catalogue) -> int:
    dates = [vendor["last_reviewed"] for vendor in catalogue.vendors.values()]
    if not dates:
        return 0
    newest = datetime.strptime(max(dates), "%Y-%m-%d").replace(tzinfo=timezone.utc)
    return int(newest.timestamp())


def build_export(catalogue: Catalogue, build_info: BuildInfo) -> dict[str, bytes]:
    """Compute every export file in memory, by its path under `api/v1/`.

    >>> files = build_export(catalogue, BuildInfo(1764585000, "SOURCE_DATE_EPOCH"))
    >>> sorted(files)[:3]
    ['catalogue.csv', 'catalogue.json', 'cookies.csv']
    """
    header = _header(catalogue, build_info)
    files = {
        "catalogue.json": json_bytes({**header, "counts": _counts(catalogue), **catalogue_records(catalogue)}),
        "domains.json": json_bytes({**header, **_domains(catalogue)}),
        "catalogue.csv": csv_bytes(CATALOGUE_COLUMNS, _domain_rows(catalogue)),
        "cookies.csv": csv_bytes(COOKIE_COLUMNS, _cookie_rows(catalogue)),
    }
    for vendor_id, vendor in catalogue.vendors.items():
        files[f"vendors/{vendor_id}.json"] = json_bytes(vendor)
    for name, schema in export_schemas().items():
        files[f"schema/{name}"] = json_bytes(schema)
    return dict(sorted(files.items()))


def json_bytes(value: Any) -> bytes:
    """Serialise `value` the one way every export file is written: sorted keys, UTF-8, a final newline."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, sort_keys=True, indent=2)
    return (text + "\n").encode("utf-8")


def catalogue_records(catalogue: Catalogue) -> dict[str, list[Record]]:
    """Return every record of the catalogue as the lists of catalogue.json, each sorted by id."""
    def by_id(records: dict[str, Record]) -> list[Record]:
        return [records[record_id] for record_id in sorted(records)]

    return {
        "vendors": by_id(catalogue.vendors),
        "organizations": by_id(catalogue.organizations),
        "categories": by_id(catalogue.categories),
        "industries": by_id(catalogue.industries),
        "data_kinds": by_id(catalogue.data_kinds),
    }


def _header(catalogue: Catalogue, build_info: BuildInfo) -> dict[str, Any]:
    return {
        "schema_version": build_info.schema_version,
        "catalogue_version": build_info.catalogue_version,
        "date": build_info.date,
        "licence": _licence(catalogue),
    }


def _licence(catalogue: Catalogue) -> dict[str, Any]:
    cookie_database = {
        "source": "Open Cookie Database",
        "url": OPEN_COOKIE_DATABASE,
        "spdx": "Apache-2.0",
        "licence_url": "https://www.apache.org/licenses/LICENSE-2.0",
        "covers": "Cookie facts (names, durations, parties, categories) of the vendors listed here, whose sources cite it.",
        "vendors": sorted(vendor_id for vendor_id, vendor in catalogue.vendors.items() if _cites_cookie_database(vendor)),
    }
    return {
        "name": "Creative Commons Attribution 4.0 International",
        "spdx": "CC-BY-4.0",
        "url": "https://creativecommons.org/licenses/by/4.0/",
        "attribution": f"Consent Atlas contributors, {SITE_URL}",
        "notices": [cookie_database],
    }


def _cites_cookie_database(vendor: Record) -> bool:
    prefix = OPEN_COOKIE_DATABASE.casefold()
    return any(source["url"].casefold().rstrip("/").startswith(prefix) for source in vendor["sources"])


def _counts(catalogue: Catalogue) -> dict[str, int]:
    return {
        "vendors": len(catalogue.vendors),
        "organizations": len(catalogue.organizations),
        "categories": len(catalogue.categories),
        "industries": len(catalogue.industries),
        "data_kinds": len(catalogue.data_kinds),
        "domains": len(catalogue.domain_index),
        "cookies": sum(len(vendor.get("cookies", [])) for vendor in catalogue.vendors.values()),
    }


def _requires_consent(catalogue: Catalogue, categories: Iterable[str]) -> bool:
    return any(catalogue.categories[category]["requires_consent"] for category in categories)


def _domains(catalogue: Catalogue) -> dict[str, Any]:
    entries = [
        {
            "host": host,
            "vendor": vendor_id,
            "categories": list(categories),
            "requires_consent": _requires_consent(catalogue, categories),
            "block": catalogue.vendors[vendor_id]["verdict"]["block"],
        }
        for host, (vendor_id, categories) in sorted(catalogue.domain_index.items())
    ]
    counts = {"domains": len(entries), "vendors": len({entry["vendor"] for entry in entries})}
    return {"counts": counts, "domains": entries}


def _domain_rows(catalogue: Catalogue) -> Iterable[list[str]]:
    for host, (vendor_id, categories) in sorted(catalogue.domain_index.items()):
        vendor = catalogue.vendors[vendor_id]
        organization = catalogue.organizations[vendor["organization"]]
        yield [
            host, vendor_id, vendor["name"], organization["id"], organization["name"],
            " ".join(categories), _boolean(_requires_consent(catalogue, categories)),
            _boolean(vendor["verdict"]["block"]), " ".join(vendor["categories"]),
            vendor["website"], vendor["privacy_policy"], vendor["last_reviewed"],
        ]


def _cookie_rows(catalogue: Catalogue) -> Iterable[list[str]]:
    for vendor_id in sorted(catalogue.vendors):
        vendor = catalogue.vendors[vendor_id]
        cookies = sorted(vendor.get("cookies", []), key=lambda cookie: (cookie["name"], cookie["match"]))
        for cookie in cookies:
            yield [
                vendor_id, vendor["name"], cookie["name"], cookie["match"], cookie["duration"], cookie["party"],
                cookie["category"], _boolean(_requires_consent(catalogue, [cookie["category"]])),
                cookie.get("description", ""),
            ]


def _boolean(value: bool) -> str:
    return "true" if value else "false"


def csv_bytes(columns: Iterable[str], rows: Iterable[list[str]]) -> bytes:
    """Write a header and rows as CSV for spreadsheets: UTF-8 with a byte order mark, CRLF line ends.

    A cell starting with = + - @ or a tab or carriage return gets a leading
    apostrophe, so that a spreadsheet shows it as text instead of running it
    as a formula (CSV injection).

    >>> csv_bytes(["name"], [["=1+1"]])
    b"\\xef\\xbb\\xbfname\\r\\n'=1+1\\r\\n"
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(list(columns))
    writer.writerows([_neutralise_formula(cell) for cell in row] for row in rows)
    # The byte order mark makes Excel read the file as UTF-8 rather than the system code page.
    return buffer.getvalue().encode("utf-8-sig")


def _neutralise_formula(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


@dataclass(frozen=True)
class WriteSummary:
    written: list[str]
    """Paths under api/v1/ whose content changed."""
    unchanged: int
    removed: list[str]
    """Paths of earlier exports that this export no longer has, such as a removed vendor's file."""


def write_export(out_dir: Path, files: Mapping[str, bytes]) -> WriteSummary:
    """Write `files` under `out_dir/api/v1/`, replacing the previous export whole.

    Every changed file is first written to a temporary name beside its
    target. Only when all are written are they renamed into place. An error
    or an interruption before that point removes the temporary files and
    leaves every previous file intact. Each rename is atomic, so a reader
    never sees half a file. Files of the previous export that are no
    longer part of it are removed last. Raises `OSError` when a file cannot
    be written.

    >>> write_export(Path("/tmp/out"), {"catalogue.json": b"{}\\n"}).written
    ['catalogue.json']
    """
    root = out_dir / API_PATH
    pending: list[tuple[Path, Path]] = []
    written: list[str] = []
    try:
        for relative, content in sorted(files.items()):
            target = root / relative
            if target.is_file() and target.read_bytes() == content:
                continue
            pending.append((write_temporary(target, content), target))
            written.append(relative)
    except BaseException:
        for temporary, _ in pending:
            temporary.unlink(missing_ok=True)
        raise
    # NOTE: without an fsync a power cut right after the renames can still lose data on some file systems.
    for temporary, target in pending:
        os.replace(temporary, target)
    removed = _remove_stale(root, set(files))
    return WriteSummary(written=written, unchanged=len(files) - len(written), removed=removed)


def write_temporary(target: Path, content: bytes) -> Path:
    """Write `content` to a new hidden file beside `target` and return its path."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex[:12]}.tmp")
    # os.open with mode 0o666 lets the umask decide the permissions, as for any file the user creates.
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(content)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _remove_stale(root: Path, current: set[str]) -> list[str]:
    removed = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_file() and path.suffix in (".json", ".csv") and relative not in current:
            path.unlink()
            removed.append(relative)
    if removed:
        log.info("removed %d files the catalogue no longer has, such as %s", len(removed), removed[0])
    return removed


@command("export")
def export_command(arguments: argparse.Namespace) -> int:
    result, _ = run_validation(arguments.data)
    if result.catalogue is None:
        print("error: nothing was exported because the data has problems", file=sys.stderr)
        return EXIT_DATA
    try:
        build_info = read_build_info(result.catalogue, arguments.data.resolve())
    except BuildInfoError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE

    files = build_export(result.catalogue, build_info)
    try:
        summary = write_export(arguments.out, files)
    except OSError as error:
        print(f"error: could not write the export into {arguments.out}: {error} (choose a folder you can write to)", file=sys.stderr)
        return EXIT_USAGE
    print(
        f"exported {len(result.catalogue.vendors)} vendors into {arguments.out / API_PATH}: "
        f"{len(summary.written)} files written, {summary.unchanged} unchanged, {len(summary.removed)} removed "
        f"(catalogue version {build_info.catalogue_version}, dated by {build_info.source})"
    )
    return EXIT_OK
