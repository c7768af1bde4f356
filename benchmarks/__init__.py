"""Benchmarks and evaluations of dealgraph (run by hand or `make bench`, not by `make test`).

``benchmarks.generate`` writes realistic synthetic news graphs in the dealgraph model
(N-Quads, deterministic for a seed) that the other scripts load;
``benchmarks.network_bench`` times projection and network analysis at 1e4-1e6 triples.
Results go to ``benchmarks/results/``.
"""
