"""App configurations the project adjusts: django-axes under a name the admin can translate."""

from axes.apps import AppConfig as AxesConfig
from django.utils.translation import gettext_lazy as _


class LoginThrottlingConfig(AxesConfig):
    """django-axes as it is, listed in the admin as "Login throttling" (in Arabic in Arabic)."""

    verbose_name = _("Login throttling")
