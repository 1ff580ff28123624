"""``/api/`` routes of work programs and tasks."""

from rest_framework.routers import DefaultRouter

app_name = "tasks-api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False

urlpatterns = [*router.urls]
