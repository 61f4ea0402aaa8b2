"""Board business, members: interests and declarations, who decided, members' own apologies, read receipts."""
