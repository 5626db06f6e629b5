"""Logging for `advisory-bot`: plain text, or one JSON object a line (`LOG_FORMAT=json`)
with the time, level, logger, message and, where known, the request's command, user,
channel, error reference and duration. Neither format logs tokens, secrets or what
people typed at INFO: the bot's own lines name commands, never their text."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from models import log_context

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
EXTRA_FIELDS = ("command", "outcome", "user", "channel", "trial", "reference", "duration_ms")


class JsonFormatter(logging.Formatter):
    """One JSON object a line."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update(log_context.current())
        line.update({key: getattr(record, key) for key in EXTRA_FIELDS if hasattr(record, key)})
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def configure(*, log_format: str = "text", level: str = "INFO", quiet: bool = False) -> None:
    """Set up the root logger once for the process. `quiet` (console, demo, manifest):
    warnings only, the terminal is for the conversation."""
    handler = logging.StreamHandler()
    handler.setFormatter(
        JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT)
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING if quiet else level)
    # Bolt's own warnings quote whole request bodies (what people typed, live response
    # URLs); its errors still show.
    logging.getLogger("advisory_bot.bolt").setLevel(logging.ERROR)
