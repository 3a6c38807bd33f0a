from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from apps.sources.references import FORMATS, ReferenceError
from apps.sources.services import sources_import


class Command(BaseCommand):
    help = (
        "Add the references of a BibTeX, RIS or CSL-JSON file (from Zotero, EndNote, Mendeley, JabRef or a "
        "Casefile export) to the case file as draft sources, in one transaction (all or nothing). An entry "
        "whose URL, or whose title and year, match a source already in the case file is left out and "
        "reported as matched. Every source is checked as the admin checks it; if one is refused, nothing "
        "is imported and the error names the entry as the file names it. An editor publishes the drafts."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The file to read: .bib (BibTeX), .ris (RIS) or .json (CSL-JSON).")
        parser.add_argument(
            "--format",
            choices=FORMATS,
            dest="reference_format",
            help="The file's format; by default told from its name's ending, else from its first characters.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Read and check every entry and report, but write nothing."
        )
        parser.add_argument("--no-progress", action="store_true", help="Do not show a progress bar.")

    def handle(self, *args, file, reference_format=None, dry_run=False, no_progress=False, verbosity=1, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file at {path}.")
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            raise CommandError(f"{path} is not UTF-8 text (byte {error.start}): save it as UTF-8 first.") from None
        except OSError as error:
            raise CommandError(f"{path} cannot be read: {error.strerror}.") from None

        def progress(entries):
            return tqdm(entries, unit="entries", desc="Importing", disable=no_progress or verbosity < 1)

        try:
            report = sources_import(
                text,
                user=None,
                reference_format=reference_format,
                filename=path.name,
                dry_run=dry_run,
                progress=progress,
            )
        except ReferenceError as error:
            raise CommandError(f"{path.name}: {error}") from None
        except ValidationError as error:
            raise CommandError(f"{path.name}: nothing imported.\n" + "\n".join(error.messages)) from None
        if verbosity:
            for label, source in report.matched:
                self.stdout.write(f"Matched {label} → {source.slug}")
            if verbosity > 1:
                for label, source in report.created:
                    self.stdout.write(f"{'Would create' if dry_run else 'Created'} {label} → {source.slug}")
            self.stdout.write(self.style.SUCCESS(report.summary()))
