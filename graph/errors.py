"""The exceptions dealgraph raises.

Every error that comes from bad input or a broken store derives from
:class:`DealGraphError`, so a caller can catch one class. Bad arguments to a
function stay ``ValueError`` / ``TypeError``.
"""

__all__ = [
    "DealGraphError",
    "SourceError",
    "ExtractionError",
    "StoreError",
    "QueryError",
    "ValidationError",
]


class DealGraphError(Exception):
    """Base class of every dealgraph error."""


class SourceError(DealGraphError):
    """An article file could not be read (missing, binary, wrong encoding, malformed).

    ``path`` names the file and ``line`` the line, when known.
    """

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        self.path = path
        self.line = line
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(f"{where}{message}")


class ExtractionError(DealGraphError):
    """Extraction failed on an article (the model is missing, or the text is unusable)."""


class StoreError(DealGraphError):
    """The store could not be opened, read or written."""


class QueryError(DealGraphError):
    """A SPARQL query is malformed or failed to run."""


class ValidationError(DealGraphError):
    """A graph does not conform to the dealgraph shapes."""
