"""Pages of party organizations and members."""

from django.urls import path  # noqa: F401

app_name = "party"

urlpatterns: list = []
