"""A vendor page as a visitor sees it in Chromium: sections, verdict, tables and links.

The pages are those of the real catalogue in data/; expected values are read
from the same catalogue, so the tests follow the content writers' edits.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from generator.durations import duration_in_words
from generator.model import Catalogue, Record
from tests.browser.browsing import SiteServer, open_page

pytestmark = pytest.mark.browser

VENDOR = "freshsales"
WITH_COOKIES = "google-analytics"

VERDICT_COLOURS = {"danger": "rgb(255, 23, 68)", "success": "rgb(0, 200, 83)"}
"""Material's admonition colours (#ff1744 and #00c853), the left border of the verdict box."""


def expected_sections(vendor: Record) -> list[str]:
    optional = {
        "Also known as": vendor.get("aliases"),
        "Industries": vendor.get("industries"),
        f"Cookies and browser storage ({len(vendor.get('cookies', []))})": vendor.get("cookies"),
        "Frequently asked questions": vendor.get("faq"),
        "Related vendors": vendor.get("related"),
    }
    order = [
        "Overview", "What the script does", "Consent and compliance", "Should you block it without consent?",
        "Consent categories", "Also known as", "Industries", f"Tracked domains ({len(vendor['domains'])})",
        f"Cookies and browser storage ({len(vendor.get('cookies', []))})", "Frequently asked questions", "Related vendors", "Sources",
    ]
    return [title for title in order if title not in optional or optional[title]]


def section_titles(page: Page) -> list[str]:
    return [title.rstrip("¶").strip() for title in page.locator("article h2").all_inner_texts()]


def table_after(page: Page, heading: str) -> list[list[str]]:
    table = page.locator(f"article h2:has-text({heading!r}) ~ div.md-typeset__scrollwrap table, article h2:has-text({heading!r}) ~ table").first
    return [row.locator("td").all_inner_texts() for row in table.locator("tbody tr").all()]


def list_links(page: Page, heading: str) -> list[tuple[str, str]]:
    links = page.locator(f"article h2:has-text({heading!r}) + ul a")
    return [(link.inner_text(), link.get_attribute("href") or "") for link in links.all()]


def test_sections_shown_in_reading_order(page: Page, site: SiteServer, catalogue: Catalogue) -> None:
    open_page(page, site.url(f"vendors/{VENDOR}/"))
    tops = [box["y"] for box in (heading.bounding_box() for heading in page.locator("article h2").all()) if box]

    assert page.locator("article h1").inner_text().rstrip("¶").strip() == catalogue.vendors[VENDOR]["name"]
    assert section_titles(page) == expected_sections(catalogue.vendors[VENDOR])
    assert len(tops) == len(section_titles(page))
    assert tops == sorted(tops)


def test_verdict_visible_with_colour_of_answer(page: Page, site: SiteServer, catalogue: Catalogue) -> None:
    block = catalogue.vendors[VENDOR]["verdict"]["block"]
    kind, title = ("danger", "Yes: block it until the visitor consents") if block else ("success", "No: it may load without consent")
    open_page(page, site.url(f"vendors/{VENDOR}/"))
    verdict = page.locator("article .admonition").first

    assert verdict.is_visible()
    assert verdict.evaluate("element => element.closest('details:not([open])') === null")
    assert verdict.get_attribute("class") == f"admonition {kind}"
    assert verdict.locator(".admonition-title").inner_text() == title
    assert verdict.evaluate("element => getComputedStyle(element).borderLeftColor") == VERDICT_COLOURS[kind]


def test_verdict_listed_in_first_viewport_contents(page: Page, site: SiteServer) -> None:
    # The one-line verdict under the summary is in the first viewport; the full verdict box sits
    # below three prose sections, and the table of contents leads to it without scrolling.
    open_page(page, site.url(f"vendors/{VENDOR}/"))
    entry = page.locator("nav.md-nav--secondary a.md-nav__link", has_text="Should you block it without consent?")

    line = page.locator("article p.verdict")
    assert line.bounding_box()["y"] + line.bounding_box()["height"] <= page.viewport_size["height"]
    assert entry.is_visible()
    assert entry.bounding_box()["y"] + entry.bounding_box()["height"] <= page.viewport_size["height"]
    entry.click()
    page.wait_for_function("() => location.hash === '#should-you-block-it-without-consent'")
    assert page.locator("article .admonition").first.is_visible()


def test_domains_table_lists_hosts_and_categories(page: Page, site: SiteServer, catalogue: Catalogue) -> None:
    vendor = catalogue.vendors[VENDOR]
    expected = [[entry["host"], ", ".join(catalogue.categories[c]["name"] for c in entry["categories"])] for entry in vendor["domains"]]
    open_page(page, site.url(f"vendors/{VENDOR}/"))

    assert table_after(page, "Tracked domains") == expected
    assert page.locator("article table").first.is_visible()


def test_cookies_table_lists_each_cookie(page: Page, site: SiteServer, catalogue: Catalogue) -> None:
    cookies = catalogue.vendors[WITH_COOKIES]["cookies"]
    open_page(page, site.url(f"vendors/{WITH_COOKIES}/"))
    rows = table_after(page, "Cookies")

    assert [row[0] for row in rows] == [cookie["name"] + (" (prefix)" if cookie["match"] == "prefix" else "") for cookie in cookies]
    assert [row[1] for row in rows] == [duration_in_words(cookie["duration"]) for cookie in cookies]
    assert [row[2] for row in rows] == [f"{cookie['party'].capitalize()} party" for cookie in cookies]
    assert [row[3] for row in rows] == [catalogue.categories[cookie["category"]]["name"] for cookie in cookies]


def test_vendor_without_cookies_has_no_cookies_section(page: Page, site: SiteServer, catalogue: Catalogue) -> None:
    assert not catalogue.vendors[VENDOR].get("cookies")
    open_page(page, site.url(f"vendors/{VENDOR}/"))

    assert [title for title in section_titles(page) if title.startswith("Cookies")] == []


def test_related_vendor_links_open_their_pages(page: Page, site: SiteServer, catalogue: Catalogue) -> None:
    related = catalogue.vendors[VENDOR]["related"]
    open_page(page, site.url(f"vendors/{VENDOR}/"))

    assert [name for name, _ in list_links(page, "Related vendors")] == [catalogue.vendors[other]["name"] for other in related]
    for other in related:
        with page.expect_navigation() as navigation:
            page.locator("article h2:has-text('Related vendors') + ul").get_by_role("link", name=catalogue.vendors[other]["name"], exact=True).click()
        assert navigation.value.status == 200
        assert page.url == site.url(f"vendors/{other}/")
        assert page.locator("article h1").inner_text().rstrip("¶").strip() == catalogue.vendors[other]["name"]
        page.go_back()


def test_category_links_open_category_pages_listing_vendor(page: Page, site: SiteServer, catalogue: Catalogue) -> None:
    vendor = catalogue.vendors[VENDOR]
    open_page(page, site.url(f"vendors/{VENDOR}/"))

    for category_id in vendor["categories"]:
        name = catalogue.categories[category_id]["name"]
        with page.expect_navigation() as navigation:
            page.locator("article h2:has-text('Consent categories') + ul").get_by_role("link", name=name, exact=True).click()
        assert navigation.value.status == 200
        assert page.url == site.url(f"categories/{category_id}/")
        assert page.locator("article h1").inner_text().rstrip("¶").strip() == name
        assert page.locator(f"article table a[href='../../vendors/{VENDOR}/']").count() == 1
        page.go_back()
