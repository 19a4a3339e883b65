"""Project middleware: control characters kept out of requests, the reader's language, and the
login wall for licensed corpora."""

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import Http404, JsonResponse, QueryDict
from django.utils import translation
from django.utils.cache import patch_vary_headers

from articles.ingest.sanitize import strip_controls


class StripControlsMiddleware:
    """Query parameters lose C0 control characters, and a path holding one is a 404: no view
    passes a NUL to the database (PostgreSQL refuses it: a 500) or a control into a page or feed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if strip_controls(request.path) != request.path:
            raise Http404("No such page.")
        if any(strip_controls(v) != v for values in request.GET.lists() for v in values[1]):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(strip_controls(key), [strip_controls(v) for v in values])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)


class ChosenLanguageMiddleware:
    """Like Django's LocaleMiddleware, but ignores the browser's Accept-Language.

    An Arabic portal should not turn English because a researcher's browser is set to English;
    the language cookie, set by /i18n/setlang/, is the reader's explicit choice.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class PortalLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Every page behind the login (MARSAD_LOGIN_REQUIRED=1); the JSON API answers 401 in JSON
    instead of redirecting a script to an HTML form."""

    def handle_no_permission(self, request, view_func):
        if request.path.startswith("/api/"):
            return JsonResponse({"error": "يلزم تسجيل الدخول / Login required"}, status=401)
        return super().handle_no_permission(request, view_func)
