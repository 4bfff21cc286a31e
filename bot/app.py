"""The wiring, in one place: ApplicationBuilder, handlers, error handler, rate limiting, logging,
startup and shutdown, polling or webhook.

    engine = Engine.open(Settings(), build_if_missing=True)
    run(engine, BotSettings.from_env())          # what `policyqa bot` does

Tests and the benchmark call `build_application` and drive the Application themselves.
"""

from __future__ import annotations

import functools
import logging
import secrets
from urllib.parse import urlsplit

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    InlineQueryHandler,
    Defaults,
    MessageHandler,
    filters,
)

from index.engine import Engine

from . import callbacks as cb
from . import handlers
from .config import BotSettings
from .i18n import STRINGS
from .ordering import PerChatUpdateProcessor
from .ratelimit import ChatRateLimiter
from .services import SERVICES_KEY, Services

log = logging.getLogger(__name__)

# Only what the handlers use: Telegram then does not send (or wake us for) anything else.
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY]
CONCURRENT_UPDATES = 64  # updates handled at once; the engine work itself is on worker threads
# one question per path through the engine: Vietnamese, Vietnamese without diacritics (the
# restorer), Chinese (word segmentation loads its dictionary on first use)
WARM_UP_QUESTIONS = ("Hồ sơ gửi chậm nhất khi nào?", "ho so gui cham nhat khi nao", "补贴标准是多少？")


def build_application(engine: Engine, settings: BotSettings) -> Application:
    """The bot, ready to initialize/start: handlers registered, engine shared via bot_data."""
    builder = (
        Application.builder()
        .token(settings.token)
        # every message is HTML; formatting.py escapes whatever came from documents or users
        .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)))
        # Telegram's flood limits (30 msg/s overall, 20/min per group, ~1/s per private chat),
        # retrying on RetryAfter
        .rate_limiter(ChatRateLimiter(max_retries=3, chat_max_rate=settings.chat_max_per_second))
        # a slow question must not hold up other chats
        # … while one chat's updates are handled in the order they came
        .concurrent_updates(processor := PerChatUpdateProcessor(CONCURRENT_UPDATES))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if settings.api_base_url:
        builder = builder.base_url(settings.api_base_url)
    if settings.api_base_file_url:
        builder = builder.base_file_url(settings.api_base_file_url)
    application = builder.build()
    application.bot_data[SERVICES_KEY] = Services.create(engine, settings)

    # over-eager users stop as their updates arrive, before waiting for their chat's turn
    processor.admit = functools.partial(handlers.admit, application)
    # group -2 runs first for every update: a repeated tap stops there
    application.add_handler(CallbackQueryHandler(handlers.repeat_tap_gate), group=-2)

    new_message = filters.UpdateType.MESSAGE  # edits of old messages are not questions again
    private = filters.ChatType.PRIVATE
    for command, callback in (
        ("start", handlers.start),
        ("help", handlers.help_command),
        ("lang", handlers.lang_command),
        ("docs", handlers.docs_command),
        ("who", handlers.who_command),
        ("deadlines", handlers.deadlines_command),
        ("remind", handlers.remind_command),
        ("new", handlers.new_command),
        ("ask", handlers.ask_command),
        ("stats", handlers.stats_command),
        ("reindex", handlers.reindex_command),
    ):
        application.add_handler(CommandHandler(command, callback, filters=new_message))
    application.add_handler(MessageHandler(handlers.QUESTION, handlers.question_message))
    application.add_handler(MessageHandler(new_message & private & filters.Document.ALL, handlers.upload))
    application.add_handler(MessageHandler(new_message & private & filters.COMMAND, handlers.help_command))
    application.add_handler(MessageHandler(new_message & private & ~filters.TEXT, handlers.other_message))

    # @bot QUESTION in any chat (inline mode, switched on with BotFather's /setinline)
    application.add_handler(InlineQueryHandler(handlers.inline_query))

    buttons = {
        "src": handlers.sources_button,
        "sec": handlers.section_button,
        "fb": handlers.feedback_button,
        "lang": handlers.lang_button,
        "ex": handlers.example_button,
        "file": handlers.file_button,
        "who": handlers.who_button,
        "dl": handlers.deadlines_button,
        "noop": handlers.noop_button,
    }
    # a query without data (forged: ours always carry some) would match every pattern below
    application.add_handler(CallbackQueryHandler(handlers.unknown_button, pattern=cb.has_no_data))
    for kind, callback in buttons.items():
        application.add_handler(CallbackQueryHandler(callback, pattern=cb.HANDLER_PATTERNS[kind]))
    # anything else (old or forged data) still gets an answer: callback queries need to be answered
    application.add_handler(CallbackQueryHandler(handlers.unknown_button))

    application.add_error_handler(handlers.on_error)
    return application


async def _post_init(application: Application) -> None:
    svc: Services = application.bot_data[SERVICES_KEY]
    # load the model and the lazily loaded parts now, so the first users do not wait for them
    for question in WARM_UP_QUESTIONS:
        await svc.ask(question)
    # reminders before deadlines: looked for now (catching up after a restart), then every interval
    # (with several workers each looks; the claim in the shared database sends each one once)
    interval = svc.settings.reminder_check_seconds
    application.job_queue.run_repeating(handlers.send_reminders, interval=interval, first=min(interval, 30.0),
                                        name="reminders")
    every = svc.settings.index_check_seconds
    application.job_queue.run_repeating(handlers.follow_index, interval=every, first=every, name="follow-index")
    for lang, code in (("vi", None), ("zh", "zh")):
        commands = [BotCommand(name, text) for name, text in STRINGS[lang]["commands"].items()]
        try:
            await application.bot.set_my_commands(commands, language_code=code)
        except TelegramError as exc:  # the menu is a convenience; never refuse to start over it
            log.warning("setMyCommands (%s) failed: %s", lang, exc)
    log.info(
        "bot @%s ready: %d documents, %d admins, data in %s",
        application.bot.username, len(svc.documents()), len(svc.settings.admin_ids), svc.settings.data_dir,
    )


async def _post_shutdown(application: Application) -> None:
    svc: Services | None = application.bot_data.get(SERVICES_KEY)
    if svc is not None:
        svc.close()


def run(engine: Engine, settings: BotSettings) -> None:
    """Run the bot until Ctrl-C / SIGTERM: long polling, or a webhook when a URL is set."""
    settings.check()
    configure_logging(settings.token, settings.webhook_secret)
    application = build_application(engine, settings)
    if not settings.webhook_url:
        log.info("starting long polling")
        application.run_polling(allowed_updates=ALLOWED_UPDATES, timeout=settings.poll_timeout)
        return
    # Telegram sends the secret in a header with every update; PTB refuses requests without it.
    secret = settings.webhook_secret or secrets.token_urlsafe(32)
    configure_logging(settings.token, secret)
    url_path = urlsplit(settings.webhook_url).path.strip("/")
    log.info("starting webhook on %s:%d/%s", settings.webhook_listen, settings.webhook_port, url_path)
    application.run_webhook(
        listen=settings.webhook_listen,
        port=settings.webhook_port,
        url_path=url_path,
        webhook_url=settings.webhook_url,
        secret_token=secret,
        allowed_updates=ALLOWED_UPDATES,
    )


# --- logging ------------------------------------------------------------------------------------

REDACTED = "[redacted]"


class RedactSecrets(logging.Filter):
    """Replaces the bot token (and other secrets) in log messages and tracebacks.

    The token is part of every Bot API URL, and httpx and PTB log URLs (PTB at DEBUG, httpx at
    INFO; network errors quote them too), so quieting httpx is not enough on its own.
    """

    def __init__(self, *values: str):
        super().__init__()
        parts = set()
        for v in values:
            if v:
                parts.add(v)
                if ":" in v:  # the secret half of a token, also when the colon is URL-encoded
                    parts.add(v.split(":", 1)[1])
        self.values = sorted(parts, key=len, reverse=True)

    def _clean(self, text: str) -> str:
        for v in self.values:
            text = text.replace(v, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is the handler's problem, not ours
            return True
        cleaned = self._clean(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._clean(record.exc_text)
        if record.stack_info:
            record.stack_info = self._clean(record.stack_info)
        return True


def configure_logging(*secrets_: str | None) -> None:
    """Keep secrets out of every log handler, and keep httpx's per-request lines out of the log."""
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    redact = RedactSecrets(*(s for s in secrets_ if s))
    for handler in root.handlers:
        for old in [f for f in handler.filters if isinstance(f, RedactSecrets)]:
            handler.removeFilter(old)
        handler.addFilter(redact)
