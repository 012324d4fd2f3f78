"""Conversion processes: admission (a bounded queue), concurrency, the time
limit.

Why a process per conversion, forked from a warm template, and not a
``ProcessPoolExecutor`` or a pool of long-lived workers:

- A conversion over the time limit must be stopped and its slot freed at
  once.  ``ProcessPoolExecutor`` cannot kill one task; killing a long-lived
  worker means starting and warming a replacement (about 1.5 s of imports,
  fonts and a first render) before that slot serves again.  Here the
  overrunning process is SIGKILLed and the next conversion forks a fresh one
  immediately.
- Each conversion starts from the same clean, warm state, so nothing one
  document does (a crash, memory it leaks, a cache it fills) can reach the
  next.  A process that dies fails only its own conversion.
- Forking is cheap (a few milliseconds) because the template is the
  multiprocessing *forkserver*: a small single-threaded process that imported
  and warmed everything once (process_template.py).  The server itself is never forked:
  it runs threads and an event loop, which a plain fork would copy
  half-locked.  If the template dies, multiprocessing starts a new one on the
  next fork.

Admission: at most ``queue_size`` conversions are admitted at once (running
or waiting); more get BusyError (429 with Retry-After).  At most ``workers``
run at once; the rest wait their turn in FIFO order.
"""

from __future__ import annotations

import asyncio
import math
import multiprocessing
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import wait
from typing import Any, TypeVar

from .errors import BusyError, InternalError, ShuttingDownError, TimeLimitError, WorkerDiedError
from .process_tasks import child_main

T = TypeVar("T")
TEMPLATE_MODULES = ["converter.service.process_template"]
POLL = 0.2  # seconds between checks for a cancelled conversion


class Ticket:
    """Room for ``count`` conversions in the queue; released one by one as
    each finishes, or all at once."""

    def __init__(self, pool: ConversionPool, count: int) -> None:
        self._pool = pool
        self.count = count

    def release(self, count: int = 1) -> None:
        count = min(count, self.count)
        self.count -= count
        self._pool._admitted -= count
        self._pool._update_gauges()

    def release_all(self) -> None:
        self.release(self.count)

    def __enter__(self) -> Ticket:
        return self

    def __exit__(self, *_: object) -> None:
        self.release_all()


class ConversionPool:
    def __init__(self, workers: int, queue_size: int, time_limit: float,
                 on_change: Callable[[int, int], None] | None = None, heavy_bytes: int = 150_000) -> None:
        self.workers = workers
        self.queue_size = queue_size
        self.time_limit = time_limit
        self._ctx = multiprocessing.get_context("forkserver")
        self._ctx.set_forkserver_preload(TEMPLATE_MODULES)
        self._slots: asyncio.Semaphore | None = None
        self._admitted = 0
        self._running = 0
        self._saturated_since: float | None = None  # when every worker became busy (health: degraded)
        self._avg_seconds = 0.5  # a moving average, for Retry-After
        # Each running conversion waits for its process in a thread; the
        # health probe bypasses the queue, so it has threads of its own.
        self._threads = ThreadPoolExecutor(max_workers=workers + 4, thread_name_prefix="conversion")
        self._on_change = on_change
        # Shutting down (drain): no new work is admitted; once ``_stopping``
        # is set, conversions still running are killed and answer 503.
        self._draining = False
        self._stopping = threading.Event()
        # Long documents (``heavy``) share at most workers - 1 workers, so a
        # lecture-sized request always finds one free however many long
        # ones (or hostile ones: every stage is linear, but 500 000
        # characters still take seconds) are queued.
        self.heavy_capacity = max(1, workers - 1)
        self.heavy_bytes = heavy_bytes  # an input larger than this is a long document
        self._heavy_slots: asyncio.Semaphore | None = None
        self._heavy_running = 0
        self._heavy_waiting = 0
        self._heavy_since: float | None = None

    # -- admission -----------------------------------------------------

    def admit(self, count: int = 1) -> Ticket:
        if self._draining:
            raise ShuttingDownError("the server is shutting down; retry in a few seconds",
                                    headers={"Retry-After": "5"})
        if self._admitted + count > self.queue_size:
            retry = self.retry_after(count)
            raise BusyError(
                f"the service is busy: {self._admitted} conversions are running or waiting "
                f"(at most {self.queue_size}); retry in {retry} s",
                headers={"Retry-After": str(retry)}, admitted=self._admitted, retry_after=retry)
        self._admitted += count
        self._update_gauges()
        return Ticket(self, count)

    def retry_after(self, extra: int = 1) -> int:
        """Seconds until the queue has likely drained enough for ``extra``:
        the conversions that must finish first, at the rate the workers
        finish them (workers / the measured average conversion time).  Not
        the time to empty the whole queue: room opens as soon as enough
        of it has drained."""
        must_finish = max(1, self._admitted + extra - self.queue_size)
        per_second = self.workers / max(self._avg_seconds, 0.05)
        return max(1, math.ceil(must_finish / per_second))

    @property
    def admitted(self) -> int:
        return self._admitted

    @property
    def running(self) -> int:
        return self._running

    @property
    def waiting(self) -> int:
        return max(0, self._admitted - self._running)

    def drain(self, grace: float) -> None:
        """Shutting down: admit nothing more now; conversions still running
        after ``grace`` seconds are killed and answer 503 (their clients get
        an answer, and no process outlives the server)."""
        self._draining = True
        timer = threading.Timer(max(0.0, grace), self._stopping.set)
        timer.daemon = True
        timer.start()

    def saturated_for(self) -> float:
        """Seconds every worker has been busy without a break (0 when one is free)."""
        return 0.0 if self._saturated_since is None else time.monotonic() - self._saturated_since

    def heavy_saturated_for(self) -> float:
        """Seconds the long documents' share has been full, or had some
        waiting, without a break."""
        return 0.0 if self._heavy_since is None else time.monotonic() - self._heavy_since

    @property
    def heavy_waiting(self) -> int:
        return self._heavy_waiting

    def _update_heavy(self) -> None:
        if self._heavy_running < self.heavy_capacity and not self._heavy_waiting:
            self._heavy_since = None
        elif self._heavy_since is None:
            self._heavy_since = time.monotonic()

    def _update_gauges(self) -> None:
        if self._running < self.workers:
            self._saturated_since = None
        elif self._saturated_since is None:
            self._saturated_since = time.monotonic()
        if self._on_change:
            self._on_change(self._running, self.waiting)

    # -- running ---------------------------------------------------------

    async def run(self, fn: Callable[[Any], T], arg: Any, *, cancel: threading.Event | None = None,
                  limit: float | None = None, on_start: Callable[[], None] | None = None,
                  heavy: bool = False) -> T:
        """Run ``fn(arg)`` in a conversion process once a slot is free (for a
        ``heavy`` one, a slot of the long documents' share).  The caller
        holds a Ticket.  Raises what ``fn`` raised, TimeLimitError,
        WorkerDiedError, or asyncio.CancelledError when ``cancel`` was set."""
        if not heavy:
            return await self._run(fn, arg, cancel=cancel, limit=limit, on_start=on_start)
        if self._heavy_slots is None:
            self._heavy_slots = asyncio.Semaphore(self.heavy_capacity)
        self._heavy_waiting += 1
        self._update_heavy()
        acquired = False
        try:
            await self._heavy_slots.acquire()
            acquired = True
        finally:  # (a request cancelled while it waited is no longer waiting)
            self._heavy_waiting -= 1
            self._heavy_running += acquired
            self._update_heavy()
        try:
            return await self._run(fn, arg, cancel=cancel, limit=limit, on_start=on_start)
        finally:
            self._heavy_slots.release()
            self._heavy_running -= 1
            self._update_heavy()

    async def _run(self, fn: Callable[[Any], T], arg: Any, *, cancel: threading.Event | None,
                   limit: float | None, on_start: Callable[[], None] | None) -> T:
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.workers)
        async with self._slots:
            self._running += 1
            self._update_gauges()
            if on_start is not None:
                on_start()
            started = time.monotonic()
            # A cancelled request (a client gone, the server stopping) kills
            # its process rather than leave it running unwatched.
            cancel = cancel or threading.Event()
            try:
                loop = asyncio.get_running_loop()
                outcome = await loop.run_in_executor(
                    self._threads, self._run_process, fn, arg, limit or self.time_limit, cancel)
            except asyncio.CancelledError:
                cancel.set()
                raise
            finally:
                self._running -= 1
                self._update_gauges()
            self._avg_seconds = 0.8 * self._avg_seconds + 0.2 * (time.monotonic() - started)
        return self._unwrap(outcome, limit or self.time_limit)

    async def probe(self, fn: Callable[[Any], T], timeout: float) -> T:
        """Run a tiny function in a process now, outside the queue (health)."""
        loop = asyncio.get_running_loop()
        outcome = await loop.run_in_executor(self._threads, self._run_process, fn, None, timeout, None)
        return self._unwrap(outcome, timeout)

    @staticmethod
    def _unwrap(outcome: tuple[str, Any], limit: float) -> Any:
        kind, value = outcome
        if kind == "ok":
            return value
        if kind == "error":
            raise value
        if kind == "timeout":
            raise TimeLimitError(f"the conversion took longer than the time limit of {limit:g} s and was stopped",
                                 headers={"Retry-After": "1"}, limit=f"{limit:g}")
        if kind == "cancelled":
            raise asyncio.CancelledError()
        if kind == "shutdown":
            raise ShuttingDownError("the server is shutting down: the conversion was stopped; retry in a few seconds",
                                    headers={"Retry-After": "5"})
        if kind == "crash":
            name = value.splitlines()[0] if value else "error"
            raise InternalError(f"internal error in the conversion: {name}", kind=name, stack=value)
        raise WorkerDiedError(f"the conversion process died (exit code {value}); it may have run out of memory",
                              exitcode=value)

    def _run_process(self, fn: Callable[[Any], Any], arg: Any, limit: float,
                     cancel: threading.Event | None) -> tuple[str, Any]:
        """In a thread: fork a conversion process, wait for its answer, kill
        it on the time limit or a cancel."""
        recv, send = self._ctx.Pipe(duplex=False)
        proc = self._ctx.Process(target=child_main, args=(fn, arg, send), daemon=True, name="conversion")
        try:
            proc.start()
        except Exception as err:  # noqa: BLE001 - the template could not fork: report, do not hang
            recv.close()
            send.close()
            return ("crash", f"could not start a conversion process: {type(err).__name__}: {err}")
        send.close()  # so a dead child reads as EOF
        deadline = time.monotonic() + limit
        try:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return ("timeout", None)
                if cancel is not None and cancel.is_set():
                    return ("cancelled", None)
                if self._stopping.is_set():
                    return ("shutdown", None)
                ready = wait([recv, proc.sentinel], timeout=min(remaining, POLL))
                if recv in ready or (ready and recv.poll(0)):
                    try:
                        return recv.recv()
                    except (EOFError, OSError):
                        proc.join(1)
                        return ("died", proc.exitcode)
                if proc.sentinel in ready:
                    proc.join(1)
                    return ("died", proc.exitcode)
        finally:
            recv.close()
            if proc.is_alive():
                proc.kill()  # over the limit, cancelled, or done and lingering: never left running
            proc.join(5)
            try:
                proc.close()
            except ValueError:  # still running after SIGKILL and 5 s: leave it to the OS
                pass

    def close(self) -> None:
        self._draining = True
        self._stopping.set()  # every conversion still running is killed within POLL seconds
        self._threads.shutdown(wait=False, cancel_futures=True)
