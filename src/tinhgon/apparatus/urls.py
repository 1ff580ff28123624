from django.urls import path

from . import views

app_name = "apparatus"

urlpatterns = [
    path("", views.tree, name="tree"),
]
