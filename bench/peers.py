"""The peers, on the same data in the same run.

Lexical: whole documents of two BEIR sets (one Vietnamese, one Chinese) ranked for the set's
queries by (a) our BM25 (bm25s over index/tokenize.py tokens), (b) bm25s over whitespace tokens,
(c) rank_bm25's BM25Okapi over our tokens, (d) BM25Okapi over whitespace tokens. Reported: index
time, query latency, hit@10 against the qrels.

Dense: every real passage vector in the embedding cache for the large size (never synthetic ones),
centred per language as index/dense.py does, searched by real query embeddings with the exact
IndexFlatIP and with the HNSW settings index/dense.py uses above EXACT_LIMIT: build time, latency
and recall@10 of HNSW against exact.
"""

from __future__ import annotations

import time

import numpy as np

from .corpora import SHARED
from .stats import latency_summary

LEXICAL_SETS = ("alqac_vi_legal", "msgabench_zh_gov_qa")
MAX_QUERIES = 200


def _ws(text: str) -> list[str]:
    return text.lower().split()


def _lexical(name: str) -> list[dict]:
    import bm25s
    from rank_bm25 import BM25Okapi

    from eval.datasets import load_beir
    from index.lexical import LexicalIndex
    from index.tokenize import tokenize, tokenize_question

    beir = load_beir(SHARED / name)
    docs = [d for d in beir.corpus if (d.get("text") or d.get("title") or "").strip()]
    ids = [str(d["_id"]) for d in docs]
    texts = [f"{d.get('title') or ''}\n{d.get('text') or ''}".strip() for d in docs]
    queries = list(beir.queries.items())[:MAX_QUERIES]
    t = time.perf_counter()
    ours_docs = [tokenize(x) for x in texts]
    tok_s = time.perf_counter() - t
    ws_docs = [_ws(x) for x in texts]

    def bm25s_ws():
        m = bm25s.BM25(k1=1.2, b=0.75, method="lucene")
        m.index([x or [""] for x in ws_docs], show_progress=False)
        return m

    def bm25s_ws_search(m, q, k=10):
        known = [t for t in _ws(q) if t in m.vocab_dict]
        if not known:
            return []
        s = m.get_scores(known)
        top = np.argsort(-s)[:k]
        return [int(i) for i in top if s[i] > 0]

    def ours_search(m, q, k=10):
        return [i for i, _ in m.search(tokenize_question(q), k)]

    def okapi_search(m, toks, k=10):
        s = m.get_scores(toks)
        top = np.argsort(-s)[:k]
        return [int(i) for i in top if s[i] > 0]

    peers = [
        ("bm25s + our tokens (product)", lambda: LexicalIndex.build(ours_docs), ours_search, tok_s),
        ("bm25s + whitespace", bm25s_ws, bm25s_ws_search, 0.0),
        ("rank_bm25 Okapi + our tokens", lambda: BM25Okapi([x or [""] for x in ours_docs]),
         lambda m, q: okapi_search(m, tokenize_question(q)), tok_s),
        ("rank_bm25 Okapi + whitespace", lambda: BM25Okapi([x or [""] for x in ws_docs]),
         lambda m, q: okapi_search(m, _ws(q)), 0.0),
    ]
    rows = []
    for label, build, search, tok in peers:
        t = time.perf_counter()
        model = build()
        build_s = time.perf_counter() - t
        lat, hits = [], 0
        for qid, q in queries:
            t = time.perf_counter()
            top = search(model, q["text"])
            lat.append(time.perf_counter() - t)
            rel = beir.qrels.get(qid, {})
            hits += any(rel.get(ids[i], 0) > 0 for i in top[:10])
        rows.append({
            "set": name, "peer": label, "docs": len(docs), "queries": len(queries),
            "index_s": build_s, "tokenize_s": tok, "docs_per_s": len(docs) / max(build_s, 1e-9),
            "latency": latency_summary(lat), "hit@10": hits / max(len(queries), 1),
        })
    return rows


def _dense() -> dict:
    import faiss

    from index.chunking import chunk_document
    from index.config import Settings
    from index.dense import center, language_means
    from index.embcache import EmbeddingCache, text_key
    from index.embedding import Embedder
    from index.ingest import IngestError
    from index.lang import question_lang

    from .corpora import source
    from .run import questions

    settings = Settings()
    emb = Embedder.from_settings(settings)
    keys, langs = [], []
    for _, doc in source("large", settings):
        if isinstance(doc, IngestError):
            continue
        for c in chunk_document(doc, max_tokens=settings.chunk_max_tokens, min_chars=settings.chunk_min_chars):
            keys.append(text_key(c.text))
            langs.append(doc.meta.lang)
    cache = EmbeddingCache(settings.cache_dir, f"{emb.name}|{settings.passage_prefix}")
    found = cache.get_many(list(dict.fromkeys(keys)))
    cache.close()
    pairs = [(found[k], lang) for k, lang in zip(keys, langs) if k in found]
    seen, vecs, vlangs = set(), [], []
    for (v, lang), k in zip(pairs, [k for k in keys if k in found]):
        if k not in seen:
            seen.add(k)
            vecs.append(v)
            vlangs.append(lang)
    x = np.stack(vecs).astype(np.float32)
    means = language_means(x, vlangs)
    x = center(x, vlangs, means)
    qs = questions("medium", MAX_QUERIES, seed=1)
    import torch

    torch.set_num_threads(1)
    qv = np.concatenate([center(emb.embed_queries([q]), [question_lang(q)], means) for q in qs])
    out = {"vectors": len(x), "queries": len(qs), "note": "real cached passage vectors only"}
    results = {}
    for label, make in (
        ("faiss IndexFlatIP (exact)", lambda: faiss.IndexFlatIP(x.shape[1])),
        ("faiss HNSW32 efC80 efS128", None),
    ):
        t = time.perf_counter()
        if make:
            index = make()
        else:
            index = faiss.IndexHNSWFlat(x.shape[1], 32, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = 80
            index.hnsw.efSearch = 128
        index.add(x)
        build_s = time.perf_counter() - t
        lat, ids_all = [], []
        for q in qv:
            t = time.perf_counter()
            _, ids = index.search(q.reshape(1, -1), 10)
            lat.append(time.perf_counter() - t)
            ids_all.append(ids[0])
        results[label] = (build_s, lat, ids_all)
    exact = results["faiss IndexFlatIP (exact)"][2]
    rows = []
    for label, (build_s, lat, ids_all) in results.items():
        recall = float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(ids_all, exact)]))
        rows.append({"peer": label, "build_s": build_s, "latency": latency_summary(lat), "recall@10_vs_exact": recall})
    out["rows"] = rows
    return out


def run_peers() -> dict:
    lexical = []
    for name in LEXICAL_SETS:
        if (SHARED / name / "corpus.jsonl").is_file():
            lexical += _lexical(name)
    return {"lexical": lexical, "dense": _dense()}
