"""The long fuzz run: the properties of tests/test_fuzz.py with many more examples.

    python -m benchmarks.fuzz --examples 2000 [--build-small 10000]

Prints how many inputs each property tried and how many crashed (must be 0), and
times reading a folder of 10,000 small articles while watching peak memory;
``--build-small N`` also runs ``dealgraph build`` on N small articles and
reports its peak memory (RSS) next to the same build on N/10.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.sources import Article, iter_articles


def _run(name: str, test, examples: int) -> tuple[int, int]:
    tried = crashes = 0

    def counting(*args, **kwargs):
        nonlocal tried
        tried += 1
        test(*args, **kwargs)

    counting.__signature__ = __import__("inspect").signature(test)
    wrapped = settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))(
        given(**test._strategies)(counting)
    )
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

    def jsonl(records):
        tf.test_jsonl_records.hypothesis.inner_test(tmp_path=tmp, records=records)

    jsonl._strategies = {
        "records": st.lists(
            st.one_of(
                st.dictionaries(
                    st.sampled_from(["text", "title", "date", "url", "id"]),
                    st.one_of(tf.TEXT, st.integers(), st.none()),
                ),
                st.integers(),
                st.text(max_size=20),
            ),
            max_size=8,
        )
    }

    def markup(text, attrs):
        tf.test_html_with_hostile_markup_and_extraction.hypothesis.inner_test(text=text, attrs=attrs)

    markup._strategies = {
        "text": tf.TEXT,
        "attrs": st.lists(st.tuples(st.sampled_from(["onerror", "href", "src", "style", "x"]), tf.TEXT), max_size=4),
    }

    def rtl(title, body):
        tf.test_right_to_left_and_bidi_controls.hypothesis.inner_test(tmp_path=tmp, title=title, body=body)

    rtl._strategies = {"title": tf.RTL, "body": tf.RTL}
    return {
        "text files (bytes)": any_bytes,
        "text + extraction": any_text,
        "HTML": html,
        "JSON Lines": jsonl,
        "HTML markup + extraction": markup,
        "right-to-left + extraction": rtl,
    }


def _many_small(n: int) -> None:
    with tempfile.TemporaryDirectory() as d:
        for i in range(n):
            Path(d, f"a{i:05d}.txt").write_text(
                f"Story {i}\n\nBy X Y\nWire, May 4, 2016\n\nAcme {i} bought Widget {i} for cash today.\n"
            )
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t0 = time.perf_counter()
        count = sum(1 for a in iter_articles([d]) if isinstance(a, Article))
        grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
        print(
            f"{n} small articles read in {time.perf_counter() - t0:.1f} s, {count} ok, peak memory grew {grown:.0f} MB"
        )


def _build_small(n: int) -> None:
    """Peak RSS of ``dealgraph build`` on ``n`` and ``n // 10`` small articles (each in a fresh process)."""
    for size in (max(1, n // 10), n):
        with tempfile.TemporaryDirectory() as d:
            arts = Path(d, "articles")
            arts.mkdir()
            for i in range(size):
                (arts / f"a{i:05d}.txt").write_text(
                    f"Story {i}\n\nBy X Y\nWire, May 4, 2016\n\nAcme {i} Corp. agreed to buy Widget {i} Inc. today.\n"
                )
            code = (
                "import resource, subprocess, sys, time; t = time.perf_counter(); "
                "r = subprocess.run([sys.executable, '-m', 'graph.cli', 'build', sys.argv[1], '--store', sys.argv[2], "
                "'-q', '--no-validate'], capture_output=True); "
                "print(r.returncode, time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
            )
            out = subprocess.run(
                [sys.executable, "-c", code, str(arts), str(Path(d, "store"))],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
            print(
                f"dealgraph build on {size:>6} small articles: exit {out[0]}, {float(out[1]):6.1f} s, "
                f"peak RSS {int(out[2]) / 1024:.0f} MB"
            )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--examples", type=int, default=2000)
    ap.add_argument("--small-articles", type=int, default=10_000)
    ap.add_argument("--build-small", type=int, default=0, help="also build N small articles and report peak RSS")
    args = ap.parse_args(argv)
    total = crashes = 0
    for name, prop in _properties().items():
        t, c = _run(name, prop, args.examples)
        total, crashes = total + t, crashes + c
    _many_small(args.small_articles)
    if args.build_small:
        _build_small(args.build_small)
    print(f"total: {total} inputs, {crashes} crashes")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
