"""Baseline and regression gate: did a change make our own sets' figures worse?

``eval/baseline.json`` records, per tracked set and for the hybrid retriever, the tracked figures
below as flat keys ("overall.hit@5", "by_lang.zh.answer_acc"), plus a set's own EXTRA_TRACKED. A
set is named by its file in eval/sets, or by a path relative to the baseline file (unseen_dev:
"../../shared/data/unseen_dev", a corpus set beside the repository). ``check`` compares fresh
metrics with it: a figure that fell by more than the tolerance (0.02) — or rose, for
``false_abstain`` — is a regression, named in the message; a set whose file is missing here is
skipped, not failed. ``policyqa eval --check-baseline`` exits 1 on any regression; ``policyqa eval
--update-baseline`` rewrites the file after an intended change.
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
DEFAULT_SETS = ("dev.jsonl", "dev2.jsonl", "test.jsonl", "../../shared/data/unseen_dev")
# Figures tracked for one set beyond the common ones, by its label: unseen_dev's cross-lingual
# questions are the few that cross from the procedures to the laws and back.
EXTRA_TRACKED = {"unseen_dev": ("cross_lingual.hit@5",)}


def label(name: str) -> str:
    """A tracked set's short name for messages and EXTRA_TRACKED: its file or folder name."""
    return Path(name).name


def tracked(metrics: dict, extra: tuple[str, ...] = ()) -> dict[str, float]:
    """The tracked figures of one metrics.json (and the ``extra`` flat keys), as flat keys;
    figures with no question are left out."""
    out: dict[str, float] = {}
    for key in OVERALL:
        if metrics["overall"].get(key) is not None:
            out[f"overall.{key}"] = metrics["overall"][key]
    for lang, figures in sorted(metrics.get("by_lang", {}).items()):
        for key in PER_LANGUAGE:
            if figures.get(key) is not None:
                out[f"by_lang.{lang}.{key}"] = figures[key]
    for key in extra:
        if (value := lookup(metrics, key)) is not None:
            out[key] = value
    return out


def tracked_for(name: str, metrics: dict) -> dict[str, float]:
    """The figures the baseline records for set ``name``."""
    return tracked(metrics, EXTRA_TRACKED.get(label(name), ()))


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


def check(metrics_by_set: dict[str, dict], baseline: dict, *, skipped: tuple[str, ...] = ()) -> list[str]:
    """All regressions of fresh ``metrics_by_set`` (set name → metrics.json) against ``baseline``;
    the ``skipped`` sets (not found here) are not checked."""
    tolerance = baseline.get("tolerance", TOLERANCE)
    failures = []
    for set_name, figures in baseline["sets"].items():
        if set_name in skipped:
            continue
        if set_name not in metrics_by_set:
            failures.append(f"{set_name}: not evaluated")
            continue
        failures += regressions(set_name, metrics_by_set[set_name], figures, tolerance)
    return failures


def make(metrics_by_set: dict[str, dict], *, tolerance: float = TOLERANCE, kept: dict[str, dict] | None = None) -> dict:
    """A baseline file's content from fresh metrics; ``kept`` (set name → recorded figures) carries
    over the sets that could not be evaluated here."""
    return {
        "about": "Tracked figures of our own sets (eval/sets, and unseen_dev from ../shared/data), hybrid "
        "retriever. Checked by `policyqa eval --check-baseline` (fails when one falls by more than "
        "`tolerance`, or rises for false_abstain; skips a set not found here); rewritten by "
        "`policyqa eval --update-baseline` after an intended change.",
        "updated": dt.date.today().isoformat(),
        "retriever": RETRIEVER,
        "tolerance": tolerance,
        "sets": {name: tracked_for(name, m) for name, m in metrics_by_set.items()} | (kept or {}),
    }


def save(baseline: dict, path: Path = BASELINE_PATH) -> None:
    Path(path).write_text(json.dumps(baseline, ensure_ascii=False, indent=1) + "\n", "utf-8")


def set_paths(baseline_path: Path = BASELINE_PATH) -> dict[str, Path]:
    """The sets a baseline file tracks (DEFAULT_SETS when it does not exist yet).

    A name is a file in eval/sets, or a path relative to the baseline file (which may not exist
    here: the caller skips it)."""
    names = list(load(baseline_path)["sets"]) if Path(baseline_path).is_file() else list(DEFAULT_SETS)
    out = {}
    for name in names:
        path = SETS_DIR / name
        if not path.is_file():
            path = (Path(baseline_path).resolve().parent / name).resolve()
        out[name] = path
    return out
