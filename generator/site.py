"""Everything the site adds to MkDocs' own files, computed from the catalogue in memory.

The MkDocs plugin calls `build_site_pages` once per build and only writes
what it returns. Because the page set is a plain value, it can be tested and
benchmarked without MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.export import BuildInfo, build_export
from generator.model import Catalogue
from generator.pages import indexes
from generator.pages.contribute import render_contribute
from generator.pages.downloads import render_downloads
from generator.pages.markdown import text
from generator.pages.vendor import RepositoryLinks, render_vendor


@dataclass(frozen=True)
class SitePages:
    pages: dict[str, str]
    """Generated Markdown pages by their path under the docs folder, such as `vendors/acme.md`."""
    downloads: dict[str, bytes] = field(default_factory=dict)
    """Export files by their path under the site, such as `api/v1/catalogue.json`."""
    placeholders: dict[str, str] = field(default_factory=dict)
    """Text that replaces each `{{ name }}` placeholder in hand-written pages."""
    edit_urls: dict[str, str] = field(default_factory=dict)
    """Generated page -> where to edit the record it is built from."""


def build_site_pages(catalogue: Catalogue, build_info: BuildInfo, repo_url: str, branch: str, root: Path) -> SitePages:
    record_paths = {vendor_id: _relative(path, root) for vendor_id, path in catalogue.vendor_files.items()}
    links = RepositoryLinks(edit_url=f"{repo_url}/edit/{branch}/", issue_url=f"{repo_url}/issues/new")
    pages = {
        f"vendors/{vendor_id}.md": render_vendor(catalogue, vendor, links, record_paths[vendor_id])
        for vendor_id, vendor in catalogue.vendors.items()
    }
    pages["vendors/index.md"] = indexes.render_vendor_index(catalogue)
    pages["categories/index.md"] = indexes.render_category_index(catalogue)
    for category_id, category in catalogue.categories.items():
        pages[f"categories/{category_id}.md"] = indexes.render_category(catalogue, category)
    pages["industries/index.md"] = indexes.render_industry_index(catalogue)
    for industry_id, industry in catalogue.industries.items():
        pages[f"industries/{industry_id}.md"] = indexes.render_industry(catalogue, industry)
    pages["organizations/index.md"] = indexes.render_organization_index(catalogue)
    edit_urls = {f"vendors/{vendor_id}.md": links.edit_url + path for vendor_id, path in record_paths.items()}
    contributing = root / "CONTRIBUTING.md"
    if contributing.is_file():
        pages["contribute.md"] = render_contribute(contributing.read_text(encoding="utf-8"), repo_url, branch)
        edit_urls["contribute.md"] = links.edit_url + "CONTRIBUTING.md"
    exports = build_export(catalogue, build_info)
    pages["downloads.md"] = render_downloads(catalogue, exports, build_info)
    downloads = {f"api/v1/{path}": content for path, content in exports.items()}
    return SitePages(pages=pages, downloads=downloads, placeholders=_placeholders(catalogue), edit_urls=edit_urls)


def _relative(path: str, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()


def _placeholders(catalogue: Catalogue) -> dict[str, str]:
    rows = ["| Category | Requires consent | Google Consent Mode |", "| --- | --- | --- |"]
    for category in catalogue.categories.values():
        modes = ", ".join(f"`{mode}`" for mode in category["consent_mode"]) or "–"
        rows.append(f"| [{text(category['name'])}](../categories/{category['id']}.md) | {'Yes' if category['requires_consent'] else 'No'} | {modes} |")
    return {
        "{{ vendor_count }}": str(len(catalogue.vendors)),
        "{{ organization_count }}": str(len(catalogue.organizations)),
        "{{ category_table }}": "\n".join(rows),
    }
