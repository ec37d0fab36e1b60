"""An offline Discord: a fake `aiohttp.ClientSession` that answers discord.py's REST calls, and
builders for the gateway's `INTERACTION_CREATE` payloads.

Why fake the session rather than `Interaction`: hand-written mocks of discord.py objects miss what
the library really sends. Swapping only the HTTP session (while `bot.login` runs, which is when
discord.py creates it) keeps all of discord.py's own code in play — option parsing, checks, error
handlers, autocomplete, view dispatch, the webhook adapter used for responses and follow-ups — and
every request it makes lands here, is recorded, and gets a plausible Discord answer. A route this
fake does not know is recorded in `unserved` and answered 404, and the tests fail on it.

Reused by the hardening tests: `FakeDiscord.fail_next(...)` answers errors (429, 5xx) on a route.

Each request is logged at DEBUG with its headers, as a chatty HTTP library or a debugging proxy
would: the bot's token (in `Authorization`) then reaches a log record in every test that logs in,
and only the bot's redaction keeps it out of the captured logs.

Attachments: `FakeDiscord.attachment(...)` describes a file as the interaction payload's
`resolved.attachments` does and serves its bytes at a CDN URL, as Discord's CDN would; a download
is recorded like any other request (`cdn_downloads`).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import aiohttp
from discord.utils import time_snowflake
from multidict import CIMultiDict
from yarl import URL

API = "https://discord.com/api/v10"
CDN = "https://cdn.discordapp.com"
APP_ID = 900_000_000_000_000_001
BOT_ID = APP_ID
GUILD_ID = 900_000_000_000_000_100
CHANNEL_ID = 900_000_000_000_000_200
ADMIN_ROLE_ID = 900_000_000_000_000_300
CONTRIBUTOR_ROLE_ID = 900_000_000_000_000_301
OWNER_ID = 900_000_000_000_000_400
USER_ID = 111_111_111_111_111_111
OTHER_USER_ID = 222_222_222_222_222_222

EPHEMERAL = 1 << 6
MANAGE_GUILD = 1 << 5
# JSON error codes Discord answers once an interaction can no longer be answered.
UNKNOWN_WEBHOOK, UNKNOWN_INTERACTION, INVALID_WEBHOOK_TOKEN = 10015, 10062, 50027
# Paths (regexes) of the three ways to answer an interaction.
CALLBACK_PATH = r"^/interactions/\d+/[^/]+/callback$"
ORIGINAL_PATH = r"^/webhooks/\d+/[^/]+/messages/@original$"
FOLLOWUP_PATH = r"^/webhooks/\d+/[^/]+$"
# Callback types (https://discord.com/developers/docs/interactions/receiving-and-responding)
CHANNEL_MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE, AUTOCOMPLETE = 4, 5, 6, 7, 8
OPTION_TYPES = {"string": 3, "integer": 4, "boolean": 5, "number": 10, "attachment": 11}

log = logging.getLogger(__name__)


@dataclass
class Recorded:
    """One HTTP request discord.py made: method, path under the API, query, JSON body and files."""

    method: str
    path: str
    params: dict[str, Any]
    json: Any
    files: dict[str, bytes] = field(default_factory=dict)
    status: int = 200
    at: float = field(default_factory=time.monotonic)  # when it arrived (for latency checks)

    @property
    def interaction_id(self) -> int | None:
        m = re.match(r"/interactions/(\d+)/", self.path)
        return int(m.group(1)) if m else None

    @property
    def token(self) -> str | None:
        m = re.match(r"/(?:interactions/\d+|webhooks/\d+)/([^/?]+)", self.path)
        return m.group(1) if m else None

    @property
    def message_body(self) -> dict[str, Any] | None:
        """The message this request sends or edits (callback data or webhook body), if any."""
        if self.path.endswith("/callback") and isinstance(self.json, dict):
            if self.json.get("type") in (CHANNEL_MESSAGE, UPDATE_MESSAGE):
                return self.json.get("data") or {}
            return None
        if self.path.startswith("/webhooks/") and self.method in ("POST", "PATCH"):
            return self.json if isinstance(self.json, dict) else None
        return None


REASONS = {
    200: "OK",
    204: "No Content",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


class FakeResponse:
    """The parts of `aiohttp.ClientResponse` discord.py (and our error logging) reads."""

    def __init__(
        self,
        status: int,
        data: Any,
        headers: dict[str, str] | None = None,
        *,
        method: str = "GET",
        url: str = API,
    ) -> None:
        self.status = status
        self.reason = REASONS.get(status, "Error")
        self.method = method
        self.url = URL(url)
        self._raw = data if isinstance(data, bytes) else None
        self._text = "" if data is None or self._raw is not None else json.dumps(data)
        # Case-insensitive like aiohttp's: discord.py reads `X-Ratelimit-Remaining`, Discord
        # sends `x-ratelimit-remaining`.
        self.headers = CIMultiDict({"content-type": "application/json", **(headers or {})})

    async def text(self, encoding: str = "utf-8") -> str:
        return self._text

    async def json(self) -> Any:
        return json.loads(self._text) if self._text else None

    async def read(self) -> bytes:
        return self._raw if self._raw is not None else self._text.encode()

    async def __aenter__(self) -> FakeResponse:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None


class FakeSession:
    """Stands in for the `aiohttp.ClientSession` discord.py's HTTP client creates at login."""

    def __init__(self, fake: FakeDiscord, **kwargs: Any) -> None:
        self.fake = fake
        self.connector = kwargs.get("connector")
        self.closed = False

    def request(self, method: str, url: str, **kwargs: Any) -> FakeResponse:
        return self.fake.handle(method, url, **kwargs)

    def get(self, url: str, **kwargs: Any) -> FakeResponse:
        return self.fake.handle("GET", url, **kwargs)

    async def ws_connect(self, url: str, **kwargs: Any) -> Any:
        self.fake.unserved.append(f"WS {url}")
        raise aiohttp.ClientConnectionError("the offline fake has no gateway")

    async def close(self) -> None:
        self.closed = True
        if self.connector is not None:
            await self.connector.close()


class FakeDiscord:
    """Discord's HTTP API as far as this bot uses it, plus payload builders for interactions."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.unserved: list[str] = []
        self.messages: dict[int, dict[str, Any]] = {}  # message id → latest payload
        self.original: dict[str, int] = {}  # interaction token → its response message id
        self.source_message: dict[int, int] = {}  # component interaction id → clicked message
        self.failures: list[tuple[str, re.Pattern[str], int, dict[str, Any], dict[str, str]]] = []
        self.waiters: list[tuple[Callable[[Recorded], bool], asyncio.Future[Recorded]]] = []
        self.cdn: dict[str, bytes] = {}  # attachment URL → its bytes
        self._ids: Iterator[int] = itertools.count(1)

    # -- the session -------------------------------------------------------------------------

    def session(self, **kwargs: Any) -> FakeSession:
        """A drop-in for `aiohttp.ClientSession(...)`."""
        return FakeSession(self, **kwargs)

    def snowflake(self) -> int:
        """A fresh id whose timestamp is now (discord.py derives `created_at` from it)."""
        return time_snowflake(datetime.now(UTC)) + next(self._ids)

    def fail_next(
        self,
        method: str,
        path_pattern: str,
        status: int,
        body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        *,
        times: int = 1,
    ) -> None:
        """Answer the next `times` requests matching `method` and the path regex with an error."""
        entry = (method, re.compile(path_pattern), status, body or {}, headers or {})
        self.failures.extend([entry] * times)

    def rate_limit_next(
        self,
        method: str,
        path_pattern: str,
        *,
        retry_after: float = 0.01,
        via_proxy: bool = True,
        times: int = 1,
    ) -> None:
        """A 429 as Discord sends it: JSON body, `Retry-After` and `X-RateLimit-*` headers.

        Discord's own 429s pass its proxy (`Via: 1.1 google`); without that header discord.py
        takes the 429 for a Cloudflare ban and does not retry.
        """
        body = {
            "message": "You are being rate limited.",
            "retry_after": retry_after,
            "global": False,
        }
        headers = {
            "Retry-After": str(max(1, round(retry_after))),
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
            "X-RateLimit-Reset-After": f"{retry_after:.3f}",
            "X-RateLimit-Bucket": "fakebucket0000",
            "X-RateLimit-Scope": "user",
        }
        if via_proxy:
            headers["Via"] = "1.1 google"
        self.fail_next(method, path_pattern, 429, body, headers, times=times)

    def server_error_next(
        self, method: str, path_pattern: str, status: int = 500, *, times: int = 1
    ) -> None:
        """A 5xx from Discord, with the JSON body it sends for one."""
        body = {"message": f"{status}: {REASONS.get(status, 'Error')}", "code": 0}
        self.fail_next(method, path_pattern, status, body, times=times)

    def next_request(self, accepts: Callable[[Recorded], bool]) -> asyncio.Future[Recorded]:
        """A future for the first request from now on that `accepts` (await it, no polling)."""
        future = asyncio.get_running_loop().create_future()
        self.waiters.append((accepts, future))
        return future

    def handle(self, method: str, url: str, **kwargs: Any) -> FakeResponse:
        if url.startswith(CDN):
            return self._download(method, url)
        log.debug("%s %s headers=%s", method, url, kwargs.get("headers"))
        path = url.removeprefix(API)
        body, files = _decode_body(kwargs.get("data"))
        params = dict(kwargs.get("params") or {})
        record = Recorded(method, path, params, body, files)
        self.requests.append(record)
        for waiter in list(self.waiters):
            if waiter[0](record):
                self.waiters.remove(waiter)
                if not waiter[1].done():
                    waiter[1].set_result(record)
        where = {"method": method, "url": url}
        for i, (m, pattern, status, fail_body, headers) in enumerate(self.failures):
            if m == method and pattern.search(path):
                del self.failures[i]
                record.status = status
                return FakeResponse(status, fail_body, headers, **where)
        for route_method, pattern, handler in self._routes():
            match = pattern.fullmatch(path)
            if route_method == method and match:
                status, data = handler(record, *match.groups())
                record.status = status
                return FakeResponse(status, data, **where)
        self.unserved.append(f"{method} {path}")
        record.status = 404
        return FakeResponse(404, {"message": "Unknown route (offline fake)", "code": 0}, **where)

    def _routes(self) -> list[tuple[str, re.Pattern[str], Callable[..., tuple[int, Any]]]]:
        r = re.compile
        return [
            ("GET", r(r"/users/@me"), lambda rec: (200, self.bot_user())),
            ("GET", r(r"/oauth2/applications/@me"), lambda rec: (200, self.application())),
            ("PUT", r(r"/applications/(\d+)/commands"), self._sync),
            ("PUT", r(r"/applications/(\d+)/guilds/(\d+)/commands"), self._sync),
            ("POST", r(r"/interactions/(\d+)/([^/]+)/callback"), self._callback),
            ("PATCH", r(r"/webhooks/(\d+)/([^/]+)/messages/@original"), self._edit_original),
            ("GET", r(r"/webhooks/(\d+)/([^/]+)/messages/@original"), self._get_original),
            ("DELETE", r(r"/webhooks/(\d+)/([^/]+)/messages/@original"), self._delete_original),
            ("POST", r(r"/webhooks/(\d+)/([^/]+)"), self._followup),
            ("POST", r(r"/auth/logout"), lambda rec: (204, None)),
        ]

    def _download(self, method: str, url: str) -> FakeResponse:
        """An attachment's bytes from the CDN (404 for one that was never uploaded)."""
        record = Recorded(method, url, {}, None)
        self.requests.append(record)
        where = {"method": method, "url": url}
        if method != "GET" or url not in self.cdn:
            record.status = 404
            return FakeResponse(404, {"message": "Not Found"}, **where)
        headers = {"content-type": "application/octet-stream"}
        return FakeResponse(200, self.cdn[url], headers, **where)

    @property
    def cdn_downloads(self) -> list[str]:
        """The attachment URLs the bot downloaded, in order."""
        return [r.path for r in self.requests if r.path.startswith(CDN)]

    def attachment(
        self,
        filename: str,
        data: bytes = b"",
        *,
        size: int | None = None,
        content_type: str | None = None,
    ) -> dict[str, Any]:
        """An uploaded file as Discord describes it (`size` may claim more than `data` holds,
        as for a file too big to serve here); its bytes are served at its CDN URL."""
        attachment_id = self.snowflake()
        url = f"{CDN}/attachments/{CHANNEL_ID}/{attachment_id}/{filename}"
        self.cdn[url] = data
        payload: dict[str, Any] = {
            "id": str(attachment_id),
            "filename": filename,
            "size": len(data) if size is None else size,
            "url": url,
            "proxy_url": url.replace("cdn.discordapp.com", "media.discordapp.net"),
        }
        if content_type:
            payload["content_type"] = content_type
        return payload

    # -- answers -----------------------------------------------------------------------------

    def bot_user(self) -> dict[str, Any]:
        return _user(BOT_ID, "Corpus Bot", bot=True)

    def application(self) -> dict[str, Any]:
        return {
            "id": str(APP_ID),
            "name": "Corpus Bot",
            "description": "",
            "icon": None,
            "bot_public": False,
            "bot_require_code_grant": False,
            "owner": _user(OWNER_ID, "owner"),
            "verify_key": "0" * 64,
            "flags": 0,
        }

    def _sync(self, rec: Recorded, app_id: str, guild_id: str | None = None) -> tuple[int, Any]:
        out = []
        for command in rec.json or []:
            data = {
                "id": str(self.snowflake()),
                "application_id": app_id,
                "version": "1",
                "default_member_permissions": None,
                "description": "",  # Discord answers "" for a message menu, which sends none
                **command,
            }
            if guild_id:
                data["guild_id"] = guild_id
            out.append(data)
        return 200, out

    def _callback(self, rec: Recorded, interaction_id: str, token: str) -> tuple[int, Any]:
        kind = rec.json["type"]
        data = rec.json.get("data") or {}
        interaction = {"id": interaction_id, "type": 2}
        result: dict[str, Any] = {"interaction": interaction}
        if kind in (CHANNEL_MESSAGE, DEFERRED_MESSAGE):
            message = self._store(
                self.snowflake(), data, loading=kind == DEFERRED_MESSAGE, files=rec.files
            )
            self.original[token] = int(message["id"])
            interaction["response_message_id"] = message["id"]
            interaction["response_message_loading"] = kind == DEFERRED_MESSAGE
            interaction["response_message_ephemeral"] = bool(data.get("flags", 0) & EPHEMERAL)
            result["resource"] = {"type": kind, "message": message}
        elif kind in (UPDATE_MESSAGE, DEFERRED_UPDATE):
            message_id = self.source_message[int(interaction_id)]
            self.original[token] = message_id
            if kind == UPDATE_MESSAGE:
                self._store(message_id, data, edit=True, files=rec.files)
            interaction["response_message_id"] = str(message_id)
            result["resource"] = {"type": kind, "message": self.messages[message_id]}
        elif kind == AUTOCOMPLETE:
            result["resource"] = {"type": kind}
        return 200, result

    def _edit_original(self, rec: Recorded, app_id: str, token: str) -> tuple[int, Any]:
        if token not in self.original:
            return 404, {"message": "Unknown Message", "code": 10008}
        return 200, self._store(self.original[token], rec.json or {}, edit=True, files=rec.files)

    def _get_original(self, rec: Recorded, app_id: str, token: str) -> tuple[int, Any]:
        if token not in self.original:
            return 404, {"message": "Unknown Message", "code": 10008}
        return 200, self.messages[self.original[token]]

    def _delete_original(self, rec: Recorded, app_id: str, token: str) -> tuple[int, Any]:
        self.messages.pop(self.original.pop(token, 0), None)
        return 204, None

    def _followup(self, rec: Recorded, app_id: str, token: str) -> tuple[int, Any]:
        return 200, self._store(self.snowflake(), rec.json or {}, files=rec.files)

    def _store(
        self,
        message_id: int,
        body: dict[str, Any],
        *,
        loading: bool = False,
        edit: bool = False,
        files: dict[str, bytes] | None = None,
    ) -> dict[str, Any]:
        """Create or update a message from a request body, as Discord would echo it back.

        An upload (multipart) lists its files under `attachments` by index (`{"id": 0, …}` is the
        form field `files[0]`); an edit's `attachments` replaces the message's, keeping those it
        names by their snowflake id.
        """
        old = self.messages.get(message_id, {})
        message = {
            "id": str(message_id),
            "channel_id": str(CHANNEL_ID),
            "guild_id": str(GUILD_ID),
            "type": 20,
            "author": _user(BOT_ID, "Corpus Bot", bot=True),
            "content": old.get("content", ""),
            "embeds": old.get("embeds", []),
            "components": old.get("components", []),
            "attachments": old.get("attachments", []),
            "mentions": [],
            "mention_roles": [],
            "mention_everyone": False,
            "pinned": False,
            "tts": False,
            "timestamp": datetime.now(UTC).isoformat(),
            "edited_timestamp": datetime.now(UTC).isoformat() if edit else None,
            "flags": (old.get("flags", 0) | (body.get("flags") or 0)) | (128 if loading else 0),
            "application_id": str(APP_ID),
        }
        for key in ("content", "embeds", "components"):
            if key in body:
                message[key] = (
                    body[key] if body[key] is not None else ([] if key != "content" else "")
                )
        if body.get("attachments") is not None:
            message["attachments"] = self._attachments(
                body["attachments"], files or {}, old.get("attachments", [])
            )
        if edit and not loading:
            message["flags"] &= ~128
        self.messages[message_id] = message
        return message

    def _attachments(
        self, listed: list[dict[str, Any]], files: dict[str, bytes], kept: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        by_id = {a["id"]: a for a in kept}
        out = []
        for item in listed:
            if str(item.get("id")) in by_id:
                out.append(by_id[str(item["id"])])
                continue
            data = files.get(f"files[{item['id']}]")
            assert data is not None, f"attachment {item} has no uploaded file"
            snowflake = str(self.snowflake())
            url = f"https://cdn.discordapp.com/attachments/{CHANNEL_ID}/{snowflake}/"
            out.append(
                {
                    "id": snowflake,
                    "filename": item["filename"],
                    "description": item.get("description"),
                    "size": len(data),
                    "url": url + item["filename"],
                    "proxy_url": url + item["filename"],
                    "content_type": "image/png" if item["filename"].endswith(".png") else None,
                }
            )
        return out

    # -- what was sent -----------------------------------------------------------------------

    def message_bodies(self) -> list[dict[str, Any]]:
        """Every message body sent or edited, in order."""
        return [b for r in self.requests if (b := r.message_body) is not None]

    def for_interaction(self, payload: dict[str, Any]) -> list[Recorded]:
        """The requests answering one interaction (its callback and its webhook calls)."""
        token = payload["token"]
        return [r for r in self.requests if r.token == token]

    def reply_to(self, payload: dict[str, Any]) -> dict[str, Any]:
        """The message an interaction ended up showing (after any deferral and edit)."""
        token = payload["token"]
        if token in self.original:
            return self.messages[self.original[token]]
        raise AssertionError(f"interaction {payload['id']} got no message reply")

    def callback(self, payload: dict[str, Any]) -> dict[str, Any]:
        """The interaction's callback body (type and data)."""
        calls = [r for r in self.for_interaction(payload) if r.path.endswith("/callback")]
        assert len(calls) == 1, f"expected one callback, got {len(calls)}"
        return calls[0].json

    # -- gateway payloads --------------------------------------------------------------------

    def command(
        self,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        types: dict[str, int] | None = None,
        user_id: int = USER_ID,
        permissions: int = 0,
        roles: tuple[int, ...] = (),
        focused: str | None = None,
    ) -> dict[str, Any]:
        """An `INTERACTION_CREATE` for a slash command (type 2), or autocomplete if `focused`."""
        types = types or {}
        opts = []
        attachments: dict[str, Any] = {}
        for key, value in (options or {}).items():
            kind = types.get(key) or (
                OPTION_TYPES["integer"] if isinstance(value, int) else OPTION_TYPES["string"]
            )
            if isinstance(value, dict) and "filename" in value:  # from `attachment(...)`
                attachments[value["id"]] = value
                kind, value = OPTION_TYPES["attachment"], value["id"]
            option: dict[str, Any] = {"name": key, "type": kind, "value": value}
            if key == focused:
                option["focused"] = True
            opts.append(option)
        data = {
            "id": str(self.snowflake()),
            "name": name,
            "type": 1,
            "options": opts,
            "guild_id": str(GUILD_ID),
        }
        if attachments:
            data["resolved"] = {"attachments": attachments}
        return self._interaction(4 if focused else 2, data, user_id, permissions, roles)

    def message_command(
        self, name: str, message: dict[str, Any], *, user_id: int = USER_ID
    ) -> dict[str, Any]:
        """An `INTERACTION_CREATE` for a message menu ("Apps" on a message): type 2, data type 3,
        the target message resolved in the payload as Discord sends it."""
        data = {
            "id": str(self.snowflake()),
            "name": name,
            "type": 3,
            "target_id": message["id"],
            "resolved": {"messages": {message["id"]: message}},
            "guild_id": str(GUILD_ID),
        }
        return self._interaction(2, data, user_id, 0, ())

    def member_message(self, content: str, *, user_id: int = OTHER_USER_ID) -> dict[str, Any]:
        """A message a member posted in the channel (for message menus to act on)."""
        message_id = self.snowflake()
        message = self._store(message_id, {"content": content})
        message["author"] = _user(user_id, f"user{user_id % 1000}")
        message["type"] = 0
        del message["application_id"]
        return message

    def click(
        self,
        message_id: int,
        custom_id: str,
        *,
        values: list[str] | None = None,
        user_id: int = USER_ID,
    ) -> dict[str, Any]:
        """An `INTERACTION_CREATE` for a button (or, with `values`, a select) on a message."""
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": 3 if values else 2}
        if values is not None:
            data["values"] = values
        payload = self._interaction(3, data, user_id, 0, ())
        payload["message"] = self.messages[message_id]
        self.source_message[int(payload["id"])] = message_id
        return payload

    def _interaction(
        self,
        kind: int,
        data: dict[str, Any],
        user_id: int,
        permissions: int,
        roles: tuple[int, ...],
    ) -> dict[str, Any]:
        interaction_id = self.snowflake()
        return {
            "id": str(interaction_id),
            "application_id": str(APP_ID),
            "type": kind,
            "data": data,
            "guild_id": str(GUILD_ID),
            "guild": {"id": str(GUILD_ID), "locale": "en-US", "features": []},
            "channel_id": str(CHANNEL_ID),
            "channel": channel_payload(),
            "member": {
                "user": _user(user_id, f"user{user_id % 1000}"),
                "roles": [str(r) for r in roles],
                "permissions": str(permissions),
                "joined_at": "2024-01-01T00:00:00+00:00",
                "deaf": False,
                "mute": False,
                "flags": 0,
            },
            "token": f"token-{interaction_id}",
            "version": 1,
            "app_permissions": str((1 << 51) - 1),
            "locale": "en-US",
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(GUILD_ID)},
            "context": 0,
            "attachment_size_limit": 8 * 1024 * 1024,
        }

    # -- reading messages --------------------------------------------------------------------

    @staticmethod
    def components(message: dict[str, Any]) -> list[dict[str, Any]]:
        return [c for row in message.get("components", []) for c in row.get("components", [])]

    def find_component(self, message: dict[str, Any], label: str) -> dict[str, Any]:
        """The button with `label`, or the select whose placeholder starts with `label`."""
        for c in self.components(message):
            if c.get("label") == label or str(c.get("placeholder", "")).startswith(label):
                return c
        raise AssertionError(f"no component {label!r} in {self.components(message)}")


def channel_payload() -> dict[str, Any]:
    return {
        "id": str(CHANNEL_ID),
        "type": 0,
        "guild_id": str(GUILD_ID),
        "name": "research",
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "topic": None,
        "rate_limit_per_user": 0,
        "flags": 0,
    }


def guild_payload(admin_role: str = "Corpus Admin") -> dict[str, Any]:
    """A guild as `GUILD_CREATE` sends it (trimmed): its roles are what the admin check reads."""

    def role(role_id: int, name: str, position: int) -> dict[str, Any]:
        return {
            "id": str(role_id),
            "name": name,
            "permissions": "0",
            "position": position,
            "color": 0,
            "hoist": False,
            "managed": False,
            "mentionable": False,
            "flags": 0,
        }

    return {
        "id": str(GUILD_ID),
        "name": "Research team",
        "owner_id": str(OWNER_ID),
        "roles": [
            role(GUILD_ID, "@everyone", 0),
            role(ADMIN_ROLE_ID, admin_role, 1),
            role(CONTRIBUTOR_ROLE_ID, "Contributor", 2),
        ],
        "channels": [channel_payload()],
        "emojis": [],
        "stickers": [],
        "features": [],
        "member_count": 3,
        "members": [],
        "preferred_locale": "en-US",
        "premium_tier": 0,
        "unavailable": False,
    }


def _user(user_id: int, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {
        "id": str(user_id),
        "username": name,
        "global_name": name,
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
        "public_flags": 0,
    }


def _decode_body(data: Any) -> tuple[Any, dict[str, bytes]]:
    """JSON text as sent, or a multipart form's `payload_json` plus its files."""
    if data is None:
        return None, {}
    if isinstance(data, str | bytes):
        return json.loads(data), {}
    if isinstance(data, aiohttp.FormData):
        payload: Any = None
        files: dict[str, bytes] = {}
        for options, _headers, value in data._fields:
            name = options.get("name")
            if name == "payload_json":
                payload = json.loads(value)
            else:
                files[str(name)] = value.read() if hasattr(value, "read") else bytes(value)
        return payload, files
    raise AssertionError(f"unexpected request body {type(data)}")
