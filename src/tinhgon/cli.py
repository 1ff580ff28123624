"""The ``tinhgon`` console script: Django's manage.py plus the project's own commands.

Commands may be written with dashes: ``tinhgon import-vn-admin-units`` runs
``import_vn_admin_units``.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinhgon.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    if len(argv) > 1 and "-" in argv[1] and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
