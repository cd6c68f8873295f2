"""The account pages, the home redirect, the composite pages (hearth.web.pages) and the
access logs; each app's own pages are in its urls.py (ADR 0008)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from hearth.web import access_log, views
from hearth.web.account import views as account
from hearth.web.pages import case, caseload, child, people, policy, units

urlpatterns = [
    path("accounts/login/", account.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", account.account, name="account"),
    path("accounts/password/", account.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/two-factor/set-up/", account.two_factor_setup, name="two_factor_setup"),
    path("accounts/two-factor/verify/", account.two_factor_verify, name="two_factor_verify"),
    path(
        "accounts/two-factor/recovery-codes/",
        account.recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path("accounts/tokens/", account.api_tokens, name="api_tokens"),
    path("accounts/tokens/<int:pk>/revoke/", account.api_token_revoke, name="api_token_revoke"),
    path("", views.home, name="home"),
    path("caseload/", caseload.caseload, name="caseload"),
    path("cases/<int:pk>/", case.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", case.case_edit, name="case_edit"),
    path("cases/<int:pk>/status/", case.case_status, name="case_status"),
    path("cases/<int:pk>/restriction/", case.case_restrict, name="case_restrict"),
    path("cases/<int:pk>/named-staff/", case.case_named_staff_add, name="case_named_staff_add"),
    path("cases/<int:pk>/named-staff/end/", case.case_named_staff_end, name="case_named_staff_end"),
    path("cases/<int:pk>/members/", case.case_member_add, name="case_member_add"),
    path("cases/<int:pk>/children/<int:child_id>/", child.case_child, name="case_child"),
    path(
        "cases/<int:pk>/children/<int:child_id>/<slug:action>/",
        child.case_child_action,
        name="case_child_action",
    ),
    path("people/", people.people_search, name="people_search"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", people.person_edit, name="person_edit"),
    path("units/", units.unit_list, name="unit_list"),
    path("units/<int:pk>/", units.unit_detail, name="unit_detail"),
    path("agency/policy/", policy.policy_settings, name="policy_settings"),
    path("cases/<int:pk>/access-log/", access_log.case_access_log, name="case_access_log"),
    path("people/<int:pk>/access-log/", access_log.person_access_log, name="person_access_log"),
]
