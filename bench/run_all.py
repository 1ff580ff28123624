"""Run every benchmark in its own process (each on its own throw-away database).

    .venv/bin/python bench/run_all.py                      # SQLite
    TINHGON_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python bench/run_all.py                  # PostgreSQL (database tinhgon_bench)
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = ["bench_import.py", "bench_tree.py", "bench_page.py", "bench_plan.py", "bench_cadres.py",
           "bench_import_job.py"]


def main() -> int:
    failed = 0
    for name in sys.argv[1:] or BENCHES:
        result = subprocess.run([sys.executable, str(HERE / name)], cwd=HERE.parent)
        failed += result.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
