"""Run the real bot Application against the Bot API stand-in (tests and bench/bench_bot.py).

    async with running_bot(engine, bot_settings(fake, data_dir)) as app:
        fake.push(fake.text_update(user, "câu hỏi"))
        [reply] = await fake.wait_for("sendMessage", chat_id=user["id"])

``worker_bot`` runs `policyqa bot --workers N` as a process instead (bot/workers.py).

This is what `Application.run_polling` does, spelled out so the test keeps the event loop:
initialize, post_init, start, start_polling — and on the way out stop and shut down cleanly.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

from telegram.ext import Application

from bot.app import ALLOWED_UPDATES, build_application
from bot.config import BotSettings
from bot.services import SERVICES_KEY, Services
from index.engine import Engine

from .fake_telegram import FakeTelegram

TOKEN = "123456789:TEST-token_abcdefghijklmnopqrstuvwxyz"
ADMIN_ID = 900001


def bot_settings(fake: FakeTelegram, data_dir: Path, **overrides) -> BotSettings:
    """Settings as `policyqa bot` reads them from the environment, pointed at the stand-in.
    Tests click faster than people: the throttle gets room unless a test sets its own."""
    overrides.setdefault("throttle_burst", 30)
    overrides.setdefault("chat_max_per_second", 0)  # nor wait a second between replies (tests/robustness checks it)
    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": fake.base_url,
        "TELEGRAM_API_BASE_FILE_URL": fake.base_file_url,
        "POLICYQA_BOT_DATA": str(data_dir),
        "POLICYQA_ADMIN_IDS": str(ADMIN_ID),
    }
    return BotSettings.from_env(env, **overrides).check()


@contextlib.asynccontextmanager
async def _serving(engine: Engine, settings: BotSettings, start_updater) -> AsyncIterator[Application]:
    """The application's whole life, as `Application.run_*` runs it, around the test's code;
    ``start_updater(updater)`` starts polling or the webhook server."""
    application = build_application(engine, settings)
    await application.initialize()
    try:
        await application.post_init(application)
        await application.start()
        await start_updater(application.updater)
        try:
            yield application
        finally:
            await application.updater.stop()
            await application.stop()
    finally:
        await application.shutdown()
        await application.post_shutdown(application)


def running_bot(engine: Engine, settings: BotSettings, *, poll_timeout: int = 10) -> contextlib.AbstractAsyncContextManager[Application]:
    return _serving(engine, settings, lambda updater: updater.start_polling(
        timeout=poll_timeout, allowed_updates=ALLOWED_UPDATES))


def webhook_bot(engine: Engine, settings: BotSettings, port: int, secret: str) -> contextlib.AbstractAsyncContextManager[Application]:
    """The same Application fed by PTB's webhook server instead of polling."""
    return _serving(engine, settings, lambda updater: updater.start_webhook(
        listen="127.0.0.1",
        port=port,
        url_path="tg-hook",
        webhook_url=f"http://127.0.0.1:{port}/tg-hook",
        secret_token=secret,
        allowed_updates=ALLOWED_UPDATES,
    ))


@contextlib.contextmanager
def captured_logs(level: int, fmt: str) -> Iterator[io.StringIO]:
    """Everything the process logs at ``level`` or above while inside, as text; the root logger
    is put back as it was afterwards."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(fmt))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(level)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


def services_of(application: Application) -> Services:
    return application.bot_data[SERVICES_KEY]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def worker_bot(fake: FakeTelegram, data_dir: Path, index_dir: Path, workers: int, *,
               env: dict[str, str] | None = None) -> Iterator[subprocess.Popen]:
    """`policyqa bot --workers N` as a process, webhook at 127.0.0.1 pointed at the stand-in;
    stopped (SIGTERM, as a service manager would) on the way out."""
    port = free_port()
    while any(_taken(port + 1 + n) for n in range(workers)):  # the workers' ports must be free too
        port = free_port()
    environ = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": fake.base_url,
               "TELEGRAM_API_BASE_FILE_URL": fake.base_file_url, "POLICYQA_ADMIN_IDS": str(ADMIN_ID),
               "POLICYQA_THROTTLE_BURST": "1000", "POLICYQA_CHAT_MAX_PER_SECOND": "0", **(env or {})}
    command = [sys.executable, "-m", "policyqa.cli", "bot", "--index", str(index_dir), "--data", str(data_dir),
               "--webhook-url", f"http://127.0.0.1:{port}/tg-hook", "--listen", "127.0.0.1", "--port", str(port),
               "--workers", str(workers)]
    process = subprocess.Popen(command, env=environ, cwd=str(Path(__file__).resolve().parents[2]))
    try:
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def _taken(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


async def deliver(fake: FakeTelegram, update: dict, timeout: float = 60.0) -> int:
    """POST ``update`` to the webhook as Telegram does, again while it is refused with 503 (a
    worker not listening yet, or restarting); the final status."""
    deadline = time.monotonic() + timeout
    while True:
        status = await fake.deliver_webhook(update)
        if status != 503 or time.monotonic() > deadline:
            return status
        await asyncio.sleep(0.5)


def child_pids(pid: int) -> list[int]:
    """The processes ``pid`` started (a bot front's workers)."""
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
