from django.urls import path

from reporting import views_consolidated as views

urlpatterns: list = [
    path("tong-hop/", views.consolidated_list, name="consolidated_list"),
    path("tong-hop/tao/", views.consolidated_generate, name="consolidated_generate"),
    path("tong-hop/<int:pk>/", views.consolidated_detail, name="consolidated_detail"),
    path("tong-hop/<int:pk>/bao-cao.docx", views.consolidated_docx, name="consolidated_docx"),
    path("tong-hop/<int:pk>/bao-cao.pdf", views.consolidated_pdf, name="consolidated_pdf"),
    path("tong-hop/<int:pk>/bang-bieu.xlsx", views.consolidated_xlsx, name="consolidated_xlsx"),
]
