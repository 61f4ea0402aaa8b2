"""What every module's ``services.py`` shares: the one error a state change raises when it refuses.

A service function locks the rows it changes, checks the current state and either changes it or
raises ``ServiceError`` with a plain-English reason ("This meeting is already cancelled."). Views
turn it into a message (``WorkflowStepView`` and ``ScopedChildCreateView`` in ``core/views_base.py``
do it for you), the API into a 400 answer, and tasks into a line in their log.
"""

from __future__ import annotations


class ServiceError(Exception):
    """A state change that is not allowed now. The message says why, in words a user understands.

    ``field`` names the form field the reason belongs to, when there is one (for example a priority
    number that another priority of the plan already has); otherwise the reason is about the whole
    request and is shown at the top of the page.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message
