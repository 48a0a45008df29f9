from allauth.socialaccount.providers.oauth2.urls import default_urlpatterns

from .provider import ProConnectProvider

# proconnect/login/ (name "proconnect_login") and proconnect/login/callback/
# (name "proconnect_callback"), below the allauth URLs (/comptes/).
urlpatterns = default_urlpatterns(ProConnectProvider)
