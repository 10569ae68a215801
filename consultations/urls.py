from django.urls import path

from consultations import policy_views, views

urlpatterns = [
    path("gop-y-du-thao/", views.draft_list, name="consult_draft_list"),
    path("gop-y-du-thao/tai-len/", views.draft_upload, name="consult_draft_upload"),
    path("gop-y-du-thao/<int:pk>/", views.draft_detail, name="consult_draft_detail"),
    path("gop-y-du-thao/<int:pk>/dieu-khoan/<int:provision_pk>/", views.provision_detail,
         name="consult_provision"),
    path("gop-y-du-thao/<int:pk>/tong-hop/", views.synthesis, name="consult_synthesis"),
    path("gop-y-du-thao/<int:pk>/tong-hop/<int:group_pk>/tra-loi/", views.answer,
         name="consult_answer"),
    path("gop-y-du-thao/<int:pk>/tong-hop.docx", views.synthesis_docx,
         name="consult_synthesis_docx"),
    path("gop-y-du-thao/cong-khai/<int:pk>/", views.public_draft, name="consult_public"),
]

# Policies, projects, campaigns and their consultation files (R3, R7).
urlpatterns += [
    path("chinh-sach/", policy_views.policy_list, name="consult_policy_list"),
    path("chinh-sach/them/", policy_views.policy_create, name="consult_policy_create"),
    path("chinh-sach/<int:pk>/", policy_views.policy_detail, name="consult_policy_detail"),
    path("chinh-sach/<int:pk>/sua/", policy_views.policy_edit, name="consult_policy_edit"),
    path("chinh-sach/<int:pk>/giai-doan/", policy_views.policy_stage,
         name="consult_policy_stage"),
    path("chinh-sach/<int:pk>/mien/", policy_views.policy_waiver, name="consult_policy_waiver"),
    path("chinh-sach/<int:pk>/gan-nguon/", policy_views.policy_link, name="consult_policy_link"),
    path("chinh-sach/<int:pk>/bo-nguon/<int:link_pk>/", policy_views.policy_unlink,
         name="consult_policy_unlink"),
    path("chinh-sach/<int:pk>/kho-khan/", policy_views.policy_difficulty,
         name="consult_policy_difficulty"),
]
