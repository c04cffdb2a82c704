"""The downloads page: every export file with its size, checksum and schema, and how to read it.

The MkDocs plugin renders it from the files `generator.export.build_export`
computed, so the sizes and SHA-256 checksums on the page are those of the
bytes the site serves. Links are relative to the page's URL `downloads/`
(MkDocs with directory URLs), so `../api/v1/catalogue.json` is the export.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from generator.export_schemas import SITE_URL
from generator.pages.markdown import page

if TYPE_CHECKING:
    from generator.export import BuildInfo
    from generator.model import Catalogue

API = "api/v1/"
"""The export folder, relative to the page."""

_FILES = {
    "catalogue.json": ("Every vendor, organization and vocabulary, with every field.", "catalogue.schema.json"),
    "domains.json": ("Every tracked domain with its vendor and consent categories, for script blockers.", "domains.schema.json"),
    "catalogue.csv": ("One row per tracked domain, for spreadsheets.", "catalogue-csv-row.schema.json"),
    "cookies.csv": ("One row per cookie, for spreadsheets.", "cookies-csv-row.schema.json"),
}


def render_downloads(catalogue: Catalogue, files: dict[str, bytes], build_info: BuildInfo) -> str:
    """Render the downloads page as Markdown with front matter.

    `files` maps each path under `api/v1/` to its bytes, as `build_export` returns them.

    >>> markdown = render_downloads(catalogue, build_export(catalogue, info), info)
    >>> "| [catalogue.json](../api/v1/catalogue.json) |" in markdown
    True
    """
    body = [
        "# Downloads",
        _introduction(catalogue, build_info),
        "## Files\n\n" + _file_table(catalogue, files, build_info),
        "## Schemas\n\n" + _schema_list(files),
        "## Reading the catalogue\n\n" + _examples(),
        "## What the version number promises\n\n" + _versioning(build_info),
        "## The CSV files\n\n" + _csv_notes(),
        "## Licence\n\n" + _licence(),
    ]
    description = "The Consent Atlas catalogue as JSON and CSV files, with their JSON Schemas and checksums."
    return page({"title": "Downloads", "description": description}, body)


def _introduction(catalogue: Catalogue, build_info: BuildInfo) -> str:
    return (
        f"The whole catalogue is published as data for consent managers, script blockers and privacy scanners: "
        f"{len(catalogue.vendors)} vendors, catalogue version `{build_info.catalogue_version}` of {build_info.date}, "
        f"schema version `{build_info.schema_version}`. Every file is rebuilt with the site, "
        f"and the same data always gives the same bytes."
    )


def _file_table(catalogue: Catalogue, files: dict[str, bytes], build_info: BuildInfo) -> str:
    rows = [
        "| File | Contents | Size | Vendors | Schema version | SHA-256 | Schema |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    vendor_counts = _vendor_counts(catalogue)
    for name, (contents, schema) in _FILES.items():
        content = files[name]
        rows.append(
            f"| [{name}]({API}{name}) | {contents} | {format_size(len(content))} | {vendor_counts[name]} "
            f"| {build_info.schema_version} | `{hashlib.sha256(content).hexdigest()}` | [{schema}]({API}schema/{schema}) |"
        )
    rows.append(_vendor_files_row(files, build_info))
    return "\n".join(rows)


def _vendor_counts(catalogue: Catalogue) -> dict[str, int]:
    listing_domains = {vendor_id for vendor_id, _ in catalogue.domain_index.values()}
    with_cookies = [vendor_id for vendor_id, vendor in catalogue.vendors.items() if vendor.get("cookies")]
    return {
        "catalogue.json": len(catalogue.vendors),
        "domains.json": len(listing_domains),
        "catalogue.csv": len(listing_domains),
        "cookies.csv": len(with_cookies),
    }


def _vendor_files_row(files: dict[str, bytes], build_info: BuildInfo) -> str:
    vendor_files = sorted(path for path in files if path.startswith("vendors/"))
    total = sum(len(files[path]) for path in vendor_files)
    example = f"such as [{vendor_files[0]}]({API}{vendor_files[0]})" if vendor_files else "none yet"
    return (
        f"| vendors/*id*.json | One vendor each, the same record as in catalogue.json; {example}. "
        f"| {format_size(total)} in all | {len(vendor_files)} | {build_info.schema_version} "
        f"| one per file, not listed | [vendor.schema.json]({API}schema/vendor.schema.json) |"
    )


def format_size(size: int) -> str:
    """Write a size in bytes for people, with the exact number.

    >>> format_size(123456)
    '123.5 kB (123,456 bytes)'
    """
    if size < 1000:
        return f"{size:,} bytes"
    unit, scale = ("MB", 1_000_000) if size >= 1_000_000 else ("kB", 1000)
    return f"{size / scale:.1f} {unit} ({size:,} bytes)"


def _schema_list(files: dict[str, bytes]) -> str:
    schemas = sorted(path for path in files if path.startswith("schema/"))
    lines = [
        "Each file is described by a JSON Schema (draft 2020-12). The schema of the CSV files describes one row "
        "as a CSV reader returns it: an object keyed by the header. Validate a file against the schema published "
        "with it: both are rebuilt together.",
        "",
    ]
    lines += [f"- [{path.removeprefix('schema/')}]({API}{path})" for path in schemas]
    return "\n".join(lines)


_PYTHON_EXAMPLE = '''\
import json
from urllib.request import urlopen

URL = "{site}api/v1/catalogue.json"

with urlopen(URL) as response:
    catalogue = json.load(response)

major = catalogue["schema_version"].split(".")[0]
if major != "1":
    raise SystemExit(f"this program reads schema 1.x, not {catalogue['schema_version']}")

requires_consent = {category["id"]: category["requires_consent"] for category in catalogue["categories"]}
for vendor in catalogue["vendors"]:
    # A category missing from the table (say, from an older cached copy) counts as requiring consent.
    needs_consent = any(requires_consent.get(category, True) for category in vendor["categories"])
    hosts = ", ".join(domain["host"] for domain in vendor["domains"])
    print(f"{vendor['name']}: {'consent first' if needs_consent else 'no consent needed'} ({hosts})")
'''

_JAVASCRIPT_EXAMPLE = '''\
const response = await fetch("{site}api/v1/domains.json");
const { schema_version, domains } = await response.json();
if (!schema_version.startsWith("1.")) {
  throw new Error(`this script reads schema 1.x, not ${schema_version}`);
}
const byHost = new Map(domains.map((entry) => [entry.host, entry]));

// A listed domain covers its subdomains: try the host, then each domain above it.
function trackedDomain(hostname) {
  const labels = hostname.toLowerCase().replace(/\\.$/, "").split(".");
  for (let start = 0; start < labels.length - 1; start++) {
    const entry = byHost.get(labels.slice(start).join("."));
    if (entry) return entry;
  }
  return null;
}

// The categories the visitor has consented to. Any other category, including
// one this script does not know yet, keeps the script blocked.
const granted = new Set(["necessary"]);
function mayLoad(scriptUrl) {
  const entry = trackedDomain(new URL(scriptUrl).hostname);
  return entry === null || entry.categories.every((category) => granted.has(category));
}

console.log(mayLoad("https://www.googletagmanager.com/gtag/js?id=G-XXXX"));
'''


def _examples() -> str:
    python = _PYTHON_EXAMPLE.replace("{site}", SITE_URL)
    javascript = _JAVASCRIPT_EXAMPLE.replace("{site}", SITE_URL)
    return (
        "In Python, list each vendor with whether its script must wait for consent:\n\n"
        f"```python\n{python}```\n\n"
        "In JavaScript (a browser module or Node.js 18 or later), decide whether a script may load "
        "before the visitor has consented. `new URL(...).hostname` is already lowercase, "
        "with internationalised names in punycode, as in the file:\n\n"
        f"```javascript\n{javascript}```"
    )


def _versioning(build_info: BuildInfo) -> str:
    return "\n".join([
        f"Two numbers describe every file. The **schema version** (`{build_info.schema_version}`) follows "
        "semantic versioning and describes the shape of the files; the **catalogue version** "
        f"(`{build_info.catalogue_version}`) is the date and time (UTC) of the commit the files were built from, "
        "so it changes whenever the data does. Catalogue versions compare in time order as plain text.",
        "",
        "- **Major** version (a new path, `api/v2/`): a breaking change. A field, column or file is removed or "
        "renamed, a field changes its type or meaning, a field that was always present may be absent, "
        "or CSV columns change order.",
        "- **Minor** version: something is added that old readers can ignore: a new optional field, "
        "a new CSV column at the end, a new file. Read the files in a way that ignores fields you do not know.",
        "- **Patch** version: corrections to the schemas' descriptions or constraints that do not change "
        "the files' shape.",
        "",
        "New vendors, organizations, consent categories, industries and kinds of data are data, not shape: "
        "they change the catalogue version only. Expect consent category ids you do not know yet: look each up "
        "in the `categories` of catalogue.json, where `requires_consent` says whether it needs consent, and "
        "if your program cannot, treat an unknown category as requiring consent, so a new kind of tracker "
        "stays blocked until the visitor agrees.",
        "",
        "The schemas list every field (`additionalProperties: false`), so a copy of an older minor version's schema "
        "rejects a newer file. Validate each file against the schema published with it.",
    ])


def _csv_notes() -> str:
    return "\n".join([
        "- UTF-8 with a byte order mark, so that Excel shows accented names correctly (read them in Python "
        'with `encoding="utf-8-sig"`), lines ending in CRLF, fields quoted where needed.',
        "- A cell holding several consent categories separates them with spaces; `true` and `false` are "
        "written in lowercase.",
        "- A cell that would start with `=`, `+`, `-`, `@`, a tab or a carriage return starts with an "
        "apostrophe (`'`) instead, so that a spreadsheet shows the text rather than running it as a formula. "
        "Programs that need the exact values should read the JSON files.",
    ])


def _licence() -> str:
    return (
        "The data is published under the [Creative Commons Attribution 4.0 International licence]"
        "(https://creativecommons.org/licenses/by/4.0/): credit \"Consent Atlas contributors\" with a link to "
        "this site. Some cookie facts (names, durations, parties, categories) come from the "
        "[Open Cookie Database](https://github.com/jkwakman/Open-Cookie-Database), published under the "
        "[Apache License 2.0](https://www.apache.org/licenses/LICENSE-2.0); the `licence.notices` of "
        "catalogue.json and domains.json list the vendors whose records cite it."
    )
