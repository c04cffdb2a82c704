"""Build the real MkDocs site from any data folder into a temporary folder, for tests."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config

REPOSITORY = Path(__file__).resolve().parent.parent


def build_site(data_dir: Path, site_dir: Path, pages_dir: Path) -> Path:
    """Run the repository's mkdocs.yml with the plugin reading `data_dir`; return `site_dir`."""
    config = load_config(
        config_file=str(REPOSITORY / "mkdocs.yml"),
        site_dir=str(site_dir),
        plugins=["search", {"consent-atlas": {"data_dir": str(data_dir), "pages_dir": str(pages_dir)}}],
    )
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return site_dir


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def article(path: Path) -> BeautifulSoup:
    """Return the page's main content, without Material's header, navigation and footer."""
    return soup(path).select_one("article.md-content__inner")
