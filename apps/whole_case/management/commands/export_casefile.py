import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from apps.whole_case import backup


class Command(BaseCommand):
    help = (
        "Write the whole case file to one JSON file: every record and sub-record (sources, notes, places, "
        "actors, affiliations, agreements with their parties and steps, deployments and roles, exercises "
        "and participants, events and participants, citations) with its relations, publication status, "
        "timestamps and version. Records are keyed by slug and sorted, so exporting again after "
        "`import_casefile` gives the same file (apart from exported_at; with --no-timestamp, byte for "
        "byte). History is not included. Restore with `manage.py import_casefile PATH`."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="File to write (it is replaced); “-” writes to standard output.")
        parser.add_argument(
            "--no-timestamp",
            action="store_true",
            help="Leave exported_at empty (null), so two exports of the same data are byte-identical.",
        )
        parser.add_argument("--no-progress", action="store_true", help="Do not show a progress bar.")

    def handle(self, *args, path, no_timestamp=False, no_progress=False, verbosity=1, **options):
        total = backup.count_rows()
        with tqdm(
            total=total, unit="records", desc="Exporting", disable=no_progress or verbosity < 1 or path == "-"
        ) as progress:
            text = backup.dumps(backup.export_document(timestamp=not no_timestamp, progress=progress))
        if path == "-":
            self.stdout.write(text, ending="")
            return
        target = Path(path)
        if not target.parent.exists():
            raise CommandError(f"The folder {target.parent} does not exist.")
        # Write beside the target, then rename: an interrupted export never leaves half a file.
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, target)
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Exported {total} records to {target}."))
