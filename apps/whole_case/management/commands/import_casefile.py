from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from apps.whole_case import backup


class Command(BaseCommand):
    help = (
        "Load a case file written by `manage.py export_casefile` into this database, in one transaction "
        "(all or nothing). The database must hold no case-file records; with --merge, the file's records "
        "are added to it and records with the same slug are overwritten by the file's version (nothing "
        "is deleted). Every record is checked as the admin checks it; if one is refused, nothing is "
        "imported and the error names the record (kind and slug) and the field. Each imported record gets "
        "a first history entry naming the file. Run `migrate` first."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A JSON file written by export_casefile.")
        parser.add_argument(
            "--merge",
            action="store_true",
            help="Import into a database that already holds records: add new ones, overwrite same-slug ones.",
        )
        parser.add_argument("--no-progress", action="store_true", help="Do not show a progress bar.")

    def handle(self, *args, path, merge=False, no_progress=False, verbosity=1, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"There is no file at {source}.")
        try:
            text = source.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            raise CommandError(f"{source} is not UTF-8 text (byte {error.start}), so not a Casefile backup.") from None
        except OSError as error:
            raise CommandError(f"{source} cannot be read: {error.strerror}.") from None
        try:
            document = backup.read_document(text)
            total = backup.record_count(document)
            with tqdm(total=total, unit="records", desc="Importing", disable=no_progress or verbosity < 1) as bar:
                backup.import_document(
                    document, merge=merge, change_reason=f"Imported from {source.name}", progress=bar
                )
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        if verbosity:
            how = "Merged" if merge else "Imported"
            self.stdout.write(self.style.SUCCESS(f"{how} {total} records from {source}."))
