"""The unit import pages, mounted at /apparatus/import/ inside the ``apparatus`` namespace."""

from django.urls import path

from . import views_import

urlpatterns = [
    path("", views_import.import_units, name="import_units"),
    path("template.xlsx", views_import.import_template, name="import_template"),
    path("errors.xlsx", views_import.import_errors, name="import_errors"),
]
