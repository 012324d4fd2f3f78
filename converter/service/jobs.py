"""Jobs: many files converted in the background, polled, fetched as a zip.

Routes talk to a ``JobRunner``; ``InProcessRunner`` is the default: it keeps
every job in this server (uploads, states, expiry, the zip, the print file)
and hands each file to a ``JobFileConverter`` (job_files.py, the public
protocol for converting one file of a job).  The default converter,
``PoolFileConverter``, runs each file as one conversion in this server's
pool (pool.py), as the batch runner runs each file in its worker pool;
``converter serve --broker`` passes the Celery workers' converter instead,
without touching the routes or the runner.

A job's uploads and results live in ``<results_dir>/job-<id>/``.  A finished
job is kept for ``job_ttl`` seconds, then its folder is deleted and its id
answers 410 (expired) instead of 404 (unknown).  With ``--results-dir`` the
jobs are also recorded (job_records.py), so they outlive the server: after
a restart a finished job's result is still served until it expires, and a
job that was running answers as failed, saying why.
"""

from __future__ import annotations

import asyncio
import errno
import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ..errors import ConverterError, OutputError, os_reason
from ..model import Warning
from . import download_names, log
from .counted_conversion import convert
from .errors import (
    BusyError,
    InsufficientStorageError,
    InternalError,
    JobExpiredError,
    JobNotFoundError,
    NotReadyError,
    code_for,
    message_for,
)
from .job_files import ConvertedFile, FileToConvert, JobFileConverter, JobOptions
from .job_records import JobRecord, JobRecords
from .metrics import Metrics
from .pool import ConversionPool, Ticket
from .process_tasks import ConvertTask, PrintTask, merge_print
from .request_bodies import Document

JOB_PREFIX = "job-"
RECORDS_FILE = "jobs.sqlite3"
INTERRUPTED = {"zh": "服务器在任务进行中停止或重启，任务未完成；请重新提交",
               "en": "the server stopped while this job was running; submit it again"}


def _interrupted(status: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """A job's recorded status once the server stopped under it: failed,
    its unfinished files failed, saying why."""
    out = {}
    for lang in ("zh", "en"):
        s = dict(status.get(lang) or {})
        files = [dict(f) for f in s.get("files", [])]
        for f in files:
            if f.get("state") not in ("done", "failed"):
                f.update(state="failed", error=INTERRUPTED[lang], code="interrupted")
        out[lang] = {**s, "state": "failed", "files": files, "progress": 1.0, "error": INTERRUPTED[lang]}
    return out
TOMBSTONES = 100_000  # expired ids remembered, to answer 410 rather than 404


class JobRunner(Protocol):
    """What the routes need from a job runner."""

    async def start(self) -> None: ...
    async def close(self) -> None: ...
    # ``owner`` (security.owner_of): the job is that owner's; another
    # owner asking about it is told there is no such job.
    async def submit(self, documents: list[Document], options: JobOptions, owner: str | None = None) -> str: ...
    def status(self, job_id: str, lang: str, owner: str | None = None) -> dict[str, Any]: ...
    def result(self, job_id: str, owner: str | None = None) -> Path: ...
    async def delete(self, job_id: str, owner: str | None = None) -> None: ...


@dataclass(slots=True)
class JobFile:
    name: str  # shown to the client: the cleaned upload name
    upload: Path
    stem: str  # outputs are "<stem>.<fmt>", unique within the job
    state: str = "queued"
    error: ConverterError | None = None
    warnings: list[dict[str, Any]] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)
    title: str = ""


@dataclass(slots=True)
class Job:
    id: str
    folder: Path
    options: JobOptions
    files: list[JobFile]
    ticket: Ticket
    created: float = field(default_factory=time.monotonic)
    converted: bool = False  # every file (and the print file) is done or failed; the zip comes next
    finished: float | None = None  # and the zip is written: the result can be fetched; expiry counts from here
    print_error: ConverterError | None = None
    print_path: str | None = None
    cancel: threading.Event = field(default_factory=threading.Event)
    task: asyncio.Task[None] | None = None
    owner: str | None = None  # security.owner_of the request that made it
    result_error: ConverterError | None = None  # the zip could not be written: the job failed

    @property
    def outcome(self) -> str:
        return "failed" if all(f.state == "failed" for f in self.files) else "done"

    @property
    def state(self) -> str:
        """done/failed only once the result can be fetched (or could not be written)."""
        if self.finished is not None:
            return "failed" if self.result_error is not None else self.outcome
        return "queued" if all(f.state == "queued" for f in self.files) else "running"

    @property
    def progress(self) -> float:
        steps = len(self.files) + (1 if self.options.print else 0)
        done = sum(1 for f in self.files if f.state in ("done", "failed"))
        if self.converted:
            done = steps
        return round(done / steps, 3) if steps else 1.0


class PoolFileConverter:
    """The default JobFileConverter: each file is one conversion in this
    server's pool, admitted when its job was (InProcessRunner.submit)."""

    def __init__(self, pool: ConversionPool, metrics: Metrics) -> None:
        self.pool = pool
        self.metrics = metrics

    async def convert_file(self, file: FileToConvert, *, started: Callable[[], None],
                           cancel: threading.Event) -> ConvertedFile:
        data = await asyncio.to_thread(file.upload.read_bytes)
        task = ConvertTask(data, name=file.name, formats=file.options.formats, theme=file.options.theme,
                           max_chars=file.options.max_chars, out_dir=str(file.out_dir), stem=file.stem,
                           truncation_note=file.options.truncation_note)
        result = await convert(self.pool, self.metrics, task, admitted=True, cancel=cancel, on_start=started)
        return ConvertedFile(result.title, result.paths, result.warnings)


def warning_json(w: Warning) -> dict[str, Any]:
    """A warning as a job's file status lists it."""
    return {"code": w.code, "message": w.message, "line": w.line, "block": w.block}


def result_not_written(err: BaseException) -> ConverterError:
    """The error a job's result answers with when its zip could not be
    written: 507 when the disk is full, else 500."""
    reason = os_reason(err) if isinstance(err, OSError) else str(err)
    if isinstance(err, OSError) and err.errno in (errno.ENOSPC, errno.EDQUOT):
        return InsufficientStorageError(f"the result could not be written: {reason}", reason=reason)
    return OutputError(f"the result could not be written: {reason}")


def log_id(job_id: str) -> str:
    """A job as the log names it: a digest, not the id (the id is the key
    to the job's files, and logs travel further than the server)."""
    return hashlib.sha256(job_id.encode()).hexdigest()[:12]


class InProcessRunner:
    """Jobs kept in this server; each file converted by ``converter`` (the
    server's own pool unless another JobFileConverter is passed in)."""

    def __init__(self, pool: ConversionPool, metrics: Metrics, results_dir: str, ttl: float,
                 converter: JobFileConverter | None = None, owner_share: int | None = None,
                 min_free_bytes: int = 0) -> None:
        self.pool = pool
        self.min_free_bytes = min_free_bytes  # free space kept in the results folder: 507 below it
        # The most conversions one owner's jobs may hold in the queue at once:
        # one person's 20-file job must not shut everyone else out.
        self.owner_share = owner_share or pool.queue_size
        self.metrics = metrics
        self.converter: JobFileConverter = converter or PoolFileConverter(pool, metrics)
        self.ttl = ttl
        self._own_dir = not results_dir
        self.root = Path(results_dir) if results_dir else Path(tempfile.mkdtemp(prefix="converter-jobs-"))
        self.jobs: dict[str, Job] = {}
        self.expired: OrderedDict[str, str | None] = OrderedDict()  # id -> its owner
        self._reaper: asyncio.Task[None] | None = None
        # Jobs of an earlier run of the server, read back from the records.
        self.restored: dict[str, JobRecord] = {}
        self.records: JobRecords | None = None

    # -- life ----------------------------------------------------------------

    async def start(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        if not self._own_dir:
            self.records = JobRecords(self.root / RECORDS_FILE)
            self._restore(self.records)
        for stale in self.root.glob(f"{JOB_PREFIX}*"):  # left by an earlier run and not recorded: unreachable
            if stale.name[len(JOB_PREFIX):] not in self.restored:
                shutil.rmtree(stale, ignore_errors=True)
        self._reaper = asyncio.create_task(self._reap())

    def _restore(self, records: JobRecords) -> None:
        """The jobs an earlier run recorded: finished ones are served until
        they expire; one that was running when that server stopped (or was
        killed) is failed, with the reason, and its files kept as long."""
        now = time.time()
        for record in records.all():
            folder = self.root / f"{JOB_PREFIX}{record.id}"
            if record.finished_at is not None and now - record.finished_at >= self.ttl or not folder.is_dir():
                records.remove(record.id)
                shutil.rmtree(folder, ignore_errors=True)
                continue
            if record.state == "running":  # the server died under it (kill -9, a crash)
                record = JobRecord(record.id, record.owner, "interrupted", now, _interrupted(record.status))
                records.interrupted(record.id, now, record.status)
            self.restored[record.id] = record

    async def close(self) -> None:
        if self._reaper:
            self._reaper.cancel()
        for job in list(self.jobs.values()):
            if self.records is not None and job.finished is not None:
                continue  # recorded: served again by the next run of the server
            if self.records is not None:
                self.records.interrupted(job.id, time.time(), _interrupted(self._statuses(job)))
                await self._stop(job)
                continue  # its uploads stay: the next run answers for it
            await self._discard(job)
        if self.records is not None:
            self.records.close()
        if self._own_dir:
            shutil.rmtree(self.root, ignore_errors=True)

    async def _reap(self) -> None:
        interval = min(max(self.ttl / 4, 0.25), 60.0)
        while True:
            await asyncio.sleep(interval)
            now = time.monotonic()
            for job in list(self.jobs.values()):
                if job.finished is not None and now - job.finished >= self.ttl:
                    await self._expire(job)
            for record in list(self.restored.values()):
                if record.finished_at is not None and time.time() - record.finished_at >= self.ttl:
                    self._forget_restored(record)

    # -- the interface -------------------------------------------------------

    async def submit(self, documents: list[Document], options: JobOptions, owner: str | None = None) -> str:
        # Each file is one conversion in the queue (429 when there is no room
        # for all of them); the print file is made after them, outside the count.
        held = sum(j.ticket.count for j in self.jobs.values() if j.owner == owner)
        if held and held + len(documents) > self.owner_share:
            retry = self.pool.retry_after(len(documents))
            raise BusyError(f"your earlier jobs hold {held} conversions of the queue (at most {self.owner_share} "
                            f"each); retry in {retry} s", headers={"Retry-After": str(retry)},
                            admitted=held, retry_after=retry)
        self._check_free_space(sum(len(d.data) for d in documents if isinstance(d.data, bytes)))
        ticket = self.pool.admit(len(documents))
        job_id = uuid.uuid4().hex
        folder = self.root / f"{JOB_PREFIX}{job_id}"
        try:
            # Only the server's user may read a job's uploads and outputs
            # (an intranet machine has other users): the folder is 0700.
            folder.mkdir(mode=0o700, parents=True)
            os.chmod(folder, 0o700)  # whatever the umask
            (folder / "uploads").mkdir(mode=0o700)
            (folder / "outputs").mkdir(mode=0o700)
            stems = download_names.unique([download_names.upload_stem(d.name) or f"{download_names.DEFAULT_STEM}{i + 1}"
                                  for i, d in enumerate(documents)])
            files = []
            for i, (doc, stem) in enumerate(zip(documents, stems)):
                upload = folder / "uploads" / f"{i:04d}"
                assert isinstance(doc.data, bytes)
                await asyncio.to_thread(upload.write_bytes, doc.data)
                shown = download_names.upload_stem(doc.name)
                suffix = doc.name.rsplit(".", 1)[-1] if doc.name and "." in doc.name else ""
                files.append(JobFile(f"{shown}.{suffix}" if shown and suffix.isalnum() else (shown or stem),
                                     upload, stem))
        except BaseException:
            ticket.release_all()
            shutil.rmtree(folder, ignore_errors=True)
            raise
        job = Job(job_id, folder, options, files, ticket, owner=owner)
        self.jobs[job_id] = job
        if self.records is not None:
            self.records.started(job_id, owner, self._statuses(job))
        job.task = asyncio.create_task(self._run(job))
        self._count()
        log.event("job_submitted", job=log_id(job_id), files=len(files), formats=list(options.formats))
        return job_id

    def status(self, job_id: str, lang: str, owner: str | None = None) -> dict[str, Any]:
        record = self._restored(job_id, owner)
        if record is not None:
            return record.status["en" if lang == "en" else "zh"]
        job = self._get(job_id, owner)
        return {
            "id": job.id,
            "state": job.state,
            "files": [{"name": f.name, "state": f.state,
                       "error": message_for(f.error, lang) if f.error else None,
                       "code": code_for(f.error) if f.error else None,
                       "warnings": f.warnings} for f in job.files],
            "progress": job.progress,
            "error": message_for(job.result_error, lang) if job.result_error else None,
        }

    def result(self, job_id: str, owner: str | None = None) -> Path:
        record = self._restored(job_id, owner)
        if record is not None:
            path = self.root / f"{JOB_PREFIX}{job_id}" / "result.zip"
            if record.state != "finished" or not path.is_file():
                raise OutputError(f"job {job_id} has no result: "
                                  f"{record.status['en'].get('error') or 'it was not finished'}")
            return path
        job = self._get(job_id, owner)
        if job.finished is None:
            raise NotReadyError(f"job {job_id} has not finished ({job.state})", state=job.state,
                                headers={"Retry-After": str(self.pool.retry_after())})
        if job.result_error is not None:
            raise job.result_error
        path = job.folder / "result.zip"
        if not path.is_file():
            raise OutputError(f"the result of job {job_id} could not be written")
        return path

    async def delete(self, job_id: str, owner: str | None = None) -> None:
        record = self._restored(job_id, owner)
        if record is not None:
            self._forget_restored(record, expired=False)
            return
        job = self._get(job_id, owner)
        await self._discard(job)
        self._count()
        log.event("job_deleted", job=log_id(job_id))

    def _check_free_space(self, incoming: int) -> None:
        """Refuse a job (507) that would leave the results folder under
        min_free_bytes: its uploads, and outputs several times their size."""
        try:
            free = shutil.disk_usage(self.root).free
        except OSError:
            return  # the folder's own errors are reported where it is written
        if free - 10 * incoming < self.min_free_bytes:
            reason = f"{free // (1024 * 1024)} MB free"
            raise InsufficientStorageError(f"the server's disk is nearly full ({reason}); the job was not started",
                                           reason=reason)

    # -- work ----------------------------------------------------------------

    def _restored(self, job_id: str, owner: str | None) -> JobRecord | None:
        record = self.restored.get(job_id)
        if record is None or (record.owner is not None and record.owner != owner):
            return None
        if record.finished_at is not None and time.time() - record.finished_at >= self.ttl:
            self._forget_restored(record)
            raise JobExpiredError(f"job {job_id} expired; its files were deleted", id=job_id)
        return record

    def _forget_restored(self, record: JobRecord, *, expired: bool = True) -> None:
        self.restored.pop(record.id, None)
        if self.records is not None:
            self.records.remove(record.id)
        shutil.rmtree(self.root / f"{JOB_PREFIX}{record.id}", ignore_errors=True)
        if expired:
            self.expired[record.id] = record.owner

    def _statuses(self, job: Job) -> dict[str, dict[str, Any]]:
        """The status a job answers, in each language (what the records keep)."""
        return {"zh": self.status(job.id, "zh", job.owner), "en": self.status(job.id, "en", job.owner)}

    def _get(self, job_id: str, owner: str | None = None) -> Job:
        job = self.jobs.get(job_id)
        if job is not None and job.owner is not None and job.owner != owner:
            job = None  # someone else's: as if it did not exist
        if job is None:
            if job_id in self.expired and self.expired[job_id] in (None, owner):
                raise JobExpiredError(f"job {job_id} expired; its files were deleted", id=job_id)
            raise JobNotFoundError(f"no job {job_id}", id=job_id)
        if job.finished is not None and time.monotonic() - job.finished >= self.ttl:
            self._expire_now(job)
            raise JobExpiredError(f"job {job_id} expired; its files were deleted", id=job_id)
        return job

    async def _run(self, job: Job) -> None:
        try:
            await asyncio.gather(*(self._convert_one(job, f) for f in job.files))
            if job.options.print:
                await self._print(job)
            job.converted = True
            try:
                await asyncio.to_thread(self._write_zip, job)
            except (OSError, ConverterError) as err:  # a full disk: the job failed, and says why
                job.result_error = result_not_written(err)
                log.event("job_result_not_written", logging.ERROR, job=log_id(job.id), reason=str(err)[:200])
        except asyncio.CancelledError:
            return
        except Exception as err:  # noqa: BLE001 - a job must always finish, or its client polls forever
            log.event("job_error", logging.ERROR, exc=err, job=log_id(job.id))
            for item in job.files:
                if item.state != "done":
                    item.state, item.error = "failed", InternalError(f"internal error: {type(err).__name__}",
                                                                     kind=type(err).__name__)
            job.converted = True
        finally:
            job.ticket.release_all()
        job.finished = time.monotonic()
        if self.records is not None:
            self.records.finished(job.id, time.time(), self._statuses(job))
        self._count()
        log.event("job_finished", job=log_id(job.id), state=job.state,
                  failed=sum(1 for f in job.files if f.state == "failed"), files=len(job.files))

    async def _convert_one(self, job: Job, item: JobFile) -> None:
        def started() -> None:
            item.state = "running"

        file = FileToConvert(item.upload, item.name, job.folder / "outputs", item.stem, job.options)
        try:
            made = await self.converter.convert_file(file, started=started, cancel=job.cancel)
        except ConverterError as err:
            item.state, item.error = "failed", err
            return
        except OSError as err:
            item.state, item.error = "failed", OutputError(f"the upload cannot be read: {os_reason(err)}")
            return
        finally:
            job.ticket.release(1)  # its room in the queue (admitted with the job)
        item.state, item.title, item.outputs = "done", made.title, made.outputs
        item.warnings = [warning_json(w) for w in made.warnings]

    async def _print(self, job: Job) -> None:
        pdfs = [(f.title or f.stem, f.outputs["pdf"]) for f in job.files if "pdf" in f.outputs]
        if not pdfs:
            return
        target = str(job.folder / "outputs" / ("booklet.pdf" if job.options.booklet else "print.pdf"))
        try:
            job.print_path = await self.pool.run(merge_print, PrintTask(tuple(pdfs), target, job.options.booklet),
                                                 cancel=job.cancel)
        except ConverterError as err:
            job.print_error = err

    def _write_zip(self, job: Job) -> None:
        entries: list[tuple[str, Path]] = []
        for item in job.files:
            entries += [(f"{item.stem}.{fmt}", Path(path)) for fmt, path in item.outputs.items()]
        if job.print_path:
            entries.append((Path(job.print_path).name, Path(job.print_path)))
        manifest = self.status(job.id, "zh", job.owner) | {
            "state": job.outcome,
            "print": job.print_path and Path(job.print_path).name,
            "print_error": message_for(job.print_error, "zh") if job.print_error else None}
        download_names.zip_paths(job.folder / "result.zip", entries,
                        ("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")))

    # -- ending --------------------------------------------------------------

    async def _stop(self, job: Job) -> None:
        """Stop a job's work: its running conversion is killed within the
        pool's poll interval, its task cancelled and awaited."""
        job.cancel.set()
        if job.task and not job.task.done():
            job.task.cancel()
            try:
                await job.task
            except (asyncio.CancelledError, Exception):  # noqa: BLE001 - it is being thrown away
                pass

    async def _discard(self, job: Job) -> None:
        await self._stop(job)
        self.jobs.pop(job.id, None)
        await asyncio.to_thread(shutil.rmtree, job.folder, True)

    async def _expire(self, job: Job) -> None:
        self._remember(job)
        await self._discard(job)
        self._count()
        log.event("job_expired", job=log_id(job.id))

    def _expire_now(self, job: Job) -> None:
        self._remember(job)
        self.jobs.pop(job.id, None)
        shutil.rmtree(job.folder, ignore_errors=True)
        self._count()
        log.event("job_expired", job=log_id(job.id))

    def _remember(self, job: Job) -> None:
        self.expired[job.id] = job.owner
        while len(self.expired) > TOMBSTONES:
            self.expired.popitem(last=False)

    def _count(self) -> None:
        counts = {"queued": 0, "running": 0, "done": 0, "failed": 0}
        for job in self.jobs.values():
            counts[job.state] += 1
        for state, n in counts.items():
            self.metrics.jobs.labels(state).set(n)
