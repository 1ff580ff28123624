"""``/api/`` routes of placement after restructuring."""

from rest_framework.routers import DefaultRouter

from . import views

app_name = "placement-api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("placement-rounds", views.RoundViewSet, basename="round")
router.register("placement-units", views.RoundUnitViewSet, basename="round-unit")
router.register("placement-posts", views.SlotViewSet, basename="post")
router.register("placement-candidates", views.CandidateViewSet, basename="candidate")
router.register("placement-events", views.RoundEventViewSet, basename="event")

urlpatterns = [*router.urls]
