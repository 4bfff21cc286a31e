"""Code that runs in child processes the crash tests kill with SIGKILL (started through a
forkserver that has these modules imported already, so each child costs a fork, not an import)."""

from __future__ import annotations

import os
from pathlib import Path

PRELOAD = ["index.build", "index.engine", "index.store", "bot.storage", "tests.conftest", "tests.robustness._workers"]


def build(settings, started, rebuild: bool = True) -> None:
    """One full index build with the hashing embedder; ``started`` is set once it begins."""
    from index.build import build_index
    from tests.conftest import HashingEmbedder

    started.set()
    build_index(settings, embedder=HashingEmbedder(), rebuild=rebuild, progress=False)


def write_store(db_path: str, start: int, committed, started, rows: int = 100_000) -> None:
    """Answers, votes and chat settings into the bot's SQLite store, as fast as it goes;
    rows are numbered from ``start``; ``committed`` holds how many are known to be committed
    (each call commits)."""
    from bot.answers import AnswerRecord, CitedPassage
    from bot.storage import Storage

    storage = Storage(Path(db_path))
    started.set()
    for i in range(start, start + rows):
        key = f"key{i:010d}"
        cited = [CitedPassage("d.txt", "T", None, None, "II. Mục", "quote", None, "passage")]
        storage.save_answer(AnswerRecord(key, f"Hỏi {i}", "vi", "other", True, "answer", cited), i, i)
        storage.vote(key, i, "up" if i % 2 else "down")
        storage.set_chat_lang(i, "zh" if i % 2 else "vi")
        committed.value = i - start + 1  # all three writes above have returned: committed
    os._exit(0)
