"""Errors a person will see, as data: a stable code for machines and a readable message for people."""

from __future__ import annotations


class WiredeskError(Exception):
    """Base error carrying a stable `code` (kept on the source or article) and a readable message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class FetchError(WiredeskError):
    """An outbound request failed; `retry_after` is set when the server asked us to wait."""

    def __init__(self, code: str, message: str, *, status: int | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(code, message)
        self.status = status
        self.retry_after = retry_after


class FeedError(WiredeskError):
    """A feed could not be parsed into entries."""


class ExtractionError(WiredeskError):
    """A page held no extractable article."""
