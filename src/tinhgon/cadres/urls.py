from django.urls import path

from . import views
from .views import imports, manage

app_name = "cadres"

urlpatterns = [
    path("", views.cadre_list, name="cadre_list"),
    path("new/", views.cadre_create, name="cadre_create"),
    path("retiring/", views.retiring, name="retiring"),
    path("import/", imports.cadre_import, name="cadre_import"),
    path("import/template.xlsx", imports.cadre_import_template, name="cadre_import_template"),
    path("searches/save/", views.saved_search_create, name="saved_search_create"),
    path("searches/<int:pk>/delete/", views.saved_search_delete, name="saved_search_delete"),
    path("<int:pk>/", views.cadre_detail, name="cadre"),
    path("<int:pk>/edit/", views.cadre_edit, name="cadre_edit"),
    path("<int:pk>/delete/", views.cadre_delete, name="cadre_delete"),
    path("<int:pk>/photo/", views.photo_upload, name="photo_upload"),
    path("<int:pk>/account/", manage.cadre_link_user, name="cadre_link_user"),
    path("<int:pk>/photo/remove/", views.photo_remove, name="photo_remove"),
    path("<int:pk>/assignments/<int:assignment_pk>/end/", views.assignment_end, name="assignment_end"),
    path("<int:pk>/pool/<int:entry_pk>/reviews/add/", views.pool_review_add, name="pool_review_add"),
    path("<int:pk>/<slug:section>/add/", views.section_add, name="section_add"),
]
