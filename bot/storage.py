"""The bot's own state in one SQLite file (WAL mode): chat settings, answers and feedback votes.

    chats    chat id → interface language and other settings; survives restarts
    answers  every answer given: question, answer text, sources, found flag, hashed chat/user,
             and the record its buttons need (key = the short id in callback data)
    votes    👍/👎 per answer and user (a second vote replaces the first)
    lists    what a /who list was asked for (key = the short id its page buttons carry), so its
             pages still open after a restart
    subscriptions  /remind: which chat is reminded of which agency's or plan's deadlines, how
             many days ahead, in which language (the chat id in clear: reminders are sent to it)
    reminded one row per reminder sent (subscription, deadline, due date): never sent twice,
             across restarts

User and chat ids are stored as salted hashes (the salt is a file next to the database), so the
feedback table can be shared with maintainers without identifying anyone. Queries are tiny and
run under a lock on one connection; the handlers call them directly.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import sqlite3
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .answers import AnswerRecord, new_key

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS chats (
    chat_id   INTEGER PRIMARY KEY,
    lang      TEXT,
    settings  TEXT NOT NULL DEFAULT '{}',
    updated   REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS answers (
    key       TEXT PRIMARY KEY,
    created   REAL NOT NULL,
    chat      TEXT NOT NULL,
    user      TEXT NOT NULL,
    question  TEXT NOT NULL,
    norm      TEXT NOT NULL,  -- the question casefolded, spaces collapsed: groups repeats
    lang      TEXT NOT NULL,
    found     INTEGER NOT NULL,
    answer    TEXT NOT NULL,
    sources   TEXT NOT NULL,
    record    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS answers_created ON answers (created);
CREATE INDEX IF NOT EXISTS answers_norm ON answers (norm);
CREATE TABLE IF NOT EXISTS lists (
    key       TEXT PRIMARY KEY,
    created   REAL NOT NULL,
    chat      TEXT NOT NULL,
    kind      TEXT NOT NULL,  -- "who"
    query     TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS subscriptions (
    id        INTEGER PRIMARY KEY,
    chat_id   INTEGER NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('agency', 'plan')),
    query     TEXT NOT NULL,
    days      INTEGER NOT NULL,
    lang      TEXT NOT NULL,
    created   REAL NOT NULL,
    UNIQUE (chat_id, kind, query)
);
CREATE TABLE IF NOT EXISTS reminded (
    subscription INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    deadline  TEXT NOT NULL,
    due       TEXT NOT NULL,
    sent      REAL NOT NULL,
    PRIMARY KEY (subscription, deadline, due)
);
CREATE TABLE IF NOT EXISTS votes (
    key       TEXT NOT NULL REFERENCES answers (key),
    user      TEXT NOT NULL,
    vote      INTEGER NOT NULL CHECK (vote IN (-1, 1)),
    created   REAL NOT NULL,
    PRIMARY KEY (key, user)
);
"""


@dataclass(frozen=True)
class ChatSettings:
    lang: str | None = None  # None: follow the user's Telegram language
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class FlaggedQuestion:
    """A question maintainers should look at: voted 👎, or answered "nothing found"."""

    question: str
    last_asked: float
    asked: int
    not_found: int
    down: int
    up: int
    last_answer: str  # the most recent answer given ("" when nothing was found)
    last_sources: list[dict]

    def to_dict(self) -> dict:
        return {
            "question": self.question,
            "last_asked": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(self.last_asked)),
            "asked": self.asked,
            "not_found": self.not_found,
            "down": self.down,
            "up": self.up,
            "last_answer": self.last_answer,
            "last_sources": self.last_sources,
        }


@dataclass(frozen=True)
class Subscription:
    """A chat reminded of an agency's or a plan's deadlines, ``days`` before each."""

    id: int
    chat_id: int
    kind: str  # "agency" or "plan"
    query: str  # as the user typed it: "Sở Y tế", "385/KH-UBND"
    days: int
    lang: str  # the language the reminders are written in


@dataclass(frozen=True)
class StorageStats:
    chats: int
    answers: int
    not_found: int
    up: int
    down: int


class Storage:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._salt = _load_salt(self.path.parent / "salt")
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable across app crashes
        self._db.execute("PRAGMA busy_timeout=5000")  # `policyqa feedback` may read meanwhile
        self._db.executescript(_SCHEMA)
        self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    @classmethod
    def open_readonly(cls, path: Path) -> Storage:
        """For `policyqa feedback`: the same class, refusing to create a database that isn't there."""
        if not Path(path).is_file():
            raise FileNotFoundError(f"no bot database at {path} (has the bot run yet? see POLICYQA_BOT_DATA)")
        return cls(path)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def hash_id(self, value: int | None) -> str:
        if value is None:
            return "-"
        return hmac.new(self._salt, str(value).encode(), hashlib.sha256).hexdigest()[:16]

    # --- chats ---------------------------------------------------------------------------------

    def chat_settings(self, chat_id: int) -> ChatSettings:
        with self._lock:
            row = self._db.execute("SELECT lang, settings FROM chats WHERE chat_id = ?", (chat_id,)).fetchone()
        if row is None:
            return ChatSettings()
        return ChatSettings(row[0], json.loads(row[1] or "{}"))

    def set_chat_lang(self, chat_id: int, lang: str) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO chats (chat_id, lang, updated) VALUES (?, ?, ?) "
                "ON CONFLICT (chat_id) DO UPDATE SET lang = excluded.lang, updated = excluded.updated",
                (chat_id, lang, time.time()),
            )

    def start_new_topic(self, chat_id: int) -> None:
        """/new: what was answered before now is no context for the next question."""
        settings = dict(self.chat_settings(chat_id).extra)
        settings["topic_from"] = time.time()
        with self._lock:
            self._db.execute(
                "INSERT INTO chats (chat_id, settings, updated) VALUES (?, ?, ?) "
                "ON CONFLICT (chat_id) DO UPDATE SET settings = excluded.settings, updated = excluded.updated",
                (chat_id, json.dumps(settings), time.time()),
            )

    # --- answers and feedback ------------------------------------------------------------------

    def save_answer(self, record: AnswerRecord, chat_id: int | None, user_id: int | None) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO answers (key, created, chat, user, question, norm, lang, found, answer, sources, record) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    record.key,
                    time.time(),
                    self.hash_id(chat_id),
                    self.hash_id(user_id),
                    record.question,
                    normalize_question(record.question),
                    record.lang,
                    int(record.found),
                    record.text if record.found else "",
                    json.dumps(record.sources, ensure_ascii=False),
                    record.to_json(),
                ),
            )

    def load_answer(self, key: str, chat_id: int | None = None) -> AnswerRecord | None:
        """The answer stored under ``key``; with ``chat_id``, only when it was given in that chat
        (a button pressed elsewhere, or forged, does not reach another chat's answers)."""
        sql, args = "SELECT record FROM answers WHERE key = ?", [key]
        if chat_id is not None:
            sql, args = sql + " AND chat = ?", [key, self.hash_id(chat_id)]
        with self._lock:
            row = self._db.execute(sql, args).fetchone()
        return AnswerRecord.from_json(row[0]) if row else None

    def last_answer(self, chat_id: int, within_seconds: float) -> AnswerRecord | None:
        """The chat's latest answer that found something, asked within the last ``within_seconds``
        and since the chat's last /new: what a short follow-up question is about."""
        since = max(time.time() - within_seconds, self.chat_settings(chat_id).extra.get("topic_from", 0.0))
        with self._lock:
            row = self._db.execute(
                "SELECT record FROM answers WHERE chat = ? AND found = 1 AND created >= ? ORDER BY created DESC LIMIT 1",
                (self.hash_id(chat_id), since),
            ).fetchone()
        return AnswerRecord.from_json(row[0]) if row else None

    def vote(self, key: str, user_id: int, vote: str, chat_id: int | None = None) -> bool:
        """Record 👍 ("up") or 👎 ("down") on an answer; False when the answer is unknown (or,
        with ``chat_id``, was not given in that chat)."""
        value = 1 if vote == "up" else -1
        sql, args = "SELECT 1 FROM answers WHERE key = ?", [key]
        if chat_id is not None:
            sql, args = sql + " AND chat = ?", [key, self.hash_id(chat_id)]
        with self._lock:
            if self._db.execute(sql, args).fetchone() is None:
                return False
            self._db.execute(
                "INSERT INTO votes (key, user, vote, created) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (key, user) DO UPDATE SET vote = excluded.vote, created = excluded.created",
                (key, self.hash_id(user_id), value, time.time()),
            )
        return True

    def vote_counts(self, key: str) -> tuple[int, int]:
        """How many people gave an answer 👍 and 👎 (each person's latest vote)."""
        with self._lock:
            up, down = self._db.execute(
                "SELECT COALESCE(SUM(vote = 1), 0), COALESCE(SUM(vote = -1), 0) FROM votes WHERE key = ?", (key,)
            ).fetchone()
        return int(up), int(down)

    # --- lists -----------------------------------------------------------------------------------

    def save_list(self, kind: str, query: str, chat_id: int | None) -> str:
        """Remember what a list was asked for; its buttons carry the key returned."""
        key = new_key()
        with self._lock:
            self._db.execute("INSERT INTO lists (key, created, chat, kind, query) VALUES (?, ?, ?, ?, ?)",
                             (key, time.time(), self.hash_id(chat_id), kind, query))
        return key

    def load_list(self, key: str, kind: str, chat_id: int | None) -> str | None:
        """The query of the ``kind`` list under ``key``, when it was asked in ``chat_id``."""
        with self._lock:
            row = self._db.execute("SELECT query FROM lists WHERE key = ? AND kind = ? AND chat = ?",
                                   (key, kind, self.hash_id(chat_id))).fetchone()
        return row[0] if row else None

    # --- reminders -------------------------------------------------------------------------------

    def subscribe(self, chat_id: int, kind: str, query: str, days: int, lang: str) -> Subscription:
        """Remind ``chat_id`` of ``query``'s deadlines ``days`` ahead (subscribing again changes the days)."""
        with self._lock:
            self._db.execute(
                "INSERT INTO subscriptions (chat_id, kind, query, days, lang, created) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (chat_id, kind, query) DO UPDATE SET days = excluded.days, lang = excluded.lang",
                (chat_id, kind, query, days, lang, time.time()),
            )
        return next(s for s in self.subscriptions(chat_id) if (s.kind, s.query) == (kind, query))

    def subscriptions(self, chat_id: int | None = None) -> list[Subscription]:
        """A chat's subscriptions (every chat's with None), oldest first."""
        sql = "SELECT id, chat_id, kind, query, days, lang FROM subscriptions"
        args: tuple = ()
        if chat_id is not None:
            sql, args = sql + " WHERE chat_id = ?", (chat_id,)
        with self._lock:
            rows = self._db.execute(sql + " ORDER BY id", args).fetchall()
        return [Subscription(*row) for row in rows]

    def unsubscribe(self, chat_id: int) -> int:
        """End every subscription of a chat; how many there were."""
        with self._lock:
            ids = [i for (i,) in self._db.execute("SELECT id FROM subscriptions WHERE chat_id = ?", (chat_id,))]
            self._db.executemany("DELETE FROM reminded WHERE subscription = ?", [(i,) for i in ids])
            self._db.execute("DELETE FROM subscriptions WHERE chat_id = ?", (chat_id,))
        return len(ids)

    def claim_reminder(self, subscription: int, deadline: str, due: str) -> bool:
        """Mark a reminder sent; False when it already was (it must not go out twice)."""
        with self._lock:
            cur = self._db.execute(
                "INSERT OR IGNORE INTO reminded (subscription, deadline, due, sent) VALUES (?, ?, ?, ?)",
                (subscription, deadline, due, time.time()),
            )
        return cur.rowcount == 1

    def release_reminder(self, subscription: int, deadline: str, due: str) -> None:
        """Undo a claim whose message could not be sent, so the next check tries again."""
        with self._lock:
            self._db.execute("DELETE FROM reminded WHERE subscription = ? AND deadline = ? AND due = ?",
                             (subscription, deadline, due))

    def flagged_questions(self, limit: int = 50) -> list[FlaggedQuestion]:
        """Questions with a 👎 or with no answer found, most recently asked first."""
        query = """
            WITH v AS (
                SELECT key, SUM(vote < 0) AS down, SUM(vote > 0) AS up FROM votes GROUP BY key
            ),
            q AS (
                SELECT a.norm AS norm,
                       COUNT(*) AS asked,
                       SUM(a.found = 0) AS not_found,
                       COALESCE(SUM(v.down), 0) AS down,
                       COALESCE(SUM(v.up), 0) AS up,
                       MAX(a.created) AS last
                FROM answers a LEFT JOIN v ON v.key = a.key
                GROUP BY norm
                HAVING not_found > 0 OR down > 0
            )
            SELECT q.asked, q.not_found, q.down, q.up, q.last, a.question, a.answer, a.sources
            FROM q JOIN answers a ON a.norm = q.norm AND a.created = q.last
            GROUP BY q.norm
            ORDER BY q.last DESC
            LIMIT ?
        """
        with self._lock:
            rows = self._db.execute(query, (limit,)).fetchall()
        return [
            FlaggedQuestion(
                question=question,
                last_asked=last,
                asked=asked,
                not_found=not_found,
                down=down,
                up=up,
                last_answer=answer,
                last_sources=json.loads(sources),
            )
            for asked, not_found, down, up, last, question, answer, sources in rows
        ]

    def stats(self) -> StorageStats:
        with self._lock:
            chats = self._db.execute("SELECT COUNT(DISTINCT chat) FROM answers").fetchone()[0]
            answers, not_found = self._db.execute("SELECT COUNT(*), COALESCE(SUM(found = 0), 0) FROM answers").fetchone()
            up, down = self._db.execute(
                "SELECT COALESCE(SUM(vote > 0), 0), COALESCE(SUM(vote < 0), 0) FROM votes"
            ).fetchone()
        return StorageStats(chats, answers, not_found, up, down)


def normalize_question(text: str) -> str:
    """What makes two questions "the same" in the feedback report: case, accents' encoding, spaces."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _load_salt(path: Path) -> bytes:
    """The hashing salt, created once (readable by the owner only).

    Written to a temporary file first and linked into place (atomic, fails when another process
    made one first), so a crash never leaves an empty or partial salt behind; one left by an
    older version is replaced."""
    try:
        salt = path.read_bytes()
        if len(salt) >= _SALT_BYTES:
            return salt
    except FileNotFoundError:
        pass
    salt = secrets.token_bytes(_SALT_BYTES)
    tmp = path.with_name(f"{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(salt)
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            existing = path.read_bytes()
            if len(existing) >= _SALT_BYTES:  # another process created it first
                return existing
            os.replace(tmp, path)  # empty or cut short by a crash
    finally:
        tmp.unlink(missing_ok=True)
    return salt


_SALT_BYTES = 32
