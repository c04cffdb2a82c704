"""The built site: vendor pages, index pages, search, metadata and safety.

Each test reads the HTML that MkDocs really wrote for the fixture catalogue
in tests/fixtures/catalogue (or a copy of it with one change).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import markdown
import pytest
from mkdocs.exceptions import Abort

from generator.model import build_catalogue
from generator.pages.vendor import RepositoryLinks, render_vendor
from tests.sitebuild import REPOSITORY, article, build_site, soup

FIXTURE = REPOSITORY / "tests" / "fixtures" / "catalogue"
SITE_URL = "https://consent-atlas.github.io/consent-atlas/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fixture-site")
    return build_site(FIXTURE, folder / "site", folder / "pages")


def copy_fixture(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(FIXTURE, target)
    return target


def headings(page: Path, level: str = "h2") -> list[str]:
    return [heading.get_text().rstrip("¶").strip() for heading in article(page).find_all(level)]


def table_rows(section_heading) -> list[list[str]]:
    table = section_heading.find_next("table")
    return [[cell.get_text().strip() for cell in row.find_all("td")] for row in table.find_all("tr")[1:]]


def heading_named(page: Path, text: str):
    return next(heading for heading in article(page).find_all("h2") if heading.get_text().startswith(text))


def test_vendor_page_sections_in_order(site: Path) -> None:
    assert headings(site / "vendors/acme-analytics/index.html") == [
        "Overview",
        "What the script does",
        "Consent and compliance",
        "Should you block it without consent?",
        "Consent categories",
        "Also known as",
        "Industries",
        "Tracked domains (2)",
        "Cookies and browser storage (2)",
        "Frequently asked questions",
        "Related vendors",
        "Sources",
    ]


def test_vendor_page_title_summary_and_organization(site: Path) -> None:
    content = article(site / "vendors/acme-analytics/index.html")
    paragraphs = content.find_all("p")

    assert content.h1.get_text().rstrip("¶") == "Acme Analytics"
    assert paragraphs[0].get_text() == "Acme Analytics counts page views and clicks with a first-party visitor cookie."
    assert paragraphs[2].get_text() == "Part of Acme Corporation · Website · Privacy policy · Cookie policy"
    assert paragraphs[2].a["href"] == "../../organizations/#acme"


def test_verdict_shown_under_the_summary(site: Path) -> None:
    blocked = article(site / "vendors/acme-analytics/index.html").find_all("p")[1]
    allowed = article(site / "vendors/guard-captcha/index.html").find_all("p")[1]

    assert blocked.get_text() == "Block it until the visitor consents: yes. Why"
    assert blocked["class"] == ["verdict", "verdict-block"]
    assert blocked.a["href"] == "#should-you-block-it-without-consent"
    assert allowed.get_text() == "Block it until the visitor consents: no. Why"
    assert allowed["class"] == ["verdict", "verdict-allow"]


def test_sections_without_data_are_left_out(site: Path) -> None:
    assert headings(site / "vendors/guard-captcha/index.html") == [
        "Overview",
        "What the script does",
        "Consent and compliance",
        "Should you block it without consent?",
        "Consent categories",
        "Industries",
        "Tracked domains (1)",
        "Frequently asked questions",
        "Related vendors",
        "Sources",
    ]


def test_verdict_stands_out_for_each_answer(site: Path) -> None:
    blocked = article(site / "vendors/acme-analytics/index.html").select_one(".admonition")
    allowed = article(site / "vendors/guard-captcha/index.html").select_one(".admonition")

    assert blocked["class"] == ["admonition", "danger"]
    assert blocked.select_one(".admonition-title").get_text() == "Yes: block it until the visitor consents"
    assert allowed["class"] == ["admonition", "success"]
    assert allowed.select_one(".admonition-title").get_text() == "No: it may load without consent"
    assert allowed.find_all("p")[1].get_text() == "It only protects the form the visitor is submitting."


def test_domains_table_lists_hosts_with_categories(site: Path) -> None:
    page = site / "vendors/acme-analytics/index.html"

    assert table_rows(heading_named(page, "Tracked domains")) == [
        ["cdn.acme-static.example", "Analytics"],
        ["px.acme.example", "Analytics"],
    ]


def test_cookies_table_shows_durations_in_words(site: Path) -> None:
    page = site / "vendors/acme-analytics/index.html"

    assert table_rows(heading_named(page, "Cookies")) == [
        ["_acme_id", "13 months", "First party", "Analytics", "Identifies the visitor across visits."],
        ["_acme_s_ (prefix)", "Session", "First party", "Analytics", "–"],
    ]


def test_category_and_related_links_reach_their_pages(site: Path) -> None:
    page = site / "vendors/acme-analytics/index.html"
    categories = heading_named(page, "Consent categories").find_next("ul").a
    related = heading_named(page, "Related vendors").find_next("ul").a

    assert (categories["href"], categories.get_text()) == ("../../categories/analytics/", "Analytics")
    assert (related["href"], related.get_text()) == ("../beacon-ads/", "Beacon Ads")
    assert (page.parent / categories["href"] / "index.html").resolve().is_file()
    assert (page.parent / related["href"] / "index.html").resolve().is_file()


def test_sources_footer_links_json_edit_and_report(site: Path) -> None:
    footer = heading_named(site / "vendors/acme-analytics/index.html", "Sources").find_next("ul").find_next("p")
    links = {link.get_text(): link["href"] for link in footer.find_all("a")}

    assert footer.get_text().startswith("Last reviewed: 30 November 2026 · ")
    assert links == {
        "This entry as JSON": "../../api/v1/vendors/acme-analytics.json",
        "Edit this entry": "https://github.com/consent-atlas/consent-atlas/edit/main/tests/fixtures/catalogue/vendors/acme-analytics.yaml",
        "Report a problem": (
            "https://github.com/consent-atlas/consent-atlas/issues/new?template=correct-vendor.yml&title=Correction%3A%20Acme%20Analytics"
        ),
    }


def test_edit_button_opens_the_record_not_the_generated_page(site: Path) -> None:
    button = soup(site / "vendors/acme-analytics/index.html").select_one("a.md-content__button[rel=edit]")

    assert button["href"].endswith("/edit/main/tests/fixtures/catalogue/vendors/acme-analytics.yaml")


def test_every_internal_link_resolves(site: Path) -> None:
    broken = []
    # MkDocs writes 404.html with links from the site root, since it is served for any missing path.
    for page in set(site.rglob("*.html")) - {site / "404.html"}:
        for link in soup(page).find_all(["a", "link"], href=True):
            target = urlsplit(link["href"])
            if target.scheme or target.netloc or not target.path:
                continue
            resolved = (page.parent / unquote(target.path)).resolve()
            if resolved.is_dir():
                resolved = resolved / "index.html"
            if not resolved.exists():
                broken.append(f"{page.relative_to(site)} -> {link['href']}")
    assert broken == []


def test_meta_description_and_canonical_url(site: Path) -> None:
    page = soup(site / "vendors/beacon-ads/index.html")

    assert page.find("meta", attrs={"name": "description"})["content"] == (
        "Beacon Ads is a retargeting pixel that follows visitors across sites."
    )
    assert page.find("link", rel="canonical")["href"] == SITE_URL + "vendors/beacon-ads/"
    assert page.title.get_text().startswith("Beacon Ads - ")


def test_faq_published_as_json_ld(site: Path) -> None:
    script = soup(site / "vendors/beacon-ads/index.html").find("script", type="application/ld+json")

    assert json.loads(script.string) == {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {"@type": "Question", "name": "Is Beacon Ads a tracker?", "acceptedAnswer": {"@type": "Answer", "text": "Yes."}},
            {"@type": "Question", "name": "Can I load it before consent?", "acceptedAnswer": {"@type": "Answer", "text": "No"}},
        ],
    }


def test_sitemap_lists_vendor_and_index_pages(site: Path) -> None:
    sitemap = (site / "sitemap.xml").read_text()

    for path in ("vendors/acme-analytics/", "vendors/", "categories/marketing/", "industries/security/", "organizations/"):
        assert f"<loc>{SITE_URL}{path}</loc>" in sitemap


def test_search_finds_name_alias_and_domain_but_not_index_pages(site: Path) -> None:
    entries = json.loads((site / "search/search_index.json").read_text())["docs"]
    vendor_text = " ".join(entry["title"] + " " + entry["text"] for entry in entries if entry["location"].startswith("vendors/acme-analytics/"))

    assert "Acme Analytics" in vendor_text
    assert "Acme Insights" in vendor_text
    assert "px.acme.example" in vendor_text
    assert not [entry for entry in entries if entry["location"] in ("vendors/", "categories/", "organizations/")]


def test_index_pages_list_name_summary_and_categories(site: Path) -> None:
    rows = table_rows(article(site / "categories/marketing/index.html").find("h2"))

    assert rows == [["Beacon Ads", "Beacon Ads is a retargeting pixel that follows visitors across sites.", "Marketing", "Yes"]]
    organizations = article(site / "organizations/index.html").get_text()
    assert "Part of Acme Corporation" in organizations
    assert "Owns Acme Labs GmbH" in organizations


def test_vendor_pages_stay_out_of_the_sidebar(site: Path) -> None:
    navigation = soup(site / "vendors/acme-analytics/index.html").select_one("nav.md-nav--primary")
    links = [link["href"] for link in navigation.find_all("a", href=True)]

    assert not [link for link in links if "beacon-ads" in link or "guard-captcha" in link]


def test_home_page_counts_vendors(site: Path) -> None:
    assert "The catalogue describes 3 vendors from 2 organizations." in article(site / "index.html").get_text(" ", strip=True).replace(" .", ".")


def test_name_with_yaml_specials_round_trips(tmp_path: Path) -> None:
    data = copy_fixture(tmp_path)
    record = data / "vendors/beacon-ads.yaml"
    record.write_text(record.read_text().replace("name: Beacon Ads", "name: 'Acme: Ads #2'"))

    site = build_site(data, tmp_path / "site", tmp_path / "pages")
    page = soup(site / "vendors/beacon-ads/index.html")

    assert page.h1.get_text().rstrip("¶") == "Acme: Ads #2"
    assert page.title.get_text().startswith("Acme: Ads #2 - ")


PAYLOADS = {
    "name": '<script>alert("name")</script>',
    "alias": "<img src=x onerror=alert('alias')>",
    "summary": "Click <a href=\"javascript:alert('summary')\">here</a> <b unclosed",
    "question": "<svg onload=alert('question')>?",
}


def test_payloads_in_text_fields_are_shown_not_run(tmp_path: Path) -> None:
    data = copy_fixture(tmp_path)
    record = data / "vendors/beacon-ads.yaml"
    text = record.read_text()
    text = text.replace("name: Beacon Ads", f"name: {json.dumps(PAYLOADS['name'])}")
    text = text.replace("tcf_vendor_id: 9999", f"aliases: [{json.dumps(PAYLOADS['alias'])}]\ntcf_vendor_id: 9999")
    text = text.replace("summary: Beacon Ads is a retargeting pixel that follows visitors across sites.", f"summary: {json.dumps(PAYLOADS['summary'])}")
    text = text.replace("question: Is Beacon Ads a tracker?", f"question: {json.dumps(PAYLOADS['question'])}")
    record.write_text(text)

    site = build_site(data, tmp_path / "site", tmp_path / "pages")
    content = article(site / "vendors/beacon-ads/index.html")

    assert content.h1.get_text().rstrip("¶") == PAYLOADS["name"]
    assert content.find_all("p")[0].get_text() == PAYLOADS["summary"]
    assert PAYLOADS["alias"] in content.get_text()
    assert PAYLOADS["question"] in [heading.get_text().rstrip("¶") for heading in content.find_all("h3")]
    assert content.find_all(["script", "img", "b"]) == []
    assert [svg for svg in content.find_all("svg") if not svg.find_parent("a", class_="md-content__button")] == []
    assert [tag for tag in content.find_all(True) if any(name.startswith("on") for name in tag.attrs)] == []


def test_payloads_in_title_and_description_are_escaped_in_head(tmp_path: Path) -> None:
    # Material writes the page title and description into <head> and the header bar from the front matter.
    data = copy_fixture(tmp_path)
    record = data / "vendors/beacon-ads.yaml"
    text = record.read_text().replace("name: Beacon Ads", f"name: {json.dumps(PAYLOADS['name'])}")
    text = text.replace("summary: Beacon Ads is a retargeting pixel that follows visitors across sites.", f"summary: {json.dumps(PAYLOADS['summary'])}")
    record.write_text(text)

    site = build_site(data, tmp_path / "site", tmp_path / "pages")
    page = soup(site / "vendors/beacon-ads/index.html")

    assert page.title.get_text().startswith(PAYLOADS["name"] + " - ")
    assert page.find("meta", attrs={"name": "description"})["content"] == PAYLOADS["summary"]
    assert [script for script in page.find_all("script") if "alert" in (script.string or "")] == []
    assert [tag for tag in page.find_all(True) if any(name.startswith("on") for name in tag.attrs)] == []
    assert page.find_all("a", href=lambda href: href and href.startswith("javascript")) == []


def test_prose_payloads_render_as_text_even_without_validation() -> None:
    # Validation rejects HTML and javascript: links in prose; the renderer must be safe without it.
    catalogue = build_catalogue(
        vendors=[_vendor_with_prose("<script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3)) <b")],
        organizations=[{"id": "acme", "name": "Acme", "website": "https://acme.example/",
                        "privacy_policy": "https://acme.example/p", "country": "US"}],
        categories=[{"id": "analytics", "name": "Analytics", "description": "d", "requires_consent": True, "consent_mode": []}],
        industries=[{"id": "analytics", "name": "Analytics", "description": "d"}],
        data_kinds=[{"id": "clicks", "name": "Clicks", "description": "d"}],
        vendor_files={},
    )
    links = RepositoryLinks("https://repo.example/edit/main/", "https://repo.example/issues/new")
    source = render_vendor(catalogue, catalogue.vendors["evil"], links, "data/vendors/evil.yaml")
    html = markdown.markdown(source.split("---\n", 2)[2], extensions=["admonition", "attr_list", "tables", "generator.markdown_safety"])

    assert "<script" not in html
    assert "<img" not in html
    assert "onerror=alert(2)&gt;" in html
    assert "javascript:" not in html.replace("[x](javascript:alert(3))", "")
    assert '<a href="javascript' not in html
    assert "&lt;b" in html


def _vendor_with_prose(payload: str) -> dict:
    return {
        "id": "evil", "name": "Evil", "organization": "acme", "industries": ["analytics"],
        "website": "https://evil.example/", "privacy_policy": "https://evil.example/p",
        "summary": "s", "overview": payload, "behaviour": payload, "compliance": payload,
        "categories": ["analytics"], "verdict": {"block": True, "reason": payload},
        "data_collected": ["clicks"], "domains": ["evil.example"],
        "cookies": [{"name": "c", "duration": "P1Y", "party": "first", "category": "analytics", "description": payload}],
        "faq": [{"question": "q?", "answer": payload}],
        "sources": [{"title": "t", "url": "https://evil.example/s"}], "last_reviewed": "2026-01-01",
    }


def test_two_builds_are_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764806400")
    first = build_site(FIXTURE, tmp_path / "one", tmp_path / "pages-one")
    second = build_site(FIXTURE, tmp_path / "two", tmp_path / "pages-two")

    files = sorted(path.relative_to(first) for path in first.rglob("*") if path.is_file())
    assert files == sorted(path.relative_to(second) for path in second.rglob("*") if path.is_file())
    assert [path for path in files if (first / path).read_bytes() != (second / path).read_bytes()] == []


def test_invalid_data_leaves_previous_site_untouched(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    data = copy_fixture(tmp_path)
    site = build_site(data, tmp_path / "site", tmp_path / "pages")
    before = (site / "vendors/acme-analytics/index.html").read_bytes()
    record = data / "vendors/acme-analytics.yaml"
    record.write_text(record.read_text().replace("categories: [analytics]", "categories: [analytic]"))

    with pytest.raises(Abort):
        build_site(data, site, tmp_path / "pages")

    assert "vendors/acme-analytics.yaml:18:14: error: categories[0]: there is no consent category `analytic`" in caplog.text
    assert (site / "vendors/acme-analytics/index.html").read_bytes() == before
