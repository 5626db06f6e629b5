"""Slack's channel canvases, as the fake Web API keeps them: one canvas a channel, made by
`conversations.canvases.create`; its sections found by `canvases.sections.lookup` and
changed one operation at a time by `canvases.edit` (Slack allows one a call); deleted by
`canvases.delete`. A section here is a heading and what follows it up to the next heading
of its level or above. Errors are Slack's: `channel_canvas_already_exists`,
`canvas_not_found`, `canvas_editing_failed` (also for a canvas over the size we allow)."""

from __future__ import annotations

import json
import re
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

MOST_CHARACTERS = 100_000  # the fake's stand-in for Slack's size limit
HEADING = re.compile(r"^(#{1,3}) ", re.MULTILINE)


@dataclass
class Canvas:
    channel_id: str | None
    title: str
    sections: list[tuple[str, str]] = field(default_factory=list)  # (id, markdown)

    @property
    def markdown(self) -> str:
        return "\n".join(text for _, text in self.sections)


def _split(markdown: str) -> list[tuple[str, str]]:
    """Markdown cut at every heading: each piece a section with an id of its own."""
    starts = [m.start() for m in HEADING.finditer(markdown)]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    ends = [*starts[1:], len(markdown)]
    pieces = [markdown[a:b].rstrip("\n") for a, b in zip(starts, ends, strict=True)]
    return [("temp:C:" + uuid.uuid4().hex[:24].upper(), p) for p in pieces if p.strip()]


def _level(text: str) -> int:
    found = HEADING.match(text)
    return len(found.group(1)) if found else 99


class Canvases:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.by_id: dict[str, Canvas] = {}
        self.edits: list[tuple[str, str]] = []  # (canvas id, operation), in order

    def of_channel(self, channel_id: str) -> Canvas | None:
        with self._lock:
            return next((c for c in self.by_id.values() if c.channel_id == channel_id), None)

    def id_of(self, canvas: Canvas) -> str | None:
        with self._lock:
            return next((k for k, v in self.by_id.items() if v is canvas), None)

    def give_channel(self, channel_id: str, markdown: str = "# Our own notes\n") -> str:
        """A canvas someone made in the channel, not the bot."""
        with self._lock:
            canvas_id = "F" + uuid.uuid4().hex[:10].upper()
            self.by_id[canvas_id] = Canvas(channel_id, "Notes", _split(markdown))
            return canvas_id

    def delete(self, canvas_id: str) -> None:
        with self._lock:
            self.by_id.pop(canvas_id, None)

    def answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            if method == "conversations.canvases.create":
                return self._create(params)
            canvas = self.by_id.get(str(params.get("canvas_id")))
            if canvas is None:
                return {"ok": False, "error": "canvas_not_found"}
            if method == "canvases.sections.lookup":
                return self._lookup(canvas, _json(params.get("criteria")))
            if method == "canvases.edit":
                return self._edit(str(params["canvas_id"]), canvas, _json(params.get("changes")))
            if method == "canvases.delete":
                del self.by_id[str(params["canvas_id"])]
                return {"ok": True}
        return {"ok": False, "error": "unknown_method"}

    def _create(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = str(params.get("channel_id"))
        if any(c.channel_id == channel for c in self.by_id.values()):
            return {"ok": False, "error": "channel_canvas_already_exists"}
        content = _json(params.get("document_content")) or {}
        markdown = str(content.get("markdown", ""))
        if len(markdown) > MOST_CHARACTERS:
            return {"ok": False, "error": "canvas_editing_failed"}
        canvas_id = "F" + uuid.uuid4().hex[:10].upper()
        self.by_id[canvas_id] = Canvas(channel, str(params.get("title", "")), _split(markdown))
        return {"ok": True, "canvas_id": canvas_id}

    def _lookup(self, canvas: Canvas, criteria: Any) -> dict[str, Any]:
        wanted = str((criteria or {}).get("contains_text", ""))
        kinds = (criteria or {}).get("section_types") or ["any_header"]
        levels = {"h1": 1, "h2": 2, "h3": 3}
        found = [
            {"id": section_id}
            for section_id, text in canvas.sections
            if wanted in text.splitlines()[0]
            and ("any_header" in kinds or any(levels.get(k) == _level(text) for k in kinds))
        ]
        return {"ok": True, "sections": found}

    def _edit(self, canvas_id: str, canvas: Canvas, changes: Any) -> dict[str, Any]:
        if not isinstance(changes, list) or len(changes) != 1:
            return {"ok": False, "error": "canvas_editing_failed"}  # one operation a call
        change = changes[0]
        operation = change.get("operation")
        target = change.get("section_id")
        content = str((change.get("document_content") or {}).get("markdown", ""))
        ids = [section_id for section_id, _ in canvas.sections]
        if target is not None and target not in ids:
            return {"ok": False, "error": "canvas_editing_failed"}
        new = _split(content) if content else []
        sections = list(canvas.sections)
        if operation == "replace" and target is None:
            sections = new
        elif operation == "replace":
            at = ids.index(target)
            end = at + 1
            while end < len(sections) and _level(sections[end][1]) > _level(sections[at][1]):
                end += 1  # a heading's section runs to the next heading at its level
            sections[at:end] = new
        elif operation == "insert_at_end":
            sections += new
        elif operation == "insert_at_start":
            sections = new + sections
        elif operation == "delete" and target is not None:
            del sections[ids.index(target)]
        else:
            return {"ok": False, "error": "canvas_editing_failed"}
        if sum(len(text) for _, text in sections) > MOST_CHARACTERS:
            return {"ok": False, "error": "canvas_editing_failed"}
        canvas.sections = sections
        self.edits.append((canvas_id, str(operation)))
        return {"ok": True}


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value
