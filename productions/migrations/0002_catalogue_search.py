"""The catalogue's French full-text search on PostgreSQL: the ``unaccent``
extension (trusted since PostgreSQL 13), a ``french_unaccent`` configuration
(accents removed, then French stemming), the stored vector and its GIN index.
SQLite gets the column only (it stays NULL; productions.catalogue.search falls
back to a simpler match)."""

import django.contrib.postgres.search
from django.db import migrations

CONFIGURATION = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION french_unaccent
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
    END IF;
END
$$;
"""
INDEX = "CREATE INDEX IF NOT EXISTS scenario_search_idx ON productions_scenario USING gin (search_vector);"


def configure(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CONFIGURATION)


def index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(INDEX)
    from productions.catalogue.search import index_scenarios

    index_scenarios()


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS scenario_search_idx;")


class Migration(migrations.Migration):
    dependencies = [
        ("productions", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(configure, migrations.RunPython.noop, elidable=False),
        migrations.AddField(
            model_name="scenario",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(index, drop_index, elidable=False),
    ]
