from django.urls import path

from consultations import views

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
