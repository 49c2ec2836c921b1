from django.urls import path

from liangxin.web.accounts import users, views

app_name = "accounts"
urlpatterns = [
    path("password/", views.password_view, name="password"),
    path("totp/", views.totp_view, name="totp"),
    path("users/<int:pk>/totp-reset/", users.user_totp_reset, name="user_totp_reset"),
    path("users/", users.user_list, name="users"),
    path("users/new/", users.user_edit, name="user_new"),
    path("users/<int:pk>/", users.user_edit, name="user_edit"),
    path("users/<int:pk>/password/", users.user_password, name="user_password"),
    path("users/<int:pk>/unlock/", users.user_unlock, name="user_unlock"),
    path("users/unlock-address/", users.address_unlock, name="address_unlock"),
]
