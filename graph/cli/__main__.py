"""``python -m graph.cli``: the ``dealgraph`` command."""

from graph.cli import main

if __name__ == "__main__":
    main()
