"""A Bot API server stand-in on 127.0.0.1, for tests and the benchmark: real HTTP, no mocks.

    fake = FakeTelegram(TOKEN).start()
    builder.base_url(fake.base_url).base_file_url(fake.base_file_url)   # via TELEGRAM_API_BASE_URL
    fake.push(fake.text_update(user, "câu hỏi"))                        # what getUpdates returns
    [call] = await fake.wait_for("sendMessage", chat_id=user["id"])     # what the bot sent

It speaks the Bot API's shape: ``POST /bot<token>/<method>`` with form or multipart parameters
(as PTB sends them), answers ``{"ok": true, "result": …}``, serves files at
``/file/bot<token>/<path>``, long-polls getUpdates with offset/limit/timeout, and records every
call. Like Telegram, it refuses messages that are too long or whose HTML does not parse, so the
tests see the errors a real server would give. Waiting is event-driven: each recorded call wakes
the asyncio waiters (no sleeping loops).
"""

from __future__ import annotations

import asyncio
import contextlib
import email.parser
import email.policy
import html
import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import httpx

MAX_TEXT = 4096
MAX_CAPTION = 1024
# parameters PTB sends as plain strings; every other value is JSON-encoded
STRING_PARAMS = {
    "text", "caption", "parse_mode", "action", "callback_query_id", "file_id", "url", "secret_token",
    "inline_message_id", "language_code", "description", "short_description", "name",
}
ALLOWED_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "tg-emoji",
    "code", "pre", "blockquote",
}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:=(?:\"[^\"]*\"|'[^']*'|[^\s>\"']+))?)*)\s*>")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});")


class HTMLParseError(ValueError):
    pass


def parse_telegram_html(text: str) -> str:
    """The plain text of a Telegram-HTML message, or HTMLParseError as the server would say it."""
    out, stack, pos = [], [], 0
    while pos < len(text):
        ch = text[pos]
        if ch == "<":
            m = _TAG.match(text, pos)
            if not m:
                raise HTMLParseError(f"Can't parse entities: unexpected '<' at byte offset {pos}")
            closing, name = m.group(1) == "/", m.group(2).lower()
            if name not in ALLOWED_TAGS:
                raise HTMLParseError(f"Can't parse entities: unsupported start tag \"{name}\" at byte offset {pos}")
            if closing:
                if not stack or stack[-1] != name:
                    raise HTMLParseError(f"Can't parse entities: can't find start tag for \"{name}\" at byte offset {pos}")
                stack.pop()
            else:
                stack.append(name)
            pos = m.end()
        elif ch == "&":
            m = _ENTITY.match(text, pos)
            if not m:
                raise HTMLParseError(f"Can't parse entities: can't find end of the entity starting at byte offset {pos}")
            out.append(html.unescape(m.group()))
            pos = m.end()
        else:
            out.append(ch)
            pos += 1
    if stack:
        raise HTMLParseError(f"Can't parse entities: can't find end tag corresponding to start tag \"{stack[-1]}\"")
    return "".join(out)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class ApiError(Exception):
    def __init__(self, code: int, description: str):
        super().__init__(description)
        self.code, self.description = code, description


@dataclass
class Call:
    """One Bot API request the bot made."""

    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # field → (filename, bytes)
    at: float = field(default_factory=time.perf_counter)
    result: Any = None
    error: str | None = None

    @property
    def text(self) -> str:
        """The plain text a user sees (HTML parsed), for messages and captions."""
        raw = self.params.get("text", self.params.get("caption", ""))
        if self.params.get("parse_mode") == "HTML":
            try:
                return parse_telegram_html(raw)
            except HTMLParseError:
                return raw
        return raw

    @property
    def buttons(self) -> list[dict]:
        markup = self.params.get("reply_markup") or {}
        return [b for row in markup.get("inline_keyboard", []) for b in row]

    def button(self, text_part: str) -> dict:
        found = [b for b in self.buttons if text_part in b["text"]]
        if not found:
            raise AssertionError(f"no button with {text_part!r} in {[b['text'] for b in self.buttons]}")
        return found[0]


class FakeTelegram:
    def __init__(self, token: str, *, bot_id: int = 7000001, username: str = "policyqa_test_bot"):
        self.token = token
        self.bot_user = {"id": bot_id, "is_bot": True, "first_name": "PolicyQA", "username": username}
        self.calls: list[Call] = []
        self.files: dict[str, tuple[str, bytes]] = {}  # file_id → (file_path, bytes)
        self.webhook: dict[str, Any] = {}
        self._updates: list[dict] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(100_000)
        self._chats: dict[int, dict] = {}
        self._cond = threading.Condition()
        self._waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = []
        self._closed = False
        self._server: ThreadingHTTPServer | None = None
        self.delivered_offset = 0  # highest offset the bot has confirmed

    # --- lifecycle ------------------------------------------------------------------------------

    def start(self) -> FakeTelegram:
        fake = self

        class Handler(_Handler):
            server_fake = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name="fake-telegram", daemon=True).start()
        return self

    def stop(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> FakeTelegram:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    # --- updates in -----------------------------------------------------------------------------

    def push(self, *updates: dict) -> list[int]:
        """Queue updates for getUpdates; returns their update ids."""
        ids = []
        with self._cond:
            for update in updates:
                update = {"update_id": next(self._update_ids), **update}
                self._updates.append(update)
                ids.append(update["update_id"])
            self._cond.notify_all()
        return ids

    def new_update(self, **payload) -> dict:
        """An update with an id taken now (for webhook delivery, which skips the queue)."""
        return {"update_id": next(self._update_ids), **payload}

    @staticmethod
    def user(user_id: int, lang: str | None = "vi", first_name: str = "Lan") -> dict:
        u = {"id": user_id, "is_bot": False, "first_name": first_name}
        if lang:
            u["language_code"] = lang
        return u

    @staticmethod
    def private_chat(user: dict) -> dict:
        return {"id": user["id"], "type": "private", "first_name": user["first_name"]}

    @staticmethod
    def group_chat(chat_id: int, title: str = "Tổ công tác") -> dict:
        return {"id": chat_id, "type": "supergroup", "title": title}

    def message(self, user: dict, text: str | None = None, *, chat: dict | None = None, reply_to: dict | None = None,
                document: dict | None = None, sticker: bool = False) -> dict:
        chat = chat or self.private_chat(user)
        self._chats[chat["id"]] = chat
        msg: dict[str, Any] = {"message_id": next(self._message_ids), "date": int(time.time()), "chat": chat, "from": user}
        if text is not None:
            msg["text"] = text
            entities = []
            if text.startswith("/"):
                cmd = text.split()[0]
                entities.append({"type": "bot_command", "offset": 0, "length": utf16_len(cmd)})
            for m in re.finditer(r"@\w+", text):
                entities.append({"type": "mention", "offset": utf16_len(text[: m.start()]), "length": utf16_len(m.group())})
            if entities:
                msg["entities"] = entities
        if reply_to is not None:
            msg["reply_to_message"] = reply_to
        if document is not None:
            msg["document"] = document
        if sticker:
            msg["sticker"] = {"file_id": "stk", "file_unique_id": "stk", "width": 512, "height": 512,
                              "is_animated": False, "is_video": False, "type": "regular"}
        return msg

    def text_update(self, user: dict, text: str, **kwargs) -> dict:
        return {"message": self.message(user, text, **kwargs)}

    def callback_update(self, user: dict, data: str, message: dict | None = None) -> dict:
        """A button press on ``message`` (a bot message as returned by sendMessage)."""
        cq: dict[str, Any] = {"id": str(next(self._message_ids)), "from": user, "chat_instance": "ci", "data": data}
        if message is not None:
            cq["message"] = message
        return {"callback_query": cq}

    def inline_update(self, user: dict, query: str) -> dict:
        """``@bot query`` typed in any chat."""
        return {"inline_query": {"id": str(next(self._message_ids)), "from": user, "query": query, "offset": ""}}

    def add_file(self, content: bytes, file_name: str) -> dict:
        """Make a file downloadable; returns the Document object to put in a message."""
        n = len(self.files) + 1
        file_id = f"FILE{n:04d}"
        self.files[file_id] = (f"documents/file_{n}{_suffix(file_name)}", content)
        return {"file_id": file_id, "file_unique_id": f"U{file_id}", "file_name": file_name, "file_size": len(content)}

    # --- calls out ------------------------------------------------------------------------------

    def calls_to(self, method: str, **match) -> list[Call]:
        with self._cond:
            calls = list(self.calls)
        return [c for c in calls if c.method == method and all(c.params.get(k) == v for k, v in match.items())]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 20.0, where=None, **match) -> list[Call]:
        """The first ``count`` calls of ``method`` matching ``match`` (and ``where(call)``), waiting
        for them with a deadline; fails with what was recorded meanwhile."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        event = asyncio.Event()
        entry = (loop, event)
        with self._cond:
            self._waiters.append(entry)
        try:
            while True:
                event.clear()
                found = [c for c in self.calls_to(method, **match) if where is None or where(c)]
                if len(found) >= count:
                    return found[:count]
                remaining = deadline - loop.time()
                if remaining <= 0:
                    seen = [(c.method, c.params.get("chat_id"), c.text[:60]) for c in self.calls[-15:]]
                    raise AssertionError(f"timed out waiting for {count} × {method} {match}; got {len(found)}. Last calls: {seen}")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(event.wait(), remaining)
        finally:
            with self._cond:
                self._waiters.remove(entry)

    async def wait_offset(self, update_id: int, timeout: float = 20.0) -> None:
        """Until the bot has fetched ``update_id`` (and confirmed it with a later offset)."""
        await self.wait_for("getUpdates", timeout=timeout, where=lambda c: int(c.params.get("offset") or 0) > update_id)

    async def deliver_webhook(self, update: dict, secret: str | None = "__registered__") -> int:
        """POST ``update`` to the registered webhook as Telegram does; returns the HTTP status."""
        headers = {"Content-Type": "application/json"}
        secret = self.webhook.get("secret_token") if secret == "__registered__" else secret
        if secret:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        async with httpx.AsyncClient() as client:
            r = await client.post(self.webhook["url"], content=json.dumps(update).encode(), headers=headers)
        return r.status_code

    # --- server side ------------------------------------------------------------------------------

    def _record(self, call: Call) -> None:
        with self._cond:
            self.calls.append(call)
            waiters = list(self._waiters)
        for loop, event in waiters:
            with contextlib.suppress(RuntimeError):  # that loop is closed
                loop.call_soon_threadsafe(event.set)

    def _bot_message(self, chat_id: Any, **fields) -> dict:
        chat = self._chats.get(_int(chat_id)) or {"id": _int(chat_id), "type": "private", "first_name": "?"}
        return {"message_id": next(self._message_ids), "date": int(time.time()), "chat": chat, "from": self.bot_user, **fields}

    def _check_text(self, params: dict, key: str, limit: int) -> str:
        raw = params.get(key, "")
        if key == "text" and not raw.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        plain = raw
        if params.get("parse_mode") == "HTML":
            try:
                plain = parse_telegram_html(raw)
            except HTMLParseError as exc:
                raise ApiError(400, f"Bad Request: {exc}") from None
        if utf16_len(plain) > limit:
            raise ApiError(400, "Bad Request: message is too long" if key == "text" else "Bad Request: message caption is too long")
        return plain

    def _get_updates(self, params: dict) -> list[dict]:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + timeout
        with self._cond:
            self.delivered_offset = max(self.delivered_offset, offset)
            if offset:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while not self._closed:
                ready = [u for u in self._updates if u["update_id"] >= offset]
                remaining = deadline - time.monotonic()
                if ready or remaining <= 0:
                    return ready[:limit]
                self._cond.wait(remaining)
            return []

    def handle(self, method: str, params: dict, files: dict) -> Any:
        if method == "getMe":
            return {**self.bot_user, "can_join_groups": True, "can_read_all_group_messages": False,
                    "supports_inline_queries": True}
        if method == "getUpdates":
            return self._get_updates(params)
        if method in ("deleteWebhook", "setMyCommands", "deleteMyCommands", "close", "logOut", "sendChatAction",
                      "answerCallbackQuery"):
            if method == "answerCallbackQuery" and "text" in params and utf16_len(params["text"]) > 200:
                raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
            if method == "deleteWebhook":
                self.webhook = {}
            return True
        if method == "setWebhook":
            self.webhook = {"url": params["url"], "secret_token": params.get("secret_token")}
            return True
        if method == "getWebhookInfo":
            return {"url": self.webhook.get("url", ""), "has_custom_certificate": False, "pending_update_count": 0}
        if method == "sendMessage":
            plain = self._check_text(params, "text", MAX_TEXT)
            extra = {"reply_markup": params["reply_markup"]} if params.get("reply_markup") else {}
            return self._bot_message(params["chat_id"], text=plain, **extra)
        if method == "editMessageText":
            plain = self._check_text(params, "text", MAX_TEXT)
            return self._bot_message(params.get("chat_id", 0), text=plain)
        if method == "editMessageReplyMarkup":
            return self._bot_message(params.get("chat_id", 0), text="…", reply_markup=params.get("reply_markup"))
        if method == "sendDocument":
            if "caption" in params:
                self._check_text(params, "caption", MAX_CAPTION)
            if "document" not in files:
                raise ApiError(400, "Bad Request: there is no document in the request")
            name, data = files["document"]
            return self._bot_message(params["chat_id"], document={"file_id": f"SENT{len(data)}", "file_unique_id": "S",
                                                                  "file_name": name, "file_size": len(data)})
        if method == "answerInlineQuery":
            # like Telegram: each article's message must be valid HTML of at most 4096 characters
            for result in params.get("results", []):
                content = result.get("input_message_content", {})
                self._check_text(content, "message_text", MAX_TEXT)
            return True
        if method == "getFile":
            entry = self.files.get(params.get("file_id", ""))
            if entry is None:
                raise ApiError(400, "Bad Request: invalid file_id")
            path, data = entry
            return {"file_id": params["file_id"], "file_unique_id": f"U{params['file_id']}", "file_size": len(data),
                    "file_path": path}
        raise ApiError(404, "Not Found")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as httpx expects
    server_fake: FakeTelegram

    def log_message(self, format, *args):  # quiet test output
        pass

    def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the bot gave up on a long poll (stopping)
            self.close_connection = True

    def _json(self, status: int, obj: dict) -> None:
        self._send(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"))

    def do_GET(self):
        fake = self.server_fake
        path = unquote(urlsplit(self.path).path)  # PTB percent-encodes file paths (":" → "%3A")
        prefix = f"/file/bot{fake.token}/"
        if path.startswith(prefix):
            wanted = path[len(prefix):]
            for file_path, data in fake.files.values():
                if file_path == wanted:
                    fake._record(Call("downloadFile", {"file_path": wanted}))
                    self._send(200, data, "application/octet-stream")
                    return
            self._send(404, b"Not Found", "text/plain")
            return
        self._dispatch(path, parse_qs(urlsplit(self.path).query), {})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        ctype = self.headers.get("Content-Type", "")
        params: dict[str, Any] = {}
        files: dict[str, tuple[str, bytes]] = {}
        if ctype.startswith("multipart/form-data"):
            msg = email.parser.BytesParser(policy=email.policy.default).parsebytes(
                f"Content-Type: {ctype}\r\n\r\n".encode() + body
            )
            for part in msg.iter_parts():
                name = part.get_param("name", header="content-disposition")
                filename = part.get_filename()
                payload = part.get_payload(decode=True) or b""
                if filename is not None:
                    files[name] = (filename, payload)
                else:
                    params[name] = [payload.decode("utf-8")]
        elif ctype.startswith("application/json"):
            params = {k: [v if isinstance(v, str) else json.dumps(v)] for k, v in json.loads(body or b"{}").items()}
        else:
            params = parse_qs(body.decode("utf-8"), keep_blank_values=True)
        self._dispatch(unquote(urlsplit(self.path).path), params, files)

    def _dispatch(self, path: str, raw: dict[str, list[str]], files: dict) -> None:
        fake = self.server_fake
        m = re.fullmatch(r"/bot([^/]+)/(\w+)", path)
        if not m:
            self._json(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        if m.group(1) != fake.token:
            self._json(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
            return
        method = m.group(2)
        params = {k: _decode(k, v[-1]) for k, v in raw.items()}
        call = Call(method, params, files)
        try:
            result = fake.handle(method, params, files)
        except ApiError as exc:
            call.error = exc.description
            fake._record(call)
            self._json(exc.code, {"ok": False, "error_code": exc.code, "description": exc.description})
            return
        call.result = result
        fake._record(call)
        self._json(200, {"ok": True, "result": result})


def _decode(key: str, value: str) -> Any:
    if key in STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _int(value: Any) -> Any:
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def _suffix(name: str) -> str:
    m = re.search(r"\.[A-Za-z0-9]{1,5}$", name)
    return m.group().lower() if m else ""
