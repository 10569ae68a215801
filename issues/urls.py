from django.urls import path

from issues import views

urlpatterns: list = [
    path("van-de/", views.issue_list, name="issue_list"),
    path("van-de/xuat.xlsx", views.issue_export, name="issue_export"),
    path("van-de/qua-han/", views.issue_overdue, name="issue_overdue"),
    path("van-de/de-xuat-gop/", views.merge_proposals, name="merge_proposals"),
    path("van-de/de-xuat-gop/<int:pk>/gop/", views.merge_proposal_accept,
         name="merge_proposal_accept"),
    path("van-de/de-xuat-gop/<int:pk>/bo-qua/", views.merge_proposal_dismiss,
         name="merge_proposal_dismiss"),
    path("van-de/<int:pk>/", views.issue_detail, name="issue_detail"),
    path("van-de/<int:pk>/trang-thai/", views.issue_status, name="issue_status"),
    path("van-de/<int:pk>/giao/", views.issue_assign, name="issue_assign"),
    path("van-de/<int:pk>/doi-ten/", views.issue_rename, name="issue_rename"),
    path("van-de/<int:pk>/gop/", views.issue_merge, name="issue_merge"),
    path("van-de/<int:pk>/tach/", views.issue_split, name="issue_split"),
    path("canh-bao/", views.alert_list, name="alert_list"),
    path("canh-bao/<int:pk>/da-xem/", views.alert_ack, name="alert_ack"),
    path("tra-loi/moi/", views.answer_create, name="answer_create"),
    path("tra-loi/", views.public_answers, name="public_answers"),
    path("tra-loi/<int:pk>/", views.public_answer, name="public_answer"),
    path("tra-cuu/", views.public_track, name="public_track"),
    path("tra-cuu/yeu-cau-xoa/", views.public_erasure_request, name="public_erasure_request"),
]
