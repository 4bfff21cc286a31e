"""atheris target: bytes → a file of one supported type → load_document → chunk_document.

The first byte picks the file type, the rest is the file. Every input must end in a Document or an
IngestError with a reason (fuzz/seeds.py: ingest_one); any other exception or a hang (libFuzzer's
-timeout) is a finding. Run through fuzz/run_fuzz.py, which seeds the corpus and counts inputs:

    .venv/bin/python fuzz/run_fuzz.py --seconds 300
    .venv/bin/python fuzz/fuzz_ingest.py fuzz/corpus -max_total_time=60 -timeout=20   # raw libFuzzer
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

with atheris.instrument_imports(include=["index"]):
    from fuzz.seeds import SUFFIXES, ingest_one

_TMP = Path(tempfile.mkdtemp(prefix="policyqa-fuzz-"))
COUNT = 0


def TestOneInput(data: bytes) -> None:  # noqa: N802 (atheris' name)
    global COUNT
    COUNT += 1
    if not data:
        return
    suffix = SUFFIXES[data[0] % len(SUFFIXES)]
    ingest_one(_TMP, suffix, data[1:])


def main() -> None:
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
