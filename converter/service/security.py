"""Who may use the service, and what a browser may do with it (issue 15 item 2).

- **API tokens.** With ``--auth-tokens FILE`` (one token per line; blank
  lines and ``#`` comments ignored) every ``/v1/`` route wants
  ``Authorization: Bearer TOKEN`` and answers 401 without a known one.  The
  page, its assets, /healthz, /version and /metrics stay open (the page asks
  for a token and keeps it for the browser session).  ``serve`` refuses to
  listen on an address other than loopback without tokens, unless
  ``--no-auth`` says so on purpose (settings.py).
- **Owners.** A job belongs to whoever made it: the token (its hash, never
  the token itself), or without tokens the browser (a random secret in an
  HttpOnly, SameSite=Strict cookie the service sets on the page).  Another
  owner asking for it gets 404, as for a job that does not exist.  A job
  made by a client with neither (curl without tokens) has no owner: its id,
  a random 128-bit value, is the only key to it.
- **Cross-site requests.** A browser's request to a route that changes
  something (POST, PUT, PATCH, DELETE) is refused with 403 when it comes
  from another site (``Sec-Fetch-Site: cross-site``, or an ``Origin`` whose
  host is not this one's): a page elsewhere cannot post a form here in the
  user's name.  Clients that are not browsers send neither header.
- **Headers** on every answer: a Content-Security-Policy that allows only
  the service's own scripts, styles and connections and no framing,
  X-Content-Type-Options, X-Frame-Options and Referrer-Policy.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import CrossSiteError, ServiceError, UnauthorizedError, error_body, status_for
from .i18n import language
from .middleware import header

OWNER_COOKIE = "converter_owner"
MIN_TOKEN_LENGTH = 16
_UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
                                 b"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
                                 b"form-action 'self'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
)


def load_tokens(path: str) -> tuple[str, ...]:
    """The tokens of a token file: one per line, at least MIN_TOKEN_LENGTH
    characters each; ValueError names what is wrong."""
    try:
        text = Path(path).read_text("utf-8")
    except OSError as err:
        raise ValueError(f"--auth-tokens {path}: cannot be read ({err.strerror or err})") from None
    tokens = tuple(line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#"))
    if not tokens:
        raise ValueError(f"--auth-tokens {path}: holds no token")
    short = [n for n, t in enumerate(tokens, 1) if len(t) < MIN_TOKEN_LENGTH or any(c.isspace() for c in t)]
    if short:
        raise ValueError(f"--auth-tokens {path}: token {short[0]} is shorter than {MIN_TOKEN_LENGTH} characters "
                         "or holds a space (make them with: python3 -c 'import secrets; print(secrets.token_urlsafe())')")
    return tokens


def owner_of(scope: Scope) -> str | None:
    """The owner this request acts for (set by SecurityMiddleware), or None."""
    owner = scope.get("state", {}).get("owner")
    return owner if isinstance(owner, str) else None


def _cookie(scope: Scope, name: str) -> str | None:
    raw = header(scope, b"cookie") or ""
    for part in raw.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name and value:
            return value
    return None


def _cross_site(scope: Scope) -> bool:
    if (header(scope, b"sec-fetch-site") or "").lower() == "cross-site":
        return True
    origin = header(scope, b"origin")
    if not origin or origin == "null":
        return origin == "null"  # a sandboxed or file:// page
    host = header(scope, b"host") or ""
    return urlsplit(origin).netloc.lower() != host.lower()


class SecurityMiddleware:
    def __init__(self, app: ASGIApp, tokens: tuple[str, ...] = ()) -> None:
        self.app = app
        # Compare digests, in constant time: the token never sits in memory twice.
        self.tokens = tuple(hashlib.sha256(t.encode()).digest() for t in tokens)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        new_cookie: str | None = None
        state = scope.setdefault("state", {})
        path = scope.get("path", "")
        if scope.get("method") in _UNSAFE_METHODS and _cross_site(scope):
            await self._refuse(scope, send, CrossSiteError("a request from another site is refused",
                                                            detail="cross-site"))
            return
        if self.tokens:
            token = self._token(scope)
            if token is not None:
                state["owner"] = "token:" + hashlib.sha256(token).hexdigest()[:24]
            elif path.startswith("/v1/"):
                await self._refuse(scope, send, UnauthorizedError("an API token is needed (Authorization: Bearer …)",
                                                                  headers={"WWW-Authenticate": "Bearer"}))
                return
        else:
            cookie = _cookie(scope, OWNER_COOKIE)
            if cookie and 16 <= len(cookie) <= 64 and cookie.replace("-", "").replace("_", "").isalnum():
                state["owner"] = "browser:" + hashlib.sha256(cookie.encode()).hexdigest()[:24]
            elif path == "/":
                new_cookie = secrets.token_urlsafe(24)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() not in {name for name, _ in SECURITY_HEADERS}]
                headers += SECURITY_HEADERS
                if new_cookie:
                    headers.append((b"set-cookie", f"{OWNER_COOKIE}={new_cookie}; Path=/; HttpOnly; "
                                                   f"SameSite=Strict; Max-Age=31536000".encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _token(self, scope: Scope) -> bytes | None:
        auth = header(scope, b"authorization") or ""
        scheme, _, value = auth.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            return None
        digest = hashlib.sha256(value.strip().encode()).digest()
        found = False
        for known in self.tokens:  # no early exit: the time taken tells nothing
            found |= hmac.compare_digest(digest, known)
        return digest if found else None

    async def _refuse(self, scope: Scope, send: Send, err: ServiceError) -> None:
        lang = language(header(scope, b"accept-language"))
        body = json.dumps(error_body(err, lang), ensure_ascii=False).encode("utf-8")
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                   *((k.lower().encode(), v.encode()) for k, v in err.headers.items()), *SECURITY_HEADERS]
        scope.setdefault("state", {})["error_code"] = err.code
        await send({"type": "http.response.start", "status": status_for(err), "headers": headers})
        await send({"type": "http.response.body", "body": body})
