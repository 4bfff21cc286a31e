"""The reader (index/reader.py): what ships loads, and it reads the sentence that answers above others."""

import numpy as np
import pytest

from index.config import Settings
from index.reader import Adapter, open_reader


def test_a_saved_adapter_loads_with_the_same_factors(tmp_path):
    shipped = Adapter.load()
    shipped.save(tmp_path / "reader.npz")
    again = Adapter.load(tmp_path / "reader.npz")
    assert (again.layers, again.max_length, again.scale) == (shipped.layers, shipped.max_length, shipped.scale)
    assert again.deltas.keys() == shipped.deltas.keys()
    name = next(iter(shipped.deltas))
    assert np.allclose(again.deltas[name][0], shipped.deltas[name][0]) and np.allclose(again.head_weight, shipped.head_weight)


def test_without_an_adapter_file_answers_come_without_a_reader(tmp_path):
    assert open_reader(tmp_path, tmp_path / "missing.npz") is None


@pytest.mark.slow
@pytest.mark.parametrize(
    "question, right, wrong",
    [
        # a citizen's own words for the field's label
        ("Xin cấp lại giấy phép lái tàu cá bị mất thì bao lâu mới có?",
         "Thủ tục cấp lại giấy phép lái tàu cá\nThời hạn giải quyết: 07 ngày làm việc kể từ ngày nhận đủ hồ sơ",
         "Thủ tục cấp lại giấy phép lái tàu cá\nCơ quan thực hiện: Chi cục Thủy sản tỉnh"),
        ("孩子上幼儿园的补助一个月能拿多少钱？",
         "学前教育资助办法\n第五条 资助标准为每生每月150元，按学期发放。",
         "学前教育资助办法\n第六条 申请资助的，由幼儿家长向就读幼儿园提出申请。"),
        # a question in one language, the answer in the other
        ("在越南补办渔船驾驶证要几天？",
         "Thủ tục cấp lại giấy phép lái tàu cá\nThời hạn giải quyết: 07 ngày làm việc kể từ ngày nhận đủ hồ sơ",
         "Thủ tục cấp lại giấy phép lái tàu cá\nCơ quan thực hiện: Chi cục Thủy sản tỉnh"),
    ],
)
def test_the_reader_scores_the_sentence_that_answers_above_one_that_does_not(question, right, wrong):
    reader = open_reader(Settings().cache_dir)
    assert reader is not None
    good, bad = reader.score(question, [right, wrong])
    assert good > bad
