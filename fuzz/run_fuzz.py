"""Run the atheris ingestion target for a bounded time and print how many inputs it tried.

    .venv/bin/python fuzz/run_fuzz.py --seconds 300 [--timeout 20] [--rss-mb 2048]

Seeds fuzz/corpus/ with small valid files of every supported type (a leading byte picks the
type, as fuzz_ingest.py reads it), then runs libFuzzer through atheris in a child process:
-max_total_time bounds the run, -timeout fails any single input that takes longer (a hang),
-rss_limit_mb fails an input that blows up memory. Crashing inputs land in fuzz/findings/.
Exit status is the fuzzer's (0: nothing found).
"""

from __future__ import annotations

import argparse
import hashlib
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def write_seeds(folder: Path) -> int:
    from fuzz.seeds import SUFFIXES, seeds

    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    for suffix, data in seeds():
        blob = bytes([SUFFIXES.index(suffix)]) + data
        (folder / hashlib.sha1(blob).hexdigest()).write_bytes(blob)
        n += 1
    return n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=int, default=120)
    ap.add_argument("--timeout", type=int, default=20, help="seconds one input may take")
    ap.add_argument("--rss-mb", type=int, default=3072)
    ap.add_argument("--max-len", type=int, default=300_000)
    args = ap.parse_args()
    corpus, findings = HERE / "corpus", HERE / "findings"
    findings.mkdir(exist_ok=True)
    n = write_seeds(corpus)
    cmd = [
        sys.executable, str(HERE / "fuzz_ingest.py"), str(corpus),
        f"-max_total_time={args.seconds}", f"-timeout={args.timeout}", f"-rss_limit_mb={args.rss_mb}",
        f"-max_len={args.max_len}", f"-artifact_prefix={findings}/", "-print_final_stats=1",
    ]
    print(f"seeded {n} files; running: {' '.join(cmd)}", flush=True)
    proc = subprocess.run(cmd, capture_output=True, text=True)
    log = proc.stdout + proc.stderr
    (HERE / "last_run.log").write_text(log)
    runs = re.findall(r"stat::number_of_executed_units:\s*(\d+)", log) or re.findall(r"#(\d+)\s", log)
    tried = int(runs[-1]) if runs else 0
    crashed = [l for l in log.splitlines() if "ERROR" in l or "Uncaught Python exception" in l or "Test unit written" in l]
    print(f"inputs tried: {tried}; exit status {proc.returncode}")
    for line in crashed:
        print("  " + line)
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
