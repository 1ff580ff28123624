"""Pages of inspection, supervision and discipline."""

from django.urls import path  # noqa: F401

app_name = "inspection"

urlpatterns: list = []
