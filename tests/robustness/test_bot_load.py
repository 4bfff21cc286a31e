"""The bot under load (scaled; the full 2,000-update run is bench/load_bot.py): every question
answered exactly once, per-chat order kept, Telegram's rate limits respected, nothing lost across a
restart in the middle; p95 latency reported."""

from __future__ import annotations

import asyncio

from .conftest import TALLY
from .load import run_load


def test_bursts_from_many_users_with_a_restart_in_the_middle(fast_engine, fake, tmp_path):
    result = asyncio.run(run_load(fast_engine, fake, tmp_path / "bot", updates=240, users=60, groups=1,
                                  group_questions=4, burst=60, timeout=120))
    print("\n" + result.summary())
    TALLY["bot updates processed under load (none lost, none twice)"] += result.updates
    TALLY[f"bot load p95 latency ms (last run, {result.updates} updates)"] = round(1000 * result.percentile(0.95))
    assert result.restarted_after > 0
    assert not result.problems(), result.problems()
