from django.urls import path

from . import views_changes, views_jobs

app_name = "core"

urlpatterns = [
    path("changes/", views_changes.change_list, name="change_list"),
    path("jobs/", views_jobs.job_list, name="job_list"),
    path("jobs/<int:pk>/", views_jobs.job_detail, name="job"),
    path("jobs/<int:pk>/progress/", views_jobs.job_progress, name="job_progress"),
    path("jobs/<int:pk>/cancel/", views_jobs.job_cancel, name="job_cancel"),
    path("jobs/<int:pk>/errors.xlsx", views_jobs.job_errors, name="job_errors"),
    path("jobs/<int:pk>/file/", views_jobs.job_output, name="job_output"),
]
