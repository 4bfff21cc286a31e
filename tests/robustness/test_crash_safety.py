"""Crash safety: builds killed with SIGKILL at random points leave the previous index loadable and
answering; a reader during a reindex always sees a complete index; the bot's SQLite store keeps
every committed row across kills.

The children are forked from a forkserver that has the modules imported, so a run costs a fork
and the kill lands inside the build itself (parse, embed, write, fsync, rename, swap, clean-up),
not in Python's start-up.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import random
import signal
import sqlite3
import threading
import time

import pytest

from index import store
from index.build import build_index
from index.engine import Engine

from ..conftest import HashingEmbedder
from . import _workers
from .conftest import TALLY

KILL_RUNS = int(os.environ.get("POLICYQA_KILL_RUNS", "32"))
STORE_KILL_RUNS = int(os.environ.get("POLICYQA_STORE_KILL_RUNS", "15"))
QUESTION = "Hồ sơ đề nghị khen thưởng gửi chậm nhất khi nào?"


@pytest.fixture(scope="module")
def ctx():
    context = mp.get_context("forkserver")
    context.set_forkserver_preload(_workers.PRELOAD)
    return context


def _check_complete(settings) -> store.StoredIndex:
    """The current index loads, is internally complete, and an engine over it answers."""
    stored = store.load(settings.index_dir, settings.index_signature())
    assert len(stored.chunks) == stored.manifest["chunks"] == len(stored.vectors)
    assert set(stored.documents) == set(stored.manifest["documents"])
    assert {c.doc_id for c in stored.chunks} <= set(stored.documents)
    engine = Engine(settings, embedder=HashingEmbedder())
    engine.reload()
    answer = engine.ask(QUESTION)
    assert answer.text.strip()
    return stored


def _touch_corpus(settings, n: int) -> None:
    """Change one document, so a build that gets through has something new to publish."""
    path = sorted(settings.corpus_dir.glob("*.txt"))[n % 2]
    with path.open("a", encoding="utf-8") as f:
        f.write(f"\nĐiều bổ sung {n}: hồ sơ gửi về Sở trước ngày {n % 28 + 1}/12.\n")


def test_builds_killed_at_random_points_leave_a_loadable_index(fast_settings, ctx):
    settings = fast_settings
    build_index(settings, embedder=HashingEmbedder(), progress=False)
    first = _check_complete(settings)

    # how long a build takes in a child, from its start signal to its exit: the kills are spread
    # over that span (and a bit past it). Timed from the signal, not from start(): the first start()
    # also launches the forkserver and its imports, which made the span several builds long and
    # let most "kills" land after the build had finished. The median of three damps a slow one.
    spans = []
    for n in range(3):
        _touch_corpus(settings, -1 - n)
        started = ctx.Event()
        child = ctx.Process(target=_workers.build, args=(settings, started))
        child.start()
        assert started.wait(60)
        t = time.perf_counter()
        child.join(120)
        spans.append(time.perf_counter() - t)
        assert child.exitcode == 0
    span = sorted(spans)[1]

    rng = random.Random(20261121)
    kills, published, previous_kept = 0, 0, 0
    for n in range(KILL_RUNS):
        before = store.current_build(settings.index_dir)
        _touch_corpus(settings, n)
        started = ctx.Event()
        child = ctx.Process(target=_workers.build, args=(settings, started))
        child.start()
        assert started.wait(30)
        time.sleep(rng.uniform(0, 1.1 * span))
        if child.is_alive():
            os.kill(child.pid, signal.SIGKILL)
        child.join(30)
        if child.exitcode == -signal.SIGKILL:
            kills += 1
        stored = _check_complete(settings)
        if stored.path == before:
            previous_kept += 1
        else:
            published += 1
    TALLY["builds killed with SIGKILL (index still loaded and answered)"] += kills
    assert kills >= KILL_RUNS * 0.5, f"only {kills} of {KILL_RUNS} runs were killed mid-build"
    assert previous_kept >= 1  # some kills landed before the swap …

    # the next build finishes and clears what the killed ones left behind
    build_index(settings, embedder=HashingEmbedder(), progress=False)
    builds = settings.index_dir / "builds"
    assert not list(builds.glob("*.tmp")) and not list(settings.index_dir.glob("current.*.tmp"))
    assert len([p for p in builds.iterdir() if p.is_dir()]) <= store.KEEP_BUILDS + 1
    final = _check_complete(settings)
    assert final.path != first.path
    print(f"\n{KILL_RUNS} runs: {kills} killed, {previous_kept} kept the previous build, {published} published")


def test_a_reader_during_reindex_always_sees_a_complete_index(fast_settings):
    settings = fast_settings
    build_index(settings, embedder=HashingEmbedder(), progress=False)
    reader_engine = Engine(settings, embedder=HashingEmbedder())
    reader_engine.reload()
    stop = threading.Event()
    errors: list[str] = []
    reads = 0

    def reader():
        nonlocal reads
        while not stop.is_set():
            try:
                _check_complete(settings)
                reader_engine.reload()
                assert reader_engine.ask(QUESTION).text.strip()
                reads += 1
            except Exception as e:  # noqa: BLE001 (any failure is the finding)
                errors.append(repr(e))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for n in range(10):
            _touch_corpus(settings, n)
            build_index(settings, embedder=HashingEmbedder(), progress=False)
    finally:
        stop.set()
        thread.join(60)
    TALLY["complete index loads during reindexing (concurrent reader)"] += reads
    assert not errors, errors[:5]
    assert reads >= 10


def test_store_load_retries_when_its_build_is_collected_under_it(fast_settings, monkeypatch):
    """The race behind the reader test, made certain: the build `current` pointed to is removed
    (two newer builds published, so garbage-collected) between resolving the link and reading."""
    settings = fast_settings
    build_index(settings, embedder=HashingEmbedder(), progress=False)
    real_current = store.current_build
    calls = {"n": 0}

    def current_then_rebuilt(index_dir):
        found = real_current(index_dir)
        calls["n"] += 1
        if calls["n"] == 1:
            for n in range(2):
                _touch_corpus(settings, n)
                build_index(settings, embedder=HashingEmbedder(), progress=False)
            assert not found.exists()
        return found

    monkeypatch.setattr(store, "current_build", current_then_rebuilt)
    stored = store.load(settings.index_dir, settings.index_signature())
    assert stored.path == real_current(settings.index_dir)


def test_bot_store_keeps_every_committed_row_across_kills(tmp_path, ctx):
    from bot.storage import Storage

    db = tmp_path / "bot" / "bot.sqlite3"
    rng = random.Random(7)
    total = 0
    for run in range(STORE_KILL_RUNS):
        start = run * 1_000_000
        committed = ctx.Value("q", 0, lock=False)
        started = ctx.Event()
        child = ctx.Process(target=_workers.write_store, args=(str(db), start, committed, started))
        child.start()
        started.wait(30)
        time.sleep(rng.uniform(0, 0.4))
        os.kill(child.pid, signal.SIGKILL)
        child.join(30)
        n = committed.value
        total += n
        with sqlite3.connect(db) as con:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            counts = [con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in ("answers", "votes", "chats")]
        # everything committed is there; beyond it at most the row each killed writer had in flight
        assert all(total <= c <= total + run + 1 for c in counts), (total, counts)
        storage = Storage(db)
        for i in rng.sample(range(start, start + n), min(n, 20)):
            record = storage.load_answer(f"key{i:010d}")
            assert record is not None and record.question == f"Hỏi {i}"
            assert storage.chat_settings(i).lang == ("zh" if i % 2 else "vi")
        storage.close()
    assert total > 0
    assert len((db.parent / "salt").read_bytes()) == 32
    TALLY["bot store writers killed with SIGKILL (all committed rows kept)"] += STORE_KILL_RUNS
    TALLY["bot store rows committed by killed writers (all found)"] += total


def test_an_empty_salt_left_by_a_crash_is_replaced(tmp_path):
    from bot.storage import Storage

    (tmp_path / "salt").write_bytes(b"")
    storage = Storage(tmp_path / "bot.sqlite3")
    assert len((tmp_path / "salt").read_bytes()) == 32
    assert storage.hash_id(1) == Storage(tmp_path / "bot.sqlite3").hash_id(1)
