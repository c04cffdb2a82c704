"""Site build at 1,000 and 5,000 synthetic vendors, against a bare MkDocs build.

For each size it prints validation, generation and MkDocs times, milliseconds
per vendor, the size of a vendor page, of the whole site and of the search
index; then the ratio of our whole build (`mkdocs build` with the plugin,
which validates and generates) to a bare `mkdocs build` of the same Markdown
pages and export files placed in a docs folder by hand, with the same theme
and extensions.

Run: python -m benchmarks.bench_site [SIZE ...]
Each build runs in its own `python -m mkdocs build` process, as a user runs it,
three times, alternating with the bare build, and the fastest run counts.
On a shared machine single runs vary by 10 % or more, so the ratio of the
plugin's own work (validation and generation, timed in-process) to the bare
build is printed too.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from benchmarks.synthetic import REPOSITORY, write_catalogue
from generator.export import read_build_info
from generator.site import build_site_pages
from generator.validation import validate

SIZES = (1000, 5000)
ROUNDS = 3


def _timed(function, *arguments):
    start = time.perf_counter()
    value = function(*arguments)
    return value, time.perf_counter() - start


def _mkdocs(config: Path, site: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(config), "-d", str(site)],
        check=True, env={"NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1764806400", "PATH": "/usr/bin:/bin"},
    )
    return time.perf_counter() - start


def _configs(work: Path, data: Path) -> tuple[Path, Path]:
    base = yaml.safe_load((REPOSITORY / "mkdocs.yml").read_text())
    base["docs_dir"] = str(REPOSITORY / "docs")
    base["theme"]["custom_dir"] = str(REPOSITORY / "overrides")
    ours = dict(base, plugins=["search", {"consent-atlas": {"data_dir": str(data), "pages_dir": str(work / "pages")}}])
    bare = dict(base, plugins=["search"], docs_dir=str(work / "bare-docs"))
    paths = work / "ours.yml", work / "bare.yml"
    for path, config in zip(paths, (ours, bare)):
        path.write_text(yaml.safe_dump(config, sort_keys=False))
    return paths


def _folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def measure(size: int, work: Path) -> dict[str, float]:
    data = write_catalogue(work / "data", size)
    result, validate_seconds = _timed(validate, data)
    assert result.catalogue is not None, result.problems[:3]
    build_info = read_build_info(result.catalogue, REPOSITORY)
    site_pages, generate_seconds = _timed(
        build_site_pages, result.catalogue, build_info, "https://example.invalid/repo", "main", REPOSITORY
    )

    ours_config, bare_config = _configs(work, data)
    ours_first = _mkdocs(ours_config, work / "site")

    # The bare build gets the same pages as plain files, with placeholders already
    # filled in, and the export files as static files, so both builds write the same site.
    bare_docs = work / "bare-docs"
    shutil.copytree(REPOSITORY / "docs", bare_docs)
    shutil.copytree(work / "pages", bare_docs, dirs_exist_ok=True)
    for relative, content in site_pages.downloads.items():
        (bare_docs / relative).parent.mkdir(parents=True, exist_ok=True)
        (bare_docs / relative).write_bytes(content)
    for page in bare_docs.rglob("*.md"):
        text = page.read_text()
        for placeholder, value in site_pages.placeholders.items():
            text = text.replace(placeholder, value)
        page.write_text(text)
    # Builds alternate and each counts its faster run, so that neither gains from warm caches the other paid for.
    bare_seconds = min(_mkdocs(bare_config, work / "bare-site") for _ in range(ROUNDS))
    ours_seconds = min([ours_first] + [_mkdocs(ours_config, work / "site") for _ in range(ROUNDS - 1)])

    vendor_pages = list((work / "site" / "vendors").glob("vendor-*/index.html"))
    search_index = (work / "site" / "search" / "search_index.json").stat().st_size
    return {
        "validate": validate_seconds,
        "generate": generate_seconds,
        "ours": ours_seconds,
        "bare": bare_seconds,
        "page": sum(page.stat().st_size for page in vendor_pages) / len(vendor_pages),
        "site": _folder_bytes(work / "site"),
        "search": search_index,
    }


def main(sizes: tuple[int, ...]) -> None:
    results = {}
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix=f"bench-site-{size}-") as folder:
            figures = measure(size, Path(folder))
        results[size] = figures
        print(f"{size:>6} vendors")
        print(f"  validate           {figures['validate']:8.2f} s")
        print(f"  generate pages     {figures['generate']:8.2f} s")
        print(f"  mkdocs build, ours {figures['ours']:8.2f} s  ({figures['ours'] / size * 1000:.2f} ms per vendor)")
        print(f"  mkdocs build, bare {figures['bare']:8.2f} s  ({figures['bare'] / size * 1000:.2f} ms per vendor)")
        print(f"  ours / bare        {figures['ours'] / figures['bare']:8.3f}   (target: at most 1.15)")
        plugin_share = (figures["validate"] + figures["generate"]) / figures["bare"]
        print(f"  plugin work / bare {plugin_share:8.3f}   (validate + generate, in-process)")
        print(f"  vendor page        {figures['page'] / 1024:8.1f} KiB")
        print(f"  whole site         {figures['site'] / 2**20:8.1f} MiB")
        print(f"  search index       {figures['search'] / 2**20:8.2f} MiB  ({figures['search'] / size:.0f} bytes per vendor; target under 600)")
    if len(results) > 1:
        small, large = min(results), max(results)
        growth = results[large]["ours"] / results[small]["ours"]
        print(f"build time {large} / {small}: {growth:.2f} (target: at most {large / small * 1.1:.1f})")


if __name__ == "__main__":
    main(tuple(int(size) for size in sys.argv[1:]) or SIZES)
