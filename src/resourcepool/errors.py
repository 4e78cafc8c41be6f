"""Domain errors. Nothing here knows HTTP; web/errors.py maps them to responses.

Messages are English source strings (marked with N_ so Babel extracts them) with
%(name)s placeholders; the web layer translates them and fills in `params`.
"""

from __future__ import annotations

from typing import Any


def N_(message: str) -> str:
    """Mark a string for translation without translating it here."""
    return message


class DomainError(Exception):
    code = "error"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        code: str | None = None,
        **params: Any,
    ) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.field = field
        self.params = params
        if code:
            self.code = code


class NotFound(DomainError):
    code = "not_found"


class Forbidden(DomainError):
    code = "forbidden"


class NotAuthenticated(DomainError):
    code = "not_authenticated"


class ValidationFailed(DomainError):
    """Input that is well-formed but not acceptable (a rule about one field)."""

    code = "validation_error"


class Conflict(DomainError):
    code = "conflict"


class SlotUnavailable(Conflict):
    code = "slot_unavailable"


class PolicyViolation(DomainError):
    code = "policy_violation"


class InsufficientCredits(DomainError):
    code = "insufficient_credits"


class RateLimited(DomainError):
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int, **params: Any) -> None:
        super().__init__(message, retry_after=retry_after, **params)
        self.retry_after = retry_after
