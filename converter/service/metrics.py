"""Prometheus metrics: requests, conversions by format and outcome,
durations, queue depth.  One registry per app (not the global default), so
two apps in one process (tests) do not collide."""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest

_SECONDS = (0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 5, 10, 30, 60, 120)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter("converter_http_requests", "HTTP requests answered",
                                ["method", "route", "status"], registry=r)
        self.request_seconds = Histogram("converter_http_request_duration_seconds",
                                         "Time to answer an HTTP request", ["route"], buckets=_SECONDS, registry=r)
        self.conversions = Counter("converter_conversions",
                                   "Conversions by output format (\"outline\" when only read) and outcome "
                                   "(\"ok\" or the error code)", ["format", "outcome"], registry=r)
        self.conversion_seconds = Histogram("converter_conversion_duration_seconds",
                                            "Time to read a document (\"read\") or render one format",
                                            ["format"], buckets=_SECONDS, registry=r)
        self.queue_depth = Gauge("converter_queue_depth", "Conversions admitted and waiting for a process",
                                 registry=r)
        self.running = Gauge("converter_conversions_running", "Conversions running now", registry=r)
        self.jobs = Gauge("converter_jobs", "Jobs kept, by state", ["state"], registry=r)

    def pool_changed(self, running: int, waiting: int) -> None:
        self.running.set(running)
        self.queue_depth.set(waiting)

    def conversion(self, formats: tuple[str, ...], outcome: str, seconds: dict[str, float] | None = None) -> None:
        for fmt in formats or ("outline",):
            self.conversions.labels(fmt, outcome).inc()
        for part, value in (seconds or {}).items():
            self.conversion_seconds.labels(part).observe(value)

    def exposition(self) -> tuple[bytes, str]:
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
