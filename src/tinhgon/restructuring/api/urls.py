"""``/api/`` routes of restructuring plans (plural kebab-case paths)."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

app_name = "restructuring-api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("plans", views.PlanViewSet, basename="plan")
router.register("successions", views.SuccessionViewSet, basename="succession")

urlpatterns = [
    # Plain paths below /api/units/, whose viewset belongs to the apparatus API.
    path("units/resolve/", views.UnitResolveView.as_view(), name="unit-resolve"),
    path("units/<int:pk>/lineage/", views.UnitLineageView.as_view(), name="unit-lineage"),
    *router.urls,
]
