"""The search index, and each database's text index over it.

PostgreSQL: the pg_trgm extension, a GIN index on the weighted ``document`` and a GIN
trigram index on the terms. SQLite: two FTS5 tables, one of words weighted by column
(rowid = the entry's id) and one of the terms' trigrams (rowid = the term's id), with
triggers that copy every insert, update and delete into them. Each step checks the
database it runs on, so the same migration serves both.
"""

import django.contrib.postgres.search
from django.contrib.postgres.operations import TrigramExtension
import django.db.models.deletion
from django.db import migrations, models


POSTGRESQL = (
    "CREATE INDEX search_entry_document ON whole_case_searchentry USING gin (document)",
    "CREATE INDEX search_term_trigrams ON whole_case_searchterm USING gin (term gin_trgm_ops)",
    # pg_trgm declares its similarity operator (%) as cheap as an equality, so the planner
    # prefers reading every term and comparing it (1.5 s on 150,000 terms) to the trigram
    # index (20 ms). Its real cost, per call, is that of building two sets of trigrams.
    # Only the extension's owner may say so; without that right, search still works, slower.
    "DO $$ BEGIN ALTER FUNCTION similarity_op(text, text) COST 200; "
    "EXCEPTION WHEN insufficient_privilege THEN RAISE NOTICE 'similarity_op keeps its cost'; END $$",
)
POSTGRESQL_DROP = (
    "DROP INDEX IF EXISTS search_entry_document",
    "DROP INDEX IF EXISTS search_term_trigrams",
    "DO $$ BEGIN ALTER FUNCTION similarity_op(text, text) COST 1; "
    "EXCEPTION WHEN insufficient_privilege THEN NULL; END $$",
)
SQLITE = (
    # Porter stemming, as PostgreSQL's English configuration stems ("joins" finds "joined").
    "CREATE VIRTUAL TABLE whole_case_search_words USING fts5("
    "name, aliases, body, passages, tokenize = 'porter unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE whole_case_search_trigrams USING fts5(term, tokenize = 'trigram')",
    # Triggers keep both in step with every write to the entries and terms, a flush included.
    "CREATE TRIGGER whole_case_search_words_insert AFTER INSERT ON whole_case_searchentry BEGIN "
    "INSERT INTO whole_case_search_words (rowid, name, aliases, body, passages) "
    "VALUES (new.id, new.name, new.aliases, new.body, new.passages); END",
    "CREATE TRIGGER whole_case_search_words_delete AFTER DELETE ON whole_case_searchentry BEGIN "
    "DELETE FROM whole_case_search_words WHERE rowid = old.id; END",
    "CREATE TRIGGER whole_case_search_words_update AFTER UPDATE ON whole_case_searchentry BEGIN "
    "DELETE FROM whole_case_search_words WHERE rowid = old.id; "
    "INSERT INTO whole_case_search_words (rowid, name, aliases, body, passages) "
    "VALUES (new.id, new.name, new.aliases, new.body, new.passages); END",
    "CREATE TRIGGER whole_case_search_trigrams_insert AFTER INSERT ON whole_case_searchterm BEGIN "
    "INSERT INTO whole_case_search_trigrams (rowid, term) VALUES (new.id, new.term); END",
    "CREATE TRIGGER whole_case_search_trigrams_delete AFTER DELETE ON whole_case_searchterm BEGIN "
    "DELETE FROM whole_case_search_trigrams WHERE rowid = old.id; END",
    "CREATE TRIGGER whole_case_search_trigrams_update AFTER UPDATE ON whole_case_searchterm BEGIN "
    "DELETE FROM whole_case_search_trigrams WHERE rowid = old.id; "
    "INSERT INTO whole_case_search_trigrams (rowid, term) VALUES (new.id, new.term); END",
)
SQLITE_DROP = (
    *(
        f"DROP TRIGGER IF EXISTS whole_case_search_{table}_{event}"
        for table in ("words", "trigrams")
        for event in ("insert", "delete", "update")
    ),
    "DROP TABLE IF EXISTS whole_case_search_words",
    "DROP TABLE IF EXISTS whole_case_search_trigrams",
)


def _run(schema_editor, statements):
    for statement in statements.get(schema_editor.connection.vendor, ()):
        schema_editor.execute(statement)


def create_text_indexes(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRESQL, "sqlite": SQLITE})


def drop_text_indexes(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRESQL_DROP, "sqlite": SQLITE_DROP})


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        # Does nothing on SQLite (Django's extension operations check the database).
        TrigramExtension(),
        migrations.CreateModel(
            name='SearchEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=32)),
                ('object_id', models.PositiveBigIntegerField()),
                ('slug', models.CharField(max_length=120)),
                ('url', models.CharField(help_text="The record's page, for suggestions offered as one types.", max_length=300)),
                ('published', models.BooleanField()),
                ('name', models.TextField()),
                ('aliases', models.TextField(blank=True)),
                ('body', models.TextField(blank=True)),
                ('passages', models.TextField(blank=True)),
                ('document', django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
            ],
            options={
                'verbose_name_plural': 'search entries',
                'constraints': [models.UniqueConstraint(fields=('kind', 'object_id'), name='search_entry_unique_record')],
            },
        ),
        migrations.CreateModel(
            name='SearchTerm',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('term', models.CharField(db_index=True, max_length=200)),
                ('whole', models.BooleanField()),
                ('entry', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='terms', to='whole_case.searchentry')),
            ],
        ),
        migrations.RunPython(create_text_indexes, drop_text_indexes),
    ]
