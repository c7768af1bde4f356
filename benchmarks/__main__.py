"""``python -m benchmarks`` (``make bench``): the benchmark suite; see :mod:`benchmarks.suite`."""

from benchmarks.suite import main

main()
