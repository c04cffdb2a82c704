"""Importing cookie facts from the Open Cookie Database (`python -m generator import-ocd`)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.ocd import CATEGORIES, MappingEntry, load_mapping, parse_domain, parse_retention, read_csv, read_rows, Domain
from generator.problems import Problem

REPOSITORY = Path(__file__).resolve().parent.parent
FIXTURES = REPOSITORY / "tests" / "fixtures"
DATA = REPOSITORY / "data"
OCD_CSV = REPOSITORY.parent / "shared" / "data" / "open-cookie-database" / "open-cookie-database.csv"
needs_real_csv = pytest.mark.skipif(not OCD_CSV.is_file(), reason=f"the Open Cookie Database copy is not at {OCD_CSV}")


@pytest.mark.parametrize(("text", "duration"), [
    ("session", "session"), ("Session", "session"), ("End of session (browser)", "session"),
    ("persistent", "persistent"), ("forever", "persistent"),
    ("1 year", "P1Y"), ("2 Years", "P2Y"), ("13 months", "P13M"), ("30 minutes", "PT30M"), ("30 mins", "PT30M"),
    ("30 days", "P30D"), ("2 weeks", "P2W"), ("24 hours", "PT24H"), ("90 sec", "PT90S"), ("1 year ", "P1Y"),
    ("2 years after last activity", "P2Y"), ("10 years from set/ update", "P10Y"), ("13 months by default, modifiable", "P13M"),
])
def test_retention_read_as_duration(text: str, duration: str) -> None:
    assert parse_retention(text) == duration


@pytest.mark.parametrize("text", ["10 Nov 2030", "Unknown", "Varies", "", "0 days", "Seesion", "Session to 30 days", "1 week to 1 year"])
def test_retention_not_guessed(text: str) -> None:
    assert parse_retention(text) is None


@pytest.mark.parametrize(("text", "domain"), [
    ("", Domain((), "first")),
    ("cookiebot.com (3rd party)", Domain(("cookiebot.com",), "third")),
    (".taboola.com", Domain(("taboola.com",), None)),
    (".bing.com (3rd party) or .microsoft.com (3rd party)", Domain(("bing.com", "microsoft.com"), "third")),
    (".commander1.com\u200b", Domain(("commander1.com",), None)),
])
def test_domain_read_as_hosts_and_party(text: str, domain: Domain) -> None:
    assert parse_domain(text) == domain


@pytest.mark.parametrize("text", ["google-analytics.com (3rd party) or ", "ads-[account].adhese.com", "ut"])
def test_domain_not_guessed(text: str) -> None:
    assert parse_domain(text) is None


def catalogue_copy(tmp_path: Path, mapping: str | None = None) -> Path:
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "catalogue", data)
    target = data / "ocd-platforms.yaml"
    if mapping is None:
        shutil.copy(FIXTURES / "ocd" / "ocd-platforms.yaml", target)
    else:
        target.write_text(mapping, encoding="utf-8")
    return data


def test_dry_run_report_matches_fixture(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    data = catalogue_copy(tmp_path)
    before = (data / "vendors" / "acme-analytics.yaml").read_bytes()
    monkeypatch.chdir(tmp_path)

    assert main(["import-ocd", str(FIXTURES / "ocd" / "cookies.csv")]) == 0
    assert capsys.readouterr().out == (FIXTURES / "ocd" / "dry-run.txt").read_text(encoding="utf-8")
    assert (data / "vendors" / "acme-analytics.yaml").read_bytes() == before


def test_apply_adds_cookies_and_source_once(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    data = catalogue_copy(tmp_path)
    monkeypatch.chdir(tmp_path)

    assert main(["import-ocd", str(FIXTURES / "ocd" / "cookies.csv"), "--apply"]) == 0
    record = (data / "vendors" / "acme-analytics.yaml").read_text(encoding="utf-8")
    assert "acme_pref" not in record  # functional, which the analytics vendor is not filed under
    assert "  - name: acme_seg\n    duration: session\n    party: third\n    category: analytics\n" in record
    assert record.endswith(
        "  - title: Open Cookie Database (Apache-2.0)\n    url: https://github.com/jkwakman/Open-Cookie-Database\n"
        "last_reviewed: 2026-11-30\n"
    )
    assert "  - name: _acme_s_\n    match: prefix\n    duration: session\n" in record  # the contributor's value is kept
    assert (data / "vendors" / "beacon-ads.yaml").read_text(encoding="utf-8") == (FIXTURES / "catalogue" / "vendors" / "beacon-ads.yaml").read_text(encoding="utf-8")
    capsys.readouterr()

    written = {path: path.read_bytes() for path in (data / "vendors").iterdir()}
    assert main(["import-ocd", str(FIXTURES / "ocd" / "cookies.csv"), "--apply"]) == 0
    assert {path: path.read_bytes() for path in (data / "vendors").iterdir()} == written
    assert "  cookies added: 0 in 0 records\n" in capsys.readouterr().out
    assert main(["validate", "--data", "data"]) == 0


MAPPING_ERRORS = """\
- platform: Acme
  vendor: acme-analytic
- platform: Beacon
  vendor: beacon-ads
  not_ours: It is ours.
- platform: Beacn
  not_ours: A typo.
- platform: Shopify
- platform: Acme
  vendor: acme-analytics
  cookies: [_acme_id, no_such_cookie]
"""


def test_mapping_problems_have_positions_and_exact_messages(tmp_path: Path) -> None:
    data = catalogue_copy(tmp_path, MAPPING_ERRORS)
    problems: list[Problem] = []
    rows = read_csv(FIXTURES / "ocd" / "cookies.csv", problems)
    load_mapping(data / "ocd-platforms.yaml", {"acme-analytics", "beacon-ads", "guard-captcha"}, rows, problems)
    assert [(problem.line, problem.column, problem.field, problem.message, problem.hint) for problem in problems] == [
        (2, 11, "[0].vendor", "the vendor `acme-analytic` is not in the catalogue (no data/vendors/acme-analytic.yaml)",
         "did you mean `acme-analytics`?"),
        (5, 3, "[1].not_ours", "`Beacon` has both `vendor` and `not_ours`",
         "keep `vendor` if its rows are that vendor's, or `not_ours` if they are not"),
        (6, 13, "[2].platform", "no row of the CSV has the platform `Beacn`", "did you mean `Beacon`?"),
        (8, 3, "[3]", "`Shopify` has neither `vendor` nor `not_ours`",
         "add `vendor: <id>`, or `not_ours:` with the reason the platform is not ours"),
        (11, 12, "[4].cookies", "`Acme` has no row for the cookie `no_such_cookie`",
         "copy the name from the Cookie / Data Key name column"),
        (9, 13, "[4].platform", "`Acme` is listed twice, at lines 1 and 9",
         "give each entry a `cookies:` list of the names it takes, or merge the entries"),
    ]


def test_import_stops_on_mapping_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    catalogue_copy(tmp_path, "- platform: Acme\n  vendor: nobody\n")
    monkeypatch.chdir(tmp_path)
    assert main(["import-ocd", str(FIXTURES / "ocd" / "cookies.csv")]) == 1
    assert capsys.readouterr().err == (
        "data/ocd-platforms.yaml:2:11: error: [0].vendor: the vendor `nobody` is not in the catalogue "
        "(no data/vendors/nobody.yaml) (write the id of a file in data/vendors/)\n"
    )


@needs_real_csv
def test_every_retention_value_of_real_file_is_accounted_for() -> None:
    rows = read_csv(OCD_CSV, [])
    readings = read_rows(rows)
    listed = {value for column, value in readings.not_understood if column == "Retention period"}
    values = {row.retention for row in rows}
    assert len(values) > 150
    for value in values:
        assert (parse_retention(value) is not None) != (value in listed), value
    assert "10 Nov 2030" in listed


@needs_real_csv
def test_every_category_of_real_file_is_mapped() -> None:
    assert {row.category for row in read_csv(OCD_CSV, [])} == set(CATEGORIES)


# Platforms whose rows describe a vendor of the catalogue; each must be in the mapping.
CATALOGUE_PLATFORMS = {
    "Google Analytics": "google-analytics", "Google Ads": "google-ads", "Google Tag Manager": "google-tag-manager",
    "Google Maps": "google-maps", "Google reCAPTCHA": "google-recaptcha", "Youtube": "youtube", "Hubspot": "hubspot",
    "HubSpot": "hubspot", "Facebook": "meta-pixel", "Bing / Microsoft": "microsoft-advertising-uet",
    "LinkedIn": "linkedin-insight-tag", "X": "x-pixel", "Crazy Egg": "crazy-egg", "Hotjar": "hotjar",
    "ContentSquare": "contentsquare", "Zendesk": "zendesk", "Yandex.Metrica": "yandex-metrica", "Matomo": "matomo",
    "Pinterest": "pinterest-tag", "Taboola": "taboola", "Outbrain": "outbrain", "Adobe Analytics": "adobe-analytics",
    "Lucky Orange": "lucky-orange", "PayPal": "paypal", "Visual Website Optimizer": "vwo", "Cookiebot": "cookiebot",
    "OneTrust": "onetrust", "Amplitude": "amplitude", "Trustpilot": "trustpilot", "Snapchat": "snap-pixel",
    "TikTok": "tiktok-pixel", "Wistia": "wistia", "Livechat": "livechat", "LiveChat": "livechat", "Vimeo": "vimeo",
    "Optimizely": "optimizely", "Quantcast": "quantcast", "Tawk.to Chat": "tawk-to", "Tawk.to": "tawk-to",
    "Intercom": "intercom", "Mailchimp": "mailchimp", "Stripe": "stripe", "Active Campaign": "activecampaign",
    "Heap Analytics": "heap", "Crisp": "crisp", "Drift": "drift", "Klaviyo": "klaviyo", "Mixpanel": "mixpanel",
    "Plausible Analytics": "plausible-analytics", "Marketo": "marketo",
}


@needs_real_csv
def test_mapping_covers_every_platform_of_a_catalogue_vendor() -> None:
    vendor_ids = {path.stem for path in (DATA / "vendors").glob("*.yaml")}
    problems: list[Problem] = []
    rows = read_csv(OCD_CSV, problems)
    entries = load_mapping(DATA / "ocd-platforms.yaml", vendor_ids, rows, problems)
    assert [problem.format() for problem in problems if "is not in the catalogue" not in problem.message] == []
    covered = {entry.platform for entry in entries}
    platforms = {row.platform for row in rows}
    for platform, vendor in CATALOGUE_PLATFORMS.items():
        if vendor in vendor_ids:
            assert platform in platforms, platform
            assert platform in covered, f"{platform} ({vendor}) is neither mapped nor marked not ours"


@needs_real_csv
def test_second_apply_on_real_file_changes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(DATA, tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    first = main(["import-ocd", str(OCD_CSV), "--apply"])
    capsys.readouterr()
    if first != 0:
        pytest.skip("the real data folder does not load yet (content writers are at work)")
    files = {path: path.read_bytes() for path in (tmp_path / "data" / "vendors").iterdir()}

    assert main(["import-ocd", str(OCD_CSV), "--apply"]) == 0
    assert {path: path.read_bytes() for path in (tmp_path / "data" / "vendors").iterdir()} == files
    assert "  cookies added: 0 in 0 records\n" in capsys.readouterr().out


def test_mapping_entry_takes_listed_cookies_only() -> None:
    entry = MappingEntry(0, "Google", "google-ads", frozenset({"_gcl_au"}), frozenset(), None, None)
    assert entry.takes("_gcl_au")
    assert not entry.takes("NID")


CATEGORY_MAPPING = """\
- platform: Acme
  vendor: acme-analytics
  category:
    acme_pref: analytics
    _acme_id: marketing
- platform: Acme Insights
  vendor: acme-analytics
"""


def test_mapping_category_replaces_database_category(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    data = catalogue_copy(tmp_path, CATEGORY_MAPPING)
    monkeypatch.chdir(tmp_path)

    assert main(["import-ocd", str(FIXTURES / "ocd" / "cookies.csv"), "--apply"]) == 0
    out = capsys.readouterr().out
    assert "  + added cookie acme_pref: P1Y, first party, analytics\n" in out
    assert "  ! _acme_id: category analytics in the record, marketing in the Open Cookie Database (record kept)\n" in out
    record = (data / "vendors" / "acme-analytics.yaml").read_text(encoding="utf-8")
    assert "  - name: acme_pref\n    duration: P1Y\n    party: first\n    category: analytics\n" in record


CATEGORY_ERRORS = """\
- platform: Beacon
  vendor: beacon-ads
  skip: [bcn_app_login]
  category:
    bcn_app_login: necessary
    bcn_nothing: necessary
"""


def test_mapping_category_problems_have_positions_and_exact_messages(tmp_path: Path) -> None:
    data = catalogue_copy(tmp_path, CATEGORY_ERRORS)
    problems: list[Problem] = []
    rows = read_csv(FIXTURES / "ocd" / "cookies.csv", problems)
    load_mapping(data / "ocd-platforms.yaml", {"acme-analytics", "beacon-ads"}, rows, problems)
    assert [(problem.line, problem.column, problem.field, problem.message, problem.hint) for problem in problems] == [
        (5, 5, "[0].category.bcn_app_login", "the cookie `bcn_app_login` is given a category but the entry does not take it",
         "remove it from `category`, or take the cookie"),
        (6, 5, "[0].category.bcn_nothing", "`Beacon` has no row for the cookie `bcn_nothing`",
         "copy the name from the Cookie / Data Key name column"),
    ]


def test_mapping_category_must_be_a_consent_category(tmp_path: Path) -> None:
    data = catalogue_copy(tmp_path, "- platform: Acme\n  vendor: acme-analytics\n  category: {_acme_id: statistics}\n")
    problems: list[Problem] = []
    rows = read_csv(FIXTURES / "ocd" / "cookies.csv", problems)
    load_mapping(data / "ocd-platforms.yaml", {"acme-analytics"}, rows, problems)
    assert [(problem.line, problem.column, problem.field, problem.message, problem.hint) for problem in problems] == [
        (3, 24, "[0].category._acme_id", "`statistics` is not allowed here",
         "write one of `necessary`, `functional`, `analytics`, `marketing`"),
    ]
