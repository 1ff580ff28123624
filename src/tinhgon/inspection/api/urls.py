"""``/api/`` routes of inspection, supervision and discipline."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

app_name = "inspection-api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("inspection-plans", views.InspectionPlanViewSet, basename="inspection-plan")
router.register("inspections", views.InspectionViewSet, basename="inspection")
router.register("recommendations", views.RecommendationViewSet, basename="recommendation")

urlpatterns = [
    path("inspection/early-warning/", views.EarlyWarningView.as_view(), name="early-warning"),
    *router.urls,
]
