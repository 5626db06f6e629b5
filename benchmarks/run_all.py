"""Every benchmark in one run: prints the tables and writes benchmarks/results.json.

python benchmarks/run_all.py
"""

from __future__ import annotations

import json
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import data_scale  # noqa: E402
import latency  # noqa: E402
import reminder_fanout  # noqa: E402


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), "
        f"Python {platform.python_version()}, SQLite"
    )


def main() -> int:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"advisory-bot benchmarks, {when}, {machine()}\n")
    results = {"when": when, "machine": machine()}
    print("Slash-command latency over HTTP (ack), against a bare Bolt app")
    results["latency"] = latency.main()
    print(latency.table(results["latency"]) + "\n")
    print("Reminder fan-out")
    results["fanout"] = reminder_fanout.main()
    print(reminder_fanout.table(results["fanout"]) + "\n")
    print("Scale of the data")
    results["scale"] = data_scale.main()
    print(data_scale.table(results["scale"]))
    (HERE / "results.json").write_text(json.dumps(results, indent=2, default=str))
    print("\nWritten to benchmarks/results.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
