"""Board business URLs, in two parts: meetings (groups, members, meetings, minutes) and oversight
(attendance, accountability, the business plan, the challenge log, funding). One namespace,
``governance``, for both."""

from safeboard.governance.arrangements.urls import urlpatterns as arrangement_urls
from safeboard.governance.cycle.urls import urlpatterns as cycle_urls
from safeboard.governance.effectiveness.urls import urlpatterns as effectiveness_urls
from safeboard.governance.meetings.urls import urlpatterns as meeting_urls
from safeboard.governance.members.urls import urlpatterns as member_urls
from safeboard.governance.oversight.urls import urlpatterns as oversight_urls

app_name = "governance"

urlpatterns = [*meeting_urls, *oversight_urls, *member_urls, *arrangement_urls, *cycle_urls, *effectiveness_urls]
