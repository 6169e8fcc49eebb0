from django.conf import settings

from .audit_context import acting_as


class DefaultLanguageMiddleware:
    """Chinese is the default: a browser's Accept-Language is honoured only once a user picks a language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class AuditActorMiddleware:
    """Every write made while serving a request is attributed to the signed-in user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting_as(getattr(request, "user", None), "web"):
            response = self.get_response(request)
        return response
