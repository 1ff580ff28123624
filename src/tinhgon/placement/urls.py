"""Pages of placement after restructuring."""

from django.urls import path  # noqa: F401

app_name = "placement"

urlpatterns: list = []
