"""Consistency checks for the shipped QA evaluation sets (eval/sets/*.jsonl).

Format and matching rules: ../shared/EVAL_FORMAT.md (section 1).  Every `evidence` string and
at least one `answers` string must occur in the gold document after normalization (Unicode NFC,
lower case, `*` and `#` removed, white space folded to one space).
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from eval.datasets import normalize

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
SETS = ROOT / "eval" / "sets"

LANGS = {"vi", "zh"}
TYPES = {"eligibility", "deadline", "responsibility", "amount", "target", "other", "unanswerable"}
FIELDS = {"id", "lang", "type", "cross_lingual", "question", "source", "answers", "evidence"}

# expected size and minimums per file
SIZE = {"dev": 60, "dev2": 98, "test": 170}  # dev2: more tuning questions, written without the code
MIN_PER_DOC = {"dev": 6, "dev2": 12, "test": 20}
MIN_CROSS = {"dev": 8, "dev2": 15, "test": 22}
MIN_UNANSWERABLE = {"dev": 6, "dev2": 20, "test": 18}
MIN_NO_DIACRITICS = {"dev": 8, "dev2": 20, "test": 24}
# evidence length in normalized characters: a clause, not a passage (dev2's Chinese clauses are short)
EVIDENCE_CHARS = {"dev": (20, 120), "dev2": (8, 160), "test": (20, 120)}


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def doc_lang(text: str) -> str:
    letters = [c for c in text if c.isalpha()]
    cjk = sum(1 for c in letters if _is_cjk(c))
    return "zh" if letters and cjk / len(letters) > 0.3 else "vi"


def no_diacritics(question: str) -> bool:
    return all(ord(c) < 128 for c in question)


def _load(name: str) -> list[dict]:
    path = SETS / f"{name}.jsonl"
    rows = []
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            assert line.strip(), f"{path.name}:{n}: blank line"
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:  # pragma: no cover - reported as failure
                pytest.fail(f"{path.name}:{n}: invalid JSON: {e}")
    return rows


@pytest.fixture(scope="module")
def corpus() -> dict[str, dict]:
    docs = {}
    for p in sorted(CORPUS.glob("*.txt")):
        raw = p.read_text(encoding="utf-8")
        docs[p.name] = {
            "norm": normalize(raw),
            "lines": [normalize(line) for line in raw.splitlines()],
            "lang": doc_lang(raw),
        }
    assert docs, f"no documents in {CORPUS}"
    return docs


@pytest.fixture(scope="module")
def sets() -> dict[str, list[dict]]:
    return {name: _load(name) for name in SIZE}


@pytest.mark.parametrize("name", sorted(SIZE))
def test_fields_and_types(name, sets, corpus):
    for r in sets[name]:
        rid = r.get("id")
        assert set(r) == FIELDS, f"{rid}: fields {sorted(r)}"
        assert isinstance(rid, str) and rid.startswith(f"{name}-{r['lang']}-"), rid
        assert r["lang"] in LANGS, rid
        assert r["type"] in TYPES, rid
        assert isinstance(r["cross_lingual"], bool), rid
        assert isinstance(r["question"], str) and 5 <= len(r["question"].strip()) <= 300, rid
        assert isinstance(r["answers"], list) and all(isinstance(a, str) and a.strip() for a in r["answers"]), rid
        assert isinstance(r["evidence"], list) and all(isinstance(e, str) and e.strip() for e in r["evidence"]), rid
        if r["type"] == "unanswerable":
            assert r["source"] is None, rid
            assert r["answers"] == [] and r["evidence"] == [], rid
            assert r["cross_lingual"] is False, rid
        else:
            assert r["source"] in corpus, f"{rid}: unknown source {r['source']!r}"
            assert 1 <= len(r["answers"]) <= 3, rid
            assert 1 <= len(r["evidence"]) <= 2, rid
            expected = r["lang"] != corpus[r["source"]]["lang"]
            assert r["cross_lingual"] is expected, f"{rid}: cross_lingual should be {expected}"


def test_ids_unique_across_files(sets):
    ids = Counter(r["id"] for rows in sets.values() for r in rows)
    dups = [i for i, n in ids.items() if n > 1]
    assert not dups, dups


def test_no_question_shared_between_files(sets):
    test = {normalize(r["question"]) for r in sets["test"]}
    for name in ("dev", "dev2"):  # a tuning question must not leak the held-out set
        tuning = {normalize(r["question"]) for r in sets[name]}
        assert not tuning & test, sorted(tuning & test)
    for name, rows in sets.items():
        qs = Counter(normalize(r["question"]) for r in rows)
        assert not [q for q, n in qs.items() if n > 1], f"duplicate question in {name}"


@pytest.mark.parametrize("name", sorted(SIZE))
def test_answers_and_evidence_in_source(name, sets, corpus):
    problems = []
    for r in sets[name]:
        if r["type"] == "unanswerable":
            continue
        doc = corpus[r["source"]]
        if not any(normalize(a) in doc["norm"] for a in r["answers"]):
            problems.append((r["id"], "no answer string in source"))
        for e in r["evidence"]:
            ne = normalize(e)
            if ne not in doc["norm"]:
                problems.append((r["id"], "evidence not in source", e))
            elif not any(ne in line for line in doc["lines"]):
                problems.append((r["id"], "evidence spans a line break", e))
            low, high = EVIDENCE_CHARS[name]
            if not low <= len(ne) <= high:
                problems.append((r["id"], f"evidence length {len(ne)}", e))
            if " |" in ne:
                problems.append((r["id"], "evidence spans a table cell", e))
    assert not problems, problems


@pytest.mark.parametrize("name", sorted(SIZE))
def test_composition(name, sets, corpus):
    rows = sets[name]
    assert len(rows) == SIZE[name]

    types = Counter(r["type"] for r in rows)
    assert set(types) == TYPES, f"missing types: {TYPES - set(types)}"
    assert types["unanswerable"] >= MIN_UNANSWERABLE[name]

    langs = Counter(r["lang"] for r in rows)
    for lang in LANGS:  # roughly balanced
        assert 0.4 <= langs[lang] / len(rows) <= 0.6, langs

    per_doc = Counter(r["source"] for r in rows if r["source"])
    for doc in corpus:
        assert per_doc[doc] >= MIN_PER_DOC[name], (doc, per_doc[doc])

    cross = [r for r in rows if r["cross_lingual"]]
    assert len(cross) >= MIN_CROSS[name]
    directions = Counter(r["lang"] for r in cross)  # zh -> vi document, vi -> zh document
    for lang in LANGS:
        assert directions[lang] >= 0.35 * len(cross), directions

    plain = [r for r in rows if r["lang"] == "vi" and no_diacritics(r["question"])]
    assert len(plain) >= MIN_NO_DIACRITICS[name]


def test_calibration_set_holds_only_questions_no_document_answers(sets):
    rows = _load("calibration")
    for r in rows:
        assert set(r) == FIELDS and r["id"].startswith(f"cal-{r['lang']}-"), r["id"]
        assert r["type"] == "unanswerable" and r["source"] is None and not r["answers"] and not r["evidence"]
    asked = {normalize(r["question"]) for rows_ in sets.values() for r in rows_}
    assert not asked & {normalize(r["question"]) for r in rows}


def test_normalize_helper():
    assert normalize("**Chậm nhất  30/12**\n hàng năm") == "chậm nhất 30/12 hàng năm"
    assert normalize("## Mục tiêu") == "mục tiêu"
    assert normalize("Ho\u0300a") == normalize("Hòa")
