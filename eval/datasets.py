"""Evaluation sets as typed records: QA JSONL over our corpus, a QA set that brings a corpus
builder (a folder of questions.jsonl and make_corpus.py), or a BEIR folder with its own corpus.

Formats: ../shared/EVAL_FORMAT.md.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

SETS_DIR = Path(__file__).resolve().parent / "sets"
QUESTIONS_FILE = "questions.jsonl"  # a corpus set's questions (QA format)
CORPUS_BUILDER = "make_corpus.py"  # `python make_corpus.py OUTDIR` writes a corpus set's documents


def normalize(text: str) -> str:
    """EVAL_FORMAT.md matching: NFC, lower case, '*' and '#' removed, white space folded."""
    text = unicodedata.normalize("NFC", text).lower().replace("*", "").replace("#", "")
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class QAItem:
    id: str
    lang: str
    type: str
    cross_lingual: bool
    question: str
    source: str | None
    answers: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()

    @property
    def answerable(self) -> bool:
        return self.type != "unanswerable"


def load_qa(path: Path) -> list[QAItem]:
    items = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                items.append(
                    QAItem(
                        id=str(d["id"]),
                        lang=d["lang"],
                        type=d["type"],
                        cross_lingual=bool(d.get("cross_lingual", False)),
                        question=d["question"],
                        source=d.get("source"),
                        answers=tuple(d.get("answers") or ()),
                        evidence=tuple(d.get("evidence") or ()),
                    )
                )
    return items


@dataclass
class BeirSet:
    name: str
    corpus: list[dict]  # {"_id", "title", "text"}
    queries: dict[str, dict]  # id → {"_id", "text", …}
    qrels: dict[str, dict[str, int]] = field(default_factory=dict)  # query id → {doc id: grade}
    split: str = ""


def _jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_beir(folder: Path, split: str | None = None) -> BeirSet:
    folder = Path(folder)
    qrel_files = sorted((folder / "qrels").glob("*.tsv"))
    if split:
        qrel_files = [p for p in qrel_files if p.stem == split]
    if len(qrel_files) != 1:
        names = ", ".join(p.stem for p in sorted((folder / "qrels").glob("*.tsv")))
        raise ValueError(f"choose a split with --split (available: {names})")
    qrels: dict[str, dict[str, int]] = {}
    with open(qrel_files[0], encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            qrels.setdefault(row["query-id"], {})[row["corpus-id"]] = int(float(row.get("score", 1)))
    queries = {str(q["_id"]): q for q in _jsonl(folder / "queries.jsonl")}
    queries = {q: queries[q] for q in qrels if q in queries}
    return BeirSet(folder.name, _jsonl(folder / "corpus.jsonl"), queries, qrels, qrel_files[0].stem)


def is_beir(path: Path) -> bool:
    return Path(path).is_dir() and (Path(path) / "corpus.jsonl").is_file()


def is_corpus_set(path: Path) -> bool:
    """A folder of QA questions and the script that writes their corpus: asked over that corpus, not ours."""
    path = Path(path)
    return path.is_dir() and (path / QUESTIONS_FILE).is_file() and (path / CORPUS_BUILDER).is_file()
