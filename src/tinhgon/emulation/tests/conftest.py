"""The registry's small world (bodies, terms, clerks) serves the good models' tests too."""

from tinhgon.documents.tests.conftest import hcm_clerk, hn_clerk, hn_viewer, world  # noqa: F401
