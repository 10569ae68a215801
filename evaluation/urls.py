from django.urls import path

from evaluation import collaborator_views, incident_views, views

app_name = "evaluation"

urlpatterns = [
    path("danh-gia/", views.board, name="board"),
    path("danh-gia/xuat.xlsx", views.board_export, name="board_export"),
    path("danh-gia/chot/", views.finalise, name="finalise"),
    path("danh-gia/don-vi/<int:pk>/", views.card, name="card"),
    path("danh-gia/don-vi/<int:pk>/y-kien/", views.card_comment, name="card_comment"),
    path("danh-gia/don-vi/<int:pk>/cham/", views.card_enter, name="card_enter"),
    path("danh-gia/tieu-chi/", views.criteria_list, name="criteria_list"),
    path("danh-gia/tieu-chi/moi/", views.criteria_new, name="criteria_new"),
    path("danh-gia/vu-viec/", incident_views.incident_list, name="incident_list"),
    path("danh-gia/vu-viec/moi/", incident_views.incident_new, name="incident_new"),
    path("danh-gia/vu-viec/bo-qua/", incident_views.candidate_dismiss, name="candidate_dismiss"),
    path("danh-gia/vu-viec/<int:pk>/", incident_views.incident_detail, name="incident_detail"),
    path("danh-gia/vu-viec/<int:pk>/ket-luan/", incident_views.incident_review,
         name="incident_review"),
    path("danh-gia/cong-tac-vien/", collaborator_views.collaborator_activity,
         name="collaborator_activity"),
]
