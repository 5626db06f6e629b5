"""Slack's answers, classified in one place: what is worth trying again, and what Slack will
refuse again for the same target (retrying it only burns the ledger and Slack's patience)."""

from __future__ import annotations

from enum import StrEnum
from urllib.error import URLError

from slack_sdk.errors import SlackApiError, SlackRequestError


class Refusal(StrEnum):
    TRANSIENT = "transient"  # rate limits, 5xx, lost connections: the next sweep retries
    PERSON = "person"  # the person is deactivated or unknown: not again for them
    CHANNEL = "channel"  # the bot is not in the channel, or it is archived or gone
    TOKEN = "token"  # the bot's token is revoked or invalid: nothing will go until fixed
    PAYLOAD = "payload"  # Slack refuses the message itself: sending it again changes nothing


PERSON_ERRORS = frozenset(
    {"account_inactive", "user_not_found", "user_disabled", "cannot_dm_bot", "user_not_visible"}
)
CHANNEL_ERRORS = frozenset(
    {"not_in_channel", "channel_not_found", "is_archived", "restricted_action"}
)
TOKEN_ERRORS = frozenset(
    {"invalid_auth", "token_revoked", "token_expired", "not_authed", "account_inactive_token"}
)
PAYLOAD_ERRORS = frozenset(
    {"invalid_blocks", "invalid_blocks_format", "msg_too_long", "no_text", "invalid_arguments"}
)


def error_code(error: BaseException) -> str | None:
    """Slack's error code (`not_in_channel`), if Slack gave one."""
    if isinstance(error, SlackApiError):
        return str(error.response.get("error") or "") or None
    return None


def classify(error: BaseException, *, to_person: bool) -> Refusal:
    """What a failed call means. `account_inactive` is about the person when the message
    was to a person, else about the bot's own token."""
    code = error_code(error)
    if code is None or isinstance(error, (SlackRequestError, URLError, OSError)):
        return Refusal.TRANSIENT
    if isinstance(error, SlackApiError) and error.response.status_code in (429, 500, 502, 503):
        return Refusal.TRANSIENT
    if code in TOKEN_ERRORS or (code == "account_inactive" and not to_person):
        return Refusal.TOKEN
    if code in PERSON_ERRORS:
        return Refusal.PERSON
    if code in CHANNEL_ERRORS:
        return Refusal.CHANNEL
    if code in PAYLOAD_ERRORS:
        return Refusal.PAYLOAD
    return Refusal.TRANSIENT


class SlackStanding:
    """Whether Slack still takes the bot's token: set by the first refusal of it, read by
    `/healthz` and by the reminder sweep (which stops rather than burn its ledger)."""

    def __init__(self) -> None:
        self.token_refused: str | None = None

    def __deepcopy__(self, _memo: dict[int, object]) -> SlackStanding:
        return self  # Bolt copies the client for lazy listeners: the standing stays shared

    def refused(self, code: str) -> None:
        self.token_refused = code
