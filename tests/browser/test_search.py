"""Material's search box finds a vendor by its name, each of its aliases and each of its tracked domains.

Material runs the search in a web worker that loads search/search_index.json,
so each test types into the box as a visitor does and waits for the results.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from generator.model import Catalogue, Record
from tests.browser.browsing import SiteServer, open_page

pytestmark = pytest.mark.browser

VENDOR = "freshsales"

QUERIES = {
    "name": lambda vendor: [vendor["name"]],
    "alias": lambda vendor: vendor["aliases"],
    "domain": lambda vendor: [entry["host"] for entry in vendor["domains"]],
}


def finds(page: Page, query: str, url: str) -> bool:
    """Type `query` into the search box and wait up to 10 seconds for a result linking to `url`."""
    box = page.locator("input.md-search__input")
    box.click()
    # Material reacts to key events, not to a value set at once, so the query is typed key by key.
    box.press_sequentially(query)
    # Result links carry Material's highlight parameter, as in `vendors/freshsales/?h=freshsales`.
    result = page.locator(f".md-search-result__item > a.md-search-result__link[href^='{url}?']")
    try:
        expect(result.first).to_be_visible(timeout=10_000)
    except AssertionError:
        return False
    return True


@pytest.mark.parametrize("kind", QUERIES)
def test_search_brings_up_vendor(page: Page, site: SiteServer, catalogue: Catalogue, kind: str) -> None:
    vendor: Record = catalogue.vendors[VENDOR]
    queries = QUERIES[kind](vendor)
    missing = []
    for query in queries:
        open_page(page, site.url())
        if not finds(page, query, site.url(f"vendors/{VENDOR}/")):
            missing.append(query)

    assert queries
    assert missing == []
