"""``/api/`` routes of assessment by results."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

app_name = "assessment-api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("assessment/cycles", views.CycleViewSet, basename="cycle")
router.register("assessment/results", views.ResultViewSet, basename="result")

urlpatterns = [
    path("assessment/classify/", views.ClassifyView.as_view(), name="classify"),
    *router.urls,
]
