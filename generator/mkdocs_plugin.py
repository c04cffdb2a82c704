"""The MkDocs plugin that turns the catalogue into pages and exports.

MkDocs calls it at three points of every build, `mkdocs serve` rebuilds included:

1. `on_pre_build` validates `data/`. This runs before MkDocs cleans the site
   folder, so invalid data stops the build with the full report and leaves
   the previous site as it was.
2. `on_files` writes the generated Markdown pages into `build/pages/` (only
   files whose content changed, so `mkdocs build --dirty` re-renders only
   what an edit touched) and adds them, with the JSON and CSV exports, to the
   files MkDocs builds. Generated pages are never written into `docs/`.
3. `on_page_markdown` fills the few placeholders of hand-written pages, such
   as the number of vendors on the home page.

`on_serve` adds `data/` to the folders `mkdocs serve` watches, so an edited
vendor file shows on the next reload.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from generator.export import BuildInfoError, read_build_info
from generator.problems import render_report
from generator.site import SitePages, build_site_pages
from generator.validation import validate

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.pages import Page

log = logging.getLogger(f"mkdocs.plugins.{__name__}")

_REPORT_LINES = 50


class ConsentAtlasConfig(Config):
    data_dir = config_options.Type(str, default="data")
    """The data folder, relative to mkdocs.yml."""
    pages_dir = config_options.Type(str, default="build/pages")
    """Folder for the generated Markdown pages, relative to mkdocs.yml. It must not be inside docs/."""
    edit_branch = config_options.Type(str, default="main")
    """The branch that "Edit this entry" links open the vendor's file on."""


class ConsentAtlasPlugin(BasePlugin[ConsentAtlasConfig]):
    def __init__(self) -> None:
        self.site: SitePages | None = None
        self.root = Path.cwd()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path).resolve().parent
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        data_dir = self.root / self.config.data_dir
        result = validate(data_dir)
        if not result.ok or result.catalogue is None:
            lines = render_report(result.problems, "text").splitlines()
            shown = "\n".join(lines[:_REPORT_LINES])
            more = f"\n... and {len(lines) - _REPORT_LINES} more; run `python -m generator validate`" if len(lines) > _REPORT_LINES else ""
            raise PluginError(f"the data in {data_dir} has problems; the site was not rebuilt:\n{shown}{more}")
        try:
            build_info = read_build_info(result.catalogue, self.root)
        except BuildInfoError as error:
            raise PluginError(str(error)) from error
        # MkDocs dates the sitemap from SOURCE_DATE_EPOCH, or else from the wall clock;
        # giving it the catalogue's date keeps two builds of the same commit identical.
        os.environ.setdefault("SOURCE_DATE_EPOCH", str(build_info.timestamp))
        repo_url = (config.repo_url or "").rstrip("/")
        self.site = build_site_pages(result.catalogue, build_info, repo_url, self.config.edit_branch, self.root)
        log.info("generated %d pages from %d vendors", len(self.site.pages), len(result.catalogue.vendors))

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.site is not None, "on_pre_build runs first"
        pages_dir = self.root / self.config.pages_dir
        written = _write_changed(pages_dir, self.site.pages)
        _remove_stale(pages_dir, set(self.site.pages))
        if written:
            log.info("wrote %d changed pages into %s", written, pages_dir)
        for src_uri in sorted(self.site.pages):
            files.append(File(src_uri, str(pages_dir), config.site_dir, config.use_directory_urls))
        for src_uri, content in sorted(self.site.downloads.items()):
            files.append(File.generated(config, src_uri, content=content))
        return files

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.site is not None, "on_pre_build runs first"
        if page.file.src_uri in self.site.pages:
            # Material's "Edit this page" button would open the generated page, which is not in the repository.
            page.edit_url = self.site.edit_urls.get(page.file.src_uri)
        for placeholder, value in self.site.placeholders.items():
            markdown = markdown.replace(placeholder, value)
        return markdown

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        server.watch(str(self.root / self.config.data_dir))
        return server


def _write_changed(folder: Path, pages: dict[str, str]) -> int:
    written = 0
    for src_uri, content in pages.items():
        path = folder / src_uri
        encoded = content.encode("utf-8")
        if path.is_file() and path.read_bytes() == encoded:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_bytes(encoded)
        os.replace(temporary, path)
        written += 1
    return written


def _remove_stale(folder: Path, current: set[str]) -> None:
    if not folder.is_dir():
        return
    for path in folder.rglob("*.md"):
        if path.relative_to(folder).as_posix() not in current:
            path.unlink()
