"""Updates of one chat are handled one after another, in the order Telegram sent them; different
chats still run side by side. PTB's plain concurrent processing (``concurrent_updates(64)``) would
let a quick second question overtake a slower first one in the same chat.

``admit`` sees each update as it arrives, before it waits for its chat's turn: the throttle says
"too fast" at once, not after the answers queued ahead of it (it came 11 s late that way)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


class PerChatUpdateProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int, admit: Callable[[object], Awaitable[bool]] | None = None):
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}  # chat id → (lock, updates holding or waiting)
        self.admit = admit  # False: the update is dropped (set once the application exists)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        if self.admit is not None and not await self.admit(update):
            coroutine.close()  # never run: no "never awaited" warning
            return
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        lock, users = self._locks.get(chat.id, (None, 0))
        lock = lock or asyncio.Lock()  # asyncio.Lock wakes its waiters first come, first served
        self._locks[chat.id] = (lock, users + 1)
        try:
            async with lock:
                await coroutine
        finally:
            lock, users = self._locks[chat.id]
            if users <= 1:
                del self._locks[chat.id]  # no one else in this chat: forget it
            else:
                self._locks[chat.id] = (lock, users - 1)

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass
