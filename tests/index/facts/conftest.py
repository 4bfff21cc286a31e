"""Fixtures for the facts tests: the bundled corpus, its facts, and a facts-only index folder.

The index folder holds a build with a manifest and facts.sqlite only: what `policyqa who`,
`deadlines` and `facts` read. No embedding model is needed.
"""

from __future__ import annotations

import json
import os

import pytest

from index.config import REPO_ROOT, Settings
from index.facts.extract import extract_document
from index.facts.store import write_facts
from index.ingest import iter_corpus

KON_TUM = "001_3219cb14693d0162.txt"
HA_TINH = "002_5e7dc1d007970a25.txt"
THANH_HOA = "000_f3a764e6249851b7.txt"
SUINING = "003_64bc9481ac27c912.txt"
CHENZHOU = "004_07941aeda37bff36.txt"


@pytest.fixture(scope="session")
def documents():
    settings = Settings().with_(corpus_dir=REPO_ROOT / "corpus")
    return {doc.doc_id: doc for _path, doc in iter_corpus(settings.corpus_dir, settings)}


@pytest.fixture(scope="session")
def corpus_facts(documents):
    return {doc_id: extract_document(doc) for doc_id, doc in documents.items()}


@pytest.fixture(scope="session")
def index_dir(documents, tmp_path_factory):
    """<dir>/current -> builds/b1 with manifest.json and facts.sqlite, like a published build."""
    root = tmp_path_factory.mktemp("facts-index")
    build = root / "builds" / "b1"
    build.mkdir(parents=True)
    write_facts(build / "facts.sqlite", list(documents.values()))
    (build / "manifest.json").write_text(json.dumps({"format": 0, "documents": {}}), "utf-8")
    os.symlink("builds/b1", root / "current")
    return root
