"""Pages of good models and practices."""

from django.urls import path

from . import views

app_name = "emulation"

urlpatterns = [
    path("", views.good_model_list, name="good_model_list"),
    path("new/", views.good_model_create, name="good_model_create"),
    path("counts/", views.counts, name="counts"),
    path("<int:pk>/", views.good_model_detail, name="good_model"),
    path("<int:pk>/edit/", views.good_model_edit, name="good_model_edit"),
    path("<int:pk>/delete/", views.good_model_delete, name="good_model_delete"),
    path("<int:pk>/evidence/", views.good_model_evidence, name="good_model_evidence"),
]
