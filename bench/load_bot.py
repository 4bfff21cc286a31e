"""The bot under load, full size: 2,000 updates from 300 users (plus two groups) in bursts against
the Bot API stand-in, with a restart in the middle; prints the figures and any problem.

Every question must be answered exactly once, in order within its chat, with Telegram's limits
kept (30 messages/s overall, 1/s per private chat, 20/min per group, as leaky buckets); the engine
is the hashing embedder over the bundled corpus, so this measures the bot, not the model. The
default suite runs a scaled version (tests/robustness/test_bot_load.py).

    .venv/bin/python bench/load_bot.py [--updates 2000 --users 300 --burst 100]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from index.config import Settings  # noqa: E402
from index.engine import Engine  # noqa: E402
from tests.bot.harness import TOKEN  # noqa: E402
from tests.conftest import HashingEmbedder  # noqa: E402
from tests.robustness.load import BusyFakeTelegram, run_load  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--updates", type=int, default=2000)
    ap.add_argument("--users", type=int, default=300)
    ap.add_argument("--groups", type=int, default=2)
    ap.add_argument("--burst", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        settings = Settings().with_(corpus_dir=REPO / "corpus", index_dir=root / "index", cache_dir=root / "cache",
                                    model=HashingEmbedder.name)
        engine = Engine(settings, embedder=HashingEmbedder())
        engine.build(progress=False)
        with BusyFakeTelegram(TOKEN) as fake:
            result = asyncio.run(run_load(engine, fake, root / "bot", updates=args.updates, users=args.users,
                                          groups=args.groups, burst=args.burst, seed=args.seed, timeout=900))
    print(result.summary())
    problems = result.problems()
    for p in problems:
        print("PROBLEM:", p)
    print("OK: every question answered exactly once, in order, within the limits" if not problems else "FAILED")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
