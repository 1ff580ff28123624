from django.urls import path

from . import views

app_name = "restructuring"

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("resolve/", views.resolve, name="resolve"),
]
