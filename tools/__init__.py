"""Build tools that are not part of the runtime package ``graph`` (run by the Makefile and the tests)."""
