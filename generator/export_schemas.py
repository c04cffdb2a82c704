"""The JSON Schemas of the export files, published beside them under `api/v1/schema/`.

`generator.export` builds the files and adds these schemas to them. The
record schemas are derived from the input schemas in `generator/schemas/`,
so a field added there reaches the published schema without further code.
Only the vendor's domains and cookies differ, because the export contains the
catalogue's normal form of them. Each schema that refers to another embeds
it under `$defs` with its own `$id` (a bundled schema, JSON Schema 2020-12
section 9.3), so a consumer can validate offline with one file.
"""

from __future__ import annotations

import copy
from typing import Any

from generator.schema import load_schema

Schema = dict[str, Any]

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SITE_URL = load_schema("vendor")["$id"].rsplit("schemas/", 1)[0]
"""The address of the published site, taken from the `$id` of the input schemas."""
SCHEMA_URL = f"{SITE_URL}api/v1/schema/"

SEMANTIC_VERSION = r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$"
CATALOGUE_VERSION = r"^[0-9]{4}\.[0-9]{2}\.[0-9]{2}\.[0-9]{6}$"
# A host in the catalogue's normal form: lowercase ASCII labels (IDN as punycode), no trailing dot.
HOST = r"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$"
SLUG = {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$", "maxLength": 64}
IDS = {"type": "array", "minItems": 1, "uniqueItems": True, "items": SLUG}


def export_schemas() -> dict[str, Schema]:
    """Return every published schema by its file name under `schema/`.

    >>> sorted(export_schemas())[:2]
    ['catalogue-csv-row.schema.json', 'catalogue.schema.json']
    """
    return {
        "catalogue.schema.json": catalogue_schema(),
        "vendor.schema.json": vendor_schema(),
        "domains.schema.json": domains_schema(),
        "catalogue-csv-row.schema.json": catalogue_row_schema(),
        "cookies-csv-row.schema.json": cookie_row_schema(),
    }


def vendor_schema() -> Schema:
    """Return the schema of an exported vendor: the input schema with domains and cookies normalised."""
    schema = _published(load_schema("vendor"), "vendor.schema.json")
    schema["title"] = "Consent Atlas vendor"
    properties, definitions = schema["properties"], schema["$defs"]

    del definitions["domain"]
    definitions["host"] = {
        "description": "A host name in normal form: lowercase, no trailing dot, an internationalised name in punycode (xn--).",
        "type": "string",
        "pattern": HOST,
    }
    definitions["tracked_domain"] = {
        "type": "object",
        "additionalProperties": False,
        "required": ["host", "categories"],
        "properties": {
            "host": {"$ref": "#/$defs/host"},
            "categories": {
                "description": "Consent categories of the requests to this host: the host's own, or else the vendor's.",
                **IDS,
            },
        },
    }
    properties["domains"]["description"] += " Sorted by host; each entry states its consent categories."
    properties["domains"]["items"] = {"$ref": "#/$defs/tracked_domain"}

    definitions["exported_cookie"] = {"$ref": "#/$defs/cookie", "required": ["match"]}
    properties["cookies"]["items"] = {"$ref": "#/$defs/exported_cookie"}
    return schema


def catalogue_schema() -> Schema:
    """Return the schema of catalogue.json: the build's header, then every record."""
    embedded = {
        "vendor": vendor_schema(),
        "organization": _published(load_schema("organization"), "organization.schema.json"),
        "categories": _published(load_schema("categories"), "categories.schema.json"),
        "vocabulary": _published(load_schema("vocabulary"), "vocabulary.schema.json"),
    }
    for schema in embedded.values():
        del schema["$schema"]
    record_lists = {
        "vendors": {"description": "Every vendor, sorted by id.", "type": "array", "items": {"$ref": "vendor.schema.json"}},
        "organizations": {
            "description": "Every organization, sorted by id.",
            "type": "array",
            "items": {"$ref": "organization.schema.json"},
        },
        "categories": {"description": "The consent categories, sorted by id.", "$ref": "categories.schema.json"},
        "industries": {"description": "The industries, sorted by id.", "$ref": "vocabulary.schema.json"},
        "data_kinds": {"description": "The kinds of data collected, sorted by id.", "$ref": "vocabulary.schema.json"},
    }
    counts = ("vendors", "organizations", "categories", "industries", "data_kinds", "domains", "cookies")
    return _file_schema(
        "catalogue.schema.json",
        "Consent Atlas catalogue",
        "Every vendor, organization and vocabulary of the catalogue, with the build's version, date and licence.",
        counts,
        record_lists,
        embedded,
    )


def domains_schema() -> Schema:
    """Return the schema of domains.json: one entry per tracked domain, for script blockers."""
    entry = {
        "type": "object",
        "additionalProperties": False,
        "required": ["host", "vendor", "categories", "requires_consent", "block"],
        "properties": {
            "host": {"description": "The listed domain; it covers its subdomains.", "type": "string", "pattern": HOST},
            "vendor": {"description": "Id of the vendor that lists the domain.", **SLUG},
            "categories": {"description": "Consent categories of the requests to this host.", **IDS},
            "requires_consent": {
                "description": "true when at least one of the host's consent categories requires consent.",
                "type": "boolean",
            },
            "block": {
                "description": "The vendor's verdict: true when a site should block the vendor's scripts until the visitor consents.",
                "type": "boolean",
            },
        },
    }
    domains = {"description": "Every tracked domain, sorted by host.", "type": "array", "items": {"$ref": "#/$defs/tracked_domain"}}
    return _file_schema(
        "domains.schema.json",
        "Consent Atlas tracked domains",
        "Every tracked domain with its vendor and consent categories, for script blockers. "
        "A listed domain covers its subdomains: find a host by trying it and each domain above it.",
        ("domains", "vendors"),
        {"domains": domains},
        {"tracked_domain": entry},
    )


CATALOGUE_COLUMNS: dict[str, Schema] = {
    "host": {"description": "The tracked domain; it covers its subdomains.", "pattern": HOST},
    "vendor_id": {"description": "The vendor's id.", "pattern": SLUG["pattern"]},
    "vendor_name": {"description": "The vendor's name."},
    "organization_id": {"description": "Id of the organization that makes the product.", "pattern": SLUG["pattern"]},
    "organization_name": {"description": "The organization's name."},
    "categories": {"description": "Consent categories of the requests to this host, separated by spaces."},
    "requires_consent": {"description": "true when one of the host's categories requires consent.", "enum": ["true", "false"]},
    "block": {"description": "The vendor's verdict: true to block until the visitor consents.", "enum": ["true", "false"]},
    "vendor_categories": {"description": "The vendor's consent categories, separated by spaces."},
    "website": {"description": "The product's home page."},
    "privacy_policy": {"description": "The vendor's privacy policy."},
    "last_reviewed": {"description": "The date the vendor's record was last checked against its sources.", "format": "date"},
}
"""The columns of catalogue.csv, in order, with what each cell holds."""

COOKIE_COLUMNS: dict[str, Schema] = {
    "vendor_id": {"description": "Id of the vendor whose script sets the cookie.", "pattern": SLUG["pattern"]},
    "vendor_name": {"description": "The vendor's name."},
    "name": {"description": "The cookie's name, or the start of it when match is prefix."},
    "match": {"description": "exact: the name is the whole name; prefix: names starting with it.", "enum": ["exact", "prefix"]},
    "duration": {"description": "session, persistent, or an ISO 8601 duration such as P13M."},
    "party": {"description": "first: set on the site's own domain; third: set on the vendor's domain.", "enum": ["first", "third"]},
    "category": {"description": "The cookie's consent category.", "pattern": SLUG["pattern"]},
    "requires_consent": {"description": "true when the cookie's category requires consent.", "enum": ["true", "false"]},
    "description": {"description": "What the cookie stores and why; empty when the record gives no description."},
}
"""The columns of cookies.csv, in order, with what each cell holds."""

_CSV_NOTE = (
    " Every cell is text. A cell that would start with =, +, -, @, a tab or a carriage return starts with an apostrophe (')"
    " instead, so that spreadsheets show it rather than run it as a formula."
)


def catalogue_row_schema() -> Schema:
    return _row_schema("catalogue-csv-row.schema.json", "Consent Atlas catalogue.csv row",
                       "One row of catalogue.csv (one tracked domain) as a CSV reader returns it, keyed by the header.",
                       CATALOGUE_COLUMNS)


def cookie_row_schema() -> Schema:
    return _row_schema("cookies-csv-row.schema.json", "Consent Atlas cookies.csv row",
                       "One row of cookies.csv (one cookie) as a CSV reader returns it, keyed by the header.",
                       COOKIE_COLUMNS)


def _row_schema(name: str, title: str, description: str, columns: dict[str, Schema]) -> Schema:
    return {
        "$schema": DRAFT,
        "$id": SCHEMA_URL + name,
        "title": title,
        "description": description + _CSV_NOTE,
        "type": "object",
        "additionalProperties": False,
        "required": list(columns),
        "properties": {column: {"type": "string", **rules} for column, rules in columns.items()},
    }


def _file_schema(
    name: str, title: str, description: str, counts: tuple[str, ...], data: dict[str, Schema], definitions: dict[str, Schema]
) -> Schema:
    header = {
        "schema_version": {
            "description": "Semantic version of this schema. The major version is also in the path (api/v1/).",
            "type": "string",
            "pattern": SEMANTIC_VERSION,
        },
        "catalogue_version": {
            "description": "Version of the data: the build's UTC date and time as YYYY.MM.DD.HHMMSS, so later versions sort later.",
            "type": "string",
            "pattern": CATALOGUE_VERSION,
        },
        "date": {"description": "The build's UTC date (YYYY-MM-DD).", "type": "string", "format": "date"},
        "licence": {"$ref": "#/$defs/licence"},
        "counts": {
            "description": "The number of entries of each kind in the catalogue.",
            "type": "object",
            "additionalProperties": False,
            "required": list(counts),
            "properties": {kind: {"type": "integer", "minimum": 0} for kind in counts},
        },
    }
    return {
        "$schema": DRAFT,
        "$id": SCHEMA_URL + name,
        "title": title,
        "description": description,
        "type": "object",
        "additionalProperties": False,
        "required": [*header, *data],
        "properties": {**header, **data},
        "$defs": {"licence": _licence_schema(), **definitions},
    }


def _licence_schema() -> Schema:
    text = {"type": "string", "minLength": 1}
    url = {"type": "string", "format": "uri"}
    notice = {
        "type": "object",
        "additionalProperties": False,
        "required": ["source", "url", "spdx", "licence_url", "covers", "vendors"],
        "properties": {
            "source": {"description": "The name of the data set.", **text},
            "url": {"description": "Where the data set is published.", **url},
            "spdx": {"description": "SPDX identifier of the data set's licence.", **text},
            "licence_url": {"description": "The text of that licence.", **url},
            "covers": {"description": "Which facts of the catalogue come from the data set.", **text},
            "vendors": {"description": "Ids of the vendors whose sources cite the data set, sorted.", "type": "array", "items": SLUG},
        },
    }
    return {
        "description": "The licence of the data, and notices for facts that come from other data sets.",
        "type": "object",
        "additionalProperties": False,
        "required": ["name", "spdx", "url", "attribution", "notices"],
        "properties": {
            "name": text,
            "spdx": {"description": "SPDX identifier of the licence.", **text},
            "url": {"description": "The text of the licence.", **url},
            "attribution": {"description": "The credit to give when you share or adapt the data.", **text},
            "notices": {"type": "array", "items": notice},
        },
    }


def _published(schema: Schema, name: str) -> Schema:
    published = copy.deepcopy(schema)
    published["$id"] = SCHEMA_URL + name
    return published
