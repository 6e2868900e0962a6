"""What a ``bench/`` script's JSON records besides its figures: the command that ran, the code
commit and the machine, so that the generated benchmarks page
(``scripts/docs/benchmarks_page.py``) can say what produced each table and where."""

from __future__ import annotations

import datetime
import os
import platform
import shlex
import sys
from pathlib import Path

from trackgnn import __version__
from trackgnn.utils.jsonio import dumps, write_json
from trackgnn.utils.provenance import code_commit


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gb() -> float | None:
    try:
        return round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (ValueError, OSError, AttributeError):
        return None


def machine_facts() -> dict:
    """CPU, cores usable by this process, memory, load when it started (benchmarks on a shared
    machine are slower), Python, and torch / the GPU when the benchmark imported torch."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    facts = {
        "cpu": _cpu_model(),
        "cpu_count": os.cpu_count(),
        "usable_cpus": usable,
        "memory_gb": _memory_gb(),
        "load_average_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    torch = sys.modules.get("torch")
    if torch is not None:
        facts["torch"] = torch.__version__
        facts["gpu"] = torch.cuda.get_device_name(0) if torch.cuda.is_available() else None
    return facts


def bench_record(script: str | Path, argv: list[str] | None = None) -> dict:
    """The command (``python bench/<script> ARGS``), commit, version, UTC time and machine."""
    script = Path(script).resolve()
    args = list(sys.argv[1:] if argv is None else argv)
    return {
        "bench": script.stem,
        "command": shlex.join(["python", f"{script.parent.name}/{script.name}", *args]),
        "commit": code_commit(script.parent),
        "trackgnn_version": __version__,
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine_facts(),
    }


def emit(result: dict, script: str | Path, out: str | Path | None = None, argv: list[str] | None = None) -> dict:
    """Add the ``provenance`` record to ``result``, write it to ``out`` (atomically) when
    given, then print it as JSON; returns the recorded object."""
    recorded = {**result, "provenance": bench_record(script, argv)}
    if out:
        write_json(out, recorded)
    print(dumps(recorded))
    return recorded
