"""The real catalogue in data/ meets the content bar: every section filled, honest verdicts, real hosts."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.lookup import lookup
from generator.model import Catalogue
from generator.validation import validate
from tests.sitebuild import REPOSITORY, article, build_site

DATA = REPOSITORY / "data"

# Vendors that document no cookie names and have none in the Open Cookie Database.
# The test fails once one of them gains cookies, so the list cannot outlive its reason.
WITHOUT_DOCUMENTED_COOKIES = {
    "freshsales",  # Freshworks documents the persistent visitor cookie but not its name.
    "freshchat",
    "google-fonts",  # Google states the Fonts API sets no cookies.
    "cloudflare-web-analytics",  # Cookieless by design.
    "sentry",
    "hcaptcha",
    "criteo",  # Criteo's own pages name no cookie; the names circulating come from other catalogues.
}

# One real script or beacon address per vendor, and the vendor it must lead to.
SCRIPT_ADDRESSES = {
    "https://d952cmcgwqsjf.cloudfront.net/assets/analytics.js": "freshsales",
    "https://prism.app-us1.com/?a=123456": "activecampaign",
    "https://example.sc.omtrdc.net/b/ss/report/1": "adobe-analytics",
    "https://cdn.amplitude.com/libs/analytics-browser-2.0.0-min.js.gz": "amplitude",
    "https://challenges.cloudflare.com/cdn-cgi/challenge-platform/h/b/orchestrate/jsch/v1": "cloudflare-bot-management",
    "https://static.cloudflareinsights.com/beacon.min.js": "cloudflare-web-analytics",
    "https://t.contentsquare.net/uxa/0123456789abc.js": "contentsquare",
    "https://consent.cookiebot.com/uc.js": "cookiebot",
    "https://script.crazyegg.com/pages/scripts/0000/0000.js": "crazy-egg",
    "https://client.crisp.chat/l.js": "crisp",
    "https://static.criteo.net/js/ld/publishertag.js": "criteo",
    "https://js.driftt.com/include/1700000000000/abcdef.js": "drift",
    "https://edge.fullstory.com/s/fs.js": "fullstory",
    "https://wchat.freshchat.com/js/widget.js": "freshchat",
    "https://www.googleadservices.com/pagead/conversion.js": "google-ads",
    "https://www.google-analytics.com/g/collect?v=2": "google-analytics",
    "https://fonts.googleapis.com/css2?family=Roboto": "google-fonts",
    "https://maps.googleapis.com/maps/api/js?key=KEY": "google-maps",
    "https://www.recaptcha.net/recaptcha/api.js": "google-recaptcha",
    "https://www.googletagmanager.com/gtm.js?id=GTM-XXXX": "google-tag-manager",
    "https://js.hcaptcha.com/1/api.js": "hcaptcha",
    "https://cdn.heapanalytics.com/js/heap-123.js": "heap",
    "https://static.hotjar.com/c/hotjar-123.js?sv=6": "hotjar",
    "https://js.hs-scripts.com/123.js": "hubspot",
    "https://widget.intercom.io/widget/abc123": "intercom",
    "https://static.klaviyo.com/onsite/js/klaviyo.js?company_id=ABC": "klaviyo",
    "https://snap.licdn.com/li.lms-analytics/insight.min.js": "linkedin-insight-tag",
    "https://cdn.livechatinc.com/tracking.js": "livechat",
    "https://tools.luckyorange.com/core/lo.js?site-id=abc": "lucky-orange",
    "https://chimpstatic.com/mcjs-connected/js/users/abc/def.js": "mailchimp",
    "https://munchkin.marketo.net/munchkin.js": "marketo",
    "https://cdn.matomo.cloud/example.matomo.cloud/matomo.js": "matomo",
    "https://connect.facebook.net/en_US/fbevents.js": "meta-pixel",
    "https://bat.bing.com/bat.js": "microsoft-advertising-uet",
    "https://www.clarity.ms/tag/abcdef": "microsoft-clarity",
    "https://cdn.mxpnl.com/libs/mixpanel-2-latest.min.js": "mixpanel",
    "https://cdn.mouseflow.com/projects/abc.js": "mouseflow",
    "https://js-agent.newrelic.com/nr-loader-spa-1.250.0.min.js": "new-relic-browser",
    "https://cdn.cookielaw.org/scripttemplates/otSDKStub.js": "onetrust",
    "https://cdn.optimizely.com/js/123456.js": "optimizely",
    "https://widgets.outbrain.com/outbrain.js": "outbrain",
    "https://www.paypal.com/sdk/js?client-id=test": "paypal",
    "https://ct.pinterest.com/v3/?event=init&tid=2612345678901": "pinterest-tag",
    "https://plausible.io/js/script.js": "plausible-analytics",
    "https://secure.quantserve.com/quant.js": "quantcast",
    "https://pi.pardot.com/pd.js": "salesforce-account-engagement",
    "https://cdn.segment.com/analytics.js/v1/KEY/analytics.min.js": "segment",
    "https://browser.sentry-cdn.com/7.0.0/bundle.min.js": "sentry",
    "https://sc-static.net/scevent.min.js": "snap-pixel",
    "https://js.stripe.com/v3/": "stripe",
    "https://cdn.taboola.com/libtrc/publisher/loader.js": "taboola",
    "https://embed.tawk.to/abc/default": "tawk-to",
    "https://analytics.tiktok.com/i18n/pixel/events.js": "tiktok-pixel",
    "https://widget.trustpilot.com/bootstrap/v5/tp.widget.bootstrap.min.js": "trustpilot",
    "https://player.vimeo.com/video/76979871": "vimeo",
    "https://dev.visualwebsiteoptimizer.com/j.php?a=123": "vwo",
    "https://fast.wistia.com/assets/external/E-v1.js": "wistia",
    "https://static.ads-twitter.com/uwt.js": "x-pixel",
    "https://mc.yandex.ru/metrika/tag.js": "yandex-metrica",
    "https://www.youtube.com/iframe_api": "youtube",
    "https://static.zdassets.com/ekr/snippet.js?key=abc": "zendesk",
    "https://salesiq.zoho.com/widget": "zoho-salesiq",
}


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    result = validate(DATA)
    assert result.ok, [problem.format() for problem in result.problems if problem.severity.value == "error"]
    assert result.catalogue is not None
    return result.catalogue


def test_real_data_validates(catalogue: Catalogue) -> None:
    assert len(catalogue.vendors) >= 62


@pytest.mark.parametrize("field", ["summary", "overview", "behaviour", "compliance", "categories", "data_collected",
                                   "domains", "related", "sources", "industries"])
def test_every_vendor_fills_each_section(catalogue: Catalogue, field: str) -> None:
    assert [vendor_id for vendor_id, vendor in catalogue.vendors.items() if not vendor.get(field)] == []


def test_every_vendor_answers_three_questions(catalogue: Catalogue) -> None:
    assert [vendor_id for vendor_id, vendor in catalogue.vendors.items() if len(vendor.get("faq", [])) < 3] == []


def test_every_vendor_has_verdict_with_reason(catalogue: Catalogue) -> None:
    assert [vendor_id for vendor_id, vendor in catalogue.vendors.items() if len(vendor["verdict"]["reason"]) < 40] == []


def test_cookies_listed_unless_none_are_documented(catalogue: Catalogue) -> None:
    without = {vendor_id for vendor_id, vendor in catalogue.vendors.items() if not vendor.get("cookies")}

    assert without == WITHOUT_DOCUMENTED_COOKIES


def test_every_verdict_agrees_with_its_categories(catalogue: Catalogue) -> None:
    disagreeing = [
        vendor_id for vendor_id, vendor in catalogue.vendors.items()
        if vendor["verdict"]["block"] != catalogue.requires_consent(vendor)
    ]
    assert disagreeing == []


def test_verdicts_are_judged_not_by_rote(catalogue: Catalogue) -> None:
    allowed = {vendor_id for vendor_id, vendor in catalogue.vendors.items() if not vendor["verdict"]["block"]}

    assert {"cookiebot", "onetrust", "stripe", "google-recaptcha"} <= allowed
    assert {"meta-pixel", "google-ads", "hotjar", "freshsales"}.isdisjoint(allowed)


def test_every_organization_is_used(catalogue: Catalogue) -> None:
    used = {vendor["organization"] for vendor in catalogue.vendors.values()}
    used |= {organization.get("parent") for organization in catalogue.organizations.values()}

    assert set(catalogue.organizations) - used == set()


def test_no_domain_is_claimed_twice(catalogue: Catalogue) -> None:
    hosts = [entry["host"] for vendor in catalogue.vendors.values() for entry in vendor["domains"]]

    assert len(hosts) == len(set(hosts))


def test_open_cookie_database_is_credited_where_used(catalogue: Catalogue) -> None:
    notice = (REPOSITORY / "NOTICE").read_text()

    assert "Open Cookie Database" in notice
    assert "Apache" in notice


@pytest.mark.parametrize("address, vendor_id", sorted(SCRIPT_ADDRESSES.items(), key=lambda item: item[1]))
def test_lookup_finds_vendor_of_real_script_address(catalogue: Catalogue, address: str, vendor_id: str) -> None:
    match = lookup(catalogue, address)

    assert match is not None
    assert match.vendor["id"] == vendor_id


def test_every_vendor_has_a_script_address_in_the_table(catalogue: Catalogue) -> None:
    assert set(catalogue.vendors) == set(SCRIPT_ADDRESSES.values())


@pytest.fixture(scope="module")
def freshsales_page(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("real-site")
    site = build_site(DATA, folder / "site", folder / "pages")
    return " ".join(article(site / "vendors/freshsales/index.html").get_text(" ").split())


@pytest.mark.parametrize("fact", [
    "Freshworks product suite",
    "persistent first-party cookie",
    "page views and the time spent on each page",
    "clicks on buttons and links",
    "form submissions",
    "in real time",
    "form containing an email address",
    "activity recorded earlier under the anonymous identifier",
    "lead scoring",
    "start a workflow",
    "personal data under the GDPR",
    "Marketing (requires consent)",
    "Analytics (requires consent)",
    "Yes: block it until the visitor consents",
    "freshsales.com",
    "Is cookie consent required for Freshsales tracking?",
    "What data does the Freshsales script collect?",
    "How do I manage Freshsales tracking on my site?",
])
def test_freshsales_page_carries_each_fact(freshsales_page: str, fact: str) -> None:
    assert fact in freshsales_page
