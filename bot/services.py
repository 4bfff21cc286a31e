"""What the handlers share: the engine, the stores, the throttle, and the worker threads.

One `Services` object is made at startup and kept in ``application.bot_data``; handlers reach it
through `services(context)`. The engine's work (answering, parsing uploads, rebuilding the index)
is synchronous CPU work, so it always runs on these worker threads, never on the event loop:
one slow question does not stall the other chats, and a rebuild does not stall any question.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import hashlib
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

from telegram import Update
from telegram.ext import ContextTypes

from index.build import BuildReport
from index.engine import Engine
from index.types import Answer, DocMeta, Document

from .config import BotSettings
from .i18n import lang_from_code
from .storage import Storage
from .throttle import Throttle

T = TypeVar("T")
SERVICES_KEY = "policyqa"


@dataclass
class Services:
    engine: Engine
    settings: BotSettings
    storage: Storage
    throttle: Throttle
    # answering and parsing uploads: several threads, so questions run side by side
    ask_pool: ThreadPoolExecutor
    # rebuilding the index: one thread, so a rebuild never takes a thread from the questions
    build_pool: ThreadPoolExecutor
    started: float = field(default_factory=time.time)
    # one rebuild at a time (uploads and /reindex queue behind each other)
    reindex_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    # when each (user, message, button) was last tapped (handlers.repeat_tap_gate)
    taps: dict[tuple[int, int, str], float] = field(default_factory=dict)
    # what "today" is for deadlines and reminders (tests set a date)
    clock: Callable[[], dt.date] = dt.date.today

    @classmethod
    def create(cls, engine: Engine, settings: BotSettings) -> Services:
        return cls(
            engine=engine,
            settings=settings,
            storage=Storage(settings.db_path),
            throttle=Throttle(settings.throttle_burst, settings.throttle_per_minute),
            ask_pool=ThreadPoolExecutor(settings.ask_workers, thread_name_prefix="policyqa-ask"),
            build_pool=ThreadPoolExecutor(1, thread_name_prefix="policyqa-build"),
        )

    def close(self) -> None:
        self.ask_pool.shutdown(wait=False, cancel_futures=True)
        self.build_pool.shutdown(wait=False, cancel_futures=True)
        self.storage.close()

    async def in_worker(self, fn: Callable[..., T], *args, **kwargs) -> T:
        """Run ``fn`` on an answering thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.ask_pool, functools.partial(fn, *args, **kwargs))

    async def ask(self, question: str, within: str | None = None) -> Answer:
        """The engine's answer, exactly as `policyqa ask` gives it; ``within``: from one document."""
        return await self.in_worker(self.engine.ask, question, within=within)

    async def build(self) -> BuildReport:
        """Update the index incrementally; `ask` keeps using the old one until the swap."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.build_pool, functools.partial(self.engine.build, progress=False))

    # --- lookups the handlers need --------------------------------------------------------------

    def today(self) -> dt.date:
        return self.clock()

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.settings.admin_ids

    def chosen_lang(self, update: Update) -> str | None:
        """The language the chat chose with /lang, if it did."""
        chat = update.effective_chat
        return self.storage.chat_settings(chat.id).lang if chat is not None else None

    def ui_lang(self, update: Update) -> str:
        """The chat's chosen language, else the user's Telegram language (vi unless zh)."""
        user = update.effective_user
        return self.chosen_lang(update) or lang_from_code(user.language_code if user else None)

    def answer_lang(self, update: Update, asked_in: str) -> str:
        """Labels and buttons of an answer: the chat's chosen language, else the question's, so a
        card never mixes Chinese labels with Vietnamese buttons."""
        return self.chosen_lang(update) or asked_in

    def documents(self) -> dict[str, Document]:
        return self.engine.index.documents

    def find_document(self, key: str) -> Document | None:
        return next((d for d in self.documents().values() if doc_key(d.doc_id) == key), None)

    def metas(self) -> dict[str, DocMeta]:
        """Each document's number, title, place and period: how listings name documents."""
        return {doc_id: doc.meta for doc_id, doc in self.documents().items()}

    def titles(self) -> dict[str, str]:
        return {doc_id: d.meta.title for doc_id, d in self.documents().items()}


def doc_key(doc_id: str) -> str:
    """A short, stable id for a document in deep links and buttons (doc ids can be long)."""
    return hashlib.sha1(doc_id.encode("utf-8")).hexdigest()[:10]


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    return context.bot_data[SERVICES_KEY]
