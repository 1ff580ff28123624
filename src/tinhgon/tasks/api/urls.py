"""``/api/`` routes of work programs and tasks."""

from rest_framework.routers import DefaultRouter

from . import views

app_name = "tasks-api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("programs", views.ProgramViewSet, basename="program")
router.register("tasks", views.TaskViewSet, basename="task")

urlpatterns = [*router.urls]
