"""Baseline and regression gate: did a change make our own sets' figures worse?

``eval/baseline.json`` records, per set of eval/sets (by file name) and for the hybrid retriever,
the tracked figures below as flat keys ("overall.hit@5", "by_lang.zh.answer_acc"). ``check``
compares fresh metrics with it: a figure that fell by more than the tolerance (0.02) — or rose,
for ``false_abstain`` — is a regression, named in the message. ``policyqa eval --check-baseline``
exits 1 on any; ``policyqa eval --update-baseline`` rewrites the file after an intended change.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from .datasets import SETS_DIR

BASELINE_PATH = Path(__file__).resolve().parent / "baseline.json"
TOLERANCE = 0.02
RETRIEVER = "hybrid"
OVERALL = ("hit@5", "mrr@10", "answer_acc", "abstain_ok", "false_abstain")
PER_LANGUAGE = ("hit@5", "answer_acc")
LOWER_IS_BETTER = {"false_abstain"}
DEFAULT_SETS = ("dev.jsonl", "dev2.jsonl", "test.jsonl")


def tracked(metrics: dict) -> dict[str, float]:
    """The tracked figures of one metrics.json, as flat keys; figures with no question are left out."""
    out: dict[str, float] = {}
    for key in OVERALL:
        if metrics["overall"].get(key) is not None:
            out[f"overall.{key}"] = metrics["overall"][key]
    for lang, figures in sorted(metrics.get("by_lang", {}).items()):
        for key in PER_LANGUAGE:
            if figures.get(key) is not None:
                out[f"by_lang.{lang}.{key}"] = figures[key]
    return out


def lookup(metrics: dict, flat_key: str) -> float | None:
    """metrics["by_lang"]["zh"]["hit@5"] for "by_lang.zh.hit@5" (None when absent)."""
    node = metrics
    for part in flat_key.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def regressions(set_name: str, metrics: dict, baseline: dict[str, float], tolerance: float = TOLERANCE) -> list[str]:
    """One message per tracked figure of ``set_name`` that got worse than ``baseline`` by more than ``tolerance``."""
    failures = []
    for key, base in sorted(baseline.items()):
        now = lookup(metrics, key)
        metric = key.split(".")[-1]
        if now is None:
            failures.append(f"{set_name}: {key} is missing (baseline {base:.3f})")
            continue
        worse = now - base if metric in LOWER_IS_BETTER else base - now
        if worse > tolerance + 1e-9:
            direction = "rose" if metric in LOWER_IS_BETTER else "fell"
            failures.append(f"{set_name}: {key} {direction} from {base:.3f} to {now:.3f} ({now - base:+.3f}, tolerance {tolerance})")
    return failures


def load(path: Path = BASELINE_PATH) -> dict:
    return json.loads(Path(path).read_text("utf-8"))


def check(metrics_by_set: dict[str, dict], baseline: dict) -> list[str]:
    """All regressions of fresh ``metrics_by_set`` (set name → metrics.json) against ``baseline``."""
    tolerance = baseline.get("tolerance", TOLERANCE)
    failures = []
    for set_name, figures in baseline["sets"].items():
        if set_name not in metrics_by_set:
            failures.append(f"{set_name}: not evaluated")
            continue
        failures += regressions(set_name, metrics_by_set[set_name], figures, tolerance)
    return failures


def make(metrics_by_set: dict[str, dict], *, tolerance: float = TOLERANCE) -> dict:
    """A baseline file's content from fresh metrics."""
    return {
        "about": "Tracked figures of our own sets (eval/sets), hybrid retriever. Checked by "
        "`policyqa eval --check-baseline` (fails when one falls by more than `tolerance`, or rises "
        "for false_abstain); rewritten by `policyqa eval --update-baseline` after an intended change.",
        "updated": dt.date.today().isoformat(),
        "retriever": RETRIEVER,
        "tolerance": tolerance,
        "sets": {name: tracked(m) for name, m in metrics_by_set.items()},
    }


def save(baseline: dict, path: Path = BASELINE_PATH) -> None:
    Path(path).write_text(json.dumps(baseline, ensure_ascii=False, indent=1) + "\n", "utf-8")


def set_paths(baseline_path: Path = BASELINE_PATH) -> dict[str, Path]:
    """The sets a baseline file tracks (DEFAULT_SETS when it does not exist yet).

    A name is a file in eval/sets, or a path relative to the baseline file."""
    names = list(load(baseline_path)["sets"]) if Path(baseline_path).is_file() else list(DEFAULT_SETS)
    out = {}
    for name in names:
        path = SETS_DIR / name
        if not path.is_file():
            path = Path(baseline_path).resolve().parent / name
        out[name] = path
    return out
