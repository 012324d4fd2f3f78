"""What the service can be told: every limit, from a flag or the environment.

One table (``FIELDS``) names each setting, its environment variable, its
flag and its default; ``Settings.from_env`` reads the environment and
``click_options`` turns the same table into ``converter serve`` flags, so a
limit cannot be added in one place and forgotten in the other.  A flag beats
the environment, which beats the default.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kKmMgG]?)i?[bB]?\s*$")
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def parse_size(value: str | int) -> int:
    """``20000000``, ``20M``, ``20MB``, ``512k`` -> bytes."""
    if isinstance(value, int):
        return value
    match = _SIZE.match(value)
    if not match:
        raise ValueError(f"not a size: {value!r} (use bytes, or a number with k, M or G)")
    return int(float(match.group(1)) * _UNITS[match.group(2).lower()])


@dataclass(frozen=True, slots=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    max_body_bytes: int = 20 * 1024 * 1024  # one request body; 413 beyond
    max_files: int = 20  # files in one request; 413 beyond
    max_chars: int = 500_000  # characters of one document; 413 beyond (a long report is ~100 000)
    time_limit: float = 60.0  # seconds one conversion may take; 503 and its process killed beyond
    workers: int = 0  # conversions running at once; 0: the number of cores
    queue_size: int = 40  # conversions admitted at once (running + waiting); 429 beyond (one owner: half)
    job_ttl: float = 3600.0  # seconds a finished job's uploads and results are kept; 410 after
    results_dir: str = ""  # where jobs keep uploads and results; "": a fresh temporary folder
    fonts_dir: str = ""  # a fonts folder to use instead of the bundled one (CONVERTER_FONTS_DIR)
    log_level: str = "info"
    broker: str = ""  # a Redis URL: jobs' conversions run on Celery workers (converter/distributed)
    heavy_bytes: int = 150_000  # a larger input is a long document: those share at most workers - 1 workers
    shutdown_grace: float = 10.0  # seconds running conversions get on SIGTERM before they are stopped (503)
    busy_after: float = 10.0  # seconds every worker may be busy before /healthz says degraded
    min_free_bytes: int = 100 * 1024 * 1024  # free space the results folder keeps: jobs get 507 below it
    auth_tokens: str = ""  # a file of API tokens, one per line (security.py); "": no tokens
    no_auth: bool = False  # listen on a non-loopback address without tokens, on purpose

    @property
    def owner_share(self) -> int:
        """The most conversions one owner's jobs may hold in the queue at
        once: half of it, and never less than one job of max_files."""
        return max(self.max_files, self.queue_size // 2)

    @property
    def worker_count(self) -> int:
        return self.workers or os.cpu_count() or 1

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **given: Any) -> Settings:
        """Defaults, overridden by CONVERTER_* variables, overridden by
        ``given`` (flags; None means not given)."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for spec in FIELDS:
            raw = env.get(spec.env, "").strip()
            if raw:
                values[spec.name] = spec.parse(raw, f"environment variable {spec.env}")
        for name, value in given.items():
            if value is not None:
                spec = FIELD_BY_NAME[name]
                values[name] = spec.parse(value, f"--{spec.flag}") if isinstance(value, str) else value
        settings = replace(cls(), **values)
        settings.check()
        return settings

    def check(self) -> None:
        for name in ("max_body_bytes", "max_files", "max_chars", "queue_size"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        if self.time_limit <= 0 or self.job_ttl <= 0:
            raise ValueError("time_limit and job_ttl must be positive")
        if self.max_files > self.queue_size:
            raise ValueError(f"max_files ({self.max_files}) cannot exceed queue_size ({self.queue_size}): "
                             "a job of that many files could never be admitted")
        if self.workers < 0:
            raise ValueError("workers must be 0 (the number of cores) or more")
        if self.broker and not self.results_dir:
            raise ValueError("with --broker, --results-dir must name the results store the workers share")
        if not is_loopback(self.host) and not self.auth_tokens and not self.no_auth:
            raise ValueError(f"--host {self.host} lets other machines in: give --auth-tokens FILE (one token per line), "
                             "or --no-auth to serve without tokens on purpose")
        if self.auth_tokens and self.no_auth:
            raise ValueError("--auth-tokens and --no-auth contradict each other")


def is_loopback(host: str) -> bool:
    """Is ``host`` an address only this machine can reach?"""
    import ipaddress

    if host in ("localhost", ""):
        return host == "localhost"
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name: it may resolve to any address


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    env: str
    flag: str
    kind: type
    help: str
    size: bool = False  # accepts 20M, 512k

    def parse(self, raw: Any, where: str) -> Any:
        try:
            if self.size:
                return parse_size(raw)
            if self.kind is bool:
                return _flag(raw)
            return self.kind(raw)
        except ValueError as err:
            raise ValueError(f"{where}: {err}") from None


FIELDS: tuple[Field, ...] = (
    Field("host", "CONVERTER_HOST", "host", str, "Address to listen on."),
    Field("port", "CONVERTER_PORT", "port", int, "Port to listen on."),
    Field("max_body_bytes", "CONVERTER_MAX_BODY_BYTES", "max-body-bytes", int,
          "Largest request body (bytes, or 20M, 512k); larger is refused with 413.", size=True),
    Field("max_files", "CONVERTER_MAX_FILES", "max-files", int, "Most files in one request (413 beyond)."),
    Field("max_chars", "CONVERTER_MAX_CHARS", "max-chars", int, "Most characters in one document (413 beyond)."),
    Field("time_limit", "CONVERTER_TIME_LIMIT", "time-limit", float,
          "Seconds one conversion may take; then its process is killed and the answer is 503."),
    Field("workers", "CONVERTER_WORKERS", "workers", int, "Conversions running at once (0: the number of cores)."),
    Field("queue_size", "CONVERTER_QUEUE_SIZE", "queue-size", int,
          "Conversions admitted at once, running or waiting; more are refused with 429 and Retry-After."),
    Field("job_ttl", "CONVERTER_JOB_TTL", "job-ttl", float,
          "Seconds a finished job's uploads and results are kept (then 410)."),
    Field("results_dir", "CONVERTER_RESULTS_DIR", "results-dir", str,
          "Folder for job uploads and results (default: a new temporary folder)."),
    Field("fonts_dir", "CONVERTER_FONTS_DIR", "fonts-dir", str, "A fonts folder to use instead of the bundled one."),
    Field("log_level", "CONVERTER_LOG_LEVEL", "log-level", str, "debug, info, warning or error."),
    Field("broker", "CONVERTER_BROKER_URL", "broker", str,
          "Send jobs' conversions to Celery workers through this Redis broker; --results-dir is then "
          "the results store shared with them."),
    Field("heavy_bytes", "CONVERTER_HEAVY_BYTES", "heavy-bytes", int,
          "Inputs larger than this (about 50 000 characters) are long documents: they share at most "
          "workers - 1 workers, so a lecture-sized request always finds one free.", size=True),
    Field("shutdown_grace", "CONVERTER_SHUTDOWN_GRACE", "shutdown-grace", float,
          "On SIGTERM: admit nothing more, give running conversions this many seconds, then stop them (503)."),
    Field("busy_after", "CONVERTER_BUSY_AFTER", "busy-after", float,
          "Seconds every worker may be busy without a break before /healthz says degraded (saturated)."),
    Field("min_free_bytes", "CONVERTER_MIN_FREE_BYTES", "min-free-bytes", int,
          "Free space the results folder must keep: a job that would go below it is refused with 507, and "
          "/healthz says degraded.", size=True),
    Field("auth_tokens", "CONVERTER_AUTH_TOKENS", "auth-tokens", str,
          "A file of API tokens, one per line: the /v1/ routes then want Authorization: Bearer TOKEN."),
    Field("no_auth", "CONVERTER_NO_AUTH", "no-auth", bool,
          "Serve a non-loopback --host without tokens, on purpose (on an isolated network)."),
)
FIELD_BY_NAME = {f.name: f for f in FIELDS}


def _flag(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    value = str(raw).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"expected true or false, not {raw!r}")
assert set(FIELD_BY_NAME) == {f.name for f in fields(Settings)}, "every setting needs a row in FIELDS"


def click_options(func: F) -> F:
    """Decorate the ``serve`` command with one flag per setting.  Defaults
    are None so the environment and the dataclass default still apply."""
    import click

    for spec in reversed(FIELDS):
        default = getattr(Settings(), spec.name)
        shown = f"{default} (env {spec.env})" if default != "" else f"none (env {spec.env})"
        if spec.kind is bool:
            func = click.option(f"--{spec.flag}", spec.name, is_flag=True, default=None,
                                help=f"{spec.help} (env {spec.env})")(func)
            continue
        func = click.option(f"--{spec.flag}", spec.name, type=str if spec.size else spec.kind, default=None,
                            help=f"{spec.help} Default: {shown}.")(func)
    return func
