"""``/api/`` routes of the cadre records (plural kebab-case paths)."""

from rest_framework.routers import DefaultRouter

from . import views

app_name = "cadres-api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("cadres", views.CadreViewSet, basename="cadre")
router.register("saved-searches", views.SavedSearchViewSet, basename="saved-search")

urlpatterns = [*router.urls]
