"""Board business, arrangements: the published safeguarding arrangements and each group's terms of
reference as versioned documents, sign-off by the statutory partners, membership criteria per seat
and induction for every member."""
