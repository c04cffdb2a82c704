"""The vendor page: one Markdown page per vendor at `vendors/<id>.md`.

Sections follow the order a visitor reads them in: who the vendor is, what
the script does, the verdict, how it is filed, the technical facts (domains,
cookies), questions, related vendors and sources. A section whose data is
missing from the record is left out rather than shown empty.

Material's search indexes only the page body. Sections a visitor would not
search for are marked `data-search-exclude`, so that the index stays small at
thousands of vendors. The name, summary, aliases and tracked domains stay
searchable.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from generator.durations import duration_in_words
from generator.model import Catalogue, Record
from generator.pages.markdown import indent, inline, link_url, page, prose, text

_NOT_SEARCHED = " { data-search-exclude }"


@dataclass(frozen=True)
class RepositoryLinks:
    """The repository addresses for editing a vendor's record and for reporting a problem with it."""

    edit_url: str
    """Prefix of a file's edit page, such as https://github.com/OWNER/REPO/edit/main/."""
    issue_url: str
    """The repository's new-issue address, such as https://github.com/OWNER/REPO/issues/new."""


def render_vendor(catalogue: Catalogue, vendor: Record, links: RepositoryLinks, record_path: str) -> str:
    """Return the Markdown page of one vendor; `record_path` is its YAML file, relative to the repository."""
    meta: dict[str, Any] = {"title": vendor["name"], "description": vendor["summary"]}
    if vendor.get("faq"):
        meta["faq"] = [{"question": item["question"], "answer": item["answer"]} for item in vendor["faq"]]
    body = [
        f"# {text(vendor['name'])}",
        text(vendor["summary"]),
        _verdict_line(vendor),
        _identity(catalogue, vendor),
        _section("Overview", prose(vendor["overview"]), searched=False),
        _section("What the script does", prose(vendor["behaviour"]), searched=False),
        _section("Consent and compliance", prose(vendor["compliance"]), searched=False),
        _verdict(vendor),
        _categories(catalogue, vendor),
        _aliases(vendor),
        _industries(catalogue, vendor),
        _domains(catalogue, vendor),
        _cookies(catalogue, vendor),
        _faq(vendor),
        _related(catalogue, vendor),
        _sources(vendor, links, record_path),
    ]
    return page(meta, body)


def _section(title: str, content: str, *, searched: bool = True) -> str:
    if not content:
        return ""
    return f"## {title}{'' if searched else _NOT_SEARCHED}\n\n{content}"


def _identity(catalogue: Catalogue, vendor: Record) -> str:
    organization = catalogue.organizations[vendor["organization"]]
    parts = [f"Part of [{text(organization['name'])}](../organizations/index.md#{organization['id']})"]
    for key, label in (("website", "Website"), ("privacy_policy", "Privacy policy"),
                       ("cookie_policy", "Cookie policy"), ("opt_out", "Opt out")):
        if vendor.get(key):
            parts.append(f"[{label}]({link_url(vendor[key])})")
    return " · ".join(parts) + "\n{ data-search-exclude }"


def _verdict_line(vendor: Record) -> str:
    """Return the one-line verdict under the summary, so that it is visible before any scrolling."""
    answer, style = ("yes", "block") if vendor["verdict"]["block"] else ("no", "allow")
    return (
        f"**Block it until the visitor consents: {answer}.** [Why](#should-you-block-it-without-consent)\n"
        f"{{ .verdict .verdict-{style} data-search-exclude }}"
    )


def _verdict(vendor: Record) -> str:
    reason = indent(prose(vendor["verdict"]["reason"]))
    if vendor["verdict"]["block"]:
        box = f'!!! danger "Yes: block it until the visitor consents"\n\n{reason}'
    else:
        box = f'!!! success "No: it may load without consent"\n\n{reason}'
    return _section("Should you block it without consent?", box, searched=False)


def _categories(catalogue: Catalogue, vendor: Record) -> str:
    items = []
    for category_id in vendor["categories"]:
        category = catalogue.categories[category_id]
        needs = "requires consent" if category["requires_consent"] else "no consent required"
        items.append(f"- [{text(category['name'])}](../categories/{category_id}.md) ({needs})")
    return _section("Consent categories", "\n".join(items), searched=False)


def _aliases(vendor: Record) -> str:
    return _section("Also known as", "\n".join(f"- {text(alias)}" for alias in vendor.get("aliases", [])))


def _industries(catalogue: Catalogue, vendor: Record) -> str:
    items = [f"- [{text(catalogue.industries[industry]['name'])}](../industries/{industry}.md)" for industry in vendor["industries"]]
    return _section("Industries", "\n".join(items), searched=False)


def _category_names(catalogue: Catalogue, category_ids: list[str]) -> str:
    return ", ".join(text(catalogue.categories[category_id]["name"]) for category_id in category_ids)


def _domains(catalogue: Catalogue, vendor: Record) -> str:
    rows = ["| Domain | Consent categories |", "| --- | --- |"]
    rows += [f"| {text(entry['host'])} | {_category_names(catalogue, entry['categories'])} |" for entry in vendor["domains"]]
    note = "A listed domain covers its subdomains.\n{ data-search-exclude }"
    return _section(f"Tracked domains ({len(vendor['domains'])})", note + "\n\n" + "\n".join(rows))


def _cookies(catalogue: Catalogue, vendor: Record) -> str:
    cookies = vendor.get("cookies", [])
    if not cookies:
        return ""
    rows = ["| Name | Duration | Party | Category | Description |", "| --- | --- | --- | --- | --- |"]
    for cookie in cookies:
        name = f"`{cookie['name']}`" if "`" not in cookie["name"] else text(cookie["name"])
        if cookie["match"] == "prefix":
            name += " (prefix)"
        description = " ".join(prose(cookie["description"]).split()).replace("|", "\\|") if cookie.get("description") else "–"
        rows.append(
            f"| {name} | {duration_in_words(cookie['duration'])} | {cookie['party'].capitalize()} party "
            f"| {_category_names(catalogue, [cookie['category']])} | {description} |"
        )
    return _section(f"Cookies and browser storage ({len(cookies)})", "\n".join(rows), searched=False)


def _faq(vendor: Record) -> str:
    blocks = [f"### {inline(item['question'])}{_NOT_SEARCHED}\n\n{prose(item['answer'])}" for item in vendor.get("faq", [])]
    return _section("Frequently asked questions", "\n\n".join(blocks), searched=False)


def _related(catalogue: Catalogue, vendor: Record) -> str:
    items = [f"- [{text(catalogue.vendors[related]['name'])}]({related}.md)" for related in vendor.get("related", [])]
    return _section("Related vendors", "\n".join(items), searched=False)


def _sources(vendor: Record, links: RepositoryLinks, record_path: str) -> str:
    items = [f"- [{text(source['title'])}]({link_url(source['url'])})" for source in vendor["sources"]]
    reviewed = datetime.date.fromisoformat(vendor["last_reviewed"])
    title = quote(f"Correction: {vendor['name']}")
    footer = [
        f"Last reviewed: {reviewed.day} {reviewed:%B %Y}",
        f"[This entry as JSON](../api/v1/vendors/{vendor['id']}.json)",
        f"[Edit this entry]({link_url(links.edit_url + record_path)})",
        f"[Report a problem]({link_url(f'{links.issue_url}?template=correct-vendor.yml&title={title}')})",
    ]
    return _section("Sources", "\n".join(items) + "\n\n" + " · ".join(footer), searched=False)
