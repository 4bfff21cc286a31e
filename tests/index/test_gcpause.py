"""Loading pauses the cyclic garbage collector and always turns it back on."""

import gc
import threading

import pytest

from index import store
from index.build import build_index
from index.gcpause import paused_gc
from tests.conftest import HashingEmbedder


def test_the_collector_is_off_while_an_index_loads_and_on_again_after(fast_settings, monkeypatch):
    build_index(fast_settings, embedder=HashingEmbedder(), progress=False)
    seen = []
    real = store._load_build
    monkeypatch.setattr(store, "_load_build", lambda *a: seen.append(gc.isenabled()) or real(*a))
    assert gc.isenabled()
    store.load(fast_settings.index_dir)
    assert seen == [False] and gc.isenabled()

    monkeypatch.setattr(store, "_load_build", lambda *a: (_ for _ in ()).throw(OSError("disk gone")))
    with pytest.raises(OSError):
        store.load(fast_settings.index_dir)
    assert gc.isenabled()


def test_overlapping_pauses_on_two_threads_turn_it_on_once_both_end():
    first_in, second_done = threading.Event(), threading.Event()

    def slow():
        with paused_gc():
            first_in.set()
            second_done.wait(5)
            assert not gc.isenabled()

    t = threading.Thread(target=slow)
    t.start()
    first_in.wait(5)
    with paused_gc():
        pass
    assert not gc.isenabled()  # the other load is still going
    second_done.set()
    t.join(5)
    assert gc.isenabled()


def test_a_collector_the_user_turned_off_stays_off():
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
