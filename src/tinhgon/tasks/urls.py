from django.urls import path, re_path

from . import views

app_name = "tasks"

urlpatterns = [
    path("", views.my_work, name="my_work"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("programs/", views.program_list, name="program_list"),
    path("programs/new/", views.program_create, name="program_create"),
    path("programs/<int:pk>/", views.program_detail, name="program"),
    path("programs/<int:pk>/sections/new/", views.section_add, name="section_add"),
    path("programs/<int:pk>/tasks/new/", views.task_create, name="task_create"),
    path("list/", views.task_list, name="task_list"),
    path("<int:pk>/", views.task_detail, name="task"),
    path("<int:pk>/edit/", views.task_edit, name="task_edit"),
    re_path(r"^(?P<pk>[0-9]+)/do/(?P<action>issue|report|submit|extend|cancel)/$", views.task_act,
            name="task_act"),
    re_path(r"^(?P<pk>[0-9]+)/decide/(?P<action>accept|return|extension)/$", views.task_decide, name="task_decide"),
    path("accounting/", views.accounting, name="accounting"),
]
