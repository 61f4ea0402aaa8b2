"""Board business URLs, in two parts: meetings (groups, members, meetings, minutes) and oversight
(attendance, accountability, the business plan, the challenge log, funding)."""

from safeboard.governance.urls_meetings import urlpatterns as meeting_urls
from safeboard.governance.urls_oversight import urlpatterns as oversight_urls

app_name = "governance"

urlpatterns = [*meeting_urls, *oversight_urls]
