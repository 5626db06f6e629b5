"""Where a listener's work runs once Slack has its ack.

CPython runs one thread's Python at a time. If every listener did its work in its own
thread straight after its ack, a burst of commands would have dozens of threads reading
the database and building Block Kit at once, and the threads carrying the next acks back
to Slack would wait their turn among them: Slack allows three seconds for an ack, and
under a burst of 16 clients ours took several times a bare app's. So a listener only
acks and hands its work over. The work takes turns (`TURNS` at a time, first come first
served); a piece of work that waits on Slack gives its turn up meanwhile (see
`bot.slack_client.SlackClient`), and its reply is sent after its turn, so waiting on the
network never holds the others up. Under a burst it is the replies that queue, and
Slack allows those thirty minutes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

log = logging.getLogger("advisory_bot.workers")

T = TypeVar("T")

WORK_THREADS = 16
TURNS = 1


class Workers:
    def __init__(self, threads: int = WORK_THREADS, turns: int = TURNS) -> None:
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="work")
        self._turns = threading.BoundedSemaphore(turns)
        self._holding = threading.local()
        self._lock = threading.Lock()
        self._queued: set[Hashable] = set()

    def submit(self, work: Callable[[], T], reply: Callable[[T], None]) -> None:
        """Run `work()` in its turn, then `reply(result)` outside it. `work` turns its own
        failures into a result (see `handlers.errors`); anything left is logged."""
        self._pool.submit(self._run, work, reply)

    def do(self, work: Callable[[], object]) -> None:
        """Run `work()` in its turn, where it sends whatever it has to say itself."""
        self.submit(work, _nothing)

    def do_once(self, key: Hashable, work: Callable[[], object]) -> None:
        """`do(work)`, unless work under the same key is still waiting for its turn: that
        work reads the database when its turn comes, so it will see this change too."""
        with self._lock:
            if key in self._queued:
                return
            self._queued.add(key)

        def once() -> object:
            with self._lock:
                self._queued.discard(key)
            return work()

        self.do(once)

    def _run(self, work: Callable[[], T], reply: Callable[[T], None]) -> None:
        try:
            with self._turn():
                result = work()
            reply(result)
        except Exception:
            log.exception("Work after an ack failed")

    @contextmanager
    def _turn(self) -> Iterator[None]:
        self._turns.acquire()
        self._holding.turn = True
        try:
            yield
        finally:
            self._holding.turn = False
            self._turns.release()

    @contextmanager
    def waiting(self) -> Iterator[None]:
        """Around a wait on the network: the calling thread's turn, if it has one, goes
        to the next piece of work until the wait is over."""
        if not getattr(self._holding, "turn", False):
            yield
            return
        self._holding.turn = False
        self._turns.release()
        try:
            yield
        finally:
            self._turns.acquire()
            self._holding.turn = True

    def shutdown(self) -> None:
        """Finish the work already handed over and send its replies, then stop."""
        self._pool.shutdown(wait=True)


def _nothing(_result: object) -> None:
    pass
