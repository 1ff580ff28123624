from django.urls import path

from . import views

app_name = "addresses"

urlpatterns = [
    path("", views.convert, name="convert"),
    path("bulk/", views.bulk_convert, name="bulk"),
]
