"""The hand-checked facts of the five documents (eval/facts_gold.jsonl) and the facts evaluation.

Every gold quote must be in its document's cleaned text (at its ``occurrence``) and in the raw
file (EVAL_FORMAT normalization; Chinese also ignoring line breaks inside words), and every
normalized field must be well formed and agree with the quote: the date the quote states, the
number it writes, the agency it names or sits under.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest

from eval.datasets import normalize
from eval.facts import DEFAULT_GOLD, TARGET_PRECISION, TARGET_RECALL, evaluate_facts, gold_key, gold_span, load_gold, match, score
from index.config import REPO_ROOT, Settings
from index.facts.dates import find_dates
from index.facts.model import FACT_TYPES, Agency, Fact, Responsibility
from index.ingest import iter_corpus

CORPUS = REPO_ROOT / "corpus"
GOLD = load_gold(DEFAULT_GOLD)
FIELDS = {"id", "doc", "lang", "type", "quote"}
RRULE = re.compile(r"FREQ=YEARLY;BYMONTH=(\d{1,2})(?:;BYMONTHDAY=(\d{1,2}))?")


@pytest.fixture(scope="module")
def texts():
    settings = Settings().with_(corpus_dir=CORPUS)
    return {d.doc_id: d.text for _p, d in iter_corpus(CORPUS, settings)}


def test_ids_are_unique_and_lines_complete():
    ids = Counter(g["id"] for g in GOLD)
    assert not [i for i, n in ids.items() if n > 1]
    for g in GOLD:
        assert FIELDS <= set(g), g
        assert g["type"] in FACT_TYPES and g["lang"] in ("vi", "zh")
        assert isinstance(g.get("occurrence", 1), int) and g.get("occurrence", 1) >= 1


def test_every_type_and_language_is_covered():
    cells = Counter((g["type"], g["lang"]) for g in GOLD)
    for t in FACT_TYPES:
        for lang in ("vi", "zh"):
            assert cells[(t, lang)] >= 5, (t, lang)
    assert {g["doc"] for g in GOLD} == {p.name for p in CORPUS.iterdir()}


def test_quotes_are_verbatim_in_the_cleaned_text(texts):
    for g in GOLD:
        assert gold_span(texts[g["doc"]], g["quote"], g.get("occurrence", 1)) is not None, g["id"]


def test_no_fact_is_listed_twice():
    seen = Counter((g["doc"], g["type"], g["quote"], g.get("occurrence", 1), gold_key(g)) for g in GOLD)
    assert [k for k, n in seen.items() if n > 1] == []


def test_quotes_are_in_the_raw_files():
    raw = {p.name: normalize(p.read_text("utf-8")) for p in CORPUS.iterdir()}
    for g in GOLD:
        q = normalize(g["quote"])
        r = raw[g["doc"]]
        assert q in r or (g["lang"] == "zh" and q.replace(" ", "") in r.replace(" ", "")), g["id"]


def test_language_matches_the_document(texts):
    for g in GOLD:
        cjk = sum("\u4e00" <= c <= "\u9fff" for c in texts[g["doc"]][:2000])
        assert (g["lang"] == "zh") == (cjk > 200), g["id"]


def test_responsibility_fields(texts):
    from index.facts.agencies import find_agencies

    for g in (g for g in GOLD if g["type"] == "responsibility"):
        assert g["role"] in ("lead", "support"), g["id"]
        if g["lang"] == "vi":
            assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", g["agency"]), g["id"]
        else:
            assert re.fullmatch("[\u4e00-\u9fff]+", g["agency"]), g["id"]
        # the agency is named in the quote, or in a heading above it (the duties of "7. Sở Y tế:")
        text = texts[g["doc"]]
        start, _ = gold_span(text, g["quote"], g.get("occurrence", 1))
        above = text[max(0, start - 3000) : start + len(g["quote"])]
        named = {m.agency.id for m in find_agencies(above, g["lang"])}
        assert g["agency"] in named, g["id"]


def test_deadline_fields_agree_with_the_quote():
    for g in (g for g in GOLD if g["type"] == "deadline"):
        kinds = [k for k in ("date", "rrule", "start", "relative") if g.get(k)]
        assert len(kinds) == 1, g["id"]
        if g.get("date"):
            dt.date.fromisoformat(g["date"])
        if g.get("start"):
            assert dt.date.fromisoformat(g["start"]) <= dt.date.fromisoformat(g["end"]), g["id"]
        if g.get("rrule"):
            m = RRULE.fullmatch(g["rrule"])
            assert m and 1 <= int(m[1]) <= 12 and (m[2] is None or 1 <= int(m[2]) <= 31), g["id"]
        if g.get("relative"):
            assert g["relative"] in g["quote"]
        # the quote states that very date
        assert gold_key(g) in {s.key for s in find_dates(g["quote"], g["lang"])}, g["id"]


def _numbers(quote: str, lang: str) -> set[float]:
    out = set()
    for raw in re.findall(r"\d[\d.,]*", quote):
        raw = raw.rstrip(".,")
        if lang == "vi" and re.fullmatch(r"\d{1,3}(?:\.\d{3})+", raw):
            out.add(float(raw.replace(".", "")))
        else:
            try:
                out.add(float(raw.replace(",", ".") if lang == "vi" else raw))
            except ValueError:
                pass
    return out


def test_amount_fields_agree_with_the_quote():
    for g in (g for g in GOLD if g["type"] == "amount"):
        assert isinstance(g["value"], (int, float)) and g["unit"], g["id"]
        assert g["kind"] in ("money", "percent", "rate", "count"), g["id"]
        assert float(g["value"]) in _numbers(g["quote"], g["lang"]), g["id"]
        assert g["unit"].split("/")[0].strip() in g["quote"], g["id"]


def test_eligibility_fields_agree_with_the_quote():
    for g in (g for g in GOLD if g["type"] == "eligibility"):
        assert g["kind"] in ("who", "condition", "papers"), g["id"]
        if g["kind"] == "papers":
            assert isinstance(g["papers"], int) and g["papers"] > 0
        if g.get("threshold"):
            assert float(g["threshold"]) in _numbers(g["quote"], g["lang"]), g["id"]


def _fact(doc, start, end, agency="so-y-te", role="lead"):
    return Fact("responsibility", doc, "vi", "", "x" * (end - start), 1, start, end, Responsibility(Agency(agency, agency), role, ""))


def test_matching_rules():
    text = "a" * 10 + "Sở Y tế chịu trách nhiệm về kết quả giám sát" + "b" * 10
    gold = [{"id": "g", "doc": "d", "lang": "vi", "type": "responsibility", "quote": "chịu trách nhiệm về kết quả giám sát",
             "agency": "so-y-te", "role": "lead"}]
    start, end = gold_span(text, gold[0]["quote"])
    longer = _fact("d", start - 8, end)  # a quote cut a little longer still matches
    wrong_role = _fact("d", start, end, role="support")
    elsewhere = _fact("d", 0, 8)
    m = match(gold, [longer, wrong_role, elsewhere], {"d": text})
    assert m.pairs == [(0, 0)]
    s = score(m)["cells"]["responsibility/vi"]
    assert (s["gold"], s["extracted"], s["matched"]) == (1, 3, 1)
    assert s["precision"] == pytest.approx(1 / 3, abs=1e-3) and s["recall"] == 1.0
    # one extracted fact never counts for two gold facts
    m2 = match(gold * 2, [longer], {"d": text})
    assert len(m2.pairs) == 1


def test_extraction_meets_the_targets(tmp_path):
    metrics = evaluate_facts(Settings().with_(corpus_dir=CORPUS), DEFAULT_GOLD, tmp_path)
    for name, cell in metrics["cells"].items():
        assert cell["precision"] >= TARGET_PRECISION, (name, cell)
        assert cell["recall"] >= TARGET_RECALL, (name, cell)
    assert "| type | lang |" in (tmp_path / "facts_report.md").read_text("utf-8")
