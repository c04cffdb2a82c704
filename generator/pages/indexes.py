"""Index pages: every vendor A to Z, by consent category, by industry, by organization.

Each index lists a vendor's name, summary, categories and verdict. Index pages are
excluded from search: the vendor pages themselves are what a search should
find, and indexing thousands of summaries twice would triple the index.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.model import Catalogue, Record
from generator.pages.markdown import link_url, page, prose, text

_NOT_SEARCHED = {"search": {"exclude": True}}


def _vendor_table(catalogue: Catalogue, vendors: Iterable[Record], to_vendors: str) -> str:
    rows = ["| Vendor | Summary | Consent categories | Block until consent |", "| --- | --- | --- | --- |"]
    for vendor in vendors:
        categories = ", ".join(text(catalogue.categories[category]["name"]) for category in vendor["categories"])
        block = "Yes" if vendor["verdict"]["block"] else "No"
        rows.append(f"| [{text(vendor['name'])}]({to_vendors}{vendor['id']}.md) | {text(vendor['summary'])} | {categories} | {block} |")
    return "\n".join(rows) if len(rows) > 2 else "No vendor yet."


def render_vendor_index(catalogue: Catalogue) -> str:
    groups: dict[str, list[Record]] = {}
    for vendor in catalogue.vendors_sorted():
        initial = vendor["name"][0].upper()
        groups.setdefault(initial if initial.isalpha() else "#", []).append(vendor)
    jump = " · ".join(f"[{text(letter)}](#{_anchor(letter)})" for letter in groups)
    body = [
        "# All vendors A to Z",
        f"The catalogue describes {len(catalogue.vendors)} vendors.",
        jump,
    ]
    for letter, vendors in groups.items():
        body.append(f"## {text(letter)} {{ #{_anchor(letter)} }}\n\n{_vendor_table(catalogue, vendors, '')}")
    return page({"title": "All vendors A to Z", **_NOT_SEARCHED}, body)


def _anchor(letter: str) -> str:
    return f"letter-{letter.lower()}" if letter.isalpha() else "letter-other"


def render_category_index(catalogue: Catalogue) -> str:
    rows = ["| Category | Requires consent | Google Consent Mode | Vendors |", "| --- | --- | --- | --- |"]
    for category in catalogue.categories.values():
        count = len(catalogue.vendors_by("categories", category["id"]))
        modes = ", ".join(f"`{mode}`" for mode in category["consent_mode"]) or "–"
        rows.append(
            f"| [{text(category['name'])}]({category['id']}.md) | {'Yes' if category['requires_consent'] else 'No'} "
            f"| {modes} | {count} |"
        )
    body = [
        "# Vendors by consent category",
        "Each vendor is filed under the consent categories its script falls under. "
        "[How categories and verdicts are decided](../about/verdicts.md).",
        "\n".join(rows),
    ]
    return page({"title": "Vendors by consent category", **_NOT_SEARCHED}, body)


def render_category(catalogue: Catalogue, category: Record) -> str:
    vendors = catalogue.vendors_by("categories", category["id"])
    needs = "Scripts in this category require the visitor's consent." if category["requires_consent"] else (
        "Scripts in this category may run without consent.")
    body = [
        f"# {text(category['name'])}",
        prose(category["description"]),
        needs,
        f"## Vendors ({len(vendors)})\n\n{_vendor_table(catalogue, vendors, '../vendors/')}",
    ]
    return page({"title": f"{category['name']} vendors", "description": category["description"], **_NOT_SEARCHED}, body)


def render_industry_index(catalogue: Catalogue) -> str:
    rows = ["| Industry | Description | Vendors |", "| --- | --- | --- |"]
    for industry in catalogue.industries.values():
        count = len(catalogue.vendors_by("industries", industry["id"]))
        rows.append(f"| [{text(industry['name'])}]({industry['id']}.md) | {text(industry['description'])} | {count} |")
    return page({"title": "Vendors by industry", **_NOT_SEARCHED}, ["# Vendors by industry", "\n".join(rows)])


def render_industry(catalogue: Catalogue, industry: Record) -> str:
    vendors = catalogue.vendors_by("industries", industry["id"])
    body = [
        f"# {text(industry['name'])}",
        text(industry["description"]),
        f"## Vendors ({len(vendors)})\n\n{_vendor_table(catalogue, vendors, '../vendors/')}",
    ]
    return page({"title": f"{industry['name']} vendors", "description": industry["description"], **_NOT_SEARCHED}, body)


def render_organization_index(catalogue: Catalogue) -> str:
    body = ["# Organizations", "The companies behind the vendors, with the products of each."]
    organizations = sorted(catalogue.organizations.values(), key=lambda record: (record["name"].casefold(), record["id"]))
    for organization in organizations:
        facts = [f"Country: {organization['country']}", f"[Website]({link_url(organization['website'])})",
                 f"[Privacy policy]({link_url(organization['privacy_policy'])})"]
        parent = organization.get("parent")
        if parent:
            facts.insert(0, f"Part of [{text(catalogue.organizations[parent]['name'])}](#{parent})")
        children = [other for other in organizations if other.get("parent") == organization["id"]]
        if children:
            facts.append("Owns " + ", ".join(f"[{text(child['name'])}](#{child['id']})" for child in children))
        vendors = catalogue.vendors_of_organization(organization["id"])
        section = f"## {text(organization['name'])} {{ #{organization['id']} }}\n\n" + " · ".join(facts)
        if vendors:
            section += "\n\n" + _vendor_table(catalogue, vendors, "../vendors/")
        body.append(section)
    return page({"title": "Organizations", **_NOT_SEARCHED}, body)
