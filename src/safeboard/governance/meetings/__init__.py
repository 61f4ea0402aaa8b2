"""Board business, meetings: groups and seats, lay member induction, meetings with invitations,
agenda and papers, circulation, the agenda pack, attendance with follow-ups, minutes."""
