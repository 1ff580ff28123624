"""``/api/`` routes of citizen petitions."""

from rest_framework.routers import DefaultRouter

from . import views

app_name = "petitions-api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("petitions", views.PetitionViewSet, basename="petition")
router.register("hotspots", views.HotSpotViewSet, basename="hotspot")
router.register("reception-sessions", views.ReceptionSessionViewSet, basename="reception-session")
router.register("dialogues", views.DialogueSessionViewSet, basename="dialogue")

urlpatterns = [*router.urls]
