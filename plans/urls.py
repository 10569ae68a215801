from django.urls import path

from plans import inspection_views, views

app_name = "plans"

urlpatterns = [
    path("ke-hoach/", views.plan_list, name="plan_list"),
    path("ke-hoach/moi/", views.plan_new, name="plan_new"),
    path("ke-hoach/chua-thuc-hien/", views.gap_list, name="gaps"),
    path("ke-hoach/chua-thuc-hien/xuat.xlsx", views.gap_export, name="gaps_export"),
    path("ke-hoach/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("ke-hoach/<int:pk>/xuat.xlsx", views.task_export, name="task_export"),
    path("ke-hoach/<int:pk>/nhiem-vu/moi/", views.task_new, name="task_new"),
    path("ke-hoach/nhiem-vu/<int:pk>/", views.task_detail, name="task_detail"),
    path("ke-hoach/nhiem-vu/<int:pk>/sua/", views.task_edit, name="task_edit"),
    path("ke-hoach/nhiem-vu/<int:pk>/tien-do/", views.task_progress, name="task_progress"),
    path("ke-hoach/don-vi/<int:pk>/", views.unit_page, name="unit_page"),
    path("ke-hoach/don-vi/<int:pk>/ke-hoach-thuc-hien/", views.unit_plan, name="unit_plan"),
    path("ke-hoach/don-vi/<int:pk>/quan-triet/", views.session_new, name="session_new"),
    path("ke-hoach/quan-triet/<int:pk>/sua/", views.session_edit, name="session_edit"),
    path("ke-hoach/tep/<int:pk>/", views.file_download, name="file"),
    path("ke-hoach/kiem-tra/", inspection_views.inspection_list, name="inspection_list"),
    path("ke-hoach/kiem-tra/moi/", inspection_views.inspection_new, name="inspection_new"),
    path("ke-hoach/kiem-tra/<int:pk>/", inspection_views.inspection_detail,
         name="inspection_detail"),
    path("ke-hoach/kiem-tra/<int:pk>/khac-phuc/", inspection_views.inspection_follow_up,
         name="inspection_follow_up"),
]
