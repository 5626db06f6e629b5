"""Errors that are the user's to fix. Their message is shown to them as it is."""

from __future__ import annotations


class UserError(Exception):
    """Something the person typed or asked for cannot be done; nothing was changed."""

    def __init__(self, message: str, *, example: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.example = example

    def __str__(self) -> str:
        if self.example:
            return f"{self.message}\nFor example: `{self.example}`"
        return self.message


class ParseError(UserError):
    """The command's text could not be understood."""


class PermissionDenied(UserError):
    """The person may not do this; the message says who may."""


class NotFound(UserError):
    """A reference, person or trial that does not exist (or is not here). `kind` names
    what was looked for ("task", "meeting", ...), for the layer above to say where to
    look."""

    def __init__(self, message: str, *, kind: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind


class ClosedRecord(UserError):
    """A change a record's state does not allow until it is reopened (`reference` names it)."""

    def __init__(self, message: str, *, reference: str) -> None:
        super().__init__(message)
        self.reference = reference


class FieldError(UserError):
    """A modal input is wrong: shown beside that input (`response_action: errors`)."""

    def __init__(self, block_id: str, message: str) -> None:
        super().__init__(message)
        self.block_id = block_id
