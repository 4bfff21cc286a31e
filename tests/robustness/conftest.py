"""Shared helpers for the robustness tests: a per-call time limit and a tally of inputs tried."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections import Counter

import pytest

TALLY: Counter = Counter()  # what each robustness test tried, printed at the end of the run


class TookTooLong(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds: float):
    """Fail the block if it runs longer than ``seconds`` (SIGALRM; main thread only, else no-op)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def _raise(signum, frame):
        raise TookTooLong(f"took longer than {seconds} s")

    old = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def pytest_terminal_summary(terminalreporter):
    if TALLY:
        terminalreporter.write_sep("-", "robustness figures")
        for name, n in sorted(TALLY.items()):
            terminalreporter.write_line(f"{name}: {n}")


@pytest.fixture
def tally():
    return TALLY


@pytest.fixture(scope="session")
def fast_engine(tmp_path_factory):
    """An Engine over the bundled corpus with the hashing embedder: the plumbing without the model,
    so the robustness tests measure the code around the engine, not the engine."""
    from index.config import REPO_ROOT, Settings
    from index.engine import Engine

    from ..conftest import HashingEmbedder

    root = tmp_path_factory.mktemp("fast-engine")
    settings = Settings().with_(corpus_dir=REPO_ROOT / "corpus", index_dir=root / "index", cache_dir=root / "cache",
                                model=HashingEmbedder.name)
    engine = Engine(settings, embedder=HashingEmbedder())
    engine.build(progress=False)
    return engine


@pytest.fixture
def fake():
    from tests.bot.harness import TOKEN

    from .load import BusyFakeTelegram

    with BusyFakeTelegram(TOKEN) as server:
        yield server
