"""Run the real bot Application against the Bot API stand-in (tests and bench/bench_bot.py).

    async with running_bot(engine, bot_settings(fake, data_dir)) as app:
        fake.push(fake.text_update(user, "câu hỏi"))
        [reply] = await fake.wait_for("sendMessage", chat_id=user["id"])

This is what `Application.run_polling` does, spelled out so the test keeps the event loop:
initialize, post_init, start, start_polling — and on the way out stop and shut down cleanly.
"""

from __future__ import annotations

import contextlib
import io
import logging
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
