from django.urls import include, path

from . import views

app_name = "apparatus"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("import/", include("tinhgon.apparatus.urls_import")),
]
