"""Export time, export file sizes, and lookup speed, at 1,000 and 5,000 synthetic vendors.

For each size it prints the time to compute the files in memory
(`build_export`), to write them into an empty folder, and to write them
again into the same folder (nothing changed). Then it prints the size of
each file, raw and gzipped at level 6. Last it times `lookup` over 100,000 hosts
drawn from the larger catalogue: a third listed hosts, a third subdomains of
them written as script URLs, a third hosts no vendor lists.

Run: python -m benchmarks.bench_export [SIZE ...]
"""

from __future__ import annotations

import gzip
import random
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.synthetic import write_catalogue
from generator.export import BuildInfo, build_export, write_export
from generator.lookup import lookup
from generator.model import Catalogue
from generator.validation import validate

SIZES = (1000, 5000)
LOOKUPS = 100_000
BUILD_INFO = BuildInfo(timestamp=1764806400, source="SOURCE_DATE_EPOCH")
_MAIN_FILES = ("catalogue.json", "domains.json", "catalogue.csv", "cookies.csv")


def _timed(function, *arguments):
    start = time.perf_counter()
    value = function(*arguments)
    return value, time.perf_counter() - start


def _gzipped(content: bytes) -> int:
    return len(gzip.compress(content, compresslevel=6, mtime=0))


def _sizes(files: dict[str, bytes]) -> dict[str, tuple[int, int]]:
    groups = {name: [name] for name in _MAIN_FILES}
    groups["vendors/*.json (all)"] = [path for path in files if path.startswith("vendors/")]
    groups["schema/*.json (all)"] = [path for path in files if path.startswith("schema/")]
    return {
        label: (sum(len(files[path]) for path in paths), sum(_gzipped(files[path]) for path in paths))
        for label, paths in groups.items()
    }


def measure_export(size: int, work: Path) -> tuple[Catalogue, dict[str, object]]:
    result, validate_seconds = _timed(validate, write_catalogue(work / "data", size))
    assert result.catalogue is not None, result.problems[:3]
    files, build_seconds = _timed(build_export, result.catalogue, BUILD_INFO)
    _, first_write = _timed(write_export, work / "out", files)
    _, second_write = _timed(write_export, work / "out", files)
    figures = {
        "validate": validate_seconds,
        "build": build_seconds,
        "write": first_write,
        "rewrite": second_write,
        "files": len(files),
        "sizes": _sizes(files),
    }
    return result.catalogue, figures


def lookup_targets(catalogue: Catalogue, count: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    hosts = sorted(catalogue.domain_index)
    targets = []
    for index in range(count):
        host = rng.choice(hosts)
        kind = index % 3
        if kind == 0:
            targets.append(host)
        elif kind == 1:
            targets.append(f"https://eu{index % 7}.{host}/assets/t.js?id={index}")
        else:
            targets.append(f"cdn{index}.unlisted-{index % 997}.example")
    return targets


def measure_lookups(catalogue: Catalogue) -> tuple[float, int]:
    targets = lookup_targets(catalogue, LOOKUPS)
    start = time.perf_counter()
    found = sum(lookup(catalogue, target) is not None for target in targets)
    return time.perf_counter() - start, found


def main(sizes: tuple[int, ...]) -> None:
    results: dict[int, dict[str, object]] = {}
    largest: Catalogue | None = None
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix=f"bench-export-{size}-") as folder:
            largest, figures = measure_export(size, Path(folder))
        results[size] = figures
        print(f"{size:>6} vendors, {figures['files']} files")
        print(f"  validate (for context) {figures['validate']:8.2f} s")
        print(f"  build_export           {figures['build']:8.3f} s  ({figures['build'] / size * 1000:.3f} ms per vendor)")
        print(f"  write_export, new      {figures['write']:8.3f} s")
        print(f"  write_export, same     {figures['rewrite']:8.3f} s  (every file unchanged)")
        for label, (raw, packed) in figures["sizes"].items():
            print(f"  {label:<22} {raw / 1024:10.1f} KiB raw  {packed / 1024:9.1f} KiB gzip  ({raw / packed:.1f}x)")
    if len(results) > 1:
        small, large = min(results), max(results)
        growth = results[large]["build"] / results[small]["build"]
        print(f"build_export time {large} / {small}: {growth:.2f} (vendors: {large / small:.1f}x)")

    assert largest is not None
    seconds, found = measure_lookups(largest)
    print(f"lookup over {LOOKUPS:,} hosts and URLs ({len(largest.domain_index):,} listed domains, {found:,} found): "
          f"{seconds:.2f} s, {LOOKUPS / seconds:,.0f} lookups per second, {seconds / LOOKUPS * 1e6:.1f} µs each")


if __name__ == "__main__":
    main(tuple(int(size) for size in sys.argv[1:]) or SIZES)
