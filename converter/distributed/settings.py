"""Distributed settings, from flags or the environment.

CONVERTER_BROKER_URL           redis://host:6379/0 (also the result backend)
CONVERTER_RESULTS_DIR          the results store, shared by every worker and client
CONVERTER_TIME_LIMIT           hard limit per conversion, seconds (default 120)
CONVERTER_VISIBILITY_TIMEOUT   seconds before the broker hands an unacknowledged
                               task of a vanished worker to another (default 3600)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_TIME_LIMIT = 120.0
DEFAULT_VISIBILITY_TIMEOUT = 3600.0


@dataclass(frozen=True, slots=True)
class DistributedSettings:
    broker_url: str
    results_dir: Path
    time_limit: float = DEFAULT_TIME_LIMIT
    visibility_timeout: float = DEFAULT_VISIBILITY_TIMEOUT

    @property
    def restore_interval(self) -> int:
        """Seconds between the broker's sweeps for tasks of vanished workers."""
        return int(min(60, max(1, self.visibility_timeout / 6)))

    @property
    def soft_time_limit(self) -> float:
        """Raised inside the task first, so it fails with a clear reason
        before the hard limit kills the process."""
        return max(self.time_limit * 0.9, self.time_limit - 10)

    @classmethod
    def from_env(cls, broker_url: str | None = None, results_dir: str | None = None) -> "DistributedSettings":
        broker = broker_url or os.environ.get("CONVERTER_BROKER_URL", "")
        if not broker:
            raise ValueError("no broker: pass --broker URL or set CONVERTER_BROKER_URL")
        folder = results_dir or os.environ.get("CONVERTER_RESULTS_DIR") or "converter-results"
        return cls(
            broker,
            Path(folder).resolve(),
            float(os.environ.get("CONVERTER_TIME_LIMIT", DEFAULT_TIME_LIMIT)),
            float(os.environ.get("CONVERTER_VISIBILITY_TIMEOUT", DEFAULT_VISIBILITY_TIMEOUT)),
        )

    def export(self) -> None:
        """Put the settings in the environment, where worker processes read them."""
        os.environ["CONVERTER_BROKER_URL"] = self.broker_url
        os.environ["CONVERTER_RESULTS_DIR"] = str(self.results_dir)
        os.environ["CONVERTER_TIME_LIMIT"] = str(self.time_limit)
        os.environ["CONVERTER_VISIBILITY_TIMEOUT"] = str(self.visibility_timeout)
