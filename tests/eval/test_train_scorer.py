"""The shipped answer weights are what the training script makes from the repository's data."""

import pytest

from eval.train_scorer import main

pytestmark = pytest.mark.slow


def test_the_training_script_reproduces_the_shipped_weights(capsys):
    assert main(["--check"]) == 0, capsys.readouterr().out
