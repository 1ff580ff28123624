import datetime as dt
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tinhgon.addresses import bulk
from tinhgon.core.jobs import TerminalContext
from tinhgon.core.uploads import ImportLimits

# A file on the server's own disk is not an upload: no row limit, the stream keeps memory flat.
UNBOUNDED = ImportLimits(max_rows=10**10, max_columns=500, max_cells=10**12, max_unpacked_bytes=64 * 1024**3,
                         max_compression_ratio=1000, max_seconds=10**9)


class Command(BaseCommand):
    help = ("Convert the addresses of a CSV or XLSX file to the units valid on a date (default today): the same "
            "rows, with new columns (new commune, code, province, new address, status, candidates, note).")

    def add_arguments(self, parser):
        parser.add_argument("input", help="CSV (UTF-8) or XLSX file.")
        parser.add_argument("output", help="Where to write the converted file (.csv or .xlsx).")
        parser.add_argument("--column", default="", help="Header of the column holding the address.")
        parser.add_argument("--commune", default="", help="Header of the commune column (instead of --column).")
        parser.add_argument("--district", default="", help="Header of the district column.")
        parser.add_argument("--province", default="", help="Header of the province column.")
        parser.add_argument("--as-of", default="", help="Day the answer holds on, YYYY-MM-DD (default today).")
        parser.add_argument("--reverse", action="store_true",
                            help="New addresses back to the old units they came from.")
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args, input, output, column, commune, district, province, as_of, reverse, quiet, **options):
        src = Path(input)
        if not src.is_file():
            raise CommandError(f"{input}: no such file.")
        out_kind = "xlsx" if output.lower().endswith((".xlsx", ".xlsm")) else "csv"
        try:
            day = dt.date.fromisoformat(as_of) if as_of else timezone.localdate()
        except ValueError:
            raise CommandError(f"--as-of {as_of!r}: write YYYY-MM-DD.") from None
        spec = bulk.Spec.from_params({"column": column, "commune": commune, "district": district,
                                      "province": province})
        bar = TerminalContext(stream=self.stderr._out, quiet=quiet or options.get("verbosity", 1) == 0)
        try:
            with src.open("rb") as fh:
                total = bulk.count_rows(fh, src.name, UNBOUNDED)
                with open(output, "wb") as out:
                    result = bulk.convert_file(
                        fh, src.name, out, spec, as_of=day, reverse=reverse, total=total, out_kind=out_kind,
                        limits=UNBOUNDED, progress=lambda n, t: bar.progress(n, t, "addresses"))
        except ValidationError as exc:
            Path(output).unlink(missing_ok=True)
            raise CommandError(" ".join(exc.messages)) from None
        by = ", ".join(f"{k} {v:,}" for k, v in sorted(result["by_status"].items()))
        self.stdout.write(f"{src.name}: {result['rows']:,} addresses → {output} ({by}).")
