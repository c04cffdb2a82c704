"""Helpers of the browser tests: loopback servers, a watcher of what pages do, and a site crawler.

A `SiteServer` serves one built site on 127.0.0.1. A `Watcher` is attached
to every browser context: it lets requests to the session's servers through,
aborts and records any other, and records console errors, uncaught errors,
failed requests and dialogs. `crawl` visits every page reachable from a start
page and records what each one links to.
"""

from __future__ import annotations

import functools
import http.server
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Dialog, Page, Request, Response, Route
from playwright.sync_api import Error as PlaywrightError

from tests.sitebuild import REPOSITORY

log = logging.getLogger(__name__)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = REPOSITORY / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPOSITORY / "test-results" / "screenshots"
EXTERNAL_LINKS = REPOSITORY / "test-results" / "external-links.txt"

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
"""A small Android phone's viewport in CSS pixels, narrower than most phones, so overflow shows here first."""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        log.debug("%s %s", self.address_string(), format % args)


class SiteServer:
    """A built site served over HTTP on 127.0.0.1 from a thread, at a port the system picks."""

    def __init__(self, root: Path) -> None:
        handler = functools.partial(_QuietHandler, directory=str(root))
        self.root = root
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name=f"site-server-{root.name}", daemon=True)
        self._thread.start()

    @property
    def origin(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str = "") -> str:
        return f"{self.origin}/{path.lstrip('/')}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


class ServerPool:
    """Every loopback server of the session; a `Watcher` lets requests to any of them through."""

    def __init__(self) -> None:
        self.servers: list[SiteServer] = []

    def serve(self, root: Path) -> SiteServer:
        server = SiteServer(root)
        self.servers.append(server)
        return server

    def allows(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            return True
        return any(f"{parts.scheme}://{parts.netloc}" == server.origin for server in self.servers)

    def close(self) -> None:
        for server in self.servers:
            server.close()


@dataclass
class Watcher:
    """What the pages of one browser context did: blocked requests, console errors, failures and dialogs.

    Each event but a blocked request is recorded as `(page URL, detail)`.
    Dialogs are dismissed, so a script that opens one cannot stall the page.
    """

    pool: ServerPool
    external_requests: list[str] = field(default_factory=list)
    console_errors: list[tuple[str, str]] = field(default_factory=list)
    page_errors: list[tuple[str, str]] = field(default_factory=list)
    failed_requests: list[tuple[str, str]] = field(default_factory=list)
    dialogs: list[tuple[str, str]] = field(default_factory=list)

    def attach(self, context: BrowserContext) -> None:
        context.route("**/*", self._route)
        context.on("console", self._console)
        context.on("weberror", lambda error: self.page_errors.append((_page_url(error.page), str(error.error))))
        context.on("requestfailed", self._request_failed)
        context.on("response", self._response)
        context.on("dialog", self._dialog)

    def _route(self, route: Route) -> None:
        if self.pool.allows(route.request.url):
            route.continue_()
        else:
            self.external_requests.append(route.request.url)
            route.abort("blockedbyclient")

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append((_page_url(message.page), message.text))

    def _request_failed(self, request: Request) -> None:
        # Chromium aborts a page's pending requests, such as its favicon's, when the tab navigates away.
        if self.pool.allows(request.url) and request.failure != "net::ERR_ABORTED":
            self.failed_requests.append((_frame_url(request), f"{request.url}: {request.failure}"))

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            self.failed_requests.append((_frame_url(response.request), f"{response.url}: HTTP {response.status}"))

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append((_page_url(dialog.page), f"{dialog.type}: {dialog.message}"))
        dialog.dismiss()

    def problems(self) -> list[str]:
        """Return every recorded problem as one line each, for an assertion that expects none."""
        lines = [f"request to another host was blocked: {url}" for url in self.external_requests]
        lines += [f"{page}: console error: {text}" for page, text in self.console_errors]
        lines += [f"{page}: uncaught error: {text}" for page, text in self.page_errors]
        lines += [f"{page}: request failed: {text}" for page, text in self.failed_requests]
        lines += [f"{page}: dialog opened: {text}" for page, text in self.dialogs]
        return lines


def _page_url(page: Page | None) -> str:
    return page.url if page is not None else "(no page)"


def _frame_url(request: Request) -> str:
    try:
        return request.frame.url
    except PlaywrightError:
        # A web worker's requests, such as the search worker's, belong to no frame.
        return "(worker)"


ContextFactory = Callable[..., tuple[BrowserContext, "Watcher"]]
"""The `new_context` fixture: opens a watched browser context with the given Playwright context options."""


def open_context(browser: Browser, servers: ServerPool, **options: object) -> tuple[BrowserContext, Watcher]:
    """Open a browser context, desktop-sized unless `options` set another viewport, with a `Watcher` attached."""
    context = browser.new_context(**{"viewport": DESKTOP, **options})
    watcher = Watcher(servers)
    watcher.attach(context)
    return context, watcher


def open_page(page: Page, url: str) -> None:
    """Navigate to `url` and fail unless the server returned HTTP 200."""
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url} returned {response.status if response else 'nothing'}"


@dataclass(frozen=True)
class Visit:
    """One crawled URL: its HTTP status and, for an HTML page, what the browser found on it."""

    url: str
    status: int
    html: bool = False
    links: tuple[str, ...] = ()
    """Every a[href] and link[href], as absolute URLs resolved by the browser."""
    ids: frozenset[str] = frozenset()
    """Every element id on the page, the targets of its fragment links."""
    scroll_width: int = 0
    """The document's scrollWidth, in CSS pixels."""


_READ_PAGE = """() => ({
    links: [...document.querySelectorAll("a[href], link[href]")].map((element) => element.href),
    ids: [...document.querySelectorAll("[id]")].map((element) => element.id),
    scrollWidth: document.documentElement.scrollWidth,
})"""


def crawl(page: Page, start: str) -> dict[str, Visit]:
    """Visit every URL of `start`'s origin reachable by links from it; return the visits by URL, without fragments.

    HTML pages (a path ending in `/` or `.html`) are loaded in `page`. Other
    files are fetched with the page's request context, and only their status
    is recorded. Links to other origins are recorded but never followed.
    """
    origin = _origin(start)
    visits: dict[str, Visit] = {}
    queue = [start]
    while queue:
        url = queue.pop(0)
        if url in visits:
            continue
        visits[url] = _visit(page, url)
        for link in visits[url].links:
            target = urldefrag(link).url
            if _origin(target) == origin and target not in visits:
                queue.append(target)
    return visits


def _visit(page: Page, url: str) -> Visit:
    if not urlsplit(url).path.endswith(("/", ".html")):
        return Visit(url, page.request.get(url).status)
    response = page.goto(url)
    status = response.status if response is not None else 0
    if status != 200:
        return Visit(url, status)
    found = page.evaluate(_READ_PAGE)
    return Visit(url, status, True, tuple(found["links"]), frozenset(found["ids"]), found["scrollWidth"])


def broken_links(visits: dict[str, Visit]) -> list[str]:
    """Return `page -> link` for each same-origin link whose target is missing or whose fragment names no element."""
    broken = []
    for visit in visits.values():
        for link in visit.links:
            target, fragment = urldefrag(link)
            if _origin(target) != _origin(visit.url):
                continue
            found = visits[target]
            if found.status != 200:
                broken.append(f"{visit.url} -> {link} (HTTP {found.status})")
            elif fragment and found.html and unquote(fragment) not in found.ids:
                broken.append(f"{visit.url} -> {link} (no element with id {unquote(fragment)!r})")
    return sorted(set(broken))


def external_links(visits: dict[str, Visit]) -> list[str]:
    """Return every link to another origin, each once, sorted."""
    return sorted({link for visit in visits.values() for link in visit.links if _origin(link) != _origin(visit.url)})


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
