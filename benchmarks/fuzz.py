"""The long fuzz run: the properties of tests/test_fuzz.py with many more examples.

    python -m benchmarks.fuzz --examples 2000

Prints how many inputs each property tried and how many crashed (must be 0), and
times reading a folder of 10,000 small articles while watching peak memory.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.errors import SourceError
from graph.sources import Article, iter_articles


def _run(name: str, test, examples: int) -> tuple[int, int]:
    tried = crashes = 0

    def counting(*args, **kwargs):
        nonlocal tried
        tried += 1
        test(*args, **kwargs)

    counting.__signature__ = __import__("inspect").signature(test)
    wrapped = settings(max_examples=examples, deadline=None, database=None,
                       suppress_health_check=list(HealthCheck))(given(**test._strategies)(counting))
    t0 = time.perf_counter()
    try:
        wrapped()
    except Exception as e:  # a crash is what we count and report, whatever its type
        crashes += 1
        print(f"  {name}: CRASH {type(e).__name__}: {e}", file=sys.stderr)
    print(f"{name:<32} {tried:>7} inputs  {crashes} crashes  {time.perf_counter() - t0:6.1f} s")
    return tried, crashes


def _properties():
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests import test_fuzz as tf

    tmp = Path(tempfile.mkdtemp())

    def any_bytes(raw):
        p = tmp / "x.txt"
        p.write_bytes(raw)
        tf._ok(list(iter_articles([p])), p)

    any_bytes._strategies = {"raw": st.binary(max_size=4000)}

    def any_text(text):
        tf.test_any_text_parses_or_fails_cleanly.hypothesis.inner_test(text=text)

    any_text._strategies = {"text": tf.TEXT}

    def html(depth, text):
        tf.test_nested_and_broken_html.hypothesis.inner_test(depth=depth, text=text)

    html._strategies = {"depth": st.integers(0, 5000), "text": tf.TEXT}
    return {"text files (bytes)": any_bytes, "text + extraction": any_text, "HTML": html}


def _many_small(n: int) -> None:
    with tempfile.TemporaryDirectory() as d:
        for i in range(n):
            Path(d, f"a{i:05d}.txt").write_text(f"Story {i}\n\nBy X Y\nWire, May 4, 2016\n\nAcme {i} bought Widget {i} for cash today.\n")
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t0 = time.perf_counter()
        count = sum(1 for a in iter_articles([d]) if isinstance(a, Article))
        grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
        print(f"{n} small articles read in {time.perf_counter() - t0:.1f} s, {count} ok, peak memory grew {grown:.0f} MB")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--examples", type=int, default=2000)
    ap.add_argument("--small-articles", type=int, default=10_000)
    args = ap.parse_args(argv)
    total = crashes = 0
    for name, prop in _properties().items():
        t, c = _run(name, prop, args.examples)
        total, crashes = total + t, crashes + c
    _many_small(args.small_articles)
    print(f"total: {total} inputs, {crashes} crashes")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
