"""Fixtures for the bot tests: a real engine over the bundled corpus, the Bot API stand-in."""

from __future__ import annotations

import os
import shutil

import pytest

from index.config import REPO_ROOT, Settings
from index.engine import Engine

from .fake_telegram import FakeTelegram
from .harness import TOKEN

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never wait on a model hub
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@pytest.fixture(scope="session")
def engine(tmp_path_factory) -> Engine:
    """The bundled corpus indexed into a temporary folder with the real model, warmed up."""
    settings = Settings().with_(corpus_dir=REPO_ROOT / "corpus", index_dir=tmp_path_factory.mktemp("index"))
    eng = Engine(settings)
    eng.build(progress=False)
    eng.ask("kế hoạch")  # loads the model once for the whole session
    return eng


@pytest.fixture
def corpus_engine(engine, tmp_path) -> Engine:
    """An engine over a private copy of the corpus (uploads write into it), sharing the loaded
    model; the embedding cache makes its first build cheap."""
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO_ROOT / "corpus", corpus)
    for path in corpus.iterdir():
        path.chmod(0o644)
    settings = engine.settings.with_(corpus_dir=corpus, index_dir=tmp_path / "index")
    eng = Engine(settings, embedder=engine.embedder)
    eng.build(progress=False)
    return eng


@pytest.fixture
def fake():
    with FakeTelegram(TOKEN) as server:
        yield server


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "bot"
