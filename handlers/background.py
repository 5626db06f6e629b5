"""Where work runs once Slack has its ack.

Everyday work (a reply, a channel post, an App Home publish) runs on the executor that Bolt
runs its lazy listeners on; work that is slow by nature (Word reports, exports, uploads,
the national roll-up) runs on a small pool of its own, so it can never take the threads
the everyday replies need. Both pools are bounded and sized to the database pool.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor

log = logging.getLogger("advisory_bot.background")

EVERYDAY_THREADS = 8
SLOW_THREADS = 2


class Background:
    """The two pools, and App Home publishes coalesced per person."""

    def __init__(self, threads: int = EVERYDAY_THREADS, slow_threads: int = SLOW_THREADS) -> None:
        # Handed to Bolt as its `listener_executor`: lazy listeners run here.
        self.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="listener")
        self._slow = ThreadPoolExecutor(max_workers=slow_threads, thread_name_prefix="slow")
        self._lock = threading.Lock()
        self._queued: set[Hashable] = set()
        self._timers: dict[Hashable, threading.Timer] = {}
        self._closed = False

    def soon(self, work: Callable[[], object]) -> None:
        """Run `work()` on the everyday pool; its failure is logged."""
        _submit(self.executor, work)

    def slowly(self, work: Callable[[], object]) -> None:
        """Run `work()` on the pool for slow work; its failure is logged."""
        _submit(self._slow, work)

    def once(self, key: Hashable, work: Callable[[], object]) -> None:
        """`soon(work)`, unless work under the same key is still waiting to start: that work
        reads the database when it starts, so it will see this change too."""
        with self._lock:
            if key in self._queued:
                return
            self._queued.add(key)

        def started() -> object:
            with self._lock:
                self._queued.discard(key)
            return work()

        self.soon(started)

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

    def shutdown(self) -> None:
        """Finish the work already handed over (replies owed included), then stop."""
        with self._lock:
            self._closed = True
            for timer in self._timers.values():
                timer.cancel()
            self._timers.clear()
        self._slow.shutdown(wait=True)
        self.executor.shutdown(wait=True)


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
