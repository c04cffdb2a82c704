"""The catalogue: the one in-memory model every page, export and lookup reads.

Built by validation, only from data that passed every check. Records stay
plain dictionaries, as the contributor wrote them, with two normalisations
that spare every consumer a special case. Each domain entry becomes
`{host, categories}` with a normalised host and explicit categories, and each
cookie carries its `match`. Optional lists that were left out stay absent. Pages and exports are views of these records, so a
field added to the schema reaches the JSON export without further code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from generator import domains as hosts

Record = dict[str, Any]


@dataclass(frozen=True)
class Catalogue:
    vendors: dict[str, Record]
    organizations: dict[str, Record]
    categories: dict[str, Record]
    industries: dict[str, Record]
    data_kinds: dict[str, Record]
    vendor_files: dict[str, str] = field(default_factory=dict)
    """Vendor id -> the absolute path of the record's file, for "Edit this entry" links."""

    @cached_property
    def domain_index(self) -> dict[str, tuple[str, tuple[str, ...]]]:
        """Host -> (vendor id, consent categories) for every listed domain."""
        return {
            entry["host"]: (vendor_id, tuple(entry["categories"]))
            for vendor_id, vendor in self.vendors.items()
            for entry in vendor["domains"]
        }

    def vendors_by(self, key: str, value: str) -> list[Record]:
        """Return the vendors whose list field `key` contains `value`, sorted by name."""
        found = [vendor for vendor in self.vendors.values() if value in vendor.get(key, [])]
        return sorted(found, key=sort_key)

    def vendors_of_organization(self, organization_id: str) -> list[Record]:
        found = [vendor for vendor in self.vendors.values() if vendor["organization"] == organization_id]
        return sorted(found, key=sort_key)

    def requires_consent(self, vendor: Record) -> bool:
        return any(self.categories[category]["requires_consent"] for category in vendor["categories"])

    def vendors_sorted(self) -> list[Record]:
        return sorted(self.vendors.values(), key=sort_key)


def sort_key(record: Record) -> tuple[str, str]:
    return record["name"].casefold(), record["id"]


def normalise_vendor(raw: Record) -> Record:
    """Return a validated vendor record in the catalogue's normal form.

    The copy is shallow where nothing changes: the loaded documents are not
    used after the catalogue is built, and no view modifies a record.
    """
    vendor = dict(raw)
    entries = []
    for item in vendor["domains"]:
        text, categories = (item["host"], item.get("categories")) if isinstance(item, dict) else (item, None)
        host = hosts.parse_host(text)
        assert isinstance(host, str), "validation accepts only valid hosts"
        entries.append({"host": host, "categories": list(categories or vendor["categories"])})
    vendor["domains"] = sorted(entries, key=lambda entry: entry["host"])
    if "cookies" in vendor:
        vendor["cookies"] = [{"match": "exact", **cookie} for cookie in vendor["cookies"]]
    return vendor


def build_catalogue(
    vendors: list[Record],
    organizations: list[Record],
    categories: list[Record],
    industries: list[Record],
    data_kinds: list[Record],
    vendor_files: dict[str, str],
) -> Catalogue:
    return Catalogue(
        vendors={vendor["id"]: normalise_vendor(vendor) for vendor in sorted(vendors, key=lambda record: record["id"])},
        organizations={record["id"]: record for record in sorted(organizations, key=lambda record: record["id"])},
        categories={record["id"]: record for record in categories},
        industries={record["id"]: record for record in industries},
        data_kinds={record["id"]: record for record in data_kinds},
        vendor_files=vendor_files,
    )
