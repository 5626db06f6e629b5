"""Bolt's request, reading a slash command's form body right when its text says "payload".

Bolt takes any form body containing the word for an interactive payload and, finding no
`payload` field, reads nothing, so `/agenda add Payload review` went unanswered (Slack
shows "dispatch_failed"). Here such a body is read as the plain form it is, in the first
request and in the copies Bolt makes for lazy listeners.
"""

from __future__ import annotations

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
            body=self.raw_body if self.mode == "http" else self.body,
            query=self.query,
            headers=self.headers,
            context=self.context.to_copyable(),
            mode=self.mode,
        )


class RequestHandler(SlackRequestHandler):
    """Bolt's WSGI adapter, handing the app `SlackRequest`s."""

    def dispatch(self, request: Any) -> BoltResponse:
        return self.app.dispatch(
            SlackRequest(
                body=request.get_body(), query=request.query_string, headers=request.get_headers()
            )
        )
