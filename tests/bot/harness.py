"""Run the real bot Application against the Bot API stand-in (tests and bench/bench_bot.py).

    async with running_bot(engine, bot_settings(fake, data_dir)) as app:
        fake.push(fake.text_update(user, "câu hỏi"))
        [reply] = await fake.wait_for("sendMessage", chat_id=user["id"])

This is what `Application.run_polling` does, spelled out so the test keeps the event loop:
initialize, post_init, start, start_polling — and on the way out stop and shut down cleanly.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
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
async def running_bot(engine: Engine, settings: BotSettings, *, poll_timeout: int = 10) -> AsyncIterator[Application]:
    application = build_application(engine, settings)
    await application.initialize()
    try:
        await application.post_init(application)
        await application.start()
        await application.updater.start_polling(timeout=poll_timeout, allowed_updates=ALLOWED_UPDATES)
        try:
            yield application
        finally:
            await application.updater.stop()
            await application.stop()
    finally:
        await application.shutdown()
        await application.post_shutdown(application)


@contextlib.asynccontextmanager
async def webhook_bot(engine: Engine, settings: BotSettings, port: int, secret: str) -> AsyncIterator[Application]:
    """The same Application fed by PTB's webhook server instead of polling."""
    application = build_application(engine, settings)
    await application.initialize()
    try:
        await application.post_init(application)
        await application.start()
        await application.updater.start_webhook(
            listen="127.0.0.1",
            port=port,
            url_path="tg-hook",
            webhook_url=f"http://127.0.0.1:{port}/tg-hook",
            secret_token=secret,
            allowed_updates=ALLOWED_UPDATES,
        )
        try:
            yield application
        finally:
            await application.updater.stop()
            await application.stop()
    finally:
        await application.shutdown()
        await application.post_shutdown(application)


def services_of(application: Application) -> Services:
    return application.bot_data[SERVICES_KEY]
