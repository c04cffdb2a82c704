"""Run every benchmark in turn: `python -m benchmarks`."""

import runpy

for name in ("bench_validate", "bench_export", "bench_site"):
    print(f"== benchmarks.{name}", flush=True)
    runpy.run_module(f"benchmarks.{name}", run_name="__main__")
