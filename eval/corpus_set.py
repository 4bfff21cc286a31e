"""QA sets that bring a corpus builder: a folder of ``questions.jsonl`` (QA format) and ``make_corpus.py``.

``python make_corpus.py OUTDIR`` writes the set's documents. It runs once, with this interpreter,
into ``<cache>/eval-corpora/<set>-<short hash of make_corpus.py's bytes>``: written to a temporary
folder beside it and renamed into place, so a failed build never leaves half a corpus, and a
changed builder builds anew. The corpus is indexed into its own cached index under
``<cache>/eval-indexes/`` the way a BEIR corpus is (eval/beir.py: keyed by the corpus and the index
signature, the bundled index untouched); the questions are then asked over it like a QA file.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from index.config import Settings

from .beir import cached_index_dir
from .datasets import CORPUS_BUILDER

BUILDER_HASH_CHARS = 12
ERROR_LINES = 20  # of the builder's output, quoted when it fails


class CorpusBuildError(RuntimeError):
    """make_corpus.py failed or wrote nothing: the set cannot be evaluated."""


def corpus_dir_for(folder: Path, settings: Settings) -> Path:
    """``<cache>/eval-corpora/<set>-<hash of make_corpus.py>``: one corpus per version of the builder."""
    folder = Path(folder).resolve()
    digest = hashlib.sha256((folder / CORPUS_BUILDER).read_bytes()).hexdigest()[:BUILDER_HASH_CHARS]
    return Path(settings.cache_dir) / "eval-corpora" / f"{folder.name}-{digest}"


def run_builder(builder: Path, out: Path) -> None:
    """``python builder OUT`` with this interpreter; a failure or an empty ``out`` raises, quoting its output."""
    done = subprocess.run(
        [sys.executable, str(builder), str(out)],
        cwd=builder.parent, capture_output=True, text=True, encoding="utf-8", errors="replace",
    )
    if done.returncode != 0:
        tail = "\n".join((done.stderr.strip() or done.stdout.strip()).splitlines()[-ERROR_LINES:])
        raise CorpusBuildError(f"{builder} failed (exit {done.returncode}) building the corpus into {out}:\n{tail}")
    if not any(out.iterdir()):
        raise CorpusBuildError(f"{builder} wrote no file into {out}")


def build_once(target: Path, fill: Callable[[Path], None]) -> Path:
    """``target``, made on first use by ``fill(folder)``, whole or not at all (temporary folder
    beside it, then rename)."""
    if target.is_dir():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        built = tmp / "corpus"  # made here, not by mkdtemp: the usual permissions, not owner-only
        built.mkdir()
        fill(built)
        try:
            built.rename(target)
        except OSError:
            if not target.is_dir():  # else another run put the same corpus in place first
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def build_corpus(folder: Path, settings: Settings) -> Path:
    """The set's corpus folder, built by its make_corpus.py on first use."""
    builder = Path(folder).resolve() / CORPUS_BUILDER
    return build_once(corpus_dir_for(folder, settings), lambda out: run_builder(builder, out))


def settings_for(folder: Path, settings: Settings) -> Settings:
    """``settings`` over the set's own corpus (built first when needed) and its own cached index."""
    corpus = build_corpus(folder, settings)
    index_dir = cached_index_dir(Path(folder).resolve().name, {"corpus": corpus.name}, settings)
    return settings.with_(corpus_dir=corpus, index_dir=index_dir)
