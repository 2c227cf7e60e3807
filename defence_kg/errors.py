"""One exception root for the project; HTTP-facing errors carry their status."""

from __future__ import annotations


class DefenceKGError(Exception):
    """Root of every error the project raises on purpose."""

    status_code = 500


class DataFileError(DefenceKGError):
    """A data file is unreadable or invalid; names the file, the line and the problem."""

    status_code = 422

    def __init__(self, path: str, problem: str, line: int | None = None) -> None:
        self.path, self.problem, self.line = path, problem, line
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {problem}")


class ValidationFailed(DefenceKGError):
    """The built graph does not conform to the SHACL shapes."""

    status_code = 422


class NotFound(DefenceKGError):
    """An entity or resource does not exist."""

    status_code = 404


class InvalidParameter(DefenceKGError):
    """A request's parameters do not fit together (an `a` without its `b`)."""

    status_code = 422


class BadQuery(DefenceKGError):
    """A query could not be parsed or is not allowed."""

    status_code = 400


class QueryTimeout(DefenceKGError):
    """A query ran past its time limit and was stopped."""

    status_code = 503


class StoreError(DefenceKGError):
    """The store could not be opened, read or written."""

    status_code = 503


class WriteBusy(StoreError):
    """Another writer held the store (or the Neo4j sync) past the wait allowed; nothing was written."""


class DocumentError(DefenceKGError):
    """A document cannot be loaded; names the file and the problem."""

    status_code = 422

    def __init__(self, path: str, problem: str) -> None:
        self.path, self.problem = path, problem
        super().__init__(f"{path}: {problem}")


class Unauthorized(DefenceKGError):
    """A write came without a valid API key."""

    status_code = 401


class Forbidden(DefenceKGError):
    """The request is understood but not allowed here (an update on the query endpoint)."""

    status_code = 403


class NotAcceptable(DefenceKGError):
    """No representation matches the Accept header."""

    status_code = 406


class TooLarge(DefenceKGError):
    """An upload is larger than the configured limit."""

    status_code = 413
