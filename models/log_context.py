"""What a log line knows of the request it was written for (command, user, channel, the
error reference), kept per thread of work so that structured logs can carry it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_FIELDS: ContextVar[dict[str, object] | None] = ContextVar("advisory_log_fields", default=None)


@contextmanager
def bound(**fields: object) -> Iterator[None]:
    """Within the block, every log line carries these fields too."""
    token = _FIELDS.set({**(_FIELDS.get() or {}), **fields})
    try:
        yield
    finally:
        _FIELDS.reset(token)


def current() -> dict[str, object]:
    return dict(_FIELDS.get() or {})
