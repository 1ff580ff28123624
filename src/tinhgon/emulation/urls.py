"""Pages of good models and practices."""

from django.urls import path  # noqa: F401

app_name = "emulation"

urlpatterns: list = []
