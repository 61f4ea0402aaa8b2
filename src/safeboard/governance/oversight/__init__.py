"""Board business, oversight: the attendance dashboard, agency accountability, the business plan
with measures of impact, the challenge log and funding."""
