"""The regression gate: a tracked figure made worse on purpose fails the check, naming the figure."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from eval import baseline
from eval.metrics import QA_KEYS


def _group(**figures):
    g = {"n": 30, **{k: None for k in QA_KEYS}}
    g.update(figures)
    return g


METRICS = {
    "dataset": "eval/sets/dev.jsonl",
    "retriever": "hybrid",
    "n": 60,
    "overall": _group(**{"hit@5": 0.95, "mrr@10": 0.85, "answer_acc": 0.88, "abstain_ok": 0.85, "false_abstain": 0.03}),
    "by_lang": {
        "vi": _group(**{"hit@5": 0.96, "answer_acc": 0.9}),
        "zh": _group(**{"hit@5": 0.93, "answer_acc": 0.85}),
    },
    "by_type": {},
    "cross_lingual": _group(),
}


def _worse(key: str, delta: float) -> dict:
    m = copy.deepcopy(METRICS)
    node = m
    *path, name = key.split(".")
    for part in path:
        node = node[part]
    node[name] = round(node[name] + delta, 4)
    return m


def test_tracked_figures():
    t = baseline.tracked(METRICS)
    assert t == {
        "overall.hit@5": 0.95, "overall.mrr@10": 0.85, "overall.answer_acc": 0.88,
        "overall.abstain_ok": 0.85, "overall.false_abstain": 0.03,
        "by_lang.vi.hit@5": 0.96, "by_lang.vi.answer_acc": 0.9,
        "by_lang.zh.hit@5": 0.93, "by_lang.zh.answer_acc": 0.85,
    }


def test_unchanged_figures_pass():
    base = baseline.make({"dev.jsonl": METRICS})
    assert base["tolerance"] == 0.02 and base["retriever"] == "hybrid"
    assert baseline.check({"dev.jsonl": METRICS}, base) == []


@pytest.mark.parametrize("key", ["overall.hit@5", "overall.answer_acc", "overall.abstain_ok", "by_lang.zh.hit@5"])
def test_a_figure_lowered_by_005_fails_naming_it(key):
    base = baseline.make({"dev.jsonl": METRICS})
    failures = baseline.check({"dev.jsonl": _worse(key, -0.05)}, base)
    assert len(failures) == 1
    assert failures[0].startswith(f"dev.jsonl: {key} fell from")


def test_false_abstain_is_worse_when_it_rises():
    base = baseline.make({"dev.jsonl": METRICS})
    failures = baseline.check({"dev.jsonl": _worse("overall.false_abstain", +0.05)}, base)
    assert len(failures) == 1 and "overall.false_abstain rose from 0.030 to 0.080" in failures[0]
    assert baseline.check({"dev.jsonl": _worse("overall.false_abstain", -0.03)}, base) == []


def test_small_drops_and_improvements_pass():
    base = baseline.make({"dev.jsonl": METRICS})
    assert baseline.check({"dev.jsonl": _worse("overall.hit@5", -0.02)}, base) == []  # within tolerance
    assert baseline.check({"dev.jsonl": _worse("overall.mrr@10", +0.1)}, base) == []


def test_a_missing_set_or_figure_fails():
    base = baseline.make({"dev.jsonl": METRICS, "test.jsonl": METRICS})
    assert baseline.check({"dev.jsonl": METRICS}, base) == ["test.jsonl: not evaluated"]
    gone = copy.deepcopy(METRICS)
    del gone["by_lang"]["zh"]
    failures = baseline.check({"dev.jsonl": gone, "test.jsonl": METRICS}, base)
    assert any("by_lang.zh.hit@5 is missing" in f for f in failures)


def test_the_shipped_baseline_tracks_our_sets():
    shipped = baseline.load()
    assert set(shipped["sets"]) == set(baseline.DEFAULT_SETS) and shipped["retriever"] == "hybrid"
    for figures in shipped["sets"].values():
        assert {"overall.hit@5", "overall.mrr@10", "overall.answer_acc", "overall.abstain_ok", "overall.false_abstain",
                "by_lang.vi.hit@5", "by_lang.zh.hit@5", "by_lang.vi.answer_acc", "by_lang.zh.answer_acc"} <= set(figures)
    assert "cross_lingual.hit@5" in shipped["sets"]["../../shared/data/unseen_dev"]
    paths = baseline.set_paths()
    assert {p.name for p in paths.values()} == {"dev.jsonl", "dev2.jsonl", "test.jsonl", "unseen_dev"}
    # beside the repository, as in CI's fresh clone with ../shared next to it
    assert paths["../../shared/data/unseen_dev"] == (baseline.BASELINE_PATH.parents[2] / "shared" / "data" / "unseen_dev").resolve()


def test_a_sets_own_figures_are_tracked_too():
    metrics = copy.deepcopy(METRICS) | {"cross_lingual": _group(**{"hit@5": 0.4})}
    assert "cross_lingual.hit@5" not in baseline.tracked_for("dev.jsonl", metrics)
    assert baseline.tracked_for("../../shared/data/unseen_dev", metrics)["cross_lingual.hit@5"] == 0.4
    base = baseline.make({"../../shared/data/unseen_dev": metrics})
    worse = copy.deepcopy(metrics)
    worse["cross_lingual"]["hit@5"] = 0.3
    assert baseline.check({"../../shared/data/unseen_dev": worse}, base) == [
        "../../shared/data/unseen_dev: cross_lingual.hit@5 fell from 0.400 to 0.300 (-0.100, tolerance 0.02)"
    ]


def test_a_skipped_set_is_not_failed_and_keeps_its_figures():
    base = baseline.make({"dev.jsonl": METRICS, "../../shared/data/unseen_dev": METRICS})
    assert baseline.check({"dev.jsonl": METRICS}, base, skipped=("../../shared/data/unseen_dev",)) == []
    recorded = base["sets"]["../../shared/data/unseen_dev"]
    updated = baseline.make({"dev.jsonl": METRICS}, kept={"../../shared/data/unseen_dev": recorded})
    assert updated["sets"]["../../shared/data/unseen_dev"] == recorded and set(updated["sets"]) == set(base["sets"])
    assert baseline.label("../../shared/data/unseen_dev") == "unseen_dev" and baseline.label("dev.jsonl") == "dev.jsonl"


def test_the_gate_evaluates_a_corpus_set_apart_and_skips_a_missing_one(tmp_path: Path, monkeypatch, capsys):
    """Through the CLI (hashing vectors: the plumbing, not the model): a plain QA file over the
    bundled corpus, a corpus set over its own, and a set not found here, skipped with a message."""
    from index.embedding import Embedder
    from policyqa.cli import main

    from ..conftest import HashingEmbedder
    from .test_corpus_set import builds, make_set

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "plan.txt").write_text("Kế hoạch khen thưởng\nHồ sơ đề nghị khen thưởng gửi chậm nhất ngày 30/12 hằng năm.\n", "utf-8")
    for name, value in {"POLICYQA_CACHE": tmp_path / "cache", "POLICYQA_CORPUS": corpus,
                        "POLICYQA_INDEX": tmp_path / "index", "POLICYQA_MODEL": HashingEmbedder.name}.items():
        monkeypatch.setenv(name, str(value))
    monkeypatch.setattr(Embedder, "from_settings", classmethod(lambda cls, settings: HashingEmbedder()))
    sets = tmp_path / "repo" / "eval"
    sets.mkdir(parents=True)
    question = {"id": "p-1", "lang": "vi", "type": "deadline", "cross_lingual": False,
                "question": "Hồ sơ đề nghị khen thưởng gửi chậm nhất khi nào?", "source": "plan.txt",
                "answers": ["30/12"], "evidence": ["chậm nhất ngày 30/12"]}
    (sets / "plain.jsonl").write_text(json.dumps(question, ensure_ascii=False) + "\n", "utf-8")
    unseen = make_set(tmp_path / "shared" / "data" / "unseen_dev")
    path = sets / "baseline.json"
    missing = {"overall.hit@5": 0.5}
    path.write_text(json.dumps({"sets": {"plain.jsonl": {}, "../../shared/data/unseen_dev": {},
                                         "../../nowhere/other_set": missing}}), "utf-8")
    runs = tmp_path / "runs"

    assert main(["eval", "--update-baseline", "--baseline", str(path), "--out", str(runs), "-q"]) == 0
    out = capsys.readouterr().out
    assert f"other_set: skipped ({tmp_path / 'nowhere' / 'other_set'} not found)" in out
    recorded = json.loads(path.read_text("utf-8"))["sets"]
    assert recorded["../../nowhere/other_set"] == missing  # kept as it was
    assert "overall.hit@5" in recorded["plain.jsonl"] and "cross_lingual.hit@5" in recorded["../../shared/data/unseen_dev"]
    assert (runs / "plain" / "metrics.json").is_file() and (runs / "unseen_dev" / "metrics.json").is_file()
    # the bundled corpus's index for the plain file; the corpus set's own, in the cache
    assert (tmp_path / "index").is_dir()
    assert [p.name.split("-")[0] for p in (tmp_path / "cache" / "eval-indexes").iterdir()] == ["unseen_dev"]

    assert main(["eval", "--check-baseline", "--baseline", str(path), "--out", str(runs), "-q"]) == 0
    out = capsys.readouterr().out
    assert "other_set: skipped (" in out and "baseline check passed" in out and "skipped: other_set" in out
    assert builds(unseen) == 1


@pytest.mark.slow
def test_check_baseline_through_the_cli_fails_on_a_tampered_baseline(tmp_path: Path, capsys):
    """End to end on the real engine and eval/sets/dev.jsonl: record, make one figure look better
    than reality, and the gate exits 1 naming it (and nothing else)."""
    from policyqa.cli import main

    path = tmp_path / "baseline.json"
    path.write_text(json.dumps({"sets": {"dev.jsonl": {}}}), "utf-8")
    assert main(["eval", "--update-baseline", "--baseline", str(path), "--out", str(tmp_path / "runs"), "-q"]) == 0
    recorded = json.loads(path.read_text("utf-8"))["sets"]["dev.jsonl"]
    assert "overall.hit@5" in recorded and (tmp_path / "runs" / "dev" / "metrics.json").is_file()

    tampered = json.loads(path.read_text("utf-8"))
    tampered["sets"]["dev.jsonl"]["overall.hit@5"] = recorded["overall.hit@5"] + 0.05
    path.write_text(json.dumps(tampered), "utf-8")
    capsys.readouterr()
    assert main(["eval", "--check-baseline", "--baseline", str(path), "--out", str(tmp_path / "runs"), "-q"]) == 1
    err = capsys.readouterr().err
    regressions = [line for line in err.splitlines() if line.startswith("REGRESSION")]
    assert len(regressions) == 1 and "dev.jsonl: overall.hit@5 fell from" in regressions[0]
