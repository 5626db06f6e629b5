"""A fake Slack Web API on a free loopback port.

It records every call (Web API methods and `response_url` posts), answers like Slack
does, and can be told to fail: 429 with Retry-After, 500, or a slow answer. The console
watches it (`watch`) to print what the bot sends, and has uploads saved (`files_dir`).
"""

from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from simulator.canvases import Canvases
from simulator.limits import check_message, check_view

RESPONSE_PREFIX = "/response/"
DROP = 0  # a "status" for fail(): close the connection without answering
UPLOAD_PREFIX = "/upload/"


@dataclass
class Call:
    """One request the fake received."""

    method: str  # a Web API method such as "chat.postMessage", or "response_url"
    params: dict[str, Any]
    headers: dict[str, str]
    hook: str | None = None  # the response_url's id, for "response_url" calls
    at: float = field(default_factory=time.monotonic)
    status: int = 200  # what the fake answered
    refused: str | None = None  # the error Slack gave, if it refused

    @property
    def view(self) -> dict[str, Any]:
        """The view of a views.* call, whether it came as JSON or form-encoded."""
        view = self.params["view"]
        return json.loads(view) if isinstance(view, str) else dict(view)


@dataclass
class Failure:
    status: int
    retry_after: int | None = None
    body: dict[str, Any] | None = None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Slack takes every connection. Python's default backlog of 5 overflows when a burst of
    # replies arrives at once, and each connection the kernel drops then costs its sender
    # a second (TCP's first SYN retry), a reply a second late that Slack would not cause.
    request_queue_size = 128


class FakeSlack:
    """Start with `start()`, stop with `stop()`; `url` is the Web API base URL."""

    def __init__(self, *, files_dir: Path | None = None) -> None:
        self.calls: list[Call] = []
        # Where uploaded files are saved under their own names (the console's choice).
        self.files_dir = files_dir
        self._watchers: list[Callable[[Call], None]] = []
        self.websocket_url: str | None = None
        # users.info answers: user ID -> the "user" object Slack would return.
        self.users: dict[str, dict[str, Any]] = {}
        # Files received through the upload flow: file id -> bytes, and file id -> name.
        self.uploads: dict[str, bytes] = {}
        self.upload_names: dict[str, str] = {}
        # Messages and views Slack would have refused as too big or malformed.
        self.violations: list[str] = []
        self._failures: dict[str, deque[Failure]] = defaultdict(deque)
        self._rate_limits: dict[str, int] = {}
        self._recent: dict[str, deque[float]] = defaultdict(deque)
        self._delays: dict[str, float] = {}
        self._answer_after = 0.0
        self._refusals: dict[str, str] = {}  # channel or user ID -> Slack's error for it
        self.canvases = Canvases()  # the channels' canvases
        self._revoked: str | None = None
        self._lock = threading.Condition()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: Any) -> None:
                pass

            def do_POST(self) -> None:
                fake._handle(self)

            def do_GET(self) -> None:
                fake._handle(self)

        self._server = _Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )

    @property
    def url(self) -> str:
        host, port = str(self._server.server_address[0]), self._server.server_address[1]
        return f"http://{host}:{port}/api/"

    def new_response_url(self) -> str:
        host, port = str(self._server.server_address[0]), self._server.server_address[1]
        return f"http://{host}:{port}{RESPONSE_PREFIX}{uuid.uuid4().hex}"

    def start(self) -> FakeSlack:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # ----- programming the fake -------------------------------------------------------

    def fail(
        self,
        method: str,
        status: int,
        *,
        times: int = 1,
        retry_after: int | None = None,
        body: dict[str, Any] | None = None,
    ) -> None:
        """The next `times` calls of `method` answer with this HTTP status."""
        with self._lock:
            for _ in range(times):
                self._failures[method].append(Failure(status, retry_after, body))

    def rate_limit(self, method: str, per_second: int) -> None:
        """Allow `per_second` calls of `method` in any second; answer 429 (Retry-After: 1)
        beyond that, as Slack does."""
        self._rate_limits[method] = per_second

    def _over_limit(self, method: str) -> bool:
        limit = self._rate_limits.get(method)
        if limit is None:
            return False
        now = time.monotonic()
        recent = self._recent[method]
        while recent and now - recent[0] >= 1.0:
            recent.popleft()
        if len(recent) >= limit:
            return True
        recent.append(now)
        return False

    def refuse(self, target: str, error: str) -> None:
        """Every message to `target` (a channel, or a person's DM) is refused with `error`,
        as Slack refuses `not_in_channel`, `is_archived`, `account_inactive`..."""
        self._refusals[target] = error

    def revoke(self, error: str = "token_revoked") -> None:
        """From now on every Web API call is refused: the bot's token is gone."""
        self._revoked = error

    def watch(self, watcher: Callable[[Call], None]) -> None:
        """Call `watcher(call)` for every call answered (after it was answered)."""
        self._watchers.append(watcher)

    def delay(self, method: str, seconds: float) -> None:
        """Every call of `method` takes this long to answer."""
        self._delays[method] = seconds

    def answer_after(self, seconds: float) -> None:
        """Every call is recorded as it arrives and answered `seconds` later, as Slack's
        servers across the Pacific are: the caller waits that long for each answer."""
        self._answer_after = seconds

    # ----- reading what happened ----------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [call for call in self.calls if call.method == method]

    def files_named(self, ending: str, *, count: int = 1, timeout: float = 15.0) -> list[bytes]:
        """The contents of uploaded files whose names end so, oldest first; waits for `count`."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                found = [
                    self.uploads[file_id]
                    for file_id, name in self.upload_names.items()
                    if name.endswith(ending) and file_id in self.uploads
                ]
            if len(found) >= count or time.monotonic() > deadline:
                assert len(found) >= count, f"{len(found)} {ending} file(s) uploaded"
                return found
            time.sleep(0.02)

    def delivered_reminders(self) -> list[tuple[str, str, str]]:
        """The (kind, target, slot) of every reminder message Slack accepted, repeats kept."""
        keys = []
        for call in self.calls_to("chat.postMessage"):
            metadata = call.params.get("metadata")
            if isinstance(metadata, str):
                metadata = json.loads(metadata)
            if call.status == 200 and call.refused is None and metadata:
                payload = metadata["event_payload"]
                keys.append((payload["kind"], payload["target"], payload["slot"]))
        return keys

    def wait_for(
        self, method: str, *, count: int = 1, hook: str | None = None, timeout: float = 10.0
    ) -> list[Call]:
        """Block until `count` calls of `method` (to one response_url, if given) arrived."""
        return self._wait(
            lambda c: c.method == method and (hook is None or c.hook == hook),
            count=count,
            timeout=timeout,
            what=method,
        )

    def answer_to(self, hook: str, *, timeout: float = 10.0) -> Call:
        """How the app answered the command behind `hook`: its reply, or the modal it
        opened (the harness's trigger ids end with the hook)."""
        return self._wait(
            lambda c: (
                c.hook == hook
                or (c.method == "views.open" and str(c.params.get("trigger_id")).endswith(hook))
            ),
            count=1,
            timeout=timeout,
            what=f"an answer to {hook}",
        )[0]

    def _wait(
        self, wanted: Callable[[Call], bool], *, count: int, timeout: float, what: str
    ) -> list[Call]:
        deadline = time.monotonic() + timeout
        matching: list[Call] = []
        read = 0  # calls are only ever appended: each wake reads just the new ones
        with self._lock:
            while True:
                matching.extend(c for c in self.calls[read:] if wanted(c))
                read = len(self.calls)
                if len(matching) >= count:
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [c.method for c in self.calls]
                    raise AssertionError(
                        f"expected {count} call(s) to {what}, got {len(matching)}; saw {seen}"
                    )
                self._lock.wait(remaining)
            return matching

    # ----- serving --------------------------------------------------------------------

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length) if length else b""
        content_type = request.headers.get("Content-Type", "")
        path = request.path.split("?")[0]
        if path.startswith(UPLOAD_PREFIX):
            # The second step of files_upload_v2: the file's bytes, posted as they are.
            with self._lock:
                self.uploads[path[len(UPLOAD_PREFIX) :]] = raw
                self.calls.append(
                    Call(
                        "upload",
                        {"size": len(raw)},
                        dict(request.headers.items()),
                        path[len(UPLOAD_PREFIX) :],
                    )
                )
                self._lock.notify_all()
            request.send_response(200)
            request.send_header("Content-Length", "2")
            request.end_headers()
            request.wfile.write(b"OK")
            return
        if "json" in content_type:
            params = json.loads(raw or b"{}")
        else:
            params = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
        hook = None
        if path.startswith(RESPONSE_PREFIX):
            method, hook = "response_url", path[len(RESPONSE_PREFIX) :]
        else:
            method = path.rsplit("/", 1)[-1]
        if method in self._delays:
            time.sleep(self._delays[method])
        with self._lock:
            failure = self._failures[method].popleft() if self._failures[method] else None
            if failure is None and self._over_limit(method):
                failure = Failure(429, retry_after=1)
            call = Call(method, params, dict(request.headers.items()), hook)
            self.calls.append(call)
            self._lock.notify_all()
        if self._answer_after:
            time.sleep(self._answer_after)
        problems = self._limits(method, params)
        if problems:
            with self._lock:
                self.violations.extend(problems)
            self._send(request, 200, {"ok": False, "error": "invalid_blocks", "errors": problems})
            return
        if failure is not None and failure.status == DROP:
            call.status = DROP
            request.close_connection = True
            request.connection.shutdown(socket.SHUT_RDWR)  # no answer at all
            return
        if failure is not None:
            call.status = failure.status
            body = failure.body or {
                "ok": False,
                "error": "ratelimited" if failure.status == 429 else "internal_error",
            }
            headers = (
                {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else {}
            )
            self._send(request, failure.status, body, headers)
            return
        refusal = self._revoked if method != "response_url" else None
        if refusal is None and method.startswith("chat."):
            refusal = self._refusals.get(str(params.get("channel")))
        if refusal is None and "canvases" in method:  # refuse("canvases", …): all of them
            refusal = self._refusals.get("canvases") or self._refusals.get(
                str(params.get("channel_id"))
            )
        if refusal is not None:
            call.status = 200
            call.refused = refusal
            self._send(request, 200, {"ok": False, "error": refusal})
            return
        answer = self._answer(method, params)
        self._send(request, 200, answer)
        for watcher in self._watchers:
            watcher(call)

    @staticmethod
    def _limits(method: str, params: dict[str, Any]) -> list[str]:
        if method in ("response_url", "chat.postMessage", "chat.postEphemeral", "chat.update"):
            return check_message(params, method)
        if method in ("views.publish", "views.open", "views.update", "views.push"):
            view = params.get("view")
            return check_view(json.loads(view) if isinstance(view, str) else view or {}, method)
        return []

    def _answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if "canvases" in method:
            return self.canvases.answer(method, params)
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(params.get("users", ""))[1:]}}
        if method == "conversations.info":
            channel = str(params.get("channel"))
            found = self.canvases.of_channel(channel)
            canvas_id = self.canvases.id_of(found) if found else None
            properties = {"canvas": {"file_id": canvas_id}} if canvas_id else {}
            return {"ok": True, "channel": {"id": channel, "properties": properties}}
        if method == "response_url":
            return {"ok": True}
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://advisory.example/",
                "team": "Trials",
                "user": "advisory-bot",
                "team_id": "T0TRIALS",
                "user_id": "UBOT",
                "bot_id": "BBOT",
            }
        if method == "users.info":
            user = self.users.get(str(params.get("user")))
            return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}
        if method == "files.getUploadURLExternal":
            file_id = "F" + uuid.uuid4().hex[:10].upper()
            self.upload_names[file_id] = str(params.get("filename"))
            host, port = str(self._server.server_address[0]), self._server.server_address[1]
            return {
                "ok": True,
                "upload_url": f"http://{host}:{port}{UPLOAD_PREFIX}{file_id}",
                "file_id": file_id,
            }
        if method == "files.completeUploadExternal":
            files = (
                json.loads(params.get("files", "[]"))
                if isinstance(params.get("files"), str)
                else params.get("files", [])
            )
            if self.files_dir is not None:
                self._save(files)
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}
        if method == "apps.connections.open":
            return {"ok": True, "url": self.websocket_url}
        if method in ("chat.postMessage", "chat.postEphemeral", "chat.update"):
            return {
                "ok": True,
                "channel": params.get("channel"),
                "ts": f"{time.time():.6f}",
                "message": {"text": params.get("text")},
            }
        if method in ("views.publish", "views.open", "views.update"):
            view = params.get("view")
            if isinstance(view, str):
                view = json.loads(view)
            return {"ok": True, "view": {**(view or {}), "id": "V" + uuid.uuid4().hex[:8]}}
        return {"ok": True}

    def _save(self, files: list[dict[str, Any]]) -> None:
        assert self.files_dir is not None
        self.files_dir.mkdir(parents=True, exist_ok=True)
        with self._lock:
            for entry in files:
                name = Path(self.upload_names.get(entry["id"]) or entry["id"]).name
                (self.files_dir / name).write_bytes(self.uploads.get(entry["id"], b""))

    def saved_path(self, file_id: str) -> Path | None:
        """Where an uploaded file was saved, if it was."""
        if self.files_dir is None or file_id not in self.upload_names:
            return None
        return self.files_dir / Path(self.upload_names[file_id]).name

    @staticmethod
    def _send(
        request: BaseHTTPRequestHandler,
        status: int,
        body: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> None:
        data = json.dumps(body).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/json; charset=utf-8")
        request.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            request.send_header(key, value)
        request.end_headers()
        request.wfile.write(data)
