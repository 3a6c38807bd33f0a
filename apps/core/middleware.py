"""Refuses requests that carry a NUL character, before any view reads them.

PostgreSQL cannot hold NUL in text, so a NUL reaching a filter, a search or a form field
fails in the database (a 500); SQLite lets it through. Every reader path and form takes
its text from the query string, the form body or the path, so one check here covers them
all, on both databases, with one plain answer.
"""

from django.http import HttpResponseBadRequest, JsonResponse

NUL = "\x00"
NUL_REFUSED = "The request contains a NUL character (%00), which no field of a case file can hold: remove it."
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
API_PREFIX = "/api/"


def carries_nul(query) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in query.lists())


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.carries_nul(request):
            if request.path_info.startswith(API_PREFIX):
                # The API's error shape (apps.core.api.errors): a message and a code.
                return JsonResponse({"detail": NUL_REFUSED, "code": "invalid"}, status=400)
            return HttpResponseBadRequest(NUL_REFUSED, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def carries_nul(request) -> bool:
        if NUL in request.path_info or carries_nul(request.GET):
            return True
        # Only bodies Django parses as forms: reading request.POST caches it for the view
        # (and for DRF), while a JSON body stays unread for the API's parser.
        if request.method == "POST" and request.content_type in FORM_TYPES:
            return carries_nul(request.POST)
        return False
