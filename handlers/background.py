"""Where work runs once Slack has its ack.

Everyday work (building a reply, making a change kept in the inbox, an App Home publish)
runs on the executor that Bolt runs its lazy listeners on; work that is slow by nature
(Word reports, exports, uploads, the national roll-up) runs on a small pool of its own, so
it can never take the threads the everyday replies need; a reply or post once built is sent from a
pool of its own, where it waits on the network instead of holding a thread that could
build the next reply.

The pools are bounded, and those that use the database are smaller than its pool.

Four everyday threads, not more: every database statement and Slack call gives up the
interpreter and must wait its turn to take it back, so threads beyond what the work can
use only lengthen those waits, inside the write transactions the other writers queue
behind. Measured at 16 clients in one trial's channel (benchmarks/reply_latency.py
--one-trial), 8 threads → 4: a write's hold on SQLite's lock p50 88 ms → 37 ms, the writes'
ack p99 640 ms → 135 ms, the reply p99 730 ms → 363 ms (PostgreSQL 524 ms → 409 ms), the
p50 no worse.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor

log = logging.getLogger("advisory_bot.background")

EVERYDAY_THREADS = 4
SLOW_THREADS = 2
SENDING_THREADS = 8


class Background:
    """The three pools, and work paced (App Home publishes) or delayed (canvas edits)
    under a key."""

    def __init__(
        self,
        threads: int = EVERYDAY_THREADS,
        slow_threads: int = SLOW_THREADS,
        sending_threads: int = SENDING_THREADS,
    ) -> None:
        # Handed to Bolt as its `listener_executor`: lazy listeners run here.
        self.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="listener")
        self._slow = ThreadPoolExecutor(max_workers=slow_threads, thread_name_prefix="slow")
        self._sending = ThreadPoolExecutor(
            max_workers=sending_threads, thread_name_prefix="sending"
        )
        self._lock = threading.Lock()
        self._queued: set[Hashable] = set()
        self._started: dict[Hashable, float] = {}  # when paced work under a key last started
        self._timers: dict[Hashable, threading.Timer] = {}
        self._closed = False
        self._stopping = threading.Event()

    def soon(self, work: Callable[[], object]) -> None:
        """Run `work()` on the everyday pool; its failure is logged."""
        _submit(self.executor, work)

    def sending(self, work: Callable[[], object]) -> None:
        """Run `work()`, a reply or message already built, on the pool for sending to
        Slack: it waits on the network (Slack answers from across the Pacific), so it
        never holds a thread the everyday work needs."""
        _submit(self._sending, work)

    def slowly(self, work: Callable[[], object]) -> None:
        """Run `work()` on the pool for slow work; its failure is logged."""
        _submit(self._slow, work)

    def paced(self, key: Hashable, spacing: float, work: Callable[[], object]) -> None:
        """`soon(work)`, at most once every `spacing` seconds under one key. A call while
        work under the key still waits to start adds nothing (that work reads the database
        when it starts, so it will show this change too); a call within `spacing` of the
        last start makes one more run at the end of that time. So a person's App Home
        follows a lone change at once, and a burst of changes in a few publishes. A
        spacing of 0 runs at once whatever is due later (a person opening their Home)."""
        with self._lock:
            if self._closed or key in self._queued or (spacing > 0 and key in self._timers):
                return
            wait = self._started.get(key, -spacing) + spacing - time.monotonic()
            if wait > 0:
                timer = threading.Timer(wait, self._paced_due, args=(key, work))
                timer.daemon = True
                self._timers[key] = timer
                timer.start()
                return
            self._queued.add(key)
        self.soon(lambda: self._paced_run(key, work))

    def _paced_due(self, key: Hashable, work: Callable[[], object]) -> None:
        with self._lock:
            self._timers.pop(key, None)
            if self._closed:
                return
            self._queued.add(key)
        self.soon(lambda: self._paced_run(key, work))

    def _paced_run(self, key: Hashable, work: Callable[[], object]) -> object:
        with self._lock:
            self._queued.discard(key)
            self._started[key] = time.monotonic()
        return work()

    def later(self, key: Hashable, delay: float, work: Callable[[], object]) -> None:
        """Run `work()` on the pool for slow work `delay` seconds from the first call under
        this key: calls meanwhile coalesce into that one run (a burst of changes, one
        canvas edit). Not owed to anyone: dropped if the bot stops first."""

        def fire() -> None:
            with self._lock:
                self._timers.pop(key, None)
                if self._closed:
                    return
            self.slowly(work)

        with self._lock:
            if key in self._timers or self._closed:
                return
            timer = threading.Timer(delay, fire)
            timer.daemon = True
            self._timers[key] = timer
        timer.start()

    def every(self, seconds: float, work: Callable[[], object]) -> None:
        """Run `work()` on the everyday pool every `seconds` until shutdown (a run that
        is still going when the next is due is not doubled)."""
        running = threading.Lock()

        def run() -> None:
            if running.acquire(blocking=False):
                try:
                    work()
                finally:
                    running.release()

        def tick() -> None:
            while not self._stopping.wait(seconds):
                self.soon(run)

        threading.Thread(target=tick, name="every", daemon=True).start()

    def stop_rounds(self) -> None:
        """No more rounds of `every` work (the database they read is going away)."""
        self._stopping.set()

    def shutdown(self) -> None:
        """Finish the work already handed over (replies owed included), then stop."""
        self._stopping.set()
        with self._lock:
            self._closed = True
            for timer in self._timers.values():
                timer.cancel()
            self._timers.clear()
        self._slow.shutdown(wait=True)
        self.executor.shutdown(wait=True)
        self._sending.shutdown(wait=True)  # last: the work above hands its replies here


def _submit(pool: ThreadPoolExecutor, work: Callable[[], object]) -> None:
    try:
        pool.submit(_logged, work)
    except RuntimeError:  # shutting down: what is owed still goes, in this thread
        _logged(work)


def _logged(work: Callable[[], object]) -> None:
    try:
        work()
    except Exception:
        log.exception("Work after an ack failed")
