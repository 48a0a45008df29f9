"""ProConnect (the French State's OpenID Connect federation for civil servants)
as a django-allauth provider.

Stock allauth ``openid_connect`` cannot talk to ProConnect: its userinfo
endpoint answers with a signed JWT, ProConnect requires a ``nonce`` (which
allauth does not send) and names the family name ``usual_name``. This package
subclasses the ``openid_connect`` provider and adapter to fill these gaps.

The provider is only usable when an app is configured for it, in
``SOCIALACCOUNT_PROVIDERS["proconnect"]["APPS"]`` (see the settings, driven by
``PROCONNECT_CLIENT_ID``) or as a ``SocialApp`` row; otherwise its login URL
answers 404.
"""

PROVIDER_ID = "proconnect"
