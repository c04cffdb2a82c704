"""The downloads page in Chromium: each linked file is served, matches its size and checksum, and fits its schema.

The page at /downloads/ has a table with one row per export file: a link to
the file under api/v1/, its size, its SHA-256 and a link to its JSON Schema
under api/v1/schema/. Files are fetched over loopback through the page's
browser context, as a visitor's download would be.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass

import pytest
from jsonschema import Draft202012Validator
from playwright.sync_api import Page

from generator.model import Catalogue
from tests.browser.browsing import SiteServer, open_page

pytestmark = pytest.mark.browser

API = "/api/v1/"
SCHEMA_FOLDER = "/api/v1/schema/"


@dataclass(frozen=True)
class Download:
    """One row of the downloads table: the file's URL, the schema's URL and the cells as shown."""

    file_url: str
    schema_url: str
    cells: tuple[str, ...]


def download_rows(page: Page) -> list[Download]:
    rows = page.locator("article table").first.locator("tbody tr").evaluate_all("""rows => rows.map((row) => ({
        links: [...row.querySelectorAll("a[href]")].map((link) => link.href),
        cells: [...row.querySelectorAll("td")].map((cell) => cell.innerText.trim()),
    }))""")
    downloads = []
    for row in rows:
        schemas = [link for link in row["links"] if SCHEMA_FOLDER in link]
        files = [link for link in row["links"] if API in link and SCHEMA_FOLDER not in link]
        assert (len(files), len(schemas)) == (1, 1), row
        downloads.append(Download(files[0], schemas[0], tuple(row["cells"])))
    return downloads


def fetch(page: Page, url: str) -> bytes:
    response = page.request.get(url)
    assert response.status == 200, f"{url} returned HTTP {response.status}"
    return response.body()


def records(url: str, content: bytes) -> list[object]:
    """Return what a schema of `url` describes: the whole JSON document, or each CSV row as a dict."""
    if url.endswith(".csv"):
        return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    return [json.loads(content)]


def schema_errors(schema: dict, instances: list[object]) -> list[str]:
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return [f"item {index}: {error.json_path}: {error.message}" for index, instance in enumerate(instances)
            for error in validator.iter_errors(instance)]


@pytest.fixture
def downloads_page(page: Page, site: SiteServer) -> Page:
    open_page(page, site.url("downloads/"))
    return page


def test_downloads_page_links_every_export(downloads_page: Page, site: SiteServer) -> None:
    rows = download_rows(downloads_page)

    assert [row.file_url.removeprefix(site.url("api/v1/")) for row in rows][:4] == [
        "catalogue.json", "domains.json", "catalogue.csv", "cookies.csv",
    ]
    assert [row.schema_url.removeprefix(site.url("api/v1/schema/")) for row in rows] == [
        "catalogue.schema.json", "domains.schema.json", "catalogue-csv-row.schema.json",
        "cookies-csv-row.schema.json", "vendor.schema.json",
    ]
    assert re.fullmatch(r"vendors/[a-z0-9-]+\.json", rows[4].file_url.removeprefix(site.url("api/v1/")))


def test_files_match_size_and_checksum_shown(downloads_page: Page) -> None:
    for row in download_rows(downloads_page)[:4]:
        content = fetch(downloads_page, row.file_url)
        assert f"({len(content):,} bytes)" in row.cells[2], row.file_url
        assert hashlib.sha256(content).hexdigest() == row.cells[5], row.file_url


def test_files_parse_and_fit_their_schemas(downloads_page: Page) -> None:
    for row in download_rows(downloads_page):
        schema = json.loads(fetch(downloads_page, row.schema_url))
        Draft202012Validator.check_schema(schema)
        instances = records(row.file_url, fetch(downloads_page, row.file_url))
        assert instances, f"{row.file_url} is empty"
        assert schema_errors(schema, instances) == [], row.file_url


def test_every_vendor_file_fits_vendor_schema(downloads_page: Page, site: SiteServer, catalogue: Catalogue) -> None:
    schema = json.loads(fetch(downloads_page, site.url("api/v1/schema/vendor.schema.json")))
    errors = {}
    for vendor_id in catalogue.vendors:
        vendor = json.loads(fetch(downloads_page, site.url(f"api/v1/vendors/{vendor_id}.json")))
        assert vendor["id"] == vendor_id
        errors[vendor_id] = schema_errors(schema, [vendor])

    assert {vendor_id: found for vendor_id, found in errors.items() if found} == {}


def test_schema_list_names_every_published_schema(downloads_page: Page, site: SiteServer) -> None:
    listed = downloads_page.locator("article h2:has-text('Schemas') + p + ul a").evaluate_all("links => links.map((link) => link.href)")
    tabled = {row.schema_url for row in download_rows(downloads_page)}

    assert sorted(listed) == sorted(tabled)
    for url in listed:
        Draft202012Validator.check_schema(json.loads(fetch(downloads_page, url)))
