-- A sales rep's device holds only its customers (issue 15): the team positions between two
-- pulled events may be withheld from it, so an event records the team hash before it when that
-- is not the previous row's.
ALTER TABLE team_event ADD COLUMN prev_hash TEXT;
