"""Several bot workers behind one webhook: ``policyqa bot --webhook-url URL --workers N``.

Telegram posts every update to one URL. This process, the front, listens there and hands each
update to one of N worker processes: each an ordinary webhook bot (``policyqa bot --webhook-url``)
on a local port, with its own engine over the shared index and the shared bot database. An update
goes to the worker of its chat (chat id modulo N), so a chat's messages are answered in order by
one worker, and its throttle and send limit stay whole in one process.

The front answers Telegram with the worker's status: a worker that is down (starting, restarting)
gives 503 and Telegram delivers the update again later, so nothing is lost. A worker that exits is
started again. Workers follow each other's index builds (bot/app.py's follow-index job) and claim
reminders in the shared database, so each goes out once.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from tornado.httpclient import AsyncHTTPClient, HTTPClientError
from tornado.web import Application, RequestHandler

from index.config import Settings

from .config import BotSettings

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
RESTART_SECONDS = 5.0  # a worker that keeps crashing is started again at most this often
STOP_SECONDS = 15.0  # workers get this long to finish what they hold after SIGTERM


def chat_of(update: dict) -> int:
    """The chat an update belongs to (a button's: the chat its message is in; an inline query's:
    its sender), else its update id: what spreads updates over the workers."""
    for body in update.values():
        if not isinstance(body, dict):
            continue
        chat = body.get("chat") or (body.get("message") or {}).get("chat")
        if isinstance(chat, dict) and isinstance(chat.get("id"), int):
            return chat["id"]
        sender = body.get("from")
        if isinstance(sender, dict) and isinstance(sender.get("id"), int):
            return sender["id"]
    update_id = update.get("update_id")
    return update_id if isinstance(update_id, int) else 0


@dataclass
class Worker:
    """One worker process: ``policyqa bot`` on a local port."""

    number: int
    port: int
    command: list[str]
    env: dict[str, str]
    process: subprocess.Popen | None = None
    started: float = 0.0

    def start(self) -> None:
        self.process = subprocess.Popen(self.command, env=self.env)
        self.started = time.monotonic()
        log.info("worker %d started (pid %d, port %d)", self.number, self.process.pid, self.port)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None


def worker_env(settings: Settings, bot: BotSettings, secret: str) -> dict[str, str]:
    """What a worker reads its settings from: this process's environment, with the index, the
    model and the bot's data folder as resolved here, and the webhook secret every worker shares."""
    return {
        **os.environ,
        "POLICYQA_CORPUS": str(settings.corpus_dir),
        "POLICYQA_INDEX": str(settings.index_dir),
        "POLICYQA_CACHE": str(settings.cache_dir),
        "POLICYQA_MODEL": settings.model,
        "POLICYQA_BACKEND": settings.backend,
        "POLICYQA_MILVUS_URI": settings.milvus_uri,
        "POLICYQA_BOT_DATA": str(bot.data_dir),
        "TELEGRAM_WEBHOOK_SECRET": secret,
    }


class Front:
    """The webhook's receiving end: passes each update to its chat's worker."""

    def __init__(self, workers: list[Worker], path: str):
        self.workers, self.path = workers, path

    async def forward(self, body: bytes, secret: str | None) -> int:
        """Hand ``body`` (one update, JSON) to its worker; the status to answer Telegram with."""
        try:
            update = json.loads(body)
        except ValueError:
            return 400
        if not isinstance(update, dict):
            return 400
        worker = self.workers[chat_of(update) % len(self.workers)]
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers[SECRET_HEADER] = secret
        try:
            # one client per event loop, kept by tornado: connections to the workers are reused
            response = await AsyncHTTPClient().fetch(f"http://127.0.0.1:{worker.port}/{self.path}", method="POST",
                                               body=body, headers=headers, raise_error=False)
        except (OSError, HTTPClientError):
            return 503  # the worker is not listening (yet): Telegram tries again
        return 503 if response.code == 599 else response.code


class _Forward(RequestHandler):
    """Telegram's POST of one update: answered with what its worker answered."""

    def initialize(self, front: Front) -> None:
        self.front = front

    async def post(self) -> None:
        self.set_status(await self.front.forward(self.request.body, self.request.headers.get(SECRET_HEADER)))


async def _serve(workers: list[Worker], bot: BotSettings, stopping: asyncio.Event) -> None:
    path = urlsplit(bot.webhook_url or "").path.strip("/")
    front = Front(workers, path)
    server = Application([(rf"/{path}", _Forward, {"front": front})]).listen(bot.webhook_port, bot.webhook_listen)
    log.info("front on %s:%d/%s, %d workers", bot.webhook_listen, bot.webhook_port, path, len(workers))
    try:
        while not stopping.is_set():
            for w in workers:
                if not w.alive() and time.monotonic() - w.started >= RESTART_SECONDS:
                    if w.process is not None:
                        log.warning("worker %d exited (%s); starting it again", w.number, w.process.returncode)
                    w.start()
            try:
                await asyncio.wait_for(stopping.wait(), timeout=1.0)
            except TimeoutError:
                pass
    finally:
        server.stop()


def run(settings: Settings, bot: BotSettings, workers: int, secret: str) -> None:
    """Run the front and ``workers`` worker processes until SIGINT / SIGTERM."""
    env = worker_env(settings, bot, secret)
    pool = [Worker(n, bot.webhook_port + 1 + n,
                   [sys.executable, "-m", "policyqa.cli", "bot", "--webhook-url", str(bot.webhook_url),
                    "--listen", "127.0.0.1", "--port", str(bot.webhook_port + 1 + n)],
                   env)
            for n in range(workers)]

    async def main() -> None:
        stopping = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stopping.set)
        await _serve(pool, bot, stopping)

    try:
        asyncio.run(main())
    finally:
        for w in pool:
            if w.alive():
                w.process.terminate()
        deadline = time.monotonic() + STOP_SECONDS
        for w in pool:
            if w.process is not None:
                try:
                    w.process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    w.process.kill()
        log.info("workers stopped")
