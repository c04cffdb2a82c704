"""Script-injection payloads in records render as text in Chromium: no dialog, no script run, no console error.

Two sites are built. The first is the fixture catalogue with a payload in
every text field that validation accepts (names, aliases, summary, FAQ
questions, source titles, cookie names), built by the MkDocs plugin as
contributors' data would be. Validation rejects raw HTML and unsafe links in
prose, so the second site renders prose payloads from a catalogue that was
never validated, through the same page renderer, and builds it with the
repository's mkdocs.yml without the consent-atlas plugin.

Every payload that runs sets `window.__pwned` or opens a dialog; each test
asserts neither happened on any page, nor in the search results.
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from playwright.sync_api import Browser, Page

from generator.export import BuildInfo
from generator.model import build_catalogue
from generator.site import build_site_pages
from generator.validation import validate
from tests.browser.browsing import ServerPool, SiteServer, Watcher, open_context
from tests.sitebuild import REPOSITORY, build_site

pytestmark = pytest.mark.browser

FIXTURE = REPOSITORY / "tests" / "fixtures" / "catalogue"
CANARY = "window.__pwned"


def payloads(field: str) -> list[str]:
    """Return payloads that, if they ran, would set `window.__pwned` to `field` or open a dialog showing it."""
    return [
        f"<script>alert('{field}')</script>",
        f"<img src=x onerror=window.__pwned='{field}'>",
        f"\"><svg onload=window.__pwned='{field}'>",
        f"' onfocus='window.__pwned=1' autofocus x='",
        "{{ 7 * 7 }}",
    ]


def payload_line(field: str) -> str:
    """Return every payload in one line, short enough for the 200-character limit of one-line fields."""
    return "".join(payloads(field))


VALIDATED_FIELDS = {
    "vendor name": ("vendors/beacon-ads.yaml", ("name",)),
    "alias": ("vendors/beacon-ads.yaml", ("aliases",)),
    "summary": ("vendors/beacon-ads.yaml", ("summary",)),
    "FAQ question": ("vendors/beacon-ads.yaml", ("faq", 0, "question")),
    "source title": ("vendors/beacon-ads.yaml", ("sources", 0, "title")),
    "organization name": ("organizations/acme-labs.yaml", ("name",)),
}


def write_payload_fixture(target: Path) -> Path:
    shutil.copytree(FIXTURE, target)
    for field, (file, path) in VALIDATED_FIELDS.items():
        record_path = target / file
        record = yaml.safe_load(record_path.read_text(encoding="utf-8"))
        if path == ("aliases",):
            record["aliases"] = payloads(field)
        else:
            _set(record, path, payload_line(field))
        record_path.write_text(yaml.safe_dump(record, sort_keys=False, allow_unicode=True), encoding="utf-8")
    _add_payload_cookie(target / "vendors/beacon-ads.yaml")
    return target


def _add_payload_cookie(record_path: Path) -> None:
    # Cookie names may not contain spaces, `;`, `,` or `=`, which leaves tags without attributes.
    record = yaml.safe_load(record_path.read_text(encoding="utf-8"))
    cookie = dict(record["cookies"][0], name="<script>alert('cookie')</script>")
    record["cookies"].append(cookie)
    record_path.write_text(yaml.safe_dump(record, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _set(record: Any, path: tuple[str | int, ...], value: str) -> None:
    for part in path[:-1]:
        record = record[part]
    record[path[-1]] = value


PROSE_PAYLOADS = "\n\n".join([
    "<script>window.__pwned='script'</script>",
    "<img src=x onerror=\"window.__pwned='img'\">",
    "<details open ontoggle=\"window.__pwned='details'\"><summary>x</summary></details>",
    "<iframe srcdoc=\"<script>parent.__pwned='iframe'</script>\"></iframe>",
    "[link](javascript:window.__pwned='link') [entity](java&#115;cript:window.__pwned='entity')",
    "[tab](java\tscript:window.__pwned='tab') ![image](javascript:window.__pwned='image')",
    "<javascript:window.__pwned='autolink'> [data](data:text/html,<script>alert('data')</script>)",
    "[reference][evil]\n\n[evil]: javascript:window.__pwned='reference'",
    "Attribute list\n{ onmouseover=\"window.__pwned='attr_list'\" onclick=\"window.__pwned='attr_list'\" }",
    "<a href=\"javascript:window.__pwned='anchor'\">anchor</a> <style>body { display: none }</style>",
    "<svg><animate onbegin=\"window.__pwned='svg'\" attributeName=x dur=1s></svg>",
])


def unvalidated_catalogue():
    """Return the fixture catalogue with prose payloads in every prose field of Acme Analytics, bypassing validation."""
    result = validate(FIXTURE)
    assert result.catalogue is not None, result.problems
    fixture = result.catalogue
    vendors = [copy.deepcopy(vendor) for vendor in fixture.vendors.values()]
    vendor = next(vendor for vendor in vendors if vendor["id"] == "acme-analytics")
    for field in ("overview", "behaviour", "compliance"):
        vendor[field] = PROSE_PAYLOADS
    vendor["verdict"]["reason"] = PROSE_PAYLOADS
    vendor["faq"][0]["answer"] = PROSE_PAYLOADS
    vendor["cookies"][0]["description"] = PROSE_PAYLOADS
    categories = [dict(category, description=PROSE_PAYLOADS) for category in fixture.categories.values()]
    return build_catalogue(
        vendors=vendors,
        organizations=list(fixture.organizations.values()),
        categories=categories,
        industries=list(fixture.industries.values()),
        data_kinds=list(fixture.data_kinds.values()),
        vendor_files=dict(fixture.vendor_files),
    )


def build_unvalidated_site(folder: Path) -> Path:
    """Render the unvalidated catalogue's pages into a docs folder and build it with mkdocs.yml minus the plugin."""
    build_info = BuildInfo(timestamp=1764806400, source="SOURCE_DATE_EPOCH")
    repo_url = "https://github.com/consent-atlas/consent-atlas"
    site_pages = build_site_pages(unvalidated_catalogue(), build_info, repo_url, "main", REPOSITORY)
    docs = folder / "docs"
    shutil.copytree(REPOSITORY / "docs", docs)
    files = {src_uri: content.encode("utf-8") for src_uri, content in site_pages.pages.items()} | site_pages.downloads
    for path, content in files.items():
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_bytes(content)
    # The plugin fills placeholders such as the vendor count while MkDocs reads each page; here they are filled first.
    for page in docs.rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        for placeholder, value in site_pages.placeholders.items():
            text = text.replace(placeholder, value)
        page.write_text(text, encoding="utf-8")
    config = load_config(config_file=str(REPOSITORY / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(folder / "site"), plugins=["search"])
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return folder / "site"


@pytest.fixture(scope="module")
def payload_site(servers: ServerPool, tmp_path_factory: pytest.TempPathFactory) -> SiteServer:
    folder = tmp_path_factory.mktemp("payload-site")
    data = write_payload_fixture(folder / "data")
    problems = validate(data).problems
    assert [problem.format() for problem in problems] == []
    return servers.serve(build_site(data, folder / "site", folder / "pages"))


@pytest.fixture(scope="module")
def prose_site(servers: ServerPool, tmp_path_factory: pytest.TempPathFactory) -> SiteServer:
    return servers.serve(build_unvalidated_site(tmp_path_factory.mktemp("prose-payload-site")))


@pytest.fixture
def watched_page(browser: Browser, servers: ServerPool) -> Iterator[tuple[Page, Watcher]]:
    context, watcher = open_context(browser, servers)
    yield context.new_page(), watcher
    context.close()


def html_pages(site: SiteServer) -> list[str]:
    folders = sorted(path.relative_to(site.root).parent.as_posix() for path in site.root.rglob("index.html"))
    return [site.url("" if folder == "." else f"{folder}/") for folder in folders]


def visit_and_probe(page: Page, url: str) -> dict[str, Any]:
    """Load `url`, hover and click every element of the article, and return what a payload could have left behind."""
    page.goto(url)
    page.locator("article").evaluate("""article => {
        for (const element of article.querySelectorAll("*")) {
            for (const type of ["mouseover", "focus"]) element.dispatchEvent(new Event(type));
        }
    }""")
    return page.evaluate("""() => ({
        canary: window.__pwned === undefined ? null : String(window.__pwned),
        handlers: [...document.querySelectorAll("article *")]
            .flatMap((element) => [...element.attributes].filter((attribute) => attribute.name.startsWith("on"))
            .map((attribute) => `${element.tagName.toLowerCase()} ${attribute.name}`)),
        unsafeLinks: [...document.querySelectorAll("[href], [src], [srcdoc]")]
            .map((element) => element.getAttribute("href") ?? element.getAttribute("src") ?? "srcdoc")
            .filter((address) => /^\\s*(javascript|data|vbscript):|^srcdoc$/i.test(address)),
        injectedTags: [...document.querySelectorAll("article script, article iframe, article img, article style, article object, article embed")]
            .map((element) => element.outerHTML),
    })""")


def assert_nothing_ran(page: Page, watcher: Watcher, urls: list[str]) -> None:
    findings = {}
    for url in urls:
        probe = visit_and_probe(page, url)
        if probe["canary"] or probe["handlers"] or probe["unsafeLinks"] or probe["injectedTags"]:
            findings[url] = probe

    assert findings == {}
    assert watcher.problems() == []


def test_validated_payloads_render_as_text(payload_site: SiteServer, watched_page: tuple[Page, Watcher]) -> None:
    page, watcher = watched_page
    page.goto(payload_site.url("vendors/beacon-ads/"))

    assert page.locator("article h1").inner_text().rstrip("¶").strip() == payload_line("vendor name")
    assert page.locator("article h1 + p").inner_text() == payload_line("summary")
    assert page.title().startswith(payload_line("vendor name"))
    assert page.locator("article h2:has-text('Also known as') + ul li").all_inner_texts() == payloads("alias")
    assert watcher.problems() == []


def test_validated_payloads_run_on_no_page(payload_site: SiteServer, watched_page: tuple[Page, Watcher]) -> None:
    page, watcher = watched_page

    assert_nothing_ran(page, watcher, html_pages(payload_site))


def test_validated_payloads_run_not_in_search_results(payload_site: SiteServer, watched_page: tuple[Page, Watcher]) -> None:
    page, watcher = watched_page
    page.goto(payload_site.url())
    box = page.locator("input.md-search__input")
    box.click()
    # Material reacts to key events, so the query is typed key by key; "onerror" is a word of the payloads.
    box.press_sequentially("onerror")
    result = page.locator(f".md-search-result__item > a[href^='{payload_site.url('vendors/beacon-ads/')}?']")
    result.first.wait_for(timeout=10_000)

    assert result.first.locator("h1").inner_text() == payload_line("vendor name")
    assert page.evaluate(f"() => {CANARY} === undefined")
    with page.expect_navigation():
        result.first.click()
    # The result opens the page with Material's search highlighting applied to the payload text.
    page.locator("article mark").first.wait_for(timeout=10_000)
    assert page.evaluate(f"() => {CANARY} === undefined")
    assert watcher.problems() == []


def test_prose_payloads_render_as_text(prose_site: SiteServer, watched_page: tuple[Page, Watcher]) -> None:
    page, watcher = watched_page
    page.goto(prose_site.url("vendors/acme-analytics/"))
    overview = page.locator("article h2:has-text('Overview') ~ p").first

    assert overview.inner_text() == "<script>window.__pwned='script'</script>"
    assert watcher.problems() == []


def test_prose_payloads_run_on_no_page(prose_site: SiteServer, watched_page: tuple[Page, Watcher]) -> None:
    page, watcher = watched_page

    assert_nothing_ran(page, watcher, html_pages(prose_site))
