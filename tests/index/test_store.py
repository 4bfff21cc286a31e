import json
import os

import pytest

from index import store
from index.build import build_index
from index.engine import Engine
from tests.conftest import HashingEmbedder


def test_build_writes_a_complete_index_with_manifest(fast_settings):
    report = build_index(fast_settings, embedder=HashingEmbedder(), progress=False)
    assert report.documents == 5 and report.chunks > 50 and not report.skipped
    manifest = store.read_manifest(fast_settings.index_dir)
    assert manifest["settings"]["model"] == HashingEmbedder.name
    assert set(manifest["documents"]) == {p.name for p in fast_settings.corpus_dir.iterdir()}
    assert all(len(d["sha256"]) == 64 for d in manifest["documents"].values())
    loaded = store.load(fast_settings.index_dir, fast_settings.index_signature())
    assert len(loaded.chunks) == len(loaded.dense) == report.chunks


def test_rebuild_reembeds_only_changed_documents(fast_settings):
    embedder = HashingEmbedder()
    first = build_index(fast_settings, embedder=embedder, progress=False)
    second = build_index(fast_settings, embedder=embedder, progress=False)
    assert second.reused_documents == 5 and second.embedded == 0

    changed = fast_settings.corpus_dir / "001_3219cb14693d0162.txt"
    changed.write_text(changed.read_text("utf-8") + "\nPhụ lục mới: Sở Y tế báo cáo trước ngày 15/12 hằng năm.\n", "utf-8")
    third = build_index(fast_settings, embedder=embedder, progress=False)
    assert third.reused_documents == 4
    assert 0 < third.embedded < first.chunks / 3  # only the edited plan's new or changed passages


def test_a_crash_while_writing_leaves_the_previous_index_readable(fast_settings, monkeypatch):
    build_index(fast_settings, embedder=HashingEmbedder(), progress=False)
    before = store.current_build(fast_settings.index_dir)

    def crash(*args, **kwargs):
        raise KeyboardInterrupt("killed while writing vectors")

    monkeypatch.setattr(store.np, "save", crash)
    with pytest.raises(KeyboardInterrupt):
        build_index(fast_settings, embedder=HashingEmbedder(), progress=False, rebuild=True)
    monkeypatch.undo()

    assert store.current_build(fast_settings.index_dir) == before
    engine = Engine(fast_settings, embedder=HashingEmbedder())
    engine.reload()
    assert engine.ask("Hồ sơ đề nghị khen thưởng gửi chậm nhất khi nào?").hits
    # the half-written folder is cleaned up by the next successful build
    build_index(fast_settings, embedder=HashingEmbedder(), progress=False)
    assert not list((fast_settings.index_dir / "builds").glob("*.tmp"))


def test_index_built_with_another_model_is_refused_with_how_to_rebuild(fast_settings):
    build_index(fast_settings, embedder=HashingEmbedder(), progress=False)
    other = fast_settings.with_(model="some/other-model")
    with pytest.raises(store.IndexMismatchError) as err:
        store.load(other.index_dir, other.index_signature())
    assert "some/other-model" in str(err.value) and "policyqa build --rebuild" in str(err.value)


def test_missing_index_says_how_to_build(tmp_path):
    with pytest.raises(store.IndexMissingError, match="policyqa build"):
        store.load(tmp_path / "nothing")


def test_old_builds_are_collected_but_the_previous_one_is_kept(fast_settings):
    for _ in range(4):
        build_index(fast_settings, embedder=HashingEmbedder(), progress=False)
    builds = [p for p in (fast_settings.index_dir / "builds").iterdir()]
    assert len(builds) == store.KEEP_BUILDS
    assert os.path.islink(fast_settings.index_dir / "current")


def test_unreadable_files_are_skipped_with_their_reason(fast_settings):
    (fast_settings.corpus_dir / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    (fast_settings.corpus_dir / "empty.txt").write_bytes(b"")
    report = build_index(fast_settings, embedder=HashingEmbedder(), progress=False)
    reasons = dict(report.skipped)
    assert report.documents == 5
    assert "not a valid PDF" in reasons["broken.pdf"] and reasons["empty.txt"] == "empty file"
    manifest = json.loads((store.current_build(fast_settings.index_dir) / "manifest.json").read_text())
    assert {s["file"] for s in manifest["skipped"]} == {"broken.pdf", "empty.txt"}


def test_an_index_of_an_older_version_is_rebuilt_when_the_engine_may_build(fast_settings):
    build_index(fast_settings, embedder=HashingEmbedder(), progress=False)
    manifest_path = store.current_build(fast_settings.index_dir) / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest_path.write_text(json.dumps({**manifest, "format": 1}))
    with pytest.raises(store.IndexOutdatedError, match="policyqa build --rebuild"):
        store.load(fast_settings.index_dir, fast_settings.index_signature())
    engine = Engine.open(fast_settings, build_if_missing=True, progress=False, embedder=HashingEmbedder())
    assert engine.index.manifest["format"] == store.FORMAT_VERSION
    assert engine.ask("Hồ sơ đề nghị khen thưởng gửi chậm nhất khi nào?").hits


def test_an_index_of_another_pipeline_version_is_rebuilt_when_the_engine_may_build(fast_settings):
    # new tokens (Chinese pairs in pipeline 4) need the index rebuilt; the embeddings are cached
    build_index(fast_settings, embedder=HashingEmbedder(), progress=False)
    manifest_path = store.current_build(fast_settings.index_dir) / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    old = fast_settings.index_signature()["pipeline"] - 1
    manifest_path.write_text(json.dumps({**manifest, "settings": {**manifest["settings"], "pipeline": old}}))
    with pytest.raises(store.IndexOutdatedError, match="policyqa build --rebuild"):
        store.load(fast_settings.index_dir, fast_settings.index_signature())
    engine = Engine.open(fast_settings, build_if_missing=True, progress=False, embedder=HashingEmbedder())
    assert engine.index.manifest["settings"] == fast_settings.index_signature()
    # another model is no version change: refused, not silently rebuilt
    other = fast_settings.with_(model="some/other-model")
    with pytest.raises(store.IndexMismatchError) as err:
        store.load(other.index_dir, other.index_signature())
    assert not isinstance(err.value, store.IndexOutdatedError)
