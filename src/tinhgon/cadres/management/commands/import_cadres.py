from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tinhgon.cadres.importers import CadreRowsInvalid, cadres_import_file, errors_xlsx
from tinhgon.core.changelog import acting_as
from tinhgon.core.jobs import TerminalContext


class Command(BaseCommand):
    help = (
        "Import cadre records from a CSV (UTF-8, comma or semicolon) or XLSX file, one row per person "
        "(columns: docs/CADRES_IMPORT.md; Vietnamese or English headers). All or nothing; rows identical to "
        "stored records are skipped, changed rows are errors unless --update is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the CSV or XLSX file.")
        parser.add_argument("--update", action="store_true",
                            help="Change the records whose citizen ID exists and whose row differs.")
        parser.add_argument("--errors-xlsx", metavar="PATH", help="Also write the error report to this XLSX file.")
        parser.add_argument("--max-errors", type=int, default=200, help="Errors to print (default: %(default)s).")
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args, file, update, errors_xlsx: str | None, max_errors, quiet=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file.")
        bar = TerminalContext(stream=self.stderr._out, quiet=quiet or options.get("verbosity", 1) == 0)
        try:
            with path.open("rb") as fh, acting_as(None, source="cli"):
                result = cadres_import_file(fileobj=fh, filename=path.name, update=update,
                                            progress=lambda n: bar.progress(n, None, "rows read"))
        except CadreRowsInvalid as exc:
            for e in exc.errors_list[:max_errors]:
                self.stderr.write(str(e))
            if len(exc.errors_list) > max_errors:
                self.stderr.write(f"… and {len(exc.errors_list) - max_errors} more.")
            if errors_xlsx:
                Path(errors_xlsx).write_bytes(_errors_xlsx(exc.errors_list, path.name))
                self.stderr.write(f"Error report written to {errors_xlsx}.")
            raise CommandError(f"{len(exc.errors_list)} errors in {path.name}; nothing was written.") from None
        if not bar.quiet:
            self.stderr.write("")
        self.stdout.write(f"{path.name}: {result.created} created, {result.updated} updated, "
                          f"{result.skipped} unchanged.")


_errors_xlsx = errors_xlsx
