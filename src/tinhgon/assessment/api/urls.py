"""``/api/`` routes of assessment by results."""

from rest_framework.routers import DefaultRouter

app_name = "assessment-api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False

urlpatterns = [*router.urls]
