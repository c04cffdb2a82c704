"""Screenshots of the home page and a vendor page, at desktop and phone size, for a person to look at.

They are written to test-results/screenshots/ in the repository (ignored by
git); the run's summary prints the folder. The test asserts only that each
screenshot is a full-page PNG as wide as its viewport.
"""

from __future__ import annotations

import struct

import pytest

from tests.browser.browsing import DESKTOP, PHONE, SCREENSHOTS, ContextFactory, SiteServer, open_page

pytestmark = pytest.mark.browser

PAGES = {"home": "", "freshsales": "vendors/freshsales/"}
SIZES = {"desktop": (DESKTOP, {}), "phone": (PHONE, {"is_mobile": True, "has_touch": True})}
SCALE = 2
"""Device pixels per CSS pixel, so that text in the screenshots stays readable."""


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("size", SIZES)
def test_screenshots_written(new_context: ContextFactory, site: SiteServer, size: str) -> None:
    viewport, options = SIZES[size]
    context, watcher = new_context(viewport=viewport, device_scale_factor=SCALE, **options)
    page = context.new_page()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    for name, path in PAGES.items():
        open_page(page, site.url(path))
        target = SCREENSHOTS / f"{name}-{size}.png"
        page.screenshot(path=str(target), full_page=True)
        width, height = png_size(target.read_bytes())
        assert width == viewport["width"] * SCALE
        assert height >= viewport["height"] * SCALE
    assert watcher.problems() == []
