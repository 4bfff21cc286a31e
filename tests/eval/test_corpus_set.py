"""QA sets that bring a corpus builder (questions.jsonl + make_corpus.py): the corpus built once into
the cache, whole or not at all, indexed apart, and the questions scored like a QA file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval import corpus_set
from eval.datasets import is_beir, is_corpus_set
from eval.metrics import QA_KEYS
from index.config import Settings
from ..conftest import HashingEmbedder

BUILDER = '''\
import pathlib, sys

out = pathlib.Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
(out / "vi-giay-phep.txt").write_text(
    "Thủ tục cấp giấy phép sử dụng vật liệu nổ công nghiệp\\n"
    "Thời hạn giải quyết: 15 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.\\n"
    "Lệ phí: 200.000 đồng mỗi giấy phép.\\n", encoding="utf-8")
(out / "zh-义务教育法.txt").write_text(
    "中华人民共和国义务教育法\\n"
    "第十一条 凡年满六周岁的儿童，其父母或者其他法定监护人应当送其入学接受并完成义务教育。\\n", encoding="utf-8")
with open(pathlib.Path(__file__).with_name("builds.txt"), "a", encoding="utf-8") as f:
    f.write("built\\n")  # one line per run of this builder
'''
QUESTIONS = [
    {"id": "d-1", "lang": "vi", "type": "deadline", "cross_lingual": False,
     "question": "Cấp giấy phép sử dụng vật liệu nổ công nghiệp giải quyết trong bao lâu?", "source": "vi-giay-phep.txt",
     "answers": ["15 ngày làm việc"], "evidence": ["Thời hạn giải quyết: 15 ngày làm việc"]},
    {"id": "d-2", "lang": "zh", "type": "eligibility", "cross_lingual": False,
     "question": "儿童年满几周岁应当入学接受义务教育？", "source": "zh-义务教育法.txt",
     "answers": ["六周岁"], "evidence": ["凡年满六周岁的儿童"]},
    {"id": "d-3", "lang": "vi", "type": "eligibility", "cross_lingual": True,
     "question": "Theo luật giáo dục bắt buộc của Trung Quốc, trẻ em đủ mấy tuổi phải đi học?", "source": "zh-义务教育法.txt",
     "answers": ["六周岁"], "evidence": ["凡年满六周岁的儿童"]},
]


def make_set(folder: Path, builder: str = BUILDER) -> Path:
    folder.mkdir(parents=True)
    (folder / "make_corpus.py").write_text(builder, "utf-8")
    (folder / "questions.jsonl").write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in QUESTIONS), "utf-8")
    return folder


def builds(folder: Path) -> int:
    counter = folder / "builds.txt"
    return len(counter.read_text("utf-8").splitlines()) if counter.exists() else 0


def test_a_folder_of_questions_and_builder_is_a_corpus_set(tmp_path: Path):
    folder = make_set(tmp_path / "tiny")
    assert is_corpus_set(folder) and not is_beir(folder)
    assert not is_corpus_set(folder / "questions.jsonl")
    (folder / "make_corpus.py").unlink()
    assert not is_corpus_set(folder)


def test_the_corpus_is_built_once_into_the_cache(tmp_path: Path):
    folder = make_set(tmp_path / "tiny")
    settings = Settings(cache_dir=tmp_path / "cache")
    corpus = corpus_set.build_corpus(folder, settings)
    assert corpus.parent == tmp_path / "cache" / "eval-corpora" and corpus.name.startswith("tiny-")
    assert sorted(p.name for p in corpus.iterdir()) == ["vi-giay-phep.txt", "zh-义务教育法.txt"]
    assert corpus_set.build_corpus(folder, settings) == corpus and builds(folder) == 1
    assert [p.name for p in corpus.parent.iterdir()] == [corpus.name]  # no temporary folder left

    # another builder (its bytes changed) writes another corpus
    (folder / "make_corpus.py").write_text(BUILDER + "# v2\n", "utf-8")
    assert corpus_set.build_corpus(folder, settings) != corpus and builds(folder) == 2


def test_a_failed_build_leaves_no_corpus_and_says_why(tmp_path: Path):
    failing = BUILDER + 'sys.exit("source missing: ../scale/vi_thutuc.jsonl")\n'  # writes its files, then fails
    folder = make_set(tmp_path / "broken", builder=failing)
    settings = Settings(cache_dir=tmp_path / "cache")
    with pytest.raises(corpus_set.CorpusBuildError, match=r"(?s)failed \(exit 1\).*source missing: \.\./scale"):
        corpus_set.build_corpus(folder, settings)
    assert list((tmp_path / "cache" / "eval-corpora").iterdir()) == []

    empty = make_set(tmp_path / "empty", builder="import sys\n")
    with pytest.raises(corpus_set.CorpusBuildError, match="wrote no file"):
        corpus_set.build_corpus(empty, settings)


def test_the_eval_command_reports_a_failed_build(tmp_path: Path, monkeypatch, capsys):
    from policyqa.cli import main

    monkeypatch.setenv("POLICYQA_CACHE", str(tmp_path / "cache"))
    folder = make_set(tmp_path / "broken", builder='raise SystemExit("cannot read the sources")\n')
    assert main(["eval", "--dataset", str(folder), "--out", str(tmp_path / "out"), "-q"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("policyqa: ") and "make_corpus.py failed (exit 1)" in err and "cannot read the sources" in err


def test_a_corpus_set_is_evaluated_over_its_own_corpus_and_index(tmp_path: Path, monkeypatch):
    """End to end through evaluate (hashing vectors: the plumbing, not the model): built and indexed
    once, apart from the bundled index, scored like a QA file."""
    from eval import harness

    folder = make_set(tmp_path / "tiny_set")
    bundled = tmp_path / "bundled-index"
    settings = Settings(cache_dir=tmp_path / "cache", index_dir=bundled, model=HashingEmbedder.name)
    top = harness.evaluate(folder, tmp_path / "out", settings=settings, embedder=HashingEmbedder(), progress=False)

    assert not bundled.exists()
    (index_dir,) = (tmp_path / "cache" / "eval-indexes").iterdir()
    assert index_dir.name.startswith("tiny_set-") and builds(folder) == 1
    assert top["dataset"] == str(folder) and top["retriever"] == "hybrid" and top["n"] == 3
    assert set(top["overall"]) == {"n", *QA_KEYS}
    assert top["overall"]["hit@10"] == 1.0 and top["overall"]["doc_recall@5"] == 1.0  # two short documents
    assert top["by_lang"]["vi"]["n"] == 2 and top["by_lang"]["zh"]["n"] == 1
    assert top["cross_lingual"]["n"] == 1 and top["by_type"]["eligibility"]["n"] == 2
    results = [json.loads(line) for line in (tmp_path / "out" / "results.jsonl").read_text("utf-8").splitlines()]
    assert [r["id"] for r in results] == ["d-1", "d-2", "d-3"]
    assert {p["source"] for r in results for p in r["passages"]} == {"vi-giay-phep.txt", "zh-义务教育法.txt"}
    report = (tmp_path / "out" / "report.md").read_text("utf-8")
    assert "make_corpus.py" in report and str(index_dir) in report

    # a second run neither builds the corpus nor indexes it again
    def no_build(*a, **k):
        raise AssertionError("the cached corpus index should have been reused")

    monkeypatch.setattr("index.engine.Engine.build", no_build)
    again = harness.evaluate(folder, tmp_path / "out2", settings=settings, embedder=HashingEmbedder(), progress=False)
    assert builds(folder) == 1 and again["overall"] == top["overall"]


def test_the_questions_file_with_corpus_and_index_still_works(tmp_path: Path):
    """The set's questions.jsonl given as a QA file over a corpus built by hand (--corpus/--index)."""
    from eval import harness

    folder = make_set(tmp_path / "tiny_set")
    corpus = corpus_set.build_corpus(folder, Settings(cache_dir=tmp_path / "built"))
    settings = Settings(cache_dir=tmp_path / "cache", corpus_dir=corpus, index_dir=tmp_path / "index",
                        model=HashingEmbedder.name)
    top = harness.evaluate(folder / "questions.jsonl", tmp_path / "out", settings=settings,
                           embedder=HashingEmbedder(), progress=False)
    assert top["n"] == 3 and top["overall"]["hit@10"] == 1.0
    assert (tmp_path / "index").is_dir() and not (tmp_path / "cache" / "eval-indexes").exists()


@pytest.mark.slow
def test_a_corpus_set_with_the_real_model(tmp_path: Path):
    from eval.harness import evaluate
    from index.embedding import Embedder

    folder = make_set(tmp_path / "tiny_set")
    settings = Settings(cache_dir=tmp_path / "cache", index_dir=tmp_path / "bundled-index")
    embedder = Embedder.from_settings(Settings())  # the converted model in the real cache
    top = evaluate(folder, tmp_path / "out", settings=settings, embedder=embedder, progress=False)
    assert top["by_lang"]["zh"]["hit@1"] == 1.0 and top["by_lang"]["zh"]["answer_acc"] == 1.0
    assert top["overall"]["hit@5"] == 1.0
