"""keep_freed_memory configures glibc and leaves the process working."""

import ctypes.util
import platform

import numpy as np
import pytest

from trackgnn.utils.memory import keep_freed_memory


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc only")
def test_glibc_accepts_the_settings_and_large_arrays_still_work():
    assert ctypes.util.find_library("c")
    assert keep_freed_memory() is True
    for _ in range(3):  # large allocations freed and reallocated: same numbers
        a = np.arange(5_000_000, dtype=np.float64)
        assert a.sum() == 5_000_000 * 4_999_999 / 2


def test_numpy_huge_page_advice_is_turned_off():
    core = getattr(np, "_core", None) or np.core
    switch = core.multiarray._set_madvise_hugepage
    previous = switch(True)
    try:
        keep_freed_memory()
        assert switch(True) is False  # returns the setting it replaces
    finally:
        switch(previous)
