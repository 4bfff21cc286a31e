"""Telegram's flood limits on what the bot sends: PTB's AIORateLimiter (30 messages a second
overall, 20 a minute per group, retrying on RetryAfter) plus the per-chat limit it leaves out:
about one message a second in a private chat. Answers to a user who sends five questions at once
go out a second apart instead of drawing 429s.

The per-chat spacing counts from the moment the previous request to that chat *finished*, so
Telegram sees the messages at least a second apart however long each request took on the way.
"""

from __future__ import annotations

import asyncio
from typing import Any

from telegram.ext import AIORateLimiter

# chat actions ("typing…") and callback answers are not messages in the chat
_UNLIMITED = {"sendChatAction", "answerCallbackQuery", "getFile"}


class _ChatGate:
    __slots__ = ("lock", "last")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.last = float("-inf")


class ChatRateLimiter(AIORateLimiter):
    def __init__(self, *, chat_max_rate: float = 1.0, **kwargs: Any):
        super().__init__(**kwargs)
        self._interval = 1.0 / chat_max_rate if chat_max_rate > 0 else 0.0
        self._gates: dict[int, _ChatGate] = {}

    def _gate(self, chat_id: int, now: float) -> _ChatGate:
        gate = self._gates.get(chat_id)
        if gate is None:
            if len(self._gates) > 10_000:  # forget idle chats: a fresh gate behaves the same
                for cid in [c for c, g in self._gates.items() if not g.lock.locked() and now - g.last > self._interval]:
                    del self._gates[cid]
            gate = self._gates[chat_id] = _ChatGate()
        return gate

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):
        chat_id = data.get("chat_id")
        try:
            chat_id = int(chat_id)
        except (TypeError, ValueError):
            chat_id = None
        if not self._interval or chat_id is None or chat_id < 0 or endpoint in _UNLIMITED:
            return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
        loop = asyncio.get_running_loop()
        gate = self._gate(chat_id, loop.time())
        async with gate.lock:  # first come, first served: the chat's messages keep their order
            wait = gate.last + self._interval - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            finally:
                gate.last = loop.time()
