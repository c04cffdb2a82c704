"""axe-core finds no serious or critical accessibility violation on the home page, an index page and a vendor page.

axe-core comes from the npm registry, pinned in package.json (`npm ci` installs
it); the test injects node_modules/axe-core/axe.min.js into each page and runs
its default rule set, in the light and the dark colour scheme.
"""

from __future__ import annotations

import pytest

from tests.browser.browsing import AXE, ContextFactory, SiteServer, open_page

pytestmark = pytest.mark.browser

PAGES = ["", "vendors/", "vendors/freshsales/"]

_RUN_AXE = """async () => (await axe.run(document)).violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`)"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES, ids=lambda path: path or "home")
def test_no_serious_accessibility_violations(new_context: ContextFactory, site: SiteServer, path: str, scheme: str) -> None:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci` in the repository (`make test` does)")
    context, watcher = new_context(color_scheme=scheme)
    page = context.new_page()
    open_page(page, site.url(path))
    page.add_script_tag(path=str(AXE))

    assert page.evaluate(_RUN_AXE) == []
    assert watcher.problems() == []
