"""A bare Bolt app that only acks, served exactly like advisory-bot (waitress, 16 threads,
the same WSGI adapter): the baseline the latency benchmark compares against.

BARE_ACK_IN_REQUEST=1 makes it ack in the request thread as advisory-bot does
(`process_before_response=True`); without it, Bolt's default runs the listener in a pool
and the request thread looks for the ack every 10 ms."""

from __future__ import annotations

import os
import re

from slack_bolt import Ack, App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from waitress import serve

app = App(
    client=WebClient(token="xoxb-bare", base_url=os.environ["SLACK_API_URL"]),
    signing_secret=os.environ["SLACK_SIGNING_SECRET"],
    token_verification_enabled=False,
    process_before_response=os.environ.get("BARE_ACK_IN_REQUEST") == "1",
)


@app.command(re.compile(".*"))
def only_ack(ack: Ack) -> None:
    ack()


if __name__ == "__main__":
    serve(
        SlackRequestHandler(app),
        host="127.0.0.1",
        port=int(os.environ["PORT"]),
        threads=16,
        _quiet=True,
    )
