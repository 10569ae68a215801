from django.urls import path

from petitions import views

urlpatterns = [
    path("kien-nghi-cu-tri/", views.round_list, name="petition_rounds"),
    path("kien-nghi-cu-tri/dot/moi/", views.round_create, name="petition_round_create"),
    path("kien-nghi-cu-tri/dot/<int:pk>/", views.round_detail, name="petition_round"),
    path("kien-nghi-cu-tri/dot/<int:pk>/gan-buoi/", views.round_attach,
         name="petition_round_attach"),
    path("kien-nghi-cu-tri/dot/<int:pk>/tong-hop.docx", views.round_compilation_docx,
         name="petition_compilation_docx"),
    path("kien-nghi-cu-tri/dot/<int:pk>/ket-qua.docx", views.round_result_docx,
         name="petition_result_docx"),
    path("kien-nghi-cu-tri/to-dai-bieu/", views.delegate_groups, name="petition_groups"),
    path("kien-nghi-cu-tri/buoi/<int:pk>/", views.meeting_points, name="petition_meeting"),
    path("kien-nghi-cu-tri/buoi/<int:pk>/gan/", views.meeting_link, name="petition_meeting_link"),
    path("kien-nghi-cu-tri/y-kien/", views.point_list, name="petition_points"),
    path("kien-nghi-cu-tri/y-kien.xlsx", views.point_export, name="petition_points_xlsx"),
    path("kien-nghi-cu-tri/y-kien/<int:pk>/danh-dau/", views.point_mark, name="petition_mark"),
    path("kien-nghi-cu-tri/y-kien/<int:pk>/tra-loi/", views.point_reply, name="petition_reply"),
    path("lich-tiep-dan/", views.leader_calendar, name="petition_calendar"),
]
