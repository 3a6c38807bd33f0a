"""Integrity checks for a case file: references, validation, citations, notes.

Used by ``manage.py load_casefile --check`` (for the people who encode a paper)
and by the test suite (so the shipped case file stays whole).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

import yaml
from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models

from apps.citations.choices import CITABLE_FIELDS
from apps.citations.models import Citation
from apps.sources.models import Note, Source

from .registry import casefile_models

CASEFILE_DIR = Path(settings.BASE_DIR) / "fixtures" / "casefile"
MANIFEST = CASEFILE_DIR / "manifest.yaml"
CASE_DOCUMENT_SLUG = "vigilant-eagle-paper"


def fixture_files(directory: Path = CASEFILE_DIR) -> list[Path]:
    return sorted(directory.glob("[0-9][0-9]_*.yaml"))


def read_rows(files):
    """Yield (file, row) for every fixture row, raising a clear error on bad YAML."""
    for path in files:
        with open(path, encoding="utf-8") as handle:
            try:
                rows = yaml.safe_load(handle) or []
            except yaml.YAMLError as error:
                raise ValueError(f"{path.name}: not valid YAML: {error}") from None
        for row in rows:
            yield path, row


def reference_problems(files) -> tuple[list[str], set[tuple[str, str]]]:
    """Check every natural-key reference resolves; return problems and bad rows."""
    problems, index, rows = [], defaultdict(Counter), []
    for path, row in read_rows(files):
        label = row.get("model", "")
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            problems.append(f"{path.name}: unknown model “{label}”")
            continue
        slug = (row.get("fields") or {}).get("slug")
        if not slug:
            problems.append(f"{path.name}: a {label} row has no slug")
            continue
        index[model._meta.label_lower][slug] += 1
        rows.append((path, model, row))
    for label, counter in index.items():
        for slug, count in counter.items():
            if count > 1:
                problems.append(f"{label} “{slug}” is defined {count} times")
    bad = set()
    for path, model, row in rows:
        fields, slug = row["fields"], row["fields"]["slug"]
        for name, value in fields.items():
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                problems.append(f"{path.name}: {model._meta.label_lower} “{slug}”: no field “{name}”")
                bad.add((model._meta.label_lower, slug))
                continue
            if not field.is_relation or value in (None, [], ""):
                continue
            target = field.related_model._meta.label_lower
            keys = value if field.many_to_many else [value]
            for key in keys:
                key_slug = key[0] if isinstance(key, list) and key else key
                if key_slug not in index[target]:
                    problems.append(
                        f"{path.name}: {model._meta.label_lower} “{slug}”.{name} → unresolved {target} “{key_slug}”"
                    )
                    bad.add((model._meta.label_lower, slug))
    return problems, bad


def validation_problems() -> list[str]:
    """Run model validation (clean() and constraints) on every stored record."""
    problems = []
    for model in casefile_models():
        for obj in model.objects.all():
            try:
                obj.full_clean()
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    problems.append(f"{model._meta.label_lower} “{obj.slug}” {field}: {' '.join(messages)}")
    return problems


def uncited_records() -> list[str]:
    """Every record of a citable kind must cite at least one source."""
    problems = []
    for name in CITABLE_FIELDS:
        model = Citation._meta.get_field(name).related_model
        for slug in model.objects.filter(citations__isnull=True).values_list("slug", flat=True):
            problems.append(f"{model._meta.label_lower} “{slug}” has no citation")
    return problems


def orphaned_sources() -> list[str]:
    """A source nothing cites (no citation, no note) is noise or a lost link."""
    orphans = Source.objects.filter(citations__isnull=True, cited_in_notes__isnull=True).exclude(
        notes_in_document__isnull=False
    )
    return [f"sources.source “{slug}” is cited by nothing" for slug in orphans.values_list("slug", flat=True)]


def footnote_problems(document_slug=CASE_DOCUMENT_SLUG, expected=range(1, 99)) -> list[str]:
    if not Source.objects.filter(slug=document_slug).exists():
        return [f"the case document “{document_slug}” is missing"]
    numbers = set(Note.objects.filter(document__slug=document_slug, kind="footnote").values_list("number", flat=True))
    missing = sorted(set(expected) - numbers)
    problems = [f"footnote {n} of the case document is not encoded" for n in missing]
    for note in Note.objects.filter(document__slug=document_slug).annotate(n=models.Count("cites")):
        if note.n == 0 and "Ibid" not in note.text and note.kind == "bibliography":
            problems.append(f"{note} cites no source")
    return problems


def counts() -> dict[str, int]:
    return {
        model._meta.label_lower: model.objects.count() for model in casefile_models()
    }


def manifest_counts() -> dict[str, int]:
    with open(MANIFEST, encoding="utf-8") as handle:
        return yaml.safe_load(handle)["counts"]


def write_manifest(record_counts: dict[str, int]) -> None:
    header = (
        "# Record counts of the default case file, checked by the tests after a fresh load.\n"
        "# Regenerate after changing the fixtures: manage.py load_casefile --write-manifest (empty DB).\n"
    )
    with open(MANIFEST, "w", encoding="utf-8") as handle:
        handle.write(header)
        yaml.safe_dump({"counts": record_counts}, handle, sort_keys=False)
