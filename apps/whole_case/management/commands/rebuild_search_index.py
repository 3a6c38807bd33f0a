from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from apps.whole_case import search_index


class Command(BaseCommand):
    help = (
        "Rewrite the search index from the records, in one transaction: every searchable kind of the "
        "registry, with its names, other names, descriptive text and the passages readers can see. "
        "Saves and deletions keep the index current by themselves, and load_casefile and import_casefile "
        "rebuild it; run this after writing records around Django (bulk SQL, build_synthetic_casefile) "
        "or after changing what an entry holds."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="Do not show a progress bar.")

    def handle(self, *args, no_progress=False, verbosity=1, **options):
        total = search_index.record_count()
        with tqdm(total=total, unit="records", desc="Indexing", disable=no_progress or verbosity < 1) as bar:
            with transaction.atomic():
                search_index.rebuild_index(progress=bar)
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Indexed {total} records for search."))
