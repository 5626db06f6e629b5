"""Bolt's request, reading a slash command's form body right when its text says "payload",
and copied for a lazy listener without deep-copying what its context holds.

Bolt takes any form body containing the word for an interactive payload and, finding no
`payload` field, reads nothing, so `/agenda add Payload review` went unanswered (Slack
shows "dispatch_failed"). Here such a body is read as the plain form it is, in the first
request and in the copies Bolt makes for lazy listeners.

For a lazy listener Bolt deep-copies the request, the Web API client, logger, respond and
say in its context included: half the first process's work for an ack (0.2 ms of 0.4).
Those are safe to share between threads (the client's Retry-After pace and Slack's word on
the token are meant to be shared, and refuse to be copied), so a copy here has a body and
a context of its own, holding the same client, logger, respond and say.
"""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import parse_qsl

from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.context import BoltContext
from slack_bolt.request import BoltRequest
from slack_bolt.request.internals import build_context
from slack_bolt.response import BoltResponse


class SlackRequest(BoltRequest):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        raw = self.raw_body
        if self.mode == "http" and not self.body and raw and not raw.startswith("{"):
            fields = dict(parse_qsl(raw, keep_blank_values=True))
            if fields and "payload" not in fields:
                self.body = fields
                self.context = build_context(BoltContext(dict(self.context)), fields)

    def to_copyable(self) -> BoltRequest:
        return SlackRequest(
            body=self.raw_body if self.mode == "http" else copy.deepcopy(self.body),
            query=copy.deepcopy(self.query),
            headers=copy.deepcopy(self.headers),
            context=self.context.to_copyable(),  # values the ack function left: deep copies
            mode=self.mode,
        )

    def __deepcopy__(self, _memo: dict[int, Any]) -> BoltRequest:
        return self.to_copyable()


class RequestHandler(SlackRequestHandler):
    """Bolt's WSGI adapter, handing the app `SlackRequest`s."""

    def dispatch(self, request: Any) -> BoltResponse:
        return self.app.dispatch(
            SlackRequest(
                body=request.get_body(), query=request.query_string, headers=request.get_headers()
            )
        )
