import tempfile
from collections import defaultdict
from pathlib import Path

import yaml
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from apps.actors.models import Actor
from apps.sources.chicago import BATCH_SIZE, store_formatted
from apps.sources.models import Source
from apps.whole_case import integrity, search_index


class Command(BaseCommand):
    help = (
        "Load the default case file (the paper 'Vigilant Eagle: Kazakhstan's Assistance to ISAF "
        "in Afghanistan') from fixtures/casefile/ into the database. Loading is idempotent: "
        "records are matched by slug, so a second load updates instead of duplicating. "
        "Each loaded record gets a history entry ('Loaded from the case file'). "
        "With --check, report every problem in the fixture files instead of stopping at the first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only when the database holds no actors and no sources (used by `make run`).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Migrate, then check references, load what resolves, validate every record, "
            "and list records without citations, orphaned sources and missing footnotes. "
            "Use it on a scratch database (DATABASE_URL=sqlite:////tmp/check.sqlite3).",
        )
        parser.add_argument(
            "--write-manifest",
            action="store_true",
            help="After loading, write the record counts to fixtures/casefile/manifest.yaml "
            "(the tests compare a fresh load with it).",
        )
        parser.add_argument(
            "--directory",
            default=str(integrity.CASEFILE_DIR),
            help="Folder of NN_name.yaml fixture files (default: %(default)s).",
        )

    def handle(self, *args, if_empty=False, check=False, write_manifest=False, directory=None, verbosity=1, **options):
        files = integrity.fixture_files(Path(directory))
        if not files:
            raise CommandError(f"No fixture files (NN_name.yaml) in {directory}.")
        if check:
            return self.check_files(files)
        if if_empty and (Actor.objects.exists() or Source.objects.exists()):
            self.stdout.write("The database already holds records: the case file was not loaded again.")
            return
        with transaction.atomic():
            call_command("loaddata", *[str(path) for path in files], verbosity=0)
            self.record_history(files)
            # loaddata writes rows raw, around the signals that keep the index and the
            # sources' Chicago forms current.
            search_index.rebuild_index()
            store_formatted(Source.objects.order_by("pk").iterator(chunk_size=BATCH_SIZE))
        counts = integrity.counts()
        if write_manifest:
            integrity.write_manifest(counts)
            self.stdout.write(f"Wrote {integrity.MANIFEST}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the case file from {len(files)} files: "
                + ", ".join(f"{n} {label.split('.')[1]}" for label, n in counts.items() if n)
            )
        )

    def record_history(self, files):
        """One history entry per loaded record, as a save in the admin would write:
        ``loaddata`` saves rows raw, without the history django-simple-history keeps, and
        a record's history is what its restore, its stale-edit check and the API's
        ``removed/`` list read back (a record loaded and later unpublished or renamed is
        known to have been published under its slug)."""
        slugs = defaultdict(list)
        for _, row in integrity.read_rows(files):
            slugs[row["model"].lower()].append(row["fields"].get("slug"))
        now = timezone.now()
        for label, model_slugs in slugs.items():
            model = apps.get_model(label)
            if not hasattr(model, "history"):
                continue
            loaded = model._default_manager.filter(slug__in=model_slugs)
            seen_before = set(model.history.filter(id__in=loaded.values("id")).values_list("id", flat=True))
            records = list(loaded)
            # "+" for a record the load created, "~" for one it loaded over.
            for update in (False, True):
                model.history.bulk_history_create(
                    [record for record in records if (record.pk in seen_before) == update],
                    batch_size=500,
                    update=update,
                    default_date=now,
                    default_change_reason="Loaded from the case file",
                )

    def check_files(self, files):
        call_command("migrate", verbosity=0)
        if integrity.counts()["actors.actor"]:
            raise CommandError("--check needs an empty scratch database (set DATABASE_URL to a new SQLite file).")
        problems, bad = integrity.reference_problems(files)
        # Drop rows whose references do not resolve (and, repeatedly, rows that need them).
        rows = [row for _, row in integrity.read_rows(files)]
        while True:
            kept = [row for row in rows if (row["model"].lower(), row["fields"].get("slug")) not in bad]
            defined = {(row["model"].lower(), row["fields"].get("slug")) for row in kept}
            newly_bad = set()
            for row in kept:
                for value in row["fields"].values():
                    refs = value if isinstance(value, list) and value and isinstance(value[0], list) else [value]
                    for ref in refs:
                        if isinstance(ref, list) and len(ref) == 1 and isinstance(ref[0], str):
                            if not any(key[1] == ref[0] for key in defined):
                                newly_bad.add((row["model"].lower(), row["fields"].get("slug")))
            if not newly_bad - bad:
                break
            bad |= newly_bad
            rows = kept
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False, encoding="utf-8") as handle:
            yaml.safe_dump(kept, handle, allow_unicode=True)
        try:
            call_command("loaddata", handle.name, verbosity=0)
        except Exception as error:  # report, don't crash: the point is a full list
            problems.append(f"loading failed: {error}")
        else:
            problems += integrity.validation_problems()
            problems += integrity.uncited_records()
            problems += integrity.orphaned_sources()
            problems += integrity.footnote_problems()
        Path(handle.name).unlink(missing_ok=True)
        for problem in problems:
            self.stdout.write(f"- {problem}")
        counts = integrity.counts()
        self.stdout.write(", ".join(f"{n} {label}" for label, n in counts.items()))
        if problems:
            raise CommandError(f"{len(problems)} problem(s) in the case file ({connection.vendor}).")
        self.stdout.write(self.style.SUCCESS("The case file is whole: no problems found."))
