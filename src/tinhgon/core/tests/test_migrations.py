"""The migrations describe the models: a model change without its migration fails here, not on a
production database."""

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_without_its_migration():
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:  # --check exits 1 when a migration is missing
        raise AssertionError("models changed without a migration:\n" + out.getvalue()) from exit_
