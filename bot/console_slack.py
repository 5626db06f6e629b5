"""The console's stand-in for Slack: the simulator, watched, so that what the bot sends
is queued for the console to print."""

from __future__ import annotations

import json
import queue
from pathlib import Path
from typing import Any

from simulator.web_api import Call, FakeSlack


class ConsoleSlack:
    """The simulator, watched: what the bot sends is queued for the console to print."""

    def __init__(self, files_dir: Path) -> None:
        self.outputs: queue.Queue[tuple[str, dict[str, Any]]] = queue.Queue()
        self.home_for: str | None = None  # whose App Home `:home` asked to see
        self.fake = FakeSlack(files_dir=files_dir)
        self.fake.watch(self._seen)
        self.fake.start()

    @property
    def url(self) -> str:
        return self.fake.url

    def response_url(self) -> str:
        return self.fake.new_response_url()

    def stop(self) -> None:
        self.fake.stop()

    def _seen(self, call: Call) -> None:
        if call.method in ("response_url", "chat.postMessage"):
            self.outputs.put(("message", call.params))
        elif call.method == "views.open":
            self.outputs.put(("modal", call.view))
        elif call.method == "views.publish" and call.params.get("user_id") == self.home_for:
            self.home_for = None
            self.outputs.put(("home", call.view))
        elif call.method == "files.completeUploadExternal":
            files = call.params.get("files")
            for entry in json.loads(files) if isinstance(files, str) else files or []:
                path = self.fake.saved_path(entry["id"])
                if path is not None:
                    self.outputs.put(("file", {"path": str(path)}))
