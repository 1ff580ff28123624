from django.urls import path

from . import views

app_name = "cadres"

urlpatterns = [
    path("", views.cadre_list, name="cadre_list"),
]
