from django.urls import path

from . import views_changes

app_name = "core"

urlpatterns = [
    path("", views_changes.change_list, name="change_list"),
]
