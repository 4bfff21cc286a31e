"""A question reaches a document in the other language in a corpus of both (real model)."""

import shutil

import pytest

from index.config import REPO_ROOT, Settings
from index.engine import Engine

pytestmark = pytest.mark.slow

QUESTION = "在越南换驾驶证要多少天？"  # "how many days to exchange a driving licence in Vietnam?"
PROCEDURE = "vi-09-doi-giay-phep-lai-xe.txt"  # the Vietnamese procedure page that answers it


@pytest.fixture(scope="module")
def mixed_corpus(tmp_path_factory):
    """Procedure pages, decrees and notices in both languages (eval/train/corpus) and the five plans."""
    folder = tmp_path_factory.mktemp("mixed")
    for path in [*(REPO_ROOT / "eval" / "train" / "corpus").glob("*.txt"), *(REPO_ROOT / "corpus").glob("*.txt")]:
        shutil.copyfile(path, folder / path.name)
    return folder


def _top(mixed_corpus, tmp_path, **settings):
    settings = Settings().with_(corpus_dir=mixed_corpus, index_dir=tmp_path / "index", **settings)
    engine = Engine.open(settings, build_if_missing=True, progress=False)
    return [h.chunk.doc_id for h in engine.retrieve(QUESTION, k=5)]


def test_a_chinese_question_reaches_the_vietnamese_procedure_it_is_about(mixed_corpus, tmp_path):
    assert PROCEDURE in _top(mixed_corpus, tmp_path)[:2]

