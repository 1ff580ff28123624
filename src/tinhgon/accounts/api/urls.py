from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("users", views.UserViewSet, basename="user")

urlpatterns = [
    path("me/", views.MeView.as_view(), name="api_me"),
    path("auth/token/", views.ObtainTokenView.as_view(), name="api_token"),
    *router.urls,
]
