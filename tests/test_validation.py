"""Validation of a whole data folder: schema errors and cross-record checks, with exact messages.

Each test starts from a copy of the valid fictional catalogue in
tests/fixtures/catalogue, changes one thing, and asserts the full report.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.problems import render_report
from generator.validation import validate

FIXTURE = Path(__file__).parent / "fixtures" / "catalogue"


@pytest.fixture
def catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture catalogue at `data/`, with the working directory set so paths print as `data/...`."""
    shutil.copytree(FIXTURE, tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    return Path("data")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def report(data: Path) -> list[str]:
    return [problem.format() for problem in sorted(validate(data).problems)]


ACME = "data/vendors/acme-analytics.yaml"
BEACON = "data/vendors/beacon-ads.yaml"


def test_fixture_catalogue_is_valid(catalogue: Path) -> None:
    result = validate(catalogue)
    assert report(catalogue) == []
    assert sorted(result.catalogue.vendors) == ["acme-analytics", "beacon-ads", "guard-captcha"]


def test_domain_claimed_by_two_vendors_names_both_files(catalogue: Path) -> None:
    edit(catalogue / "vendors/beacon-ads.yaml", "  - beacon.example\n", "  - beacon.example\n  - px.example\n")
    edit(catalogue / "vendors/acme-analytics.yaml", "domains:\n", "domains:\n  - PX.example.\n")
    hint = "(a domain belongs to one vendor: keep it where the script really loads from, and mention shared hosts in the prose)"
    assert report(catalogue) == [
        f"{ACME}:24:5: error: domains[0]: `px.example` is also listed by {BEACON} {hint}",
        f"{BEACON}:19:5: error: domains[1]: `px.example` is also listed by {ACME} {hint}",
    ]


def test_malformed_domains_each_get_the_host_to_write(catalogue: Path) -> None:
    edit(catalogue / "vendors/beacon-ads.yaml", "  - beacon.example\n",
         '  - beacon.example\n  - "https://px.example/collect?id=1"\n  - "*.cdn.example"\n  - "a,b.example"\n  - ttps\n')
    assert report(catalogue) == [
        f"{BEACON}:19:5: error: domains[1]: `https://px.example/collect?id=1` is a URL, not a host name (write the host alone: `px.example`)",
        f"{BEACON}:20:5: error: domains[2]: `*.cdn.example` contains a wildcard "
        "(write `cdn.example`: a listed domain already covers all its subdomains)",
        f"{BEACON}:21:5: error: domains[3]: `a,b.example` contains a comma (write each domain as its own entry: `a`, `b.example`)",
        f"{BEACON}:22:5: error: domains[4]: `ttps` is not a domain name: it has no dot "
        "(write the full host name, such as `cdn.example.com`)",
    ]


def test_subdomain_of_own_domain_is_redundant(catalogue: Path) -> None:
    edit(catalogue / "vendors/beacon-ads.yaml", "  - beacon.example\n", "  - beacon.example\n  - www.metrics.example\n  - metrics.example\n")
    assert report(catalogue) == [
        f"{BEACON}:19:5: error: domains[1]: `www.metrics.example` is redundant: `metrics.example` (line 20) already covers its "
        "subdomains (remove this entry, or give it categories of its own if they differ)",
    ]


def test_subdomain_with_own_categories_is_not_redundant(catalogue: Path) -> None:
    edit(catalogue / "vendors/beacon-ads.yaml", "  - beacon.example\n",
         "  - beacon.example\n  - host: consent.beacon.example\n    categories: [necessary]\n")
    assert report(catalogue) == []


def test_domain_under_other_vendors_domain_is_a_note(catalogue: Path) -> None:
    edit(catalogue / "vendors/beacon-ads.yaml", "  - beacon.example\n", "  - beacon.example\n  - eu.px.acme.example\n")
    result = validate(catalogue)
    assert [problem.format() for problem in result.problems] == [
        f"{BEACON}:19:5: note: domains[1]: `eu.px.acme.example` lies under `px.acme.example`, listed by {ACME}; "
        "lookups of this host find this vendor",
    ]
    assert result.ok


@pytest.mark.parametrize("suffix", ["github.io", "cloudfront.net", "co.uk"])
def test_public_suffix_is_never_a_vendor_domain(catalogue: Path, suffix: str) -> None:
    edit(catalogue / "vendors/beacon-ads.yaml", "  - beacon.example\n", f"  - beacon.example\n  - {suffix}\n")
    assert report(catalogue) == [
        f"{BEACON}:19:5: error: domains[1]: `{suffix}` is a public suffix: anyone can register names under it, so it belongs "
        f"to no single vendor (list the vendor's own host under it instead, such as `vendor-name.{suffix}`)",
    ]


def test_unquoted_no_in_answer_reported_as_boolean(catalogue: Path) -> None:
    edit(catalogue / "vendors/beacon-ads.yaml", 'answer: "No"', "answer: No")
    assert report(catalogue) == [
        f"{BEACON}:29:13: error: faq[1].answer: `No` is read as the boolean false by YAML 1.1 tools, but text belongs here "
        '(put it in double quotes: "No")',
    ]


def test_unquoted_date_in_text_field_reported(catalogue: Path) -> None:
    edit(catalogue / "vendors/beacon-ads.yaml", "summary: Beacon Ads is a retargeting pixel that follows visitors across sites.",
         "summary: 2024-01-31")
    assert report(catalogue) == [
        f"{BEACON}:8:10: error: summary: `2024-01-31` is read as a date by YAML 1.1 tools, but text belongs here "
        '(put it in double quotes: "2024-01-31")',
    ]


def test_yes_as_boolean_value_asks_for_true(catalogue: Path) -> None:
    edit(catalogue / "vendors/beacon-ads.yaml", "block: true", "block: yes")
    assert report(catalogue) == [f"{BEACON}:14:10: error: verdict.block: `yes` means true only to some YAML readers (write true)"]


def test_impossible_unquoted_date_reported(catalogue: Path) -> None:
    edit(catalogue / "vendors/beacon-ads.yaml", "last_reviewed: 2026-11-30", "last_reviewed: 2026-13-45")
    assert report(catalogue) == [
        f"{BEACON}:34:16: error: last_reviewed: `2026-13-45` is not a valid date (write the date as YYYY-MM-DD, such as 2026-01-31)",
    ]


def test_two_overview_keys_name_both_lines(catalogue: Path) -> None:
    edit(catalogue / "vendors/beacon-ads.yaml", "overview: Beacon", "overview: An ad network.\noverview: Beacon")
    assert report(catalogue) == [
        f"{BEACON}:10:1: error: overview: the key `overview` appears twice, at lines 9 and 10 (keep one of them and merge their content)",
    ]


def test_alias_bomb_refused_without_cascade(catalogue: Path) -> None:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 9):
        previous, current = chr(ord("a") + level - 1), chr(ord("a") + level)
        lines.append(f"{current}: &{current} [" + ", ".join([f"*{previous}"] * 9) + "]")
    (catalogue / "vendors/beacon-ads.yaml").write_text("\n".join(lines) + "\n")
    assert report(catalogue) == [
        f"{BEACON}:1:4: error: an anchor (&a) is used (anchors and aliases are not allowed in data files: write the value out in full)",
    ]


def test_empty_faq_says_list_is_empty(catalogue: Path) -> None:
    path = catalogue / "vendors/beacon-ads.yaml"
    text = path.read_text()
    path.write_text(text[:text.index("faq:")] + "faq:\n" + text[text.index("related:"):])
    assert report(catalogue) == [
        f"{BEACON}:25:5: error: faq: the list is empty "
        "(add at least one item below `faq:`, each on its own line starting with `- `, or remove the `faq:` line)",
    ]


def test_empty_required_list_does_not_offer_removal(catalogue: Path) -> None:
    edit(catalogue / "vendors/beacon-ads.yaml", "industries: [advertising]", "industries:")
    assert report(catalogue) == [
        f"{BEACON}:4:12: error: industries: the list is empty "
        "(add at least one item below `industries:`, each on its own line starting with `- `)",
    ]


def test_ids_differing_by_case_and_empty_id_reported(catalogue: Path) -> None:
    copy = (catalogue / "vendors/beacon-ads.yaml").read_text().replace("id: beacon-ads", "id: Beacon-Ads")
    copy = copy.replace("  - beacon.example", "  - other.example")
    (catalogue / "vendors/Beacon-Ads.yaml").write_text(copy)
    edit(catalogue / "vendors/guard-captcha.yaml", "id: guard-captcha", "id:")
    other = "data/vendors/Beacon-Ads.yaml"
    hint = "(ids must be unique regardless of case: pick another id and rename the file to match)"
    assert report(catalogue) == [
        f"{other}:1:5: error: id: is not a valid id (use lowercase letters a-z, digits and single hyphens, such as `google-analytics`)",
        f"{other}:1:5: error: id: the vendor id `Beacon-Ads` is also used by {BEACON} {hint}",
        f"{BEACON}:1:5: error: id: the vendor id `beacon-ads` is also used by {other} {hint}",
        "data/vendors/guard-captcha.yaml:1:4: error: id: is empty (write `id: guard-captcha`, the file name without .yaml)",
    ]


def test_missing_required_key_says_what_to_add(catalogue: Path) -> None:
    edit(catalogue / "vendors/beacon-ads.yaml", "website: https://beacon.example/\n", "")
    assert report(catalogue) == [
        f"{BEACON}:1:1: error: website: the required key `website` is missing (add `website:` with the product's home page)",
    ]


def test_unknown_key_suggests_the_known_one(catalogue: Path) -> None:
    edit(catalogue / "vendors/beacon-ads.yaml", "overview:", "overveiw:")
    assert report(catalogue) == [
        f"{BEACON}:1:1: error: overview: the required key `overview` is missing "
        "(add `overview:` with Markdown: what the product is and who uses it)",
        f"{BEACON}:9:1: error: overveiw: `overveiw` is not a known key (did you mean `overview`?)",
    ]


def test_empty_enum_value_lists_choices_without_python_repr(catalogue: Path) -> None:
    edit(catalogue / "vendors/beacon-ads.yaml", "party: third", "party:")
    assert report(catalogue) == [f"{BEACON}:22:11: error: cookies[0].party: is empty (write one of `first`, `third` after the colon)"]


def test_text_where_number_belongs(catalogue: Path) -> None:
    edit(catalogue / "vendors/beacon-ads.yaml", "tcf_vendor_id: 9999", "tcf_vendor_id: yes")
    assert report(catalogue) == [
        f"{BEACON}:7:16: error: tcf_vendor_id: is the text `yes`, but a whole number belongs here "
        "(write the number alone, such as 42, without quotes)",
    ]


def test_summary_over_length_limit(catalogue: Path) -> None:
    edit(catalogue / "vendors/beacon-ads.yaml", "summary: Beacon", "summary: " + "x" * 400 + " Beacon")
    assert report(catalogue) == [f"{BEACON}:8:10: error: summary: is 470 characters long, over the limit of 300 (shorten it)"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("javascript:alert(1)", "website: is not an http or https URL (write the full address, starting with https://)"),
        ("ftp://beacon.example/", "website: is not an http or https URL (write the full address, starting with https://)"),
        ("https://bea con.example/", "website: `https://bea con.example/` is not a valid web address "
         "(write the full address as the browser shows it, such as https://example.com/privacy, with spaces written as %20)"),
        ("https://beacon/", "website: `https://beacon/` is not a valid web address "
         "(write the full address as the browser shows it, such as https://example.com/privacy, with spaces written as %20)"),
    ],
)
def test_urls_are_http_or_https_only(catalogue: Path, url: str, expected: str) -> None:
    edit(catalogue / "vendors/beacon-ads.yaml", "website: https://beacon.example/", f'website: "{url}"')
    assert report(catalogue) == [f"{BEACON}:5:10: error: {expected}"]


@pytest.mark.parametrize(
    ("overview", "expected"),
    [
        ("Beacon <b>Ads</b>.", "overview: contains raw HTML: `<b>` "
         "(write plain Markdown: paragraphs, *emphasis*, lists and [links](https://...))"),
        ("See [the docs](javascript:alert(1)).", "overview: links to a `javascript:` address "
         "(link only to https://, http:// or mailto: addresses)"),
        ("See [the docs](DATA:text/html,hi).", "overview: links to a `data:` address (link only to https://, http:// or mailto: addresses)"),
        ("See [the docs](&#106;avascript:alert(1)).", "overview: links to a `javascript:` address "
         "(link only to https://, http:// or mailto: addresses)"),
        ('A network.\n{ onmouseover="alert(1)" style="position:fixed" }', "overview: contains an attribute list: "
         '`{ onmouseover="alert(1)" style="position:fixed" }` (remove it: prose takes plain Markdown, and pages set their own styles)'),
        ("Ads {: .danger }", "overview: contains an attribute list: `{: .danger }` "
         "(remove it: prose takes plain Markdown, and pages set their own styles)"),
    ],
)
def test_prose_rejects_html_and_script_links(catalogue: Path, overview: str, expected: str) -> None:
    edit(catalogue / "vendors/beacon-ads.yaml", "overview: Beacon Ads is a fictional ad network.", f"overview: '{overview}'")
    assert report(catalogue) == [f"{BEACON}:9:11: error: {expected}"]


def test_prose_allows_code_spans_and_https_links(catalogue: Path) -> None:
    edit(catalogue / "vendors/beacon-ads.yaml", "overview: Beacon Ads is a fictional ad network.",
         "overview: 'Add `<noscript>` and {braces}, see [docs](https://beacon.example/docs) or [mail](mailto:a@beacon.example).'")
    assert report(catalogue) == []


def test_missing_references_reported(catalogue: Path) -> None:
    path = catalogue / "vendors/beacon-ads.yaml"
    edit(path, "organization: acme-labs", "organization: nobody")
    edit(path, "related: [acme-analytics]", "related: [beacon-ads, ghost]")
    edit(path, "categories: [marketing]", "categories: [marketting]")
    assert report(catalogue) == [
        "data/organizations/acme-labs.yaml:1:5: error: id: no vendor record names the organization `acme-labs` "
        "(add the vendor record with `organization: acme-labs`, or remove this file)",
        f"{BEACON}:3:15: error: organization: there is no organization `nobody` "
        "(use one of `acme`, `acme-labs`, or add data/organizations/nobody.yaml)",
        f"{BEACON}:12:14: error: categories[0]: there is no consent category `marketting` "
        "(use one of the ids in data/categories.yaml: analytics, functional, marketing, necessary)",
        f"{BEACON}:30:11: error: related[0]: a vendor cannot be related to itself (remove this entry)",
        f"{BEACON}:30:23: error: related[1]: there is no vendor `ghost`: no record data/vendors/ghost.yaml exists "
        "(use the id of an existing vendor, or leave it out until that vendor's record is written)",
    ]


def test_aliases_unique_and_never_another_vendors_name(catalogue: Path) -> None:
    edit(catalogue / "vendors/beacon-ads.yaml", "industries:", "aliases: [acme analytics, Acme Insights, beacon ads]\nindustries:")
    hint = "(an alias must lead to one vendor: keep it in the record it describes best)"
    assert report(catalogue) == [
        f"{ACME}:4:11: error: aliases[0]: the alias `Acme Insights` is also listed by {BEACON} {hint}",
        f"{BEACON}:4:11: error: aliases[0]: `acme analytics` is the name of another vendor, in {ACME} "
        "(remove the alias, or mention the relation in the overview instead)",
        f"{BEACON}:4:27: error: aliases[1]: the alias `Acme Insights` is also listed by {ACME} {hint}",
        f"{BEACON}:4:42: error: aliases[2]: `beacon ads` is the vendor's own name `Beacon Ads` apart from upper and lower case; "
        "search ignores case (remove it from the aliases)",
    ]


def test_unloadable_file_does_not_cascade(catalogue: Path) -> None:
    (catalogue / "vendors/beacon-ads.yaml").write_bytes(b"\xef\xbb\xbf" + (catalogue / "vendors/beacon-ads.yaml").read_bytes())
    assert report(catalogue) == [
        f"{BEACON}:1:1: error: the file starts with a byte-order mark (save it as UTF-8 without a BOM; most editors offer this when saving)",
    ]


def test_all_problems_of_a_run_sorted_by_file_and_line(catalogue: Path) -> None:
    edit(catalogue / "vendors/guard-captcha.yaml", "answer: No consent is needed for a strictly necessary security check.", "answer: No")
    edit(catalogue / "vendors/acme-analytics.yaml", "last_reviewed: 2026-11-30", "last_reviewed: 30/11/2026")
    edit(catalogue / "vendors/acme-analytics.yaml", "name: Acme Analytics", "name: yes")
    lines = render_report(validate(catalogue).problems, "text").splitlines()
    assert [line.split(": error")[0] for line in lines] == [
        f"{ACME}:2:7", f"{ACME}:48:16", "data/vendors/guard-captcha.yaml:21:13",
    ]


def test_cookie_category_outside_vendor_categories(catalogue: Path) -> None:
    edit(catalogue / "vendors/acme-analytics.yaml", "    category: analytics\n    description: Identifies", "    category: marketing\n    description: Identifies")
    assert report(catalogue) == [
        f"{ACME}:32:15: error: cookies[0].category: `marketing` is not one of the vendor's own categories, which are `analytics` "
        "(add `marketing` to the vendor's `categories`, or file this entry under one of them)",
    ]


def test_necessary_cookie_allowed_in_any_vendor(catalogue: Path) -> None:
    edit(catalogue / "vendors/acme-analytics.yaml", "    category: analytics\n    description: Identifies", "    category: necessary\n    description: Identifies")
    assert report(catalogue) == []


def test_capitalised_category_gives_one_error(catalogue: Path) -> None:
    edit(catalogue / "vendors/beacon-ads.yaml", "categories: [marketing]", "categories: [Marketing]")
    assert report(catalogue) == [
        f"{BEACON}:12:14: error: categories[0]: there is no consent category `Marketing` "
        "(use one of the ids in data/categories.yaml: analytics, functional, marketing, necessary)",
    ]
