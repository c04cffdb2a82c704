"""Fixtures of the browser tests: the built site served on loopback, and Debian's Chromium driven by Playwright.

The site is built from the repository's data/ once per session into a
temporary folder. One Chromium runs for the whole session; each test opens
fresh browser contexts, and any request they make off loopback is aborted
and fails the test (see `tests.browser.browsing.Watcher`).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from generator.model import Catalogue
from generator.validation import validate
from tests.browser.browsing import CHROMIUM, CHROMIUM_FLAGS, SCREENSHOTS, ContextFactory, ServerPool, SiteServer, Watcher, open_context
from tests.sitebuild import REPOSITORY, build_site

DATA = REPOSITORY / "data"

@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (`make test` does so when run as root)")
    # Playwright gives each launch a new temporary profile (--user-data-dir) and deletes it on close.
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
    yield chromium
    chromium.close()


@pytest.fixture(scope="session")
def servers() -> Iterator[ServerPool]:
    pool = ServerPool()
    yield pool
    pool.close()


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    """The catalogue of the repository's data/, which the site is built from."""
    result = validate(DATA)
    if result.catalogue is None:
        problems = "\n".join(problem.format() for problem in result.problems[:5])
        pytest.fail(f"data/ does not validate, so the site cannot be built:\n{problems}")
    return result.catalogue


@pytest.fixture(scope="session")
def site(servers: ServerPool, catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> SiteServer:
    """The site built from the repository's data/, served on loopback."""
    folder = tmp_path_factory.mktemp("main-site")
    return servers.serve(build_site(DATA, folder / "site", folder / "pages"))


@pytest.fixture
def new_context(browser: Browser, servers: ServerPool) -> Iterator[ContextFactory]:
    """Open browser contexts for one test; a request off loopback from any of them fails the test."""
    opened: list[tuple[BrowserContext, Watcher]] = []

    def open_watched(**options: object) -> tuple[BrowserContext, Watcher]:
        opened.append(open_context(browser, servers, **options))
        return opened[-1]

    yield open_watched

    blocked = [url for _, watcher in opened for url in watcher.external_requests]
    for context, _ in opened:
        context.close()
    if blocked:
        pytest.fail("requests to other hosts were blocked:\n" + "\n".join(blocked))


@pytest.fixture
def page(new_context: ContextFactory) -> Page:
    """A desktop-sized page in a fresh browser context."""
    context, _ = new_context()
    return context.new_page()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if SCREENSHOTS.is_dir() and any(SCREENSHOTS.iterdir()):
        terminalreporter.write_line(f"browser screenshots: {SCREENSHOTS}")
