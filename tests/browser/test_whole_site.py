"""The whole site in Chromium: index pages, links, console errors and phone-sized layout.

One crawl, at a phone-sized viewport, visits every page reachable from the
home page over loopback and records each page's links, element ids, width
and errors; the tests below assert on that record. Links to other sites are
only listed (in test-results/external-links.txt), never fetched.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page

from generator.model import Catalogue
from tests.browser.browsing import (
    EXTERNAL_LINKS, PHONE, ServerPool, SiteServer, Visit, Watcher, broken_links, crawl, external_links, open_context, open_page,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def crawled(browser: Browser, servers: ServerPool, site: SiteServer) -> Iterator[tuple[dict[str, Visit], Watcher]]:
    context, watcher = open_context(browser, servers, viewport=PHONE, is_mobile=True, has_touch=True)
    visits = crawl(context.new_page(), site.url())
    yield visits, watcher
    context.close()


def vendor_links(page: Page, selector: str = "article") -> set[str]:
    """Return the ids of the vendor pages linked from `selector`, read from the resolved link targets."""
    hrefs = page.locator(selector).evaluate("element => [...element.querySelectorAll('a[href]')].map((link) => link.href)")
    paths = [urlsplit(href).path for href in hrefs]
    return {path.split("/")[2] for path in paths if path.startswith("/vendors/") and path != "/vendors/"}


def test_a_to_z_lists_every_vendor(page: Page, site: SiteServer, catalogue: Catalogue) -> None:
    open_page(page, site.url("vendors/"))
    names = page.locator("article table a").all_inner_texts()

    assert vendor_links(page) == set(catalogue.vendors)
    assert sorted(names) == sorted(vendor["name"] for vendor in catalogue.vendors.values())


def test_category_pages_list_exactly_their_vendors(page: Page, site: SiteServer, catalogue: Catalogue) -> None:
    open_page(page, site.url("categories/"))
    listed = vendor_links(page)
    linked = set(page.locator("article table a").evaluate_all("links => links.map((link) => link.href)"))

    assert listed == set()
    assert linked == {site.url(f"categories/{category_id}/") for category_id in catalogue.categories}
    for category_id in catalogue.categories:
        open_page(page, site.url(f"categories/{category_id}/"))
        expected = {vendor_id for vendor_id, vendor in catalogue.vendors.items() if category_id in vendor["categories"]}
        assert vendor_links(page) == expected, category_id


def test_industry_pages_list_exactly_their_vendors(page: Page, site: SiteServer, catalogue: Catalogue) -> None:
    open_page(page, site.url("industries/"))
    linked = set(page.locator("article table a").evaluate_all("links => links.map((link) => link.href)"))

    assert linked == {site.url(f"industries/{industry_id}/") for industry_id in catalogue.industries}
    for industry_id in catalogue.industries:
        open_page(page, site.url(f"industries/{industry_id}/"))
        expected = {vendor_id for vendor_id, vendor in catalogue.vendors.items() if industry_id in vendor["industries"]}
        assert vendor_links(page) == expected, industry_id


def test_organizations_page_lists_each_with_its_vendors(page: Page, site: SiteServer, catalogue: Catalogue) -> None:
    open_page(page, site.url("organizations/"))
    # Each organization is an h2 with the organization's id; its vendor table follows before the next h2.
    sections = page.locator("article").evaluate("""article => {
        const sections = {};
        let current = null;
        for (const element of article.children) {
            if (element.tagName === "H2") { current = element.id; sections[current] = []; continue; }
            if (current === null) continue;
            for (const link of element.querySelectorAll("table a[href]")) sections[current].push(link.href);
        }
        return sections;
    }""")
    listed = {organization: {href.rstrip("/").rsplit("/", 1)[1] for href in hrefs} for organization, hrefs in sections.items()}
    expected = {
        organization_id: {vendor_id for vendor_id, vendor in catalogue.vendors.items() if vendor["organization"] == organization_id}
        for organization_id in catalogue.organizations
    }

    assert listed == expected


def test_crawl_reaches_every_built_page(crawled: tuple[dict[str, Visit], Watcher], site: SiteServer) -> None:
    visits, _ = crawled
    folders = {path.relative_to(site.root).parent.as_posix() for path in site.root.rglob("index.html")}
    built = {site.url("" if folder == "." else f"{folder}/") for folder in folders}

    # MkDocs' 404.html is served for missing paths, never linked; every other page must be reachable.
    assert sorted(built - set(visits)) == []


def test_every_link_resolves(crawled: tuple[dict[str, Visit], Watcher]) -> None:
    visits, _ = crawled
    external = external_links(visits)
    EXTERNAL_LINKS.parent.mkdir(parents=True, exist_ok=True)
    EXTERNAL_LINKS.write_text("\n".join(external) + "\n", encoding="utf-8")
    print(f"{len(external)} links to other sites, not fetched, listed in {EXTERNAL_LINKS}")

    assert len(visits) > len([visit for visit in visits.values() if not visit.html])
    assert broken_links(visits) == []


def test_no_console_errors_or_failed_requests(crawled: tuple[dict[str, Visit], Watcher]) -> None:
    _, watcher = crawled

    assert watcher.problems() == []


def test_no_horizontal_scrolling_at_phone_width(crawled: tuple[dict[str, Visit], Watcher]) -> None:
    visits, _ = crawled
    too_wide = [f"{visit.url}: {visit.scroll_width} px" for visit in visits.values() if visit.html and visit.scroll_width > PHONE["width"]]

    assert [visit for visit in visits.values() if visit.html]
    assert too_wide == []
