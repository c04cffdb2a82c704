"""The domain lookup: a script URL or host -> the vendor whose listed domain covers it."""

from __future__ import annotations

import json

import pytest

from generator.cli import main
from generator.lookup import InvalidTarget, lookup
from generator.model import Catalogue, build_catalogue
from tests.conftest import REPOSITORY

FIXTURE = REPOSITORY / "tests" / "fixtures" / "catalogue"

CATEGORIES = [
    {"id": "necessary", "requires_consent": False},
    {"id": "analytics", "requires_consent": True},
    {"id": "marketing", "requires_consent": True},
]


def vendor(vendor_id: str, domains: list, categories: list[str]) -> dict:
    return {
        "id": vendor_id,
        "name": vendor_id.replace("-", " ").title(),
        "organization": "pixel-works",
        "categories": categories,
        "verdict": {"block": categories != ["necessary"], "reason": "Fictional."},
        "domains": domains,
    }


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    """Two vendors where one's domain lies under the other's, an IDN domain, and a per-host category."""
    vendors = [
        vendor("pixel-works", ["px.example", {"host": "consent.px.example", "categories": ["necessary"]}], ["marketing"]),
        vendor("pixel-cdn", ["cdn.px.example"], ["analytics"]),
        vendor("buecher-stats", ["Bücher.example"], ["analytics"]),
    ]
    organizations = [{"id": "pixel-works", "name": "Pixel Works"}]
    return build_catalogue(vendors, organizations, CATEGORIES, [], [], {})


@pytest.mark.parametrize(("target", "vendor_id", "domain"), [
    ("px.example", "pixel-works", "px.example"),
    ("www.px.example", "pixel-works", "px.example"),
    ("a.b.c.px.example", "pixel-works", "px.example"),
    ("cdn.px.example", "pixel-cdn", "cdn.px.example"),
    ("eu.cdn.px.example", "pixel-cdn", "cdn.px.example"),
    ("consent.px.example", "pixel-works", "consent.px.example"),
    ("CDN.PX.EXAMPLE.", "pixel-cdn", "cdn.px.example"),
    ("Www.Px.Example", "pixel-works", "px.example"),
    ("https://cdn.px.example/t.js?x=1", "pixel-cdn", "cdn.px.example"),
    ("https://cdn.px.example:8443/v2/t.js#top", "pixel-cdn", "cdn.px.example"),
    ("//cdn.px.example/t.js", "pixel-cdn", "cdn.px.example"),
    ("cdn.px.example:8443/t.js", "pixel-cdn", "cdn.px.example"),
    ("https://user:secret@px.example/", "pixel-works", "px.example"),
    ("bücher.example", "buecher-stats", "xn--bcher-kva.example"),
    ("https://STATS.BÜCHER.example/s.js", "buecher-stats", "xn--bcher-kva.example"),
    ("xn--bcher-kva.example", "buecher-stats", "xn--bcher-kva.example"),
])
def test_lookup_finds_the_most_specific_listed_domain(catalogue: Catalogue, target: str, vendor_id: str, domain: str) -> None:
    match = lookup(catalogue, target)

    assert match is not None
    assert match.vendor["id"] == vendor_id
    assert match.domain == domain


@pytest.mark.parametrize("target", [
    "notpx.example",
    "https://notpx.example/t.js",
    "px.example.evil.example",
    "other.example",
    "cdn-px.example",
    "xbücher.example",
    "192.0.2.1",
    "https://192.0.2.1:8080/px.example",
])
def test_lookup_finds_no_vendor_for_an_unlisted_host(catalogue: Catalogue, target: str) -> None:
    assert lookup(catalogue, target) is None


def test_lookup_reports_the_categories_of_the_matching_host(catalogue: Catalogue) -> None:
    marketing = lookup(catalogue, "www.px.example")
    necessary = lookup(catalogue, "eu.consent.px.example")

    assert (marketing.categories, marketing.requires_consent) == (("marketing",), True)
    assert (necessary.categories, necessary.requires_consent) == (("necessary",), False)


def test_lookup_normalises_the_host_it_reports(catalogue: Catalogue) -> None:
    match = lookup(catalogue, "https://EU.CDN.px.example.:443/t.js")

    assert match.host == "eu.cdn.px.example"


@pytest.mark.parametrize("target", ["", "   ", "not a url", "http://", "https:///t.js", "???", "a..b", "-px.example",
                                    "mailto:someone@px.example", "localhost", "example"])
def test_lookup_rejects_non_url_text(catalogue: Catalogue, target: str) -> None:
    with pytest.raises(InvalidTarget) as raised:
        lookup(catalogue, target)

    assert str(raised.value) == f"{target!r} is not a URL or a host name"


# The command ---------------------------------------------------------------------------------------------------------


def run(arguments: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(["lookup", "--data", str(FIXTURE), *arguments])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_lookup_command_prints_the_vendor_and_verdict(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(["https://cdn.PX.acme.example:8443/t.js?x=1"], capsys)

    assert status == 0
    assert err == ""
    assert out == (
        "cdn.px.acme.example (covered by px.acme.example)\n"
        "Vendor: Acme Analytics (acme-analytics), by Acme Corporation\n"
        "Consent categories: Analytics (requires consent)\n"
        "Verdict: block until the visitor consents. It sets an identifying cookie for analytics, which needs consent.\n"
    )


def test_lookup_command_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["--json", "API.guard.example."], capsys)

    assert status == 0
    assert json.loads(out) == {
        "host": "api.guard.example",
        "domain": "api.guard.example",
        "vendor": "guard-captcha",
        "vendor_name": "Guard Captcha",
        "organization": "acme",
        "categories": ["necessary"],
        "requires_consent": False,
        "verdict": {"block": False, "reason": "It only protects the form the visitor is submitting."},
    }


def test_lookup_command_exits_1_when_no_vendor_matches(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(["notpx.acme.example"], capsys)

    assert status == 1
    assert out == ""
    assert err == "no vendor lists notpx.acme.example or a domain above it\n"


def test_lookup_command_json_null_without_match(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["--json", "https://unknown.example/t.js"], capsys)

    assert status == 1
    assert out == "null\n"


def test_lookup_command_exits_2_for_non_url(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(["not a url"], capsys)

    assert status == 2
    assert out == ""
    assert err == (
        "error: 'not a url' is not a URL or a host name "
        "(give a script URL such as https://cdn.example.com/t.js, or a host such as cdn.example.com)\n"
    )
