"""``/api/`` routes of the apparatus registry (plural kebab-case paths)."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

app_name = "apparatus-api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("units", views.UnitViewSet, basename="unit")
router.register("levels", views.LevelViewSet, basename="level")
router.register("unit-kinds", views.UnitKindViewSet, basename="unit-kind")
router.register("body-kinds", views.BodyKindViewSet, basename="body-kind")
router.register("functions", views.FunctionViewSet, basename="function")
router.register("powers", views.PowerViewSet, basename="power")
router.register("function-holdings", views.FunctionHoldingViewSet, basename="function-holding")
router.register("power-holdings", views.PowerHoldingViewSet, basename="power-holding")
router.register("positions", views.PositionViewSet, basename="position")
router.register("payroll-quotas", views.PayrollQuotaViewSet, basename="payroll-quota")
router.register("rule-sets", views.RuleSetViewSet, basename="rule-set")
router.register("terms", views.TermViewSet, basename="term")

urlpatterns = [
    path("payroll-roadmap/", views.PayrollRoadmapView.as_view(), name="payroll-roadmap"),
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
    *router.urls,
]
