"""Jobs that outlive the server: one SQLite file in the results folder
(``<results_dir>/jobs.sqlite3``) records each job of the in-process runner
as it starts and as it finishes, with the status it answers, so that a
restarted server (a deploy, a crash, kill -9) still serves every finished
job's result until it expires, and answers for a job that was running with
the reason it failed instead of 404.  SQLite because it is in the standard
library, survives a kill between two writes (each write is a transaction)
and needs no server of its own.

Without ``--results-dir`` the service keeps jobs in a temporary folder of
its own, deleted when it stops, and records nothing.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    owner TEXT,
    state TEXT NOT NULL,          -- running, finished, interrupted
    finished_at REAL,             -- seconds since 1970 (the TTL counts from here)
    status_zh TEXT,               -- the status JSON it answers, in each language
    status_en TEXT
)
"""


@dataclass(frozen=True, slots=True)
class JobRecord:
    id: str
    owner: str | None
    state: str
    finished_at: float | None
    status: dict[str, dict[str, Any]]  # lang -> status JSON


class JobRecords:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(SCHEMA)

    def started(self, job_id: str, owner: str | None, status: dict[str, dict[str, Any]]) -> None:
        """A job admitted: its files as they stand (so a restart can say which failed)."""
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO jobs (id, owner, state, status_zh, status_en) "
                             "VALUES (?, ?, 'running', ?, ?)",
                             (job_id, owner, json.dumps(status["zh"], ensure_ascii=False),
                              json.dumps(status["en"], ensure_ascii=False)))

    def finished(self, job_id: str, finished_at: float, status: dict[str, dict[str, Any]]) -> None:
        with self._lock:
            self._db.execute("UPDATE jobs SET state = 'finished', finished_at = ?, status_zh = ?, status_en = ? "
                             "WHERE id = ?", (finished_at, json.dumps(status["zh"], ensure_ascii=False),
                                              json.dumps(status["en"], ensure_ascii=False), job_id))

    def interrupted(self, job_id: str, finished_at: float, status: dict[str, dict[str, Any]]) -> None:
        """A job that was running when the server stopped: failed, with why."""
        with self._lock:
            self._db.execute("UPDATE jobs SET state = 'interrupted', finished_at = ?, status_zh = ?, status_en = ? "
                             "WHERE id = ?", (finished_at, json.dumps(status["zh"], ensure_ascii=False),
                                              json.dumps(status["en"], ensure_ascii=False), job_id))

    def remove(self, job_id: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM jobs WHERE id = ?", (job_id,))

    def all(self) -> list[JobRecord]:
        with self._lock:
            rows = self._db.execute("SELECT id, owner, state, finished_at, status_zh, status_en FROM jobs").fetchall()
        out = []
        for job_id, owner, state, finished_at, zh, en in rows:
            status = {"zh": json.loads(zh), "en": json.loads(en)} if zh and en else {}
            out.append(JobRecord(job_id, owner, state, finished_at, status))
        return out

    def close(self) -> None:
        with self._lock:
            self._db.close()
