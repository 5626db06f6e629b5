"""Errors that are the user's to fix. Their message is shown to them as it is, in their
language: the data layer marks a message with `N_` and gives its values separately, and
the message is read through the catalogue when it is shown (`models.phrases`)."""

from __future__ import annotations

from typing import Any

from models.phrases import N_, read


class UserError(Exception):
    """Something the person typed or asked for cannot be done; nothing was changed.
    `message` may hold `{placeholders}` for the `values` given as keywords."""

    def __init__(self, message: str, *, example: str | None = None, **values: Any) -> None:
        super().__init__(message)
        self.template = message
        self.values = values
        self.example = example

    @property
    def message(self) -> str:
        """The message in the reader's language, its values filled in."""
        return read(self.template, self.values)

    def __str__(self) -> str:
        if self.example:
            return read(
                N_("{message}\nFor example: `{example}`"),
                {"message": self.message, "example": self.example},
            )
        return self.message


class ParseError(UserError):
    """The command's text could not be understood."""


class PermissionDenied(UserError):
    """The person may not do this; the message says who may."""


class NotFound(UserError):
    """A reference, person or trial that does not exist (or is not here). `kind` names
    what was looked for ("task", "meeting", ...), for the layer above to say where to
    look."""

    def __init__(self, message: str, *, kind: str | None = None, **values: Any) -> None:
        super().__init__(message, **values)
        self.kind = kind


class ClosedRecord(UserError):
    """A change a record's state does not allow until it is reopened (`reference` names it)."""

    def __init__(self, message: str, *, reference: str, **values: Any) -> None:
        super().__init__(message, **values)
        self.reference = reference


class FieldError(UserError):
    """A modal input is wrong: shown beside that input (`response_action: errors`)."""

    def __init__(self, block_id: str, message: str) -> None:
        super().__init__(message)
        self.block_id = block_id
