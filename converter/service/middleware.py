"""The outermost layer of every request (pure ASGI, so it also sees bodies
as they stream in):

- a request id: the client's X-Request-ID when it is a sane token, else a
  new one; echoed on the answer and in the log line;
- the body size limit: a Content-Length over the limit is answered 413 at
  once; a body without one is counted as it arrives and stopped at the
  limit;
- one JSON log line and the request metrics per request;
- any exception that escapes a route becomes a JSON 500 (never a traceback
  or a plain-text page).
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import log
from .errors import TooLargeError, error_body, size_text, status_for
from .i18n import language
from .metrics import Metrics

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
# A body over the limit is still read (and thrown away) up to this much, so a
# client that sends it all before reading the answer sees the 413 instead of
# a broken connection; beyond it the connection is simply closed.
DRAIN_LIMIT = 128 * 1024 * 1024


class BodyTooLarge(Exception):
    """Raised from ``receive`` when a streamed body passes the limit."""


def header(scope: Scope, name: bytes) -> str | None:
    """A request header from the ASGI scope (``name`` in lower case), or None."""
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


class RequestMiddleware:
    def __init__(self, app: ASGIApp, max_body_bytes: int, metrics: Metrics) -> None:
        self.app = app
        self.max_body = max_body_bytes
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        incoming = header(scope, b"x-request-id")
        request_id = incoming if incoming and _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        lang = language(header(scope, b"accept-language"))
        info: dict[str, Any] = {"status": 500, "bytes_out": 0, "bytes_in": 0, "started": False}

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                info["status"] = message["status"]
                info["started"] = True
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"x-request-id"]
                headers.append((b"x-request-id", request_id.encode()))
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body":
                info["bytes_out"] += len(message.get("body", b""))
            await send(message)

        async def receive_wrapper() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                info["bytes_in"] += len(message.get("body", b""))
                if info["bytes_in"] > self.max_body:
                    await _drain(receive, message, info["bytes_in"])
                    raise BodyTooLarge()
            return message

        error: BaseException | None = None
        try:
            length = header(scope, b"content-length")
            if length is not None and length.isdigit() and int(length) > self.max_body:
                await _drain(receive, None, 0)
                await self._refuse(send_wrapper, self._too_large(), lang)
            else:
                await self.app(scope, receive_wrapper, send_wrapper)
        except BodyTooLarge:
            if not info["started"]:
                await self._refuse(send_wrapper, self._too_large(), lang)
        except Exception as err:  # noqa: BLE001 - every escaped error becomes a JSON 500 and a log line
            error = err
            if not info["started"]:
                await self._refuse(send_wrapper, err, lang)
        finally:
            self._record(scope, request_id, info, time.perf_counter() - started, error)

    def _too_large(self) -> TooLargeError:
        return TooLargeError(f"the request body is larger than the limit of {self.max_body} bytes",
                             limit=self.max_body, limit_text=size_text(self.max_body))

    async def _refuse(self, send: Send, err: BaseException, lang: str) -> None:
        body = json.dumps(error_body(err, lang), ensure_ascii=False).encode("utf-8")
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status_for(err), "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def _record(self, scope: Scope, request_id: str, info: dict[str, Any], seconds: float,
                error: BaseException | None) -> None:
        route = scope.get("route")
        template = getattr(route, "path", None) or ("static" if scope["path"].startswith("/static/") else "unmatched")
        status = info["status"]
        self.metrics.requests.labels(scope["method"], template, str(status)).inc()
        self.metrics.request_seconds.labels(template).observe(seconds)
        fields = {
            "request_id": request_id, "method": scope["method"], "route": template,
            "status": status, "ms": round(seconds * 1000, 1), "bytes_in": info["bytes_in"],
            "bytes_out": info["bytes_out"], "client": (scope.get("client") or ("", 0))[0],
        }
        error_code = scope.get("state", {}).get("error_code")
        if error_code:
            fields["error"] = error_code
        level = logging.ERROR if status >= 500 else logging.INFO
        log.event("request", level, exc=error, **fields)


async def _drain(receive: Receive, last: Message | None, seen: int) -> None:
    """Read and discard the rest of a body, up to DRAIN_LIMIT."""
    more = last.get("more_body", False) if last is not None else True
    while more and seen < DRAIN_LIMIT:
        message = await receive()
        if message["type"] != "http.request":
            return
        seen += len(message.get("body", b""))
        more = message.get("more_body", False)
