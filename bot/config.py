"""The bot's settings: defaults, overridden by environment variables, then by keyword arguments.

The engine has its own settings (index/config.py); these are only what the Telegram side needs.
The token is kept out of ``repr`` so a settings object printed in a log never shows it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from index.config import REPO_ROOT

# What an admin may upload: the formats the engine reads that officials actually send.
UPLOAD_SUFFIXES = frozenset({".pdf", ".docx", ".html", ".htm", ".txt"})
# The cloud Bot API serves files of at most 20 MB through getFile.
BOT_API_DOWNLOAD_LIMIT = 20 * 1024 * 1024
_TOKEN_SHAPE = re.compile(r"^\d+:[A-Za-z0-9_-]{20,}$")


class ConfigError(Exception):
    """A setting is missing or malformed; the message says which one (never its secret value)."""


@dataclass(frozen=True)
class BotSettings:
    token: str = field(default="", repr=False)
    api_base_url: str | None = None  # e.g. a self-hosted Bot API server: http://host:8081/bot
    api_base_file_url: str | None = None  # http://host:8081/file/bot
    admin_ids: frozenset[int] = frozenset()
    data_dir: Path = REPO_ROOT / ".policyqa" / "bot"  # SQLite (chat settings, answers, feedback), salt

    max_upload_bytes: int = BOT_API_DOWNLOAD_LIMIT
    # per user: this many questions/buttons at once (browsing /docs → a link → its file → a
    # question is already five) …
    throttle_burst: int = 8
    throttle_per_minute: float = 20.0  # … and the sustained rate after that
    # a second tap on the same button within this many seconds is the same tap (an impatient
    # double tap must not send the sources twice)
    repeat_tap_seconds: float = 3.0
    # /who and /deadlines: items on one page of the list, and characters of one item before it is cut
    list_page_items: int = 5
    list_item_chars: int = 300
    # /remind: days before a deadline a reminder goes out unless the user says otherwise, how often
    # the job looks for reminders due (a deadline is a date: hourly is on time), subscriptions a chat may hold
    # a question of at most this many words, asked within this many seconds of an answer in the
    # same chat and naming no other document, is a follow-up: answered from that answer's document
    followup_max_words: int = 8
    followup_seconds: float = 1800.0
    # Telegram keeps an inline query's results this long for everyone typing the same words
    inline_cache_seconds: int = 300
    reminder_days: int = 7
    reminder_check_seconds: float = 3600.0
    # how often the bot looks for a newer build of the index (another worker's upload, or
    # `policyqa build` run beside it) and switches to it
    index_check_seconds: float = 10.0
    max_subscriptions: int = 20
    # messages the bot sends into one private chat per second (Telegram: about one); 0 = no limit
    chat_max_per_second: float = 1.0
    ask_workers: int = 4  # threads answering questions (the event loop never runs the engine)
    max_question_chars: int = 1000

    # getUpdates long-poll timeout (seconds the server may hold the request open)
    poll_timeout: int = 30
    # webhook mode when webhook_url is set
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    webhook_secret: str | None = field(default=None, repr=False)

    def with_(self, **changes) -> BotSettings:
        return replace(self, **changes)

    @property
    def db_path(self) -> Path:
        return self.data_dir / "bot.sqlite3"

    def check(self) -> BotSettings:
        """Raise ConfigError when the bot cannot start with these settings."""
        if not self.token:
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and export its token"
            )
        if not _TOKEN_SHAPE.match(self.token):
            raise ConfigError("TELEGRAM_BOT_TOKEN does not look like a bot token (digits:letters, from @BotFather)")
        if self.webhook_url and not self.webhook_url.startswith(("https://", "http://")):
            raise ConfigError("the webhook URL must start with https:// (Telegram only calls HTTPS webhooks)")
        if self.webhook_secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", self.webhook_secret):
            raise ConfigError("the webhook secret may only hold 1-256 characters A-Z a-z 0-9 _ -")
        if self.throttle_burst < 1 or self.throttle_per_minute <= 0:
            raise ConfigError("throttle limits must be positive")
        if self.chat_max_per_second < 0:
            raise ConfigError("POLICYQA_CHAT_MAX_PER_SECOND must be 0 (no limit) or positive")
        return self

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> BotSettings:
        """Settings from the environment (see README), then ``overrides`` (None values ignored)."""
        env = os.environ if environ is None else environ
        values: dict = {}
        if env.get("TELEGRAM_BOT_TOKEN"):
            values["token"] = env["TELEGRAM_BOT_TOKEN"].strip()
        if env.get("TELEGRAM_API_BASE_URL"):
            values["api_base_url"] = env["TELEGRAM_API_BASE_URL"].strip()
        if env.get("TELEGRAM_API_BASE_FILE_URL"):
            values["api_base_file_url"] = env["TELEGRAM_API_BASE_FILE_URL"].strip()
        if env.get("POLICYQA_ADMIN_IDS"):
            values["admin_ids"] = parse_admin_ids(env["POLICYQA_ADMIN_IDS"])
        if env.get("POLICYQA_BOT_DATA"):
            values["data_dir"] = Path(env["POLICYQA_BOT_DATA"])
        if env.get("TELEGRAM_WEBHOOK_SECRET"):
            values["webhook_secret"] = env["TELEGRAM_WEBHOOK_SECRET"].strip()
        numbers = {
            "POLICYQA_UPLOAD_MAX_MB": ("max_upload_bytes", lambda v: int(float(v) * 1024 * 1024)),
            "POLICYQA_THROTTLE_BURST": ("throttle_burst", int),
            "POLICYQA_THROTTLE_PER_MINUTE": ("throttle_per_minute", float),
            "POLICYQA_BOT_WORKERS": ("ask_workers", int),
            "POLICYQA_CHAT_MAX_PER_SECOND": ("chat_max_per_second", float),
            "POLICYQA_REMINDER_DAYS": ("reminder_days", int),
        }
        for name, (attr, convert) in numbers.items():
            if env.get(name):
                try:
                    values[attr] = convert(env[name])
                except ValueError as exc:
                    raise ConfigError(f"{name} must be a number, not {env[name]!r}") from exc
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


def parse_admin_ids(text: str) -> frozenset[int]:
    """"123, 456" → {123, 456}; anything else is a configuration error, not a silent skip."""
    ids = set()
    for part in re.split(r"[,\s]+", text.strip()):
        if not part:
            continue
        if not re.fullmatch(r"-?\d+", part):
            raise ConfigError(f"POLICYQA_ADMIN_IDS must be comma-separated Telegram user ids, not {part!r}")
        ids.add(int(part))
    return frozenset(ids)
