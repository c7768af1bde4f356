"""dealgraph: business news in, a knowledge graph of companies, people, products and deals out.

The package follows the data flow, one module per stage::

    sources -> extract -> resolve -> rdf -> store -> query / network -> view

``graph.pipeline`` strings the stages together for ``dealgraph build``; the CLI
(``graph.cli``) and the SPARQL server sit on top and nothing below imports them.
"""

__version__ = "0.1.0"
