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

    def __reduce__(self):  # type: ignore[no-untyped-def]
        # Errors cross process boundaries (the extraction pool): rebuild them with code and message.
        return (_rebuild, (self.__class__, self.code, self.message, dict(self.__dict__)))


def _rebuild(cls: type[WiredeskError], code: str, message: str, state: dict[str, object]) -> WiredeskError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    error.code, error.message = code, message
    return error


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
