"""The state ``make run`` leaves: the real apparatus, the demo data set, the 2025 plan applied,
synthetic cadres.

One list, read by ``tinhgon load-run-state`` (the Makefile's ``load-data`` target) and by the
tests that need that state (``core.testing.run_state``), so the two cannot drift apart.
"""

from __future__ import annotations

from django.core.management import call_command

# Each entry is a ``tinhgon`` command line, as one would type it in a terminal.
RUN_STATE_COMMANDS: tuple[tuple[str, ...], ...] = (
    ("import-vn-admin-units",),
    ("load-demo",),
    # One province's commune-level cadres on the eve of the 2025 plan: the plan leaves them pending placement.
    ("generate-cadres", "--count", "1700", "--seed", "2506", "--within", "12", "--levels", "commune",
     "--as-of", "2025-06-30"),
    ("import-vn-2025-plan",),
    ("generate-cadres", "--count", "3000", "--seed", "2025", "--within", "01,79"),
    ("generate-tasks", "--count", "3000", "--seed", "2025", "--within", "01,79"),
    ("generate-assessments", "--seed", "2025"),
    ("generate-documents", "--count", "3000", "--seed", "2025", "--within", "01,79,25,26"),
    ("generate-good-models", "--count", "400", "--seed", "2025", "--within", "01,79"),
    ("generate-petitions", "--count", "3000", "--seed", "2025", "--within", "01,79"),
    ("generate-party-members", "--count", "20000", "--seed", "2025", "--within", "01,79"),
    ("generate-inspections", "--count", "12", "--seed", "2025", "--within", "01,79"),
    # The placement round of that province's pending cadres (after the assessments: merit reads them).
    ("placement-round", "--scope", "12"),
)


def load_run_state(*, verbosity: int = 1, stdout=None, stderr=None) -> None:
    """Run every command of ``RUN_STATE_COMMANDS`` in order."""
    streams = {k: v for k, v in (("stdout", stdout), ("stderr", stderr)) if v is not None}
    for name, *args in RUN_STATE_COMMANDS:
        call_command(name.replace("-", "_"), *args, verbosity=verbosity, **streams)
