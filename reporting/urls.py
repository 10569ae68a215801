from django.urls import path

from reporting import views, views_approval, views_compliance, views_inbox, views_proposals

urlpatterns: list = [
    path("bao-cao/", views.report_list, name="report_list"),
    path("bao-cao/xuat.xlsx", views.report_export, name="report_export"),
    path("bao-cao/moi/", views.report_start, name="report_start"),
    path("bao-cao/<int:pk>/", views.report_detail, name="report_detail"),
    path("bao-cao/<int:pk>/sua/", views.report_edit, name="report_edit"),
    path("bao-cao/<int:pk>/de-xuat/", views_proposals.report_proposals, name="report_proposals"),
    path("bao-cao/<int:pk>/nop/", views.report_submit, name="report_submit"),
    path("bao-cao/<int:pk>/tra-lai/", views.report_return, name="report_return"),
    path("bao-cao/cho-duyet/", views_approval.approval_waiting, name="approval_waiting"),
    path("bao-cao/<int:pk>/duyet/", views_approval.report_approve, name="report_approve"),
    path("bao-cao/<int:pk>/chap-nhan/", views_approval.report_accept, name="report_accept"),
    path("bao-cao/<int:pk>/mo-khoa/", views_approval.report_unlock, name="report_unlock"),
    path(
        "bao-cao/<int:report_pk>/luong/<int:stream_pk>/van-de/",
        views.stream_issues,
        name="stream_issues",
    ),
    path("van-de/<int:pk>/bao-cao/", views.issue_streams, name="issue_streams"),
    path("don-vi/<int:pk>/bao-cao/", views.unit_reports, name="unit_reports"),
    path("ty-le-nop/", views_compliance.compliance, name="compliance"),
    path("ty-le-nop/xuat.xlsx", views_compliance.compliance_export, name="compliance_export"),
    path("hop-thu/", views_inbox.office_inbox, name="office_inbox"),
    path("hop-thu/don-vi/<int:pk>/nhac/", views_inbox.office_inbox_remind,
         name="office_inbox_remind"),
    path("mau-bao-cao/", views.template_list, name="template_list"),
    path("mau-bao-cao/moi/", views.template_create, name="template_create"),
    path("mau-bao-cao/<int:pk>/", views.template_edit, name="template_edit"),
]
