"""Validation speed: our full validation against check-jsonschema on the same 1,000 vendor files.

Run as `python -m benchmarks.bench_validate`. Both tools check the same
synthetic records (`benchmarks.synthetic.write_catalogue`) in this one run:
check-jsonschema applies only the vendor schema; `validate` also loads with
positions, checks organizations and vocabularies, and runs every cross-record
check. The target is a ratio of at most 0.5. Each figure is the best of
`REPEATS` runs; both include starting a Python process, so the comparison is
what a contributor or CI job waits for.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.synthetic import write_catalogue

VENDORS = 1000
REPEATS = 3
REPOSITORY = Path(__file__).resolve().parent.parent
SCHEMA = REPOSITORY / "generator" / "schemas" / "vendor.schema.json"
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"


def best_time(command: list[str], expected_status: int) -> float:
    timings = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        completed = subprocess.run(command, capture_output=True, text=True, cwd=REPOSITORY)
        timings.append(time.perf_counter() - start)
        if completed.returncode != expected_status:
            raise SystemExit(f"{command[0]} exited with {completed.returncode}:\n{completed.stdout}{completed.stderr}")
    return min(timings)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        data = write_catalogue(Path(folder) / "data", vendors=VENDORS)
        files = sorted(str(path) for path in (data / "vendors").glob("*.yaml"))
        ours = best_time([sys.executable, "-m", "generator", "validate", "--data", str(data)], expected_status=0)
        theirs = best_time([str(CHECK_JSONSCHEMA), "--schemafile", str(SCHEMA), *files], expected_status=0)
    print(f"vendors: {VENDORS} (best of {REPEATS} runs, each a fresh process)")
    print(f"generator validate (schema + cross-record checks, positions): {ours:.2f} s, {VENDORS / ours:,.0f} records/s")
    print(f"check-jsonschema (vendor schema only):                        {theirs:.2f} s, {VENDORS / theirs:,.0f} records/s")
    print(f"ratio ours / check-jsonschema: {ours / theirs:.2f} (target: at most 0.50)")


if __name__ == "__main__":
    main()
