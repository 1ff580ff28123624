from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tinhgon.cadres import exports
from tinhgon.cadres.filtersets import unit_path_for_code
from tinhgon.cadres.models import Cadre
from tinhgon.core.scoping import restrict, scope_q


class Command(BaseCommand):
    help = (
        "Export cadre records to an XLSX or CSV file (by the extension) with the import's columns, so the "
        "file re-imports unchanged. With --user, only that user's scope, masked as that user sees it. "
        "Every unmasked record exported is written to the personal-data access log."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the .xlsx or .csv file to write.")
        parser.add_argument("--within", metavar="CODE", help="Only the cadres inside the unit with this code.")
        parser.add_argument("--user", metavar="USERNAME", help="Export as this user (scope and masking).")
        parser.add_argument("--masked", action="store_true", help="Mask citizen IDs and birth dates.")

    def handle(self, *args, file, within, user, masked, **options):
        path = Path(file)
        if path.suffix.lower() not in (".xlsx", ".csv"):
            raise CommandError("The file must end in .xlsx or .csv.")
        qs = Cadre.objects.select_related("unit")
        account = None
        if user:
            from django.contrib.auth import get_user_model

            account = get_user_model().objects.filter(username=user).first()
            if account is None:
                raise CommandError(f"No user {user}.")
            qs = restrict(qs, account)
        if within:
            prefix = unit_path_for_code(within)
            if prefix is None:
                raise CommandError(f"Unknown unit code {within}.")
            qs = qs.filter(scope_q("unit_path", [prefix]))
        unmasked = False if masked else (None if account else True)
        if path.suffix.lower() == ".xlsx":
            path.write_bytes(exports.cadres_xlsx(qs, account, unmasked=unmasked, path=str(path)))
        else:
            with path.open("w", encoding="utf-8", newline="") as fh:
                exports.write_csv(fh, qs, account, unmasked=unmasked, path=str(path))
        self.stdout.write(f"{qs.count()} cadres written to {path}.")
